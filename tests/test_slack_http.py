"""The Slack app in HTTP mode. Most tests run it in process: signed requests go through
the same WSGI handler as under gunicorn and Bolt's `app.dispatch`, and its Web API client
talks to a fake Slack on 127.0.0.1 that records what it posted. The tests marked e2e run
the real server (`python -m bot serve --http`, under gunicorn) in a subprocess."""

import json
import time

import pytest

from bot.slack.values import ButtonValue
from fake_slack import FakeSlack, InProcessApp, RunningApp

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token-never-logged"


@pytest.fixture(scope="module")
def app(engine):
    fake = FakeSlack()
    app = InProcessApp(engine, fake, secret=SECRET, token=TOKEN)
    yield app
    app.close()
    fake.close()


@pytest.fixture
def slack(app):
    return app.sender


@pytest.fixture
def fake(app):
    app.idle()
    app.fake.clear()
    return app.fake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server, for the end-to-end tests."""
    fake = FakeSlack()
    running = RunningApp(fake, tmp_path_factory.mktemp("app"), SECRET, TOKEN)
    yield running
    running.stop()
    fake.close()


def texts(blocks):
    return json.dumps(blocks)


@pytest.mark.e2e
def test_direct_message_is_answered_by_the_real_server(server):
    server.fake.clear()
    status, _ = server.sender.message("who founded Mayors Against Illegal Guns?")
    assert status == 200
    post = server.fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "D0DM" and "Bloomberg" in post["text"]


@pytest.mark.e2e
def test_the_real_server_refuses_bad_signatures_and_keeps_secrets_out_of_its_log(server):
    server.fake.clear()
    body = json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": {
        "type": "message", "channel_type": "im", "channel": "D0DM", "user": "U1", "text": "hi", "ts": "1.1"}})
    assert server.sender.post(body, "application/json", signature="v0=" + "0" * 64)[0] == 401
    assert server.sender.post("x" * (2 << 20), "application/json")[0] == 413
    server.sender.message("what is cvi")
    server.fake.wait_for("chat.postMessage")
    log = server.log.read_text()
    assert "answered" in log and "refused a request" in log  # the log is written...
    assert TOKEN not in log and SECRET not in log and "xxxx" not in log  # ...without secrets or bodies
    assert "token` will be unused" not in log and "Traceback" not in log


def test_direct_message_is_answered_in_the_conversation(slack, fake):
    status, _ = slack.message("who founded Mayors Against Illegal Guns?")
    assert status == 200
    post = fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "D0DM" and not post.get("thread_ts")
    assert "Bloomberg" in post["text"]
    assert "https://mayors.everytown.org/who-we-are" in texts(post["blocks"])
    assert post["unfurl_links"] is False


def test_direct_message_in_a_thread_is_answered_in_that_thread(slack, fake):
    slack.message("what is cvi", thread_ts="1699999999.000100")
    assert fake.wait_for("chat.postMessage")[0]["thread_ts"] == "1699999999.000100"


def test_mention_is_answered_in_a_thread_with_the_mention_stripped(slack, fake):
    slack.event({"type": "app_mention", "channel": "C0CITY", "user": "U0MAYOR", "ts": "1700000001.000001",
                 "text": "<@U0BOT> where is the place-based webinar?"})
    post = fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "C0CITY" and post["thread_ts"] == "1700000001.000001"
    assert "Part 2: Place-based Approaches to CVI" in post["text"]


def test_dm_that_is_also_a_mention_gets_one_reply(app, slack, fake):
    event = {"channel": "D0DM", "user": "U0MAYOR", "ts": "1700000002.000001", "text": "<@U0BOT> what is brady"}
    slack.event({"type": "message", "channel_type": "im", **event})
    slack.event({"type": "app_mention", **event})
    fake.wait_for("chat.postMessage")
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1


def test_redelivered_event_gets_exactly_one_reply(app, slack, fake):
    event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
             "ts": "1700000003.000001", "text": "what does the ATF do"}
    for retry in ("", "1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        status, _ = slack.event(event, event_id="EvSAME", headers=headers)
        assert status == 200
    fake.wait_for("chat.postMessage")
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1


@pytest.mark.parametrize("extra", [{"bot_id": "B0SELF"}, {"bot_id": "B0OTHER"}, {"subtype": "message_changed"},
                                   {"subtype": "message_deleted"}, {"subtype": "channel_join"}])
def test_bots_and_message_subtypes_get_no_reply(app, slack, fake, extra):
    status, _ = slack.message("what is cvi", **extra)
    assert status == 200
    app.idle()
    assert fake.recorded("chat.postMessage") == []


def test_wrong_signature_and_stale_timestamp_are_refused(app, slack, fake):
    body = json.dumps({"type": "event_callback", "event_id": "EvBAD", "event": {
        "type": "message", "channel_type": "im", "channel": "D0DM", "user": "U1", "text": "hi", "ts": "1.1"}})
    assert slack.post(body, "application/json", signature="v0=" + "0" * 64)[0] == 401
    assert slack.post(body, "application/json", timestamp=int(time.time()) - 60 * 10)[0] == 401
    app.idle()
    assert fake.recorded("chat.postMessage") == []


def test_slack_markup_is_read_through(slack, fake):
    slack.message("<!channel> <#C0CITY|general> :wave: who runs <https://giffords.org|Giffords>?")
    post = fake.wait_for("chat.postMessage")[0]
    assert "Gabrielle Giffords" in post["text"]


def test_a_40000_character_message_gets_one_prompt_reply(slack, fake):
    started = time.monotonic()
    slack.message("what does the coalition to stop gun violence do? " * 800)
    post = fake.wait_for("chat.postMessage", timeout=5)[0]
    assert time.monotonic() - started < 5
    assert "Coalition to Stop Gun Violence" in post["text"]


def test_fallback_is_honest_and_offers_topics(slack, fake):
    slack.message("when is trash pickup on my street")
    post = fake.wait_for("chat.postMessage")[0]
    assert "I don't have an answer" in post["text"]
    buttons = [e for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert any(ButtonValue.decode(b["value"]).i == "cvi_series" for b in buttons)
    assert not any(b["text"]["text"] == "Ask a person" for b in buttons)  # no HANDOFF_CHANNEL here


def test_cvi_without_topic_lists_the_series_with_links_ephemerally(slack, fake):
    (status, body), url = slack.command("/cvi")
    assert status == 200
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert reply["response_type"] == "ephemeral"
    blocks = texts(reply["blocks"])
    for part in ("Part 1: Evidence-based Theory", "Part 2: Place-based", "Part 3: CVI in Practice"):
        assert part in blocks
    assert "https://www.ojp.gov/media/video/228791" in blocks
    assert "Share in channel" in blocks


@pytest.mark.parametrize("topic, title", [("part 2", "Part 2"), ("place-based", "Part 2"), ("hospital", "CVI models"),
                                          ("how do we sustain it", "Implementing and sustaining CVI")])
def test_cvi_with_a_topic_gives_the_best_webinar_answer(slack, fake, topic, title):
    _, url = slack.command("/cvi", topic)
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert reply["text"].startswith(title), reply["text"][:80]


def test_gunviolence_answers_and_without_question_shows_help(slack, fake):
    _, url = slack.command("/gunviolence", "what is PERF's latest report?")
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert "Reducing Gun Violence: What Works" in reply["text"] and reply["response_type"] == "ephemeral"
    _, url = slack.command("/gunviolence", "")
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert "Ask a question in plain words" in reply["text"]


def test_share_in_channel_posts_the_same_answer_for_everyone(slack, fake):
    value = ButtonValue(i="csgv", t="who are <!here> csgv & co?").encode()
    (status, _), url = slack.click("share", value, ephemeral=True)
    assert status == 200
    post = fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "C0CITY"
    assert "Coalition to Stop Gun Violence" in post["text"]
    shared = texts(post["blocks"])
    assert "<@U0MAYOR>" in shared
    assert "&lt;!here&gt;" in shared and "<!here>" not in shared  # user text cannot ping everyone
    assert fake.wait_for(url.split(str(fake.port))[1])[0]["delete_original"] is True


def test_did_you_mean_pick_and_follow_up_answer_in_place(slack, fake):
    (status, _), url = slack.click("pick:0", "webinar_part_3")
    assert status == 200
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert reply["replace_original"] is True
    assert reply["text"].startswith("Part 3: CVI in Practice")


def test_none_of_these_gives_the_fallback(slack, fake):
    _, url = slack.click("none_of_these", "cvi thing")
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert reply["replace_original"] is True and "I don't have an answer" in reply["text"]


@pytest.mark.parametrize("vote", ["up", "down"])
def test_feedback_is_acknowledged_quietly(slack, fake, vote):
    _, url = slack.click(f"feedback:{vote}", "maig")
    reply = fake.wait_for(url.split(str(fake.port))[1])[0]
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "Ask a person" not in json.dumps(reply)  # no HANDOFF_CHANNEL here
    assert fake.recorded("chat.postMessage") == []


def test_app_home_is_published_with_webinars_and_organizations(slack, fake):
    slack.event({"type": "app_home_opened", "user": "U0MAYOR", "channel": "D0DM", "tab": "home"})
    view = fake.wait_for("views.publish")[0]
    assert view["user_id"] == "U0MAYOR"
    blocks = view["view"]["blocks"]
    assert len(blocks) <= 100
    shown = texts(blocks)
    for expected in ("CVI Webinar Series", "Gun safety organizations", "Law enforcement organizations",
                     "Mayors Against Illegal Guns", "/cvi", "/gunviolence"):
        assert expected in shown


def test_rate_limited_post_is_retried(slack, fake, caplog):
    fake.fail_next[:] = [429]
    with caplog.at_level("INFO"):
        slack.message("what is the major cities chiefs association")
        post = fake.wait_for("chat.postMessage")[0]
    assert "Major Cities Chiefs" in post["text"]
    assert fake.recorded("chat.postMessage (429)")
    assert "RateLimitErrorRetryHandler" in caplog.text  # the retry is logged


def test_server_error_is_retried(slack, fake):
    fake.fail_next[:] = [500]
    slack.message("who is brady named for")
    assert "Jim and Sarah Brady" in fake.wait_for("chat.postMessage")[0]["text"]
