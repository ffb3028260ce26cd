"""Follow-ups in Slack: the real Bolt app, in process, gets signed requests through
app.dispatch, answers through the fake Web API on 127.0.0.1, and keeps what each
conversation is about in the store — so a second instance on the same database understands
a follow-up the first one answered the question of."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.settings import derive_key
from bot.store import Recorder, Store
from fake_slack import FakeSlack
from test_safety_surfaces import InProcessSlack


KEY = derive_key("the-signing-secret-every-instance-shares")  # as each instance derives it from its settings


@pytest.fixture
def fake():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def store(database):
    store = Store(database, KEY)
    yield store
    store.engine.dispose()


def instance(engine, fake, store, minutes: float = 30.0) -> InProcessSlack:
    return InProcessSlack(engine, fake, Recorder(store, context_minutes=minutes))


def replies(fake: FakeSlack, count: int) -> list[dict]:
    return fake.wait_for("chat.postMessage", count)


def dm(slack: InProcessSlack, text: str, ts: str, thread_ts: str | None = None, channel: str = "D0DM") -> None:
    """A DM, then the wait for its reply: people read the answer before they follow up."""
    before = len(slack.fake.recorded("chat.postMessage"))
    event = {"type": "message", "channel_type": "im", "channel": channel, "user": "U0MAYOR", "text": text, "ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    assert slack.event(event) == 200
    slack.fake.wait_for("chat.postMessage", before + 1)


def mention(slack: InProcessSlack, text: str, ts: str, thread_ts: str | None = None) -> None:
    before = len(slack.fake.recorded("chat.postMessage"))
    event = {"type": "app_mention", "channel": "C0CITY", "user": "U0MAYOR", "ts": ts, "text": f"<@U0BOT> {text}"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    assert slack.event(event) == 200
    slack.fake.wait_for("chat.postMessage", before + 1)


def test_a_follow_up_in_a_direct_message_is_about_the_previous_answer(engine, fake, store):
    slack = instance(engine, fake, store)
    dm(slack, "tell me about Giffords", "1700003000.000001")
    dm(slack, "who leads it?", "1700003000.000002")
    first, second = replies(fake, 2)
    assert first["text"].startswith("Giffords Law Center")
    assert "Gabrielle Giffords" in second["text"]
    assert "About Giffords Law Center to Prevent Gun Violence" in second["text"]  # says what it took it to be about


def test_the_context_keeps_no_question_text_and_no_channel(engine, fake, store):
    slack = instance(engine, fake, store)
    dm(slack, "what does Cities United focus on", "1700003100.000001")
    with store.engine.connect() as conn:
        [(key, value)] = conn.execute(text("SELECT key, value FROM context")).all()
    assert "D0DM" not in key and "focus" not in value and "cities_united" in value


def test_a_follow_up_in_a_thread_under_a_mention(engine, fake, store):
    slack = instance(engine, fake, store)
    mention(slack, "what does part 1 of the CVI webinars cover?", "1700004000.000001")
    mention(slack, "and the one after it?", "1700004000.000002", thread_ts="1700004000.000001")
    first, second = replies(fake, 2)
    assert second["thread_ts"] == "1700004000.000001"
    assert first["text"].startswith("Part 1") and second["text"].startswith("Part 2")


def test_a_mention_elsewhere_in_the_channel_is_another_conversation(engine, fake, store):
    slack = instance(engine, fake, store)
    mention(slack, "tell me about MAIG", "1700004500.000001")
    mention(slack, "when was it founded?", "1700004500.000002")  # a new thread, not the first one's
    first, second = replies(fake, 2)
    assert "Mayors Against Illegal Guns" in first["text"]
    assert "About Mayors Against Illegal Guns" not in second["text"]


def test_a_follow_up_lands_on_another_instance_and_is_understood(engine, fake, store, database):
    one = instance(engine, fake, store)
    other_store = Store(database, KEY)
    try:
        two = instance(engine, fake, other_store)  # a second app instance on the same database
        dm(one, "what's PERF?", "1700005000.000001")
        dm(two, "any reports from them?", "1700005000.000002")
        second = replies(fake, 2)[1]
        assert "What Works, and What Can Be Done Now" in second["text"]
    finally:
        other_store.engine.dispose()


def test_a_message_that_names_its_own_subject_ignores_the_context(engine, fake, store):
    slack = instance(engine, fake, store)
    dm(slack, "tell me about Brady", "1700006000.000001")
    dm(slack, "who leads Giffords?", "1700006000.000002")
    second = replies(fake, 2)[1]
    assert "Gabrielle Giffords" in second["text"] and "About" not in second["text"].split(".")[0]


def test_an_expired_context_is_ignored(engine, fake, store):
    slack = instance(engine, fake, store, minutes=0)  # expires the moment it is written
    dm(slack, "what does part 1 of the CVI webinars cover?", "1700007000.000001")
    dm(slack, "and the one after it?", "1700007000.000002")
    second = replies(fake, 2)[1]
    assert not second["text"].startswith("Part 2")  # nothing to be "after" any more


def test_with_the_store_down_a_follow_up_is_answered_on_its_own(engine, fake, store):
    slack = instance(engine, fake, store)
    store.engine.dispose()
    store.engine = store.engine.execution_options()  # keep the object; break the tables instead
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE context"))
    dm(slack, "tell me about Giffords", "1700008000.000001")
    dm(slack, "who leads it?", "1700008000.000002")
    first, second = replies(fake, 2)
    assert first["text"].startswith("Giffords Law Center")  # answered all the same
    assert "About Giffords" not in second["text"]


def test_a_fact_follow_up_button_asks_its_question(engine, fake, store):
    slack = instance(engine, fake, store)
    dm(slack, "tell me about Mayors Against Illegal Guns", "1700009000.000001")
    reply = replies(fake, 1)[0]
    labels = {e["text"]["text"]: e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert "Who founded it?" in labels
    status, path = slack.click(labels["Who founded it?"])
    assert status == 200
    answer = fake.wait_for(path)[0]
    assert "Michael Bloomberg" in answer["text"] and "Thomas Menino" in answer["text"]
