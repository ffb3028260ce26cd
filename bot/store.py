"""What people ask and how they rate the answers, for the curators (python -m bot report).

SQLAlchemy Core over SQLite (the embedded default, data/assistant.db in the project folder)
or PostgreSQL (DATABASE_URL=postgresql://…, for several app instances behind one load
balancer). The schema is versioned: each migration runs once, in order, in a transaction,
so a later change migrates the data that is there instead of dropping it.

Privacy: users and direct-message channels appear only as keyed hashes (HMAC-SHA256),
whose key lives outside the database (bot/settings.py), so the data alone cannot be
reversed by hashing a workspace's member list; STORE_QUESTIONS=false keeps no question
text; rows older than RETENTION_DAYS are pruned. Nothing here reads the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import (
    Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine, delete, event, insert, inspect, select,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.settings import DEFAULT_DATABASE_URL
from bot.text import clean

log = logging.getLogger("bot.store")

DEFAULT_URL = DEFAULT_DATABASE_URL  # data/assistant.db in the project folder, wherever we start from
SURFACES = ("dm", "mention", "command", "button", "terminal")
EVENT_KINDS = ("up", "down", "comment", "choose", "none", "handoff")

# The current shape, for queries. Change it only together with a new migration below.
metadata = MetaData()
meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
questions = Table(
    "questions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("surface", String(16), nullable=False),
    Column("team_id", String(32)),
    Column("channel_id", String(32)),
    Column("user_hash", String(64)),
    Column("text", Text),  # NULL when STORE_QUESTIONS=false
    Column("outcome", String(16), nullable=False),
    Column("intent", String(64)),
    Column("score", Float, nullable=False),
)
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # one of EVENT_KINDS
    Column("question_id", Integer),  # no foreign key: a question may be pruned first
    Column("intent", String(64)),
    Column("user_hash", String(64)),
    Column("text", Text),  # a 👎 comment, or the question a pick answered
)
# Messages answered, across every app instance on this database: a redelivery that
# reaches another instance gets no second reply. Kept HANDLED_HOURS.
handled = Table(
    "handled", metadata,
    Column("key", String(160), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)
HANDLED_HOURS = 24


# What each conversation is about (bot/context.py): resource and intent ids, never text.
# The key is a hash of the conversation's Slack address, so it names no channel or user.
context = Table(
    "context", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(400), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False, index=True),
)


def _v1(conn: Connection) -> None:
    """The first schema, frozen as it was (not built from the tables above): when those
    change, a new migration moves existing data, and this one still means version 1."""
    v1 = MetaData()
    Table("questions", v1, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", DateTime(timezone=True), nullable=False, index=True),
          Column("surface", String(16), nullable=False), Column("team_id", String(32)),
          Column("channel_id", String(32)), Column("user_hash", String(64)), Column("text", Text),
          Column("outcome", String(16), nullable=False), Column("intent", String(64)),
          Column("score", Float, nullable=False))
    Table("events", v1, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", DateTime(timezone=True), nullable=False, index=True),
          Column("kind", String(16), nullable=False), Column("question_id", Integer),
          Column("intent", String(64)), Column("user_hash", String(64)), Column("text", Text))
    v1.create_all(conn)


def _v2(conn: Connection) -> None:
    """Version 2: which messages were answered, shared by all instances."""
    v2 = MetaData()
    Table("handled", v2, Column("key", String(160), primary_key=True),
          Column("at", DateTime(timezone=True), nullable=False, index=True))
    v2.create_all(conn)


def _v3(conn: Connection) -> None:
    """Version 3: what each conversation is about, for follow-ups: ids and an expiry only."""
    v3 = MetaData()
    Table("context", v3, Column("key", String(64), primary_key=True),
          Column("value", String(400), nullable=False),
          Column("expires", DateTime(timezone=True), nullable=False, index=True))
    v3.create_all(conn)


def _v4(conn: Connection) -> None:
    """Version 4: the salt of the user hash leaves the database. Hashes made with it are
    re-keyed with a one-off random key that is never stored (they stay one per person
    among themselves, and can no longer be reversed from a member list); direct-message
    channel ids, one per person, are hashed the same way; conversation contexts keyed
    with the salt (30 minutes' worth) are dropped. New rows use the key from the
    settings (USER_HASH_KEY, or derived from a Slack secret)."""
    one_off = secrets.token_bytes(32)
    q4 = sql_table("questions", sql_column("id"), sql_column("user_hash"), sql_column("channel_id"))
    e4 = sql_table("events", sql_column("id"), sql_column("user_hash"))
    m4 = sql_table("meta", sql_column("key"))
    for table in (q4, e4):
        rows = conn.execute(select(table.c.id, table.c.user_hash).where(table.c.user_hash.is_not(None))).all()
        for row_id, old in rows:
            conn.execute(table.update().where(table.c.id == row_id).values(user_hash=_hmac(one_off, "legacy", old)))
    rows = conn.execute(select(q4.c.id, q4.c.channel_id).where(q4.c.channel_id.like("D%"))).all()
    for row_id, channel in rows:
        conn.execute(q4.update().where(q4.c.id == row_id).values(channel_id=_hmac(one_off, "channel", channel)))
    conn.execute(delete(m4).where(m4.c.key == "user_salt"))
    conn.execute(delete(sql_table("context")))


def _hmac(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1), (2, _v2), (3, _v3), (4, _v4)]


def database_url(url: str | None = None) -> str:
    url = url or DEFAULT_URL
    if url.startswith("postgres://"):  # the form some hosts hand out
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def exists(url: str | None) -> bool:
    """Whether a store was ever created at `url`, without creating one."""
    url = database_url(url)
    if url.startswith("sqlite:"):
        path = url[len("sqlite:///"):]
        return bool(path) and not path.startswith(":memory:") and Path(path).is_file()
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        return inspect(engine).has_table("meta")
    finally:
        engine.dispose()


def migrate(engine: Engine, migrations=MIGRATIONS) -> int:
    """Bring the schema up to the last migration; return the version now in place."""
    meta.create(engine, checkfirst=True)
    with engine.begin() as conn:
        row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        version = int(row[0]) if row else 0
    for number, step in migrations:
        if number <= version:
            continue
        with engine.begin() as conn:  # each step and its version bump commit together
            step(conn)
            if version == 0:
                conn.execute(insert(meta).values(key="schema_version", value=str(number)))
            else:
                conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(number)))
        log.info("database schema migrated to version %d", number)
        version = number
    return version


class Store:
    """`hash_key`: the key of the user and DM-channel hashes, kept outside the database
    (Settings.user_hash_key). Without one, no user or DM channel is stored at all."""

    def __init__(self, url: str | None = None, hash_key: bytes | None = None, migrations=MIGRATIONS):
        self.url = database_url(url)
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        sqlite = self.url.startswith("sqlite")
        self.engine = create_engine(
            self.url, pool_pre_ping=not sqlite,
            connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {"connect_timeout": 5},
        )
        if sqlite:
            @event.listens_for(self.engine, "connect")
            def _wal(dbapi, _):  # readers do not wait for the writer
                dbapi.execute("PRAGMA journal_mode=WAL")
                # In WAL mode NORMAL never corrupts the file; a commit just skips its fsync
                # (the log is synced at checkpoints), which costs 4-6 ms a write here.
                dbapi.execute("PRAGMA synchronous=NORMAL")
        self._key = hash_key
        self._process_key = secrets.token_bytes(32)
        self._context_writes = 0
        try:
            self.version = migrate(self.engine, migrations)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Close every pooled connection; the Store is not used after this."""
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def user_hash(self, user_id: str | None) -> str | None:
        if not user_id or self._key is None:
            return None
        return _hmac(self._key, "user", user_id)

    def channel_ref(self, channel_id: str | None) -> str | None:
        """A channel as stored: a DM channel (one per person, D…) as a keyed hash."""
        if not channel_id or not channel_id.startswith("D"):
            return channel_id
        return _hmac(self._key, "channel", channel_id) if self._key is not None else None

    def _add(self, table: Table, user_id: str | None, at: datetime | None, **values) -> int:
        """One row, stamped now (or `at`), its user as the keyed hash; its new id."""
        with self.engine.begin() as conn:
            result = conn.execute(insert(table).values(
                at=at or datetime.now(timezone.utc), user_hash=self.user_hash(user_id), **values))
            key = result.inserted_primary_key
            assert key is not None  # an insert into a table with an id column
            return int(key[0])

    def add_question(self, surface: str, text: str | None, outcome: str, intent: str | None, score: float,
                     team_id: str | None = None, channel_id: str | None = None, user_id: str | None = None,
                     at: datetime | None = None) -> int:
        return self._add(questions, user_id, at, surface=surface, team_id=team_id, channel_id=self.channel_ref(channel_id),
                         text=text, outcome=outcome, intent=intent, score=score)

    def add_event(self, kind: str, intent: str | None = None, question_id: int | None = None,
                  user_id: str | None = None, text: str | None = None, at: datetime | None = None) -> int:
        return self._add(events, user_id, at, kind=kind, intent=intent, question_id=question_id, text=text)

    def rows(self, since: datetime | None = None) -> tuple[list[dict], list[dict]]:
        """(questions, events) since a time, oldest first, as plain dicts."""
        with self.engine.connect() as conn:
            out = []
            for table in (questions, events):
                query = select(table).order_by(table.c.at, table.c.id)
                if since is not None:
                    query = query.where(table.c.at >= since)
                out.append([dict(r._mapping) for r in conn.execute(query)])
            return out[0], out[1]

    def claim(self, key: str) -> bool:
        """True for the first instance to claim this message; False for every other."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(handled).values(key=key[:160], at=datetime.now(timezone.utc)))
            return True
        except IntegrityError:
            return False

    def context_key(self, conversation: str) -> str:
        # Keyed like the user hashes; without a key (the terminal keeps its context in
        # memory), one that lives as long as this process.
        return hmac.new(self._key or self._process_key, f"conversation:{conversation}".encode(),
                        hashlib.sha256).hexdigest()[:64]

    def get_context(self, conversation: str) -> str | None:
        """The stored context of a conversation, unless it has expired."""
        with self.engine.connect() as conn:
            row = conn.execute(select(context.c.value).where(
                context.c.key == self.context_key(conversation), context.c.expires > datetime.now(timezone.utc))).first()
        return row[0] if row else None

    def set_context(self, conversation: str, value: str, minutes: float) -> None:
        """Remember a conversation's context until `minutes` from now; expired rows go."""
        key, now = self.context_key(conversation), datetime.now(timezone.utc)
        self._context_writes += 1
        with self.engine.begin() as conn:
            if self._context_writes % 100 == 0:  # now and then, not on every reply
                conn.execute(delete(context).where(context.c.expires <= now))
            conn.execute(delete(context).where(context.c.key == key))
            conn.execute(insert(context).values(key=key, value=value[:400], expires=now + timedelta(minutes=minutes)))

    def prune(self, days: int) -> int:
        now = datetime.now(timezone.utc)
        cutoff = now - timedelta(days=days)
        with self.engine.begin() as conn:
            n = conn.execute(delete(questions).where(questions.c.at < cutoff)).rowcount
            n += conn.execute(delete(events).where(events.c.at < cutoff)).rowcount
            conn.execute(delete(handled).where(handled.c.at < now - timedelta(hours=HANDLED_HOURS)))
            conn.execute(delete(context).where(context.c.expires <= now))
        return n


def describe(exc: Exception) -> str:
    """An error for the log: its class and the driver's first line. Never str(exc) of a
    SQLAlchemy error, which carries the statement's parameters (question text, user hash)."""
    first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:200]}"


class Recorder:
    """The app's side of the store: every call is guarded, so a failed write is logged and
    never costs an answer. With no store it records nothing."""

    def __init__(self, store: Store | None, store_questions: bool = True, context_minutes: float = 30.0):
        self.store, self.store_questions = store, store_questions
        self.context_minutes = context_minutes  # CONTEXT_MINUTES: a follow-up's window

    @classmethod
    def open(cls, settings) -> "Recorder":
        """The store of `settings` (a bot.settings.Settings), pruned to its retention; with
        no reachable store, a Recorder that records nothing and says so once."""
        try:
            store = Store(settings.database_url, settings.user_hash_key)
        except Exception as exc:  # no store: still answer, say so once
            log.error("cannot open the question store (%s); answering without recording", describe(exc))
            return cls(None, settings.store_questions, settings.context_minutes)
        try:
            pruned = store.prune(settings.retention_days)
            log.info("recording to %s (schema v%d, keeping %d days; pruned %d rows)",
                     store.engine.url.render_as_string(hide_password=True), store.version, settings.retention_days, pruned)
        except Exception as exc:
            log.error("could not prune old rows (%s); recording goes on", describe(exc))
        return cls(store, settings.store_questions, settings.context_minutes)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def question(self, surface: str, text: str, answer, **where) -> int | None:
        """Record a question as cleaned text (no Slack markup, no user mentions)."""
        if self.store is None:
            return None
        try:
            cleaned = clean(text) if self.store_questions else None
            return self.store.add_question(surface, cleaned,
                                           answer.outcome, answer.intent, answer.score, **where)
        except Exception as exc:
            log.error("could not record a question (%s); the answer still goes out", describe(exc))
            return None

    def first_reply(self, key: str) -> bool:
        """Whether this instance should answer the message `key`: False only when another
        instance (or this one) already claimed it. Without a store, or if it fails, the
        process's own memory (bot/slack/dedup.py) is all there is, and we answer."""
        if self.store is None:
            return True
        try:
            return self.store.claim(key)
        except Exception as exc:
            log.error("could not check for a reply already sent (%s); answering", describe(exc))
            return True

    def context(self, conversation: str | None):
        """What the conversation was about, for a follow-up; None when there is none, it
        expired, or the store cannot say (the question is then answered on its own)."""
        from bot.context import Context

        if self.store is None or not conversation:
            return None
        try:
            return Context.loads(self.store.get_context(conversation))
        except Exception as exc:
            log.error("could not read a conversation's context (%s); answering without it", describe(exc))
            return None

    def remember(self, conversation: str | None, answer) -> None:
        """Keep what an answer was about for the conversation's next message."""
        from bot.context import of

        about = of(answer)
        if self.store is None or not conversation or about is None:
            return
        try:
            self.store.set_context(conversation, about.dumps(), self.context_minutes)
        except Exception as exc:
            log.error("could not remember a conversation's context (%s)", describe(exc))

    def event(self, kind: str, **fields) -> int | None:
        if self.store is None:
            return None
        if not self.store_questions and kind in ("choose", "none"):
            fields["text"] = None
        try:
            return self.store.add_event(kind, **fields)
        except Exception as exc:
            log.error("could not record %s feedback (%s)", kind, describe(exc))
            return None
