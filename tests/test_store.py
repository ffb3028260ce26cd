"""The store, the same tests on SQLite (the embedded default) and a real PostgreSQL."""

import hashlib
import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.answer import Answer
from bot.settings import Settings, derive_key
from bot.store import MIGRATIONS, Recorder, Store, database_url

KEY = derive_key("a-signing-secret-from-the-environment")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/assistant.db"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def open_store(url):
    """Store(url, …) that is closed after the test, as the app closes its own."""
    opened = []

    def make(*args, **kwargs):
        kwargs.setdefault("hash_key", KEY)
        store = Store(url, *args, **kwargs)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def answer(outcome="answer", intent="maig", score=88.0):
    return Answer("q", outcome, intent, score, "t", "x")


def test_created_on_first_start_and_round_trips(open_store):
    store = open_store()
    assert store.version == MIGRATIONS[-1][0]
    qid = store.add_question("dm", "who founded maig", "answer", "maig", 91.5, team_id="T1", channel_id="C1", user_id="U123")
    store.add_event("down", intent="maig", question_id=qid, user_id="U123")
    questions, events = store.rows()
    assert questions[0]["text"] == "who founded maig" and questions[0]["surface"] == "dm"
    assert questions[0]["score"] == 91.5 and questions[0]["channel_id"] == "C1"
    assert events[0]["kind"] == "down" and events[0]["question_id"] == qid
    # A person appears only as a keyed hash, the same one each time, never as the id.
    assert questions[0]["user_hash"] == events[0]["user_hash"] != "U123"
    assert "U123" not in questions[0]["user_hash"]
    assert open_store().user_hash("U123") == questions[0]["user_hash"]  # the same key, the same hash


def test_the_hash_key_is_not_in_the_database_so_a_member_list_cannot_reverse_it(open_store):
    store = open_store()
    store.add_question("dm", "q", "answer", "maig", 90, user_id="U123")
    with store.engine.connect() as conn:
        stored = [v for (v,) in conn.execute(text("SELECT value FROM meta"))]
    stored_hash = store.rows()[0][0]["user_hash"]
    # Whatever the database holds, hashing a member's id with it (the old salted scheme)
    # does not give the stored hash back.
    for value in stored + [""]:
        assert hashlib.sha256(f"{value}:U123".encode()).hexdigest()[:32] != stored_hash
    assert KEY.hex() not in " ".join(stored)
    # Another key (another deployment, or the data alone) gives other hashes.
    assert open_store(hash_key=derive_key("another-secret")).user_hash("U123") != stored_hash


def test_direct_message_channels_are_hashed_like_users(open_store):
    store = open_store()
    store.add_question("dm", "q", "answer", "maig", 90, channel_id="D0PERSON1", user_id="U1")
    store.add_question("mention", "q", "answer", "maig", 90, channel_id="C0CITY", user_id="U1")
    dm, channel = store.rows()[0]
    assert "D0PERSON1" not in str(dm) and dm["channel_id"] == store.channel_ref("D0PERSON1")
    assert channel["channel_id"] == "C0CITY"  # a public channel is not personal
    assert open_store(hash_key=None).channel_ref("D0PERSON1") is None  # no key: not stored at all


def test_version_2_rows_are_migrated_off_the_salt_in_the_database(url, open_store):
    from sqlalchemy import insert

    from bot.store import meta, questions

    old = open_store(migrations=MIGRATIONS[:2])
    salt = "salt-that-sat-beside-the-hashes"
    salted = {u: hashlib.sha256(f"{salt}:{u}".encode()).hexdigest()[:32] for u in ("U1", "U2")}
    with old.engine.begin() as conn:
        conn.execute(insert(meta).values(key="user_salt", value=salt))
        for user, channel in (("U1", "D0ONE"), ("U1", "D0ONE"), ("U2", "C0CITY")):
            conn.execute(insert(questions).values(at=datetime.now(timezone.utc), surface="dm", channel_id=channel,
                                                  user_hash=salted[user], text="asked", outcome="answer", score=80))
    old.close()
    new = open_store()
    assert new.version == MIGRATIONS[-1][0]
    rows = new.rows()[0]
    with new.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'user_salt'")).first() is None
    hashes = [r["user_hash"] for r in rows]
    assert not set(hashes) & set(salted.values())  # no longer reversible with the old salt
    assert hashes[0] == hashes[1] != hashes[2]  # still one per person
    assert "D0ONE" not in str(rows) and rows[0]["channel_id"] == rows[1]["channel_id"]
    assert rows[2]["channel_id"] == "C0CITY" and [r["text"] for r in rows] == ["asked"] * 3


def test_store_questions_false_keeps_counts_not_text(open_store):
    recorder = Recorder(open_store(), store_questions=False)
    recorder.question("dm", "a private question", answer())
    recorder.event("none", text="a private question")
    questions, events = recorder.store.rows()
    assert questions[0]["text"] is None and questions[0]["intent"] == "maig"
    assert events[0]["text"] is None


def test_recorded_text_is_cleaned_of_slack_markup(open_store):
    recorder = Recorder(open_store())
    recorder.question("mention", "<@U0BOT> What is CVI?", answer())
    assert recorder.store.rows()[0][0]["text"] == "what is cvi"


def test_retention_prunes_old_rows_only(open_store):
    store = open_store()
    old = datetime.now(timezone.utc) - timedelta(days=100)
    store.add_question("dm", "old", "answer", "maig", 80, at=old)
    store.add_event("up", intent="maig", at=old)
    store.add_question("dm", "new", "answer", "maig", 80)
    assert store.prune(90) == 2
    assert [q["text"] for q in store.rows()[0]] == ["new"]


def test_since_limits_the_rows(open_store):
    store = open_store()
    store.add_question("dm", "last month", "fallback", None, 10, at=datetime.now(timezone.utc) - timedelta(days=30))
    store.add_question("dm", "today", "fallback", None, 10)
    recent, _ = store.rows(datetime.now(timezone.utc) - timedelta(days=7))
    assert [q["text"] for q in recent] == ["today"]


def test_safe_for_several_threads(open_store):
    store = open_store()
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


def test_a_message_is_claimed_once_across_stores(open_store):
    first, second = open_store(), open_store()  # two app instances on one database
    assert first.claim("T1:D1:1700000000.000001") is True
    assert second.claim("T1:D1:1700000000.000001") is False
    assert second.claim("T1:D1:1700000000.000002") is True


def test_version_1_data_is_kept_by_the_upgrades(open_store):
    old = open_store(migrations=MIGRATIONS[:1])
    assert old.version == 1
    old.add_question("dm", "asked before the upgrade", "answer", "maig", 70)
    old.close()
    new = open_store()
    assert new.version == MIGRATIONS[-1][0] == 6
    assert [q["text"] for q in new.rows()[0]] == ["asked before the upgrade"]
    assert new.claim("k") is True
    new.set_context("T1:D1:", '{"resources":["maig"]}', minutes=5)  # version 3's table
    assert new.get_context("T1:D1:") == '{"resources":["maig"]}'


def test_a_conversation_context_is_kept_until_it_expires_and_holds_no_address(open_store):
    store = open_store()
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


def test_a_later_schema_migrates_existing_data(open_store):
    store = open_store()
    store.add_question("dm", "kept across the migration", "answer", "maig", 70)
    store.close()

    def later_step(conn):  # what a later change would ship: a new column, data kept
        conn.execute(text("ALTER TABLE questions ADD COLUMN locale VARCHAR(8)"))
        conn.execute(text("UPDATE questions SET locale = 'en'"))

    later = len(MIGRATIONS) + 1
    upgraded = open_store(migrations=[*MIGRATIONS, (later, later_step)])
    assert upgraded.version == later
    with upgraded.engine.connect() as conn:
        rows = conn.execute(text("SELECT text, locale FROM questions")).all()
    assert rows == [("kept across the migration", "en")]
    assert open_store(migrations=[*MIGRATIONS, (later, later_step)]).version == later  # each step runs once


def test_a_failed_write_is_logged_and_costs_nothing(open_store, caplog):
    recorder = Recorder(open_store())
    with recorder.store.engine.begin() as conn:
        conn.execute(text("DROP TABLE questions"))
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        assert recorder.question("dm", "a private question", answer()) is None
    assert "could not record a question" in caplog.text
    assert "private question" not in caplog.text  # the log carries no question text


def test_unreachable_database_means_no_recording_not_no_start(caplog):
    settings = Settings.from_env({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        recorder = Recorder.open(settings)
    assert recorder.store is None
    assert recorder.question("dm", "x", answer()) is None
    assert "answering without recording" in caplog.text


def test_the_recorder_takes_its_settings_not_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/from-the-environment.db")
    monkeypatch.setenv("STORE_QUESTIONS", "true")
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/from-settings.db", "STORE_QUESTIONS": "false"})
    recorder = Recorder.open(settings)
    try:
        recorder.question("dm", "private", answer())
        assert recorder.store.rows()[0][0]["text"] is None
    finally:
        recorder.close()
    assert (tmp_path / "from-settings.db").exists() and not (tmp_path / "from-the-environment.db").exists()


def test_postgres_urls_use_the_installed_driver():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_version_5_gives_old_feedback_the_workspace_of_its_question(open_store):
    old = open_store(migrations=MIGRATIONS[:4])
    qid = old.add_question("dm", "asked in one city", "answer", "maig", 70, team_id="T1")
    with old.engine.begin() as conn:  # a 👎 as version 2 recorded it: no workspace of its own
        conn.execute(text("INSERT INTO events (at, kind, question_id, intent) VALUES (:at, 'down', :q, 'maig')"),
                     {"at": datetime.now(timezone.utc), "q": qid})
    old.close()
    new = open_store(migrations=MIGRATIONS[:5])
    assert new.version == 5
    assert [e["team_id"] for e in new.rows(team_id="T1")[1]] == ["T1"]


def test_purge_team_deletes_one_workspace_everywhere_and_no_other(open_store):
    recorder = Recorder(open_store())
    store = recorder.store
    for team in ("T1", "T2"):
        qid = recorder.question("dm", f"asked in {team}", answer(), team_id=team, channel_id="D1", user_id="U1")
        recorder.event("down", intent="maig", question_id=qid, user_id="U1", team_id=team)
        recorder.event("comment", intent="maig", question_id=qid, user_id="U1", text="wrong", team_id=team)
        assert recorder.first_reply(f"{team}:D1:1.1", team_id=team)
        store.set_handoff_channel(team, "C0STAFF")
        assert store.inbox_receive(f"{team}:D1:1.2", "event", '{"text": "a pending question"}', team, "instance-a",
                                   lease=30, max_age=600)
    deleted = store.purge_team("T1")
    assert deleted["questions"] == 1 and deleted["events"] == 2 and deleted["handled"] == 1 and deleted["workspaces"] == 1
    assert deleted["inbox"] == 1  # its questions still waiting for an answer go too
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT team_id FROM inbox")).scalars().all() == ["T2"]
    questions, events = store.rows()
    assert [q["team_id"] for q in questions] == ["T2"] and {e["team_id"] for e in events} == {"T2"}
    assert store.handoff_channel("T1") is None and store.handoff_channel("T2") == "C0STAFF"
    assert store.claim("T1:D1:1.1", "T1") is True  # forgotten: nothing of T1 is left
    assert store.claim("T2:D1:1.1", "T2") is False


def test_purge_covers_a_table_added_later_with_a_team_column(open_store):
    """A later change (conversation context, an inbox) adds a table with team_id to the
    schema: the uninstall purge deletes from it without being told."""
    from sqlalchemy import Column, String, Table

    import bot.store

    store = open_store()
    context = Table("conversation_context_test", bot.store.metadata, Column("team_id", String(32)),
                    Column("note", String(64)))
    try:
        context.create(store.engine)
        with store.engine.begin() as conn:
            conn.execute(context.insert(), [{"team_id": "T1", "note": "a"}, {"team_id": "T2", "note": "b"}])
        assert store.purge_team("T1")["conversation_context_test"] == 1
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT team_id FROM conversation_context_test")).scalars().all() == ["T2"]
    finally:
        context.drop(store.engine)
        bot.store.metadata.remove(context)


def test_an_org_wide_uninstall_purges_every_workspace_of_the_org(open_store):
    store = open_store()
    for team, org in (("T1", "E1"), ("T2", "E1"), ("T3", None)):
        store.note_workspace(team, org)
        store.add_question("dm", f"in {team}", "answer", "maig", 80, team_id=team)
    store.note_workspace("T1", "E1")  # seen again: still one row
    store.purge_enterprise("E1")
    assert [q["team_id"] for q in store.rows()[0]] == ["T3"]
    assert [w["team_id"] for w in store.workspace_rows()] == ["T3"]


def test_an_uninstall_purge_deletes_the_workspaces_conversation_context(open_store):
    recorder = Recorder(open_store())
    answer_about_brady = __import__("bot.engine", fromlist=["Engine"]).Engine.from_dir().ask("who is brady named for")
    for team in ("T1", "T2"):
        recorder.remember(f"{team}:D42:1700000000.000100", answer_about_brady)
    assert recorder.context("T1:D42:1700000000.000100") is not None
    assert recorder.store.purge_team("T1")["context"] == 1
    assert recorder.context("T1:D42:1700000000.000100") is None
    assert recorder.context("T2:D42:1700000000.000100") is not None
