"""Never lose a question: the inbox written before the acknowledgement, retries that finish,
errors that end a question once, and the sweep that answers what a dead instance left.

In process through the real Bolt app (signed requests, the same WSGI front door as under
gunicorn) with the fake Slack Web API on 127.0.0.1 failing the ways Slack fails; each test
on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.store import Store, inbox
from fake_slack import FakeSlack, InProcessApp, eventually


@pytest.fixture(scope="module")
def fake():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def make_app(engine, fake, database):
    apps = []

    def make(**env):
        fake.clear()
        app = InProcessApp(engine, fake, env={"DATABASE_URL": database, **{k: str(v) for k, v in env.items()}})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


def quick_backoff(app, base: float = 0.01) -> None:
    """The retry policy's backoff from 10 ms instead of 200 ms (SlackRetry's `base`), for
    the Web API client and response_url posts alike: the same retries, in less waiting.
    Retry-After waits, the budget and the number of attempts stay as they are."""
    from bot.slack.retry import SlackRetry

    handlers = [h for h in [*app.app.client.retry_handlers, app.app.inbox.retry] if isinstance(h, SlackRetry)]
    assert len(handlers) == 2
    for handler in handlers:
        handler.base = base


def rows(app) -> list[dict]:
    with app.recorder.store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(inbox).order_by(inbox.c.id))]


def test_a_question_is_kept_before_the_ack_and_its_text_deleted_once_answered(make_app, fake):
    app = make_app(STORE_QUESTIONS="false", SLACK_RETRY_SECONDS="0.5")
    fake.fail_next[:] = [503] * 50  # Slack down for this one's whole retry budget
    status, _ = app.sender.message("who founded maig")
    assert status == 200
    app.idle()
    [row] = rows(app)  # acknowledged, not answered: still there, with the question, for another try
    assert row["state"] == "pending" and "who founded maig" in row["body"] and row["owner"] is None
    fake.fail_next.clear()
    with app.recorder.store.engine.begin() as conn:  # its retry is due now
        conn.execute(update(inbox).values(lease_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert app.app.inbox.sweep() == 1
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1
    [row] = rows(app)
    assert row["state"] == "done" and row["body"] is None and row["attempts"] == 2


@pytest.mark.parametrize("faults", [
    [502], [504], [500, 500, 500], [503, 502, 504, 500], [(429, "1")], [(429, "soon")], [(429, "0"), 500, "drop"],
    ["drop", "drop"], [("hang", 35)],
], ids=["502", "504", "3x500", "5xx-mix", "429-numeric", "429-not-numeric", "429-500-drop", "dropped-twice", "35s-hang"])
def test_transient_failures_are_retried_until_answered_once(make_app, fake, faults, caplog):
    app = make_app(SLACK_TIMEOUT_SECONDS="0.5")
    quick_backoff(app)
    fake.fail_next[:] = list(faults)
    with caplog.at_level(logging.WARNING):
        status, _ = app.sender.message("who founded maig")
        app.idle(timeout=15)
    assert status == 200
    posts = fake.recorded("chat.postMessage")
    assert len(posts) == 1 and "Bloomberg" in posts[0]["text"]
    assert [r["state"] for r in rows(app)] == ["done"]
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_an_error_that_will_not_heal_ends_the_question_logged_once(make_app, fake, error, caplog):
    app = make_app()
    fake.errors["chat.postMessage"] = error
    with caplog.at_level(logging.INFO):
        app.sender.message("who founded maig")
        app.idle()
    assert len([n for n, _ in fake.calls if n.startswith("chat.postMessage")]) == 1  # not retried
    assert caplog.text.count(f"Slack said {error}") == 1 and "Traceback" not in caplog.text
    [row] = rows(app)
    assert row["state"] == "failed" and row["error"] == error and row["body"] is None


def test_a_long_retry_after_is_honoured_without_holding_a_thread(make_app, fake):
    app = make_app()
    fake.fail_next[:] = [(429, "20")]
    app.sender.message("who founded maig")
    app.idle()
    [row] = rows(app)
    lease = row["lease_until"] if row["lease_until"].tzinfo else row["lease_until"].replace(tzinfo=timezone.utc)
    assert row["state"] == "pending" and row["error"] == "ratelimited"
    assert lease - datetime.now(timezone.utc) > timedelta(seconds=18)  # not before Slack said


def test_a_redelivery_is_answered_only_when_the_answer_failed(make_app, fake):
    app = make_app()
    event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
             "ts": "1700000009.000001", "text": "what does the ATF do"}
    fake.errors["chat.postMessage"] = "channel_not_found"
    assert app.sender.event(event, event_id="EvONE")[0] == 200
    app.idle()
    fake.clear()
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert app.sender.event(event, event_id="EvONE", headers=retry)[0] == 200  # its answer failed: answered now
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1
    assert app.sender.event(event, event_id="EvONE", headers={**retry, "X-Slack-Retry-Num": "2"})[0] == 200
    app.sender.event({**event, "type": "app_mention"})  # the same message as a mention: one question
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1
    assert [r["state"] for r in rows(app)] == ["done"]


def test_lapsed_claims_are_answered_once_and_old_questions_expire_uncounted_answers(make_app, fake, database):
    app = make_app()
    store = app.recorder.store
    for n in range(5):  # a dead instance's claims
        body = {"type": "event_callback", "team_id": "T0TEAM", "event_id": f"EvDEAD{n}", "event": {
            "type": "message", "channel_type": "im", "channel": f"D{n:04d}", "user": "U0MAYOR",
            "ts": f"1700000100.{n:06d}", "text": "who founded maig"}}
        assert store.inbox_receive(f"T0TEAM:D{n:04d}:x", "event", json.dumps(body), "T0TEAM", "dead", 0.0, 900)
    with store.engine.begin() as conn:  # the last waited 20 minutes: too late to answer
        conn.execute(update(inbox).where(inbox.c.key == "T0TEAM:D0004:x")
                     .values(received_at=datetime.now(timezone.utc) - timedelta(minutes=20)))
    assert app.app.inbox.sweep() == 4
    app.idle()
    assert sorted(p["channel"] for p in fake.recorded("chat.postMessage")) == ["D0000", "D0001", "D0002", "D0003"]
    assert app.app.inbox.sweep() == 0  # nothing twice
    assert store.inbox_counts() == {"done": 4, "expired": 1}
    assert [r["body"] for r in rows(app) if r["state"] == "expired"] == [None]


def test_claims_are_atomic_across_instances(database):
    first = Store(database)
    stores = [first] + [Store(database) for _ in range(3)]
    try:
        for n in range(200):
            first.inbox_receive(f"k{n}", "event", "{}", "T1", "dead", 0.0, 900)
        claimed: list[list[int]] = [[] for _ in stores]
        start = threading.Barrier(len(stores))

        def claim(i: int) -> None:
            start.wait(timeout=10)
            for _ in range(50):  # bounded
                got = stores[i].inbox_claim(f"instance{i}", 60, 900, limit=7)
                if not got:
                    return
                claimed[i].extend(r for r, _, _ in got)

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(stores))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        every = [r for c in claimed for r in c]
        assert len(every) == 200 and len(set(every)) == 200  # each row to exactly one instance
    finally:
        for store in stores:
            store.close()


def test_without_a_store_first_deliveries_are_answered_and_redeliveries_refused(make_app, fake, caplog):
    app = make_app()
    app.recorder.store.close()
    app.recorder.store = None  # unreachable since start, being retried in the background
    event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
             "ts": "1700000010.000001", "text": "what does the ATF do"}
    assert app.sender.event(event, event_id="EvNS")[0] == 200
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1
    with caplog.at_level(logging.WARNING):  # another instance may have answered: Slack brings it back later
        assert app.sender.event(event, event_id="EvNS", headers={"X-Slack-Retry-Num": "1"})[0] == 503
    app.idle()
    assert len(fake.recorded("chat.postMessage")) == 1


def test_a_store_down_at_start_opens_in_the_background(engine, fake, tmp_path, postgres_url):
    import socket

    from bot.settings import Settings
    from bot.store import Recorder

    with socket.socket() as closed:  # a port where nothing listens, then PostgreSQL
        closed.bind(("127.0.0.1", 0))
        down = f"postgresql://postgres@127.0.0.1:{closed.getsockname()[1]}/x"
        settings = Settings.from_env({"DATABASE_URL": down, "DATABASE_TIMEOUT_SECONDS": "1"})
        recorder = Recorder.open(settings)
    assert recorder.store is None
    opened = threading.Event()
    recorder.on_open.append(lambda store: opened.set())
    object.__setattr__(settings, "database_url", postgres_url)  # the database comes back
    recorder.start()
    try:
        assert opened.wait(timeout=10)
        assert recorder.store is not None and recorder.store.version >= 5
    finally:
        recorder.close()


def test_a_deleted_sqlite_file_is_recreated_with_its_schema(engine, fake, tmp_path, caplog):
    app = InProcessApp(engine, fake, env={"DATABASE_URL": f"sqlite:///{tmp_path}/gone.db"})
    try:
        app.sender.message("what is cvi")
        app.idle()
        (tmp_path / "gone.db").unlink()
        with caplog.at_level(logging.WARNING):
            app.app.inbox.sweep()
        assert "was deleted while the app ran; recreated it" in caplog.text
        fake.clear()
        app.sender.message("who founded maig")
        app.idle()
        assert len(fake.recorded("chat.postMessage")) == 1
        assert app.recorder.store.inbox_counts() == {"done": 1}
        assert [q["text"] for q in app.recorder.store.rows()[0]] == ["who founded maig"]
    finally:
        app.close()


def test_five_hung_calls_do_not_delay_a_sixth_question(make_app, fake):
    import time

    app = make_app(SLACK_TIMEOUT_SECONDS="30")
    fake.fail_next[:] = [("hang", 30)] * 5
    for n in range(5):
        app.sender.message("who founded maig", channel=f"D0HUNG{n}")
    # the five hanging (another call in between would take one of the hangs meant for them)
    eventually(lambda: sum(label.endswith("(hang)") for label, _ in fake.calls) >= 5, 5, "five hung calls")
    started = time.monotonic()
    app.sender.message("what is cvi", channel="D0SIXTH")
    eventually(lambda: any(p["channel"] == "D0SIXTH" for p in fake.recorded("chat.postMessage")), 5, "the sixth")
    assert time.monotonic() - started < 1.0
    fake.released.set()  # end the hangs; the five answer after their retry
    try:
        app.idle(timeout=20)
    finally:
        fake.released.clear()


# --- every button failure answers the user ---------------------------------------------

def buttons(message) -> dict:
    return {e["text"]["text"]: e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]}


def answered(app, fake, text: str, **where) -> dict:
    app.sender.message(text, **where)
    app.idle()
    message = fake.recorded("chat.postMessage")[-1]
    fake.clear()
    return buttons(message)


def click(app, fake, button, ephemeral=False) -> dict:
    (status, _), url = app.sender.click(button["action_id"], button["value"], ephemeral=ephemeral)
    assert status == 200
    app.idle()
    return fake.wait_for(url.split(str(fake.port))[1])[0]


def test_share_into_a_channel_the_app_is_not_in_tells_the_user(make_app, fake, caplog):
    app = make_app()
    (status, _), url = app.sender.command("/gunviolence", "who founded maig")
    app.idle()
    share = buttons(fake.wait_for(url.split(str(fake.port))[1])[0])["Share in channel"]
    fake.clear()
    fake.errors["chat.postMessage"] = "not_in_channel"
    with caplog.at_level(logging.WARNING):
        reply = click(app, fake, share, ephemeral=True)
    assert reply["response_type"] == "ephemeral" and "invite me to it first" in reply["text"]
    assert "the Share in channel answer cannot be sent: Slack said not_in_channel" in caplog.text
    assert "Traceback" not in caplog.text
    assert app.recorder.store.inbox_counts()["failed"] == 1


def test_thumbs_down_when_the_form_cannot_open_still_answers(make_app, fake, caplog):
    app = make_app()
    down = answered(app, fake, "who founded maig")["👎"]
    fake.errors["views.open"] = "expired_trigger_id"
    with caplog.at_level(logging.WARNING):
        reply = click(app, fake, down)
    assert reply["response_type"] == "ephemeral" and "could not open" in reply["text"]
    assert "the 👎 form did not open (expired_trigger_id)" in caplog.text
    assert [e["kind"] for e in app.recorder.store.rows()[1]] == ["down"]


def test_ask_a_person_when_the_app_is_not_in_the_staff_channel_tells_the_user(make_app, fake, caplog):
    app = make_app(HANDOFF_CHANNEL="C0STAFF")
    down = answered(app, fake, "who founded maig")["👎"]
    handoff = buttons(click(app, fake, down))["Ask a person"]
    fake.clear()
    fake.errors["chat.postMessage"] = "not_in_channel"
    with caplog.at_level(logging.WARNING):
        reply = click(app, fake, handoff)
    assert reply["response_type"] == "ephemeral" and "the app is not in their channel" in reply["text"]
    assert "the Ask a person answer cannot be sent: Slack said not_in_channel" in caplog.text


def test_a_response_url_that_refuses_is_logged(make_app, fake, caplog):
    app = make_app()
    up = answered(app, fake, "who founded maig")["👍"]
    fake.fail_next[:] = [404]  # the response_url expired
    with caplog.at_level(logging.WARNING):
        (status, _), url = app.sender.click(up["action_id"], up["value"])
        app.idle()
    assert status == 200
    assert "the feedback answer cannot be sent: Slack said" in caplog.text and "Traceback" not in caplog.text


def test_a_stalled_database_does_not_delay_answers_beyond_a_second(make_app, fake, database):
    import time

    from sqlalchemy import create_engine, text

    from bot.store import database_url

    app = make_app()
    app.sender.message("what is cvi", channel="D0WARM")
    app.idle()
    locker = create_engine(database_url(database))
    with locker.connect() as conn:  # another client holds every table we write, and does not let go
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("BEGIN"))
            conn.execute(text("LOCK TABLE inbox, questions, workspaces IN ACCESS EXCLUSIVE MODE"))
        took = []
        for n in range(4):
            started = time.monotonic()
            assert app.sender.message("who founded maig", channel=f"D0STALL{n}")[0] == 200
            eventually(lambda n=n: any(p["channel"] == f"D0STALL{n}" for p in fake.recorded("chat.postMessage")),
                       5, "the answer")
            took.append(time.monotonic() - started)
        conn.rollback()
    locker.dispose()
    assert max(took) < 1.0, took
    app.idle()
