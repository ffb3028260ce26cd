"""The store, the same tests on SQLite (the embedded default) and a real PostgreSQL."""

import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.answer import Answer
from bot.store import MIGRATIONS, Recorder, Store, database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/assistant.db"
    return request.getfixturevalue("fresh_postgres_url")


def answer(outcome="answer", intent="maig", score=88.0):
    return Answer("q", outcome, intent, score, "t", "x")


def test_created_on_first_start_and_round_trips(url):
    store = Store(url)
    assert store.version == MIGRATIONS[-1][0]
    qid = store.add_question("dm", "who founded maig", "answer", "maig", 91.5, team_id="T1", channel_id="D1", user_id="U123")
    store.add_event("down", intent="maig", question_id=qid, user_id="U123")
    questions, events = store.rows()
    assert questions[0]["text"] == "who founded maig" and questions[0]["surface"] == "dm"
    assert questions[0]["score"] == 91.5 and questions[0]["channel_id"] == "D1"
    assert events[0]["kind"] == "down" and events[0]["question_id"] == qid
    # A person appears only as a salted hash, the same one each time, never as the id.
    assert questions[0]["user_hash"] == events[0]["user_hash"] != "U123"
    assert "U123" not in questions[0]["user_hash"]
    assert Store(url).user_hash("U123") == questions[0]["user_hash"]  # the salt is kept


def test_store_questions_false_keeps_counts_not_text(url):
    recorder = Recorder(Store(url), store_questions=False)
    recorder.question("dm", "a private question", answer())
    recorder.event("none", text="a private question")
    questions, events = recorder.store.rows()
    assert questions[0]["text"] is None and questions[0]["intent"] == "maig"
    assert events[0]["text"] is None


def test_recorded_text_is_cleaned_of_slack_markup(url):
    recorder = Recorder(Store(url))
    recorder.question("mention", "<@U0BOT> What is CVI?", answer())
    assert recorder.store.rows()[0][0]["text"] == "what is cvi"


def test_retention_prunes_old_rows_only(url):
    store = Store(url)
    old = datetime.now(timezone.utc) - timedelta(days=100)
    store.add_question("dm", "old", "answer", "maig", 80, at=old)
    store.add_event("up", intent="maig", at=old)
    store.add_question("dm", "new", "answer", "maig", 80)
    assert store.prune(90) == 2
    assert [q["text"] for q in store.rows()[0]] == ["new"]


def test_since_limits_the_rows(url):
    store = Store(url)
    store.add_question("dm", "last month", "fallback", None, 10, at=datetime.now(timezone.utc) - timedelta(days=30))
    store.add_question("dm", "today", "fallback", None, 10)
    recent, _ = store.rows(datetime.now(timezone.utc) - timedelta(days=7))
    assert [q["text"] for q in recent] == ["today"]


def test_safe_for_several_threads(url):
    store = Store(url)
    errors = []

    def write(n):
        try:
            for i in range(20):
                store.add_question("dm", f"q{n}-{i}", "answer", "maig", 50)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(store.rows()[0]) == 160


def test_a_message_is_claimed_once_across_stores(url):
    first, second = Store(url), Store(url)  # two app instances on one database
    assert first.claim("T1:D1:1700000000.000001") is True
    assert second.claim("T1:D1:1700000000.000001") is False
    assert second.claim("T1:D1:1700000000.000002") is True


def test_version_1_data_is_kept_by_the_upgrades(url):
    old = Store(url, migrations=MIGRATIONS[:1])
    assert old.version == 1
    old.add_question("dm", "asked before the upgrade", "answer", "maig", 70)
    old.engine.dispose()
    new = Store(url)
    assert new.version == MIGRATIONS[-1][0] == 3
    assert [q["text"] for q in new.rows()[0]] == ["asked before the upgrade"]
    assert new.claim("k") is True
    new.set_context("T1:D1:", '{"resources":["maig"]}', minutes=5)  # version 3's table
    assert new.get_context("T1:D1:") == '{"resources":["maig"]}'


def test_a_conversation_context_is_kept_until_it_expires_and_holds_no_address(url):
    store = Store(url)
    store.set_context("T1:D42:1700000000.000100", '{"resources":["giffords"],"intent":"giffords","asks":null}', minutes=30)
    store.set_context("T1:D42:1700000000.000100", '{"resources":["brady"],"intent":"brady","asks":null}', minutes=30)
    assert store.get_context("T1:D42:1700000000.000100") == '{"resources":["brady"],"intent":"brady","asks":null}'
    assert store.get_context("T1:D43:") is None  # another conversation knows nothing of it
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT key, value FROM context")).all()
    assert len(rows) == 1 and "D42" not in rows[0][0] and "T1" not in rows[0][0]  # the address is hashed
    store.set_context("T1:D44:", '{"resources":["atf"]}', minutes=-1)  # already expired
    assert store.get_context("T1:D44:") is None
    store.prune(90)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM context")).scalar() == 1  # the expired row is gone


def test_a_later_schema_migrates_existing_data(url):
    store = Store(url)
    store.add_question("dm", "kept across the migration", "answer", "maig", 70)
    store.engine.dispose()

    def later_step(conn):  # what a later change would ship: a new column, data kept
        conn.execute(text("ALTER TABLE questions ADD COLUMN locale VARCHAR(8)"))
        conn.execute(text("UPDATE questions SET locale = 'en'"))

    later = len(MIGRATIONS) + 1
    upgraded = Store(url, migrations=[*MIGRATIONS, (later, later_step)])
    assert upgraded.version == later
    with upgraded.engine.connect() as conn:
        rows = conn.execute(text("SELECT text, locale FROM questions")).all()
    assert rows == [("kept across the migration", "en")]
    assert Store(url, migrations=[*MIGRATIONS, (later, later_step)]).version == later  # each step runs once


def test_a_failed_write_is_logged_and_costs_nothing(url, caplog):
    recorder = Recorder(Store(url))
    with recorder.store.engine.begin() as conn:
        conn.execute(text("DROP TABLE questions"))
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        assert recorder.question("dm", "a private question", answer()) is None
    assert "could not record a question" in caplog.text
    assert "private question" not in caplog.text  # the log carries no question text


def test_unreachable_database_means_no_recording_not_no_start(caplog):
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        recorder = Recorder.from_env({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert recorder.store is None
    assert recorder.question("dm", "x", answer()) is None
    assert "answering without recording" in caplog.text


def test_postgres_urls_use_the_installed_driver():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
