"""Safety on every surface: the real Bolt app, in process, gets signed requests through
app.dispatch as Slack sends them, and its Web API calls and response_url posts go to the
fake Slack on 127.0.0.1. A crisis gets the 911 / 988 text first in a DM, in the thread of an
@mention, from /cvi and /gunviolence and when shared; a sensitive topic gets its answer with
the note last; what is recorded is outcome `safety`, without text when STORE_QUESTIONS=false.
The terminal chat is driven through `python -m bot chat`."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import safety
from bot.slack.app import create_app
from bot.settings import Settings
from bot.store import Recorder, Store
from conftest import run_bot
from fake_slack import TEAM, FakeSlack

SECRET = "safety-signing-secret"
CRISIS = "shots fired outside the rec center rn, we're hiding in the gym"
SAFETY_FIRST = f"{safety.TITLE}: {safety.TEXT}"


class InProcessSlack:
    """Signed requests straight into app.dispatch, as Slack would send them over HTTP."""

    def __init__(self, engine, fake: FakeSlack, recorder: Recorder):
        self.fake = fake
        self.app = create_app(engine, Settings(bot_token="xoxb-test", mode="http", signing_secret=SECRET,
                                               api_url=f"{fake.url}/api/"), recorder)
        self.verifier = SignatureVerifier(SECRET)
        self.counter = 0

    def _dispatch(self, body: str, content_type: str) -> int:
        ts = str(int(time.time()))
        headers = {"content-type": [content_type], "x-slack-request-timestamp": [ts],
                   "x-slack-signature": [self.verifier.generate_signature(timestamp=ts, body=body)]}
        return self.app.dispatch(BoltRequest(body=body, headers=headers)).status

    def event(self, event: dict) -> int:
        self.counter += 1
        body = {"token": "t", "team_id": TEAM, "api_app_id": "A0APP", "type": "event_callback",
                "event_id": f"EvSAFE{self.counter:05d}", "event_time": int(time.time()), "event": event}
        return self._dispatch(json.dumps(body), "application/json")

    def dm(self, text: str) -> int:
        self.counter += 1
        return self.event({"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
                           "text": text, "ts": f"1700001000.{self.counter:06d}"})

    def mention(self, text: str, ts: str) -> int:
        return self.event({"type": "app_mention", "channel": "C0CITY", "user": "U0MAYOR", "ts": ts,
                           "text": f"<@U0BOT> {text}"})

    def command(self, command: str, text: str) -> tuple[int, str]:
        self.counter += 1
        path = f"/respond/safety{self.counter}"
        form = {"command": command, "text": text, "user_id": "U0MAYOR", "user_name": "mayor", "channel_id": "C0CITY",
                "team_id": TEAM, "response_url": f"{self.fake.url}{path}", "trigger_id": f"1.2.{self.counter}", "token": "t",
                "api_app_id": "A0APP"}
        return self._dispatch(urllib.parse.urlencode(form), "application/x-www-form-urlencoded"), path

    def click(self, button: dict) -> tuple[int, str]:
        self.counter += 1
        path = f"/respond/click{self.counter}"
        payload = {"type": "block_actions", "user": {"id": "U0MAYOR"}, "team": {"id": TEAM}, "api_app_id": "A0APP",
                   "token": "t", "trigger_id": f"1.2.{self.counter}", "response_url": f"{self.fake.url}{path}",
                   "channel": {"id": "C0CITY"}, "container": {"type": "message", "is_ephemeral": True, "channel_id": "C0CITY"},
                   "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "b",
                                "value": button["value"], "action_ts": str(time.time())}]}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self._dispatch(body, "application/x-www-form-urlencoded"), path


def buttons(message: dict) -> dict:
    return {e["text"]["text"]: e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]}


def wait_for_rows(store: Store, count: int, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:  # bounded: the question is recorded after the acknowledgement
        questions, _ = store.rows()
        if len(questions) >= count or time.monotonic() > deadline:
            return questions
        time.sleep(0.05)


@pytest.fixture
def slack(engine, tmp_path):
    fake = FakeSlack()
    store = Store(f"sqlite:///{tmp_path}/safety.db")
    client = InProcessSlack(engine, fake, Recorder(store))
    client.store = store
    yield client
    fake.close()
    store.engine.dispose()


def test_a_crisis_in_a_direct_message_gets_911_and_988_first(slack):
    assert slack.dm(CRISIS) == 200
    post = slack.fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "D0DM"
    assert post["text"].startswith(SAFETY_FIRST)
    assert safety.TEXT in post["blocks"][0]["text"]["text"]
    [row] = wait_for_rows(slack.store, 1)
    assert row["surface"] == "dm" and row["outcome"] == "safety" and row["text"] == "shots fired outside the rec center rn we re hiding in the gym"


def test_a_crisis_in_an_at_mention_is_answered_in_its_thread(slack):
    assert slack.mention("my friend just texted me goodbye and says she took all her pills", "1700002000.000001") == 200
    post = slack.fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "C0CITY" and post["thread_ts"] == "1700002000.000001"
    assert post["text"].startswith(SAFETY_FIRST)
    assert wait_for_rows(slack.store, 1)[0]["outcome"] == "safety"


@pytest.mark.parametrize("command", ["/cvi", "/gunviolence"])
def test_a_crisis_in_a_slash_command_gets_911_and_988_first(slack, command):
    status, path = slack.command(command, "i dont want to be alive anymore")
    assert status == 200
    reply = slack.fake.wait_for(path)[0]
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith(SAFETY_FIRST)
    [row] = wait_for_rows(slack.store, 1)
    assert row["surface"] == "command" and row["outcome"] == "safety"


def test_a_crisis_with_a_question_answers_both_and_shares_the_safety_text(slack):
    status, path = slack.command("/gunviolence", "active shooter at city hall right now, what is the major cities chiefs association")
    reply = slack.fake.wait_for(path)[0]
    assert reply["text"].startswith(SAFETY_FIRST) and "Major Cities Chiefs Association" in reply["text"]
    status, share_path = slack.click(buttons(reply)["Share in channel"])
    assert status == 200
    shared = slack.fake.wait_for("chat.postMessage")[0]
    assert shared["channel"] == "C0CITY" and shared["text"].startswith(SAFETY_FIRST)
    assert slack.fake.wait_for(share_path)[0]["delete_original"] is True


def test_a_sensitive_topic_gets_its_answer_with_the_note_last(slack):
    slack.dm("which organization works on gun suicide")
    post = slack.fake.wait_for("chat.postMessage")[0]
    assert not post["text"].startswith(safety.TITLE)
    answer_block = post["blocks"][0]["text"]["text"]
    assert answer_block.rstrip().endswith(safety.TOPIC_NOTE)
    assert safety.TEXT not in post["text"]
    assert wait_for_rows(slack.store, 1)[0]["outcome"] == "answer"


def test_an_ordinary_question_gets_no_safety_line(slack):
    slack.dm("what is cvi")
    post = slack.fake.wait_for("chat.postMessage")[0]
    assert safety.TOPIC_NOTE not in post["text"] and safety.TEXT not in post["text"]


def test_without_stored_questions_a_crisis_is_recorded_as_safety_without_its_text(engine, tmp_path):
    fake = FakeSlack()
    store = Store(f"sqlite:///{tmp_path}/private.db")
    try:
        slack = InProcessSlack(engine, fake, Recorder(store, store_questions=False))
        slack.dm("gonna kms tonight")
        assert fake.wait_for("chat.postMessage")[0]["text"].startswith(SAFETY_FIRST)
        [row] = wait_for_rows(store, 1)
        assert row["outcome"] == "safety" and row["text"] is None
    finally:
        fake.close()
        store.engine.dispose()


def test_the_terminal_chat_puts_911_and_988_first(tmp_path):
    url = f"sqlite:///{tmp_path}/chat.db"
    result = run_bot("chat", stdin="my brother od'd and isnt breathing\nwhich organization works on gun suicide\nquit\n",
                     env={"DATABASE_URL": url, "STORE_QUESTIONS": "false"})
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    crisis_at = flat.index(safety.TITLE)
    assert flat[crisis_at:].startswith(f"{safety.TITLE} {'=' * len(safety.TITLE)} {safety.TEXT}")
    topic = flat[flat.index(safety.TEXT) + len(safety.TEXT):]
    assert safety.TOPIC_NOTE in topic and safety.TEXT not in topic
    questions, _ = Store(url).rows()
    assert [(q["surface"], q["outcome"], q["text"]) for q in questions] == [
        ("terminal", "safety", None), ("terminal", "answer", None)]
