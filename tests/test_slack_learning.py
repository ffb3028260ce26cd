"""Learning from use, end to end: questions, feedback, picks and hand-off travel as signed
requests to the real app, which records them; `python -m bot report` then shows them."""

import json
import time

import pytest

from bot.render.blocks import read_value
from conftest import run_bot
from fake_slack import FakeSlack, RunningApp

STAFF = "C0STAFF"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    fake = FakeSlack()
    running = RunningApp(fake, tmp_path_factory.mktemp("learn"), env={"HANDOFF_CHANNEL": STAFF})
    running.fake = fake
    yield running
    running.stop()
    fake.close()


@pytest.fixture
def fake(app):
    app.fake.clear()
    return app.fake


def buttons(message) -> dict:
    """The buttons of a posted message, by label."""
    return {e["text"]["text"]: e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]}


def click(app, button, ephemeral=False) -> dict:
    """Click a button as Slack would, with the app's own action_id and value; its reply."""
    (status, _), url = app.sender.click(button["action_id"], button["value"], ephemeral=ephemeral)
    assert status == 200
    return app.fake.wait_for(url.split(str(app.fake.port))[1])[0]


def report(app, *args) -> dict:
    result = run_bot("report", "--json", *args, env={"DATABASE_URL": f"sqlite:///{app.log.parent}/assistant.db"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_fallback_in_slack_shows_up_in_the_report_with_a_proposal(app, fake):
    for wording in ("Does Medicaid reimburse HVIP?", "hvip medicaid reimbursement rules"):
        app.sender.message(wording)
    fake.wait_for("chat.postMessage", 2)
    data = report(app)
    group = next(u for u in data["unanswered"] if "medicaid" in u["text"])
    assert group["count"] == 2
    proposal = next(p for p in data["proposals"] if any("medicaid" in q for q in p["questions"]))
    assert proposal["intent"] == "cvi_models" and "examples:" in proposal["yaml"]


def test_votes_show_per_intent_and_a_thumbs_down_asks_what_was_wrong(app, fake):
    app.sender.message("what does the coalition to stop gun violence do")
    post = fake.wait_for("chat.postMessage")[0]
    assert click(app, buttons(post)["👍"])["text"] == "Thanks, noted."
    reply = click(app, buttons(post)["👎"])
    assert reply["response_type"] == "ephemeral"
    assert "Ask a person" in buttons(reply)  # HANDOFF_CHANNEL is set
    modal = fake.wait_for("views.open")[0]
    assert modal["trigger_id"].startswith("1.2.") and modal["view"]["callback_id"] == "feedback_comment"
    status, _ = app.sender.submit_view("feedback_comment", modal["view"]["private_metadata"],
                                       {"comment": {"comment": {"type": "plain_text_input", "value": "Wanted the founding year"}}})
    assert status == 200
    deadline = time.monotonic() + 10
    while True:  # bounded: the comment is written after the ack
        votes = next((f for f in report(app)["feedback"] if f["intent"] == "csgv"), None)
        if votes and votes["comments"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert votes == {"intent": "csgv", "up": 1, "down": 1, "comments": ["Wanted the founding year"]}


def test_repeated_did_you_mean_picks_become_a_proposal(app, fake):
    for _ in range(2):
        fake.clear()
        app.sender.message("community")
        post = fake.wait_for("chat.postMessage")[0]
        choice = next(b for b in buttons(post).values() if b["action_id"].startswith("choose:"))
        picked = read_value(choice["value"])["i"]
        assert click(app, choice)["replace_original"] is True
    data = report(app)
    proposal = next(p for p in data["proposals"] if p["why"].startswith("picked 2 times"))
    assert proposal["intent"] == picked and proposal["questions"] == ["community"]


def test_none_of_these_counts_as_unanswered(app, fake):
    app.sender.message("mayors")
    post = fake.wait_for("chat.postMessage")[0]
    assert "I don't have an answer" in click(app, buttons(post)["None of these"])["text"]
    assert any(u["text"] == "mayors" for u in report(app)["unanswered"])


def test_ask_a_person_posts_to_the_staff_channel_and_tells_the_asker(app, fake):
    app.sender.message("<!here> when does the <b>pool</b> open & close?")
    post = fake.wait_for("chat.postMessage")[0]
    reply = click(app, buttons(post)["Ask a person"])
    assert f"<#{STAFF}>" in reply["text"] and "follow up" in reply["text"] and reply["response_type"] == "ephemeral"
    handed = [p for p in fake.recorded("chat.postMessage") if p["channel"] == STAFF][0]
    assert "<@U0MAYOR>" in handed["text"]
    assert "&lt;!here&gt;" in handed["text"] and "<!here>" not in handed["text"]  # no ping through the hand-off
    assert "https://city.slack.com/archives/D0DM/p" in handed["text"]  # a link to the conversation
    assert fake.recorded("chat.getPermalink")


def test_a_failed_write_still_delivers_the_answer(tmp_path):
    fake = FakeSlack()
    broken = RunningApp(fake, tmp_path, env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    try:
        broken.sender.message("who is brady named for")
        assert "Jim and Sarah Brady" in fake.wait_for("chat.postMessage")[0]["text"]
        assert "answering without recording" in broken.log.read_text()
    finally:
        broken.stop()
        fake.close()


def test_two_instances_on_one_database_reply_once(tmp_path):
    # Behind a load balancer, Slack's redelivery can reach another instance than the first.
    fake = FakeSlack()
    shared = {"DATABASE_URL": f"sqlite:///{tmp_path}/shared.db"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = RunningApp(fake, tmp_path / "a", env=shared)
    second = RunningApp(fake, tmp_path / "b", env=shared)
    try:
        event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
                 "ts": "1700000900.000001", "text": "what does the atf do"}
        assert first.sender.event(event, event_id="EvLB1")[0] == 200
        assert second.sender.event(event, event_id="EvLB1", headers={"X-Slack-Retry-Num": "1"})[0] == 200
        fake.wait_for("chat.postMessage")
        time.sleep(0.5)
        assert len(fake.recorded("chat.postMessage")) == 1
    finally:
        first.stop()
        second.stop()
        fake.close()


def test_the_same_round_trip_on_postgresql_by_setting_one_variable(tmp_path, fresh_postgres_url):
    postgres_url = fresh_postgres_url
    fake = FakeSlack()
    app = RunningApp(fake, tmp_path, env={"DATABASE_URL": postgres_url})
    try:
        app.sender.message("when does the skating rink open")
        app.sender.message("what is the brady campaign")
        fake.wait_for("chat.postMessage", 2)
        result = run_bot("report", "--json", env={"DATABASE_URL": postgres_url})
        data = json.loads(result.stdout)
        assert data["by_outcome"] == {"fallback": 1, "answer": 1}
        assert data["unanswered"][0] == {"text": "when does the skating rink open", "count": 1, "score": 0.0,
                                         "questions": ["when does the skating rink open"]}
        assert data["proposals"][0]["kind"] == "new_intent"
    finally:
        app.stop()
        fake.close()
