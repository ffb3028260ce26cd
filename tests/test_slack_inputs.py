"""What arrives over HTTP, in process: each request goes through the same WSGI handler as
under gunicorn (size cap, signature, body parsing) and Bolt's `app.dispatch`; the Web API
and response_url are a fake Slack on 127.0.0.1. Malformed, unsigned, tampered and replayed
requests, and the form bodies Bolt's own parser misreads."""

import logging
import urllib.parse

import pytest

from bot.slack.values import VALUE_MAX, ButtonValue
from fake_slack import TEAM, FakeSlack, InProcessApp, free_port


@pytest.fixture(scope="module")
def fake():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def slack(engine, fake):
    fake.clear()
    app = InProcessApp(engine, fake)
    yield app
    app.close()


def response(fake, url):
    return fake.wait_for(url.split(str(fake.port))[1])[0]


def buttons(message) -> list[dict]:
    return [e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


# --- "payload" in a form body ----------------------------------------------------------

PAYLOAD_FIELDS = {  # Bolt's parser took any of these for an interactivity payload: 404
    "text": "what is the brady campaign payload",
    "channel_name": "payload-team",
    "user_name": "payload.mayor",
    "team_domain": "payload-city",
}


@pytest.mark.parametrize("field", ["text", "channel_name", "user_name", "team_domain", "api_app_id", "user_id"])
def test_a_slash_command_with_payload_in_any_form_field_is_answered(slack, fake, field):
    value = PAYLOAD_FIELDS.get(field) or "apayload1"
    extra = {} if field == "text" else {field: value}
    text = value if field == "text" else "who is brady named for"
    (status, _), url = slack.sender.command("/gunviolence", text, **extra)
    assert status == 200
    reply = response(fake, url)
    assert "Brady" in reply["text"] and reply["response_type"] == "ephemeral"


def test_an_interaction_is_still_read_from_its_payload_field(slack, fake):
    (status, _), url = slack.sender.click("pick:0", "webinar_part_3")
    assert status == 200
    assert response(fake, url)["text"].startswith("Part 3: CVI in Practice")


# --- the size cap and the log ---------------------------------------------------------

def test_an_unsigned_megabyte_leaves_the_log_small(slack, fake, caplog):
    body = "token=x&text=" + "A" * (1 << 20) + "\nINFO forged log line"
    with caplog.at_level(logging.DEBUG):
        status_big, _ = slack.sender.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
        status_fit, _ = slack.sender.post(body[: (1 << 20) - 10], "application/x-www-form-urlencoded",
                                          signature="v0=" + "0" * 64)
    assert status_big == 413 and status_fit == 401
    assert len(caplog.text) < 2000, caplog.text[:500]
    assert "AAAA" not in caplog.text and "forged" not in caplog.text


def test_a_real_request_refused_for_clock_skew_logs_none_of_it(slack, fake, caplog):
    form = {"command": "/gunviolence", "text": "my private question", "user_id": "U0MAYOR", "user_name": "mayor",
            "response_url": slack.sender.response_url(), "team_id": TEAM}
    with caplog.at_level(logging.DEBUG):
        status, _ = slack.sender.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded",
                                      timestamp=1_000_000_000)
    assert status == 401
    assert "private question" not in caplog.text and "U0MAYOR" not in caplog.text and "respond" not in caplog.text


# --- malformed and unsigned requests: 4xx, one line, no traceback -------------------------

MALFORMED = [
    ("bad JSON, signed", b'{"type": "event_callback", ', "application/json", None, 400),
    ("bad UTF-8, signed", b'{"type": "\xff\xfe"}', "application/json", None, 400),
    ("deep nesting, signed", b"[" * 100000 + b"]" * 100000, "application/json", None, 400),
    ("a JSON list, signed", b"[1, 2]", "application/json", None, 400),
    ("a payload that is not JSON, signed", b"payload=%7Bnot+json", "application/x-www-form-urlencoded", None, 400),
    ("a non-numeric timestamp", b"{}", "application/json", "soon", 401),
    ("no signature", b"{}", "application/json", "nosig", 401),
    ("bad JSON, unsigned", b"{{{", "application/json", "unsigned", 401),
]


@pytest.mark.parametrize("case, body, content_type, how, expected", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_requests_get_4xx_without_a_traceback(slack, fake, caplog, case, body, content_type, how, expected):
    kwargs = {}
    if how == "soon":
        kwargs["timestamp"] = "soon"
    elif how == "unsigned":
        kwargs["signature"] = "v0=" + "1" * 64
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": kwargs.get("timestamp", "")}
    with caplog.at_level(logging.DEBUG):
        if how == "nosig":
            status, _ = slack.wsgi(body, headers)
        else:
            status, _ = slack.sender.post(body, content_type, **kwargs)
    assert status == expected
    assert not any(r.exc_info for r in caplog.records), "a traceback was logged"
    assert "Traceback" not in caplog.text
    slack.idle()
    assert [n for n, _ in fake.calls if n != "auth.test"] == []


# --- button values: one typed protocol ------------------------------------------------

TAMPERED = [
    '{"i": 5}', '{"i": ["maig"]}', '{"i": {"x": 1}}', '{"q": "12"}', '{"q": 1.5}', '{"q": true}', '{"t": 7}',
    '{"c": ["C1"]}', '{"ts": 1700000000.1}', '{"why": "because"}', '{"i": "maig", "extra": 1}', '[1, 2]',
    '{"i": null, "q": -4}', '{"i": "../etc"}', '{', '{"t": {"$ne": 1}}', "",
]


@pytest.fixture(scope="module")
def staffed(engine, fake):
    app = InProcessApp(engine, fake, env={"HANDOFF_CHANNEL": "C0STAFF"})
    yield app
    app.close()


@pytest.mark.parametrize("action", ["pick:0", "choose:1", "ask:0", "feedback:up", "feedback:down", "share", "handoff",
                                    "none_of_these"])
@pytest.mark.parametrize("value", TAMPERED)
def test_tampered_button_values_get_please_ask_again(staffed, fake, action, value, caplog):
    staffed.idle()
    fake.clear()
    with caplog.at_level(logging.WARNING):
        (status, _), url = staffed.sender.click(action, value)
        staffed.idle()
    assert status == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    if action == "none_of_these" and value and not value.startswith("{"):
        return  # a plain string there is the question text, as older messages had it
    reply = response(fake, url)
    assert "ask" in reply["text"].lower() and reply.get("response_type") == "ephemeral"
    assert fake.recorded("chat.postMessage") == []


def test_a_question_of_quote_marks_gives_whole_values_and_votes_keep_their_intent(slack, fake):
    slack.sender.message("who founded maig " + '"' * 1500)
    post = fake.wait_for("chat.postMessage")[0]
    values = [b["value"] for b in buttons(post)]
    assert values
    for value in values:
        assert len(value) <= VALUE_MAX
        ButtonValue.decode(value)  # whole JSON, right types
    thumbs_up = next(b for b in buttons(post) if b["action_id"] == "feedback:up")
    assert ButtonValue.decode(thumbs_up["value"]).i == "maig"
    (status, _), url = slack.sender.click("feedback:up", thumbs_up["value"])
    assert response(fake, url)["text"] == "Thanks, noted."
    slack.idle()
    _, events = slack.recorder.store.rows()
    assert [(e["kind"], e["intent"]) for e in events] == [("up", "maig")]


def test_encode_cuts_the_text_before_json_so_any_text_fits():
    for text in ('"' * 5000, "\\" * 5000, "é" * 5000, "\u2028" * 5000, "x" * 5000, "\x00" * 3000):
        value = ButtonValue(i="maig", q=12, t=text, c="C0CITY", ts="1700000000.000001").encode()
        assert len(value) <= VALUE_MAX
        decoded = ButtonValue.decode(value)
        assert decoded.i == "maig" and decoded.t and text.startswith(decoded.t.rstrip("…"))


# --- replays, files, empty questions ------------------------------------------------------

def test_a_replayed_command_is_answered_once(slack, fake):
    form = {"command": "/gunviolence", "text": "what is brady", "user_id": "U0MAYOR", "channel_id": "C0CITY",
            "team_id": TEAM, "response_url": slack.sender.response_url(), "trigger_id": "9.9.9"}
    body = urllib.parse.urlencode(form)
    assert slack.sender.post(body, "application/x-www-form-urlencoded")[0] == 200
    assert slack.sender.post(body, "application/x-www-form-urlencoded")[0] == 200  # the same signed request again
    slack.idle()
    assert len(fake.recorded(form["response_url"].split(str(fake.port))[1])) == 1
    assert len(slack.recorder.store.rows()[0]) == 1  # counted once


def test_a_replayed_click_is_answered_once(slack, fake):
    for _ in range(2):
        (status, _), url = slack.sender.click("feedback:up", '{"i": "maig"}', trigger_id="7.7.7")
        assert status == 200
    slack.idle()
    replies = [n for n, _ in fake.calls if n.startswith("/respond/")]
    assert len(replies) == 1
    assert [e["kind"] for e in slack.recorder.store.rows()[1]] == ["up"]


def test_a_dm_with_a_file_is_answered_from_its_text(slack, fake):
    slack.sender.message("who founded maig", subtype="file_share",
                         files=[{"id": "F1", "name": "notes.pdf", "mimetype": "application/pdf"}])
    assert "Bloomberg" in fake.wait_for("chat.postMessage")[0]["text"]


@pytest.mark.parametrize("surface", ["file alone", "bare mention", "empty command"])
def test_an_empty_question_answers_with_help(slack, fake, surface):
    if surface == "file alone":
        slack.sender.message("", subtype="file_share", files=[{"id": "F2", "name": "map.png"}])
        reply = fake.wait_for("chat.postMessage")[0]
    elif surface == "bare mention":
        slack.sender.event({"type": "app_mention", "channel": "C0CITY", "user": "U0MAYOR", "ts": "1700000500.000001",
                            "text": "<@U0BOT>"})
        reply = fake.wait_for("chat.postMessage")[0]
    else:
        _, url = slack.sender.command("/gunviolence", "   ")
        reply = response(fake, url)
    assert "Ask a question in plain words" in reply["text"]
    slack.idle()
    assert slack.recorder.store.rows()[0][0]["intent"] == "help"


# --- errors in listeners --------------------------------------------------------------

def test_an_error_after_the_ack_is_logged_as_what_it_is_not_a_404(slack, fake, caplog):
    fake.fail_next[:] = [500, 500, 500, 500]  # chat.postMessage fails through every retry
    with caplog.at_level(logging.INFO):
        status, _ = slack.sender.message("who founded maig")
        slack.idle()
    assert status == 200
    assert "error in the direct message listener" in caplog.text
    assert "unhandled request" not in caplog.text and "404" not in caplog.text


def test_an_error_in_a_command_after_its_ack_is_logged_as_what_it_is_not_a_404(slack, fake, caplog):
    # The response_url leads nowhere (Slack's side dropped): respond() raises after ack().
    form = {"command": "/gunviolence", "text": "what is brady", "user_id": "U0MAYOR", "channel_id": "C0CITY",
            "team_id": TEAM, "trigger_id": "5.5.5", "response_url": f"http://127.0.0.1:{free_port()}/respond/gone"}
    with caplog.at_level(logging.INFO):
        status, _ = slack.sender.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")
        slack.idle()
    assert status == 200
    assert "error in the /gunviolence listener" in caplog.text
    assert "unhandled request" not in caplog.text and "ack()" not in caplog.text
