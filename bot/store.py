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

import contextlib
import hashlib
import hmac
import logging
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import (
    Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine, delete, event, insert, inspect, or_,
    select, update,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

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
    Column("team_id", String(32), index=True),  # version 5: so an uninstall can delete a workspace's feedback
)
# Messages answered, across every app instance on this database: a redelivery that
# reaches another instance gets no second reply. Kept HANDLED_HOURS.
handled = Table(
    "handled", metadata,
    Column("key", String(160), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("team_id", String(32)),  # version 5
)
HANDLED_HOURS = 24
# Version 5: one row per workspace the app has served: which Enterprise Grid org it belongs
# to (an org-wide uninstall purges every workspace of the org) and its own hand-off channel.
workspaces = Table(
    "workspaces", metadata,
    Column("team_id", String(32), primary_key=True),
    Column("enterprise_id", String(32), index=True),
    Column("handoff_channel", String(32)),
    Column("at", DateTime(timezone=True), nullable=False),
)
# Version 6, the inbox: every question from Slack (event, command, button), stored before
# it is acknowledged and answered by whichever instance holds its lease; `key` is the
# duplicate guard (a DM that is also a mention, a redelivery, a replayed click). `body`
# (the request, question text included) is deleted as soon as the row ends: done, failed
# or expired. Ended rows are kept HANDLED_HOURS as the memory of what was answered.
inbox = Table(
    "inbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(160), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # event, command, action, view
    Column("team_id", String(32), index=True),
    Column("body", Text),  # the request as JSON while pending; NULL once ended
    Column("state", String(16), nullable=False),  # one of INBOX_STATES
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("owner", String(64)),  # the instance answering it; NULL when it waits for any
    Column("attempts", Integer, nullable=False),
    Column("error", String(64)),  # why it failed: a Slack error code or an exception class
    Column("ended_at", DateTime(timezone=True)),
)
INBOX_STATES = ("pending", "done", "failed", "expired")


# What each conversation is about (bot/context.py): resource and intent ids, never text.
# The key is a hash of the conversation's Slack address, so it names no channel or user.
context = Table(
    "context", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(400), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False, index=True),
    Column("team_id", String(32)),  # version 5: an uninstall deletes the workspace's context too
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


def _v5(conn: Connection) -> None:
    """Version 5, for many workspaces: feedback, answered messages and conversation context
    carry their workspace (feedback already recorded takes it from its question; context,
    which expires within a day, starts afresh), and a table of workspaces."""
    v5 = MetaData()
    Table("workspaces", v5, Column("team_id", String(32), primary_key=True),
          Column("enterprise_id", String(32), index=True), Column("handoff_channel", String(32)),
          Column("at", DateTime(timezone=True), nullable=False))
    v5.create_all(conn)
    conn.execute(sql_text("ALTER TABLE events ADD COLUMN team_id VARCHAR(32)"))
    conn.execute(sql_text("CREATE INDEX ix_events_team_id ON events (team_id)"))
    conn.execute(sql_text("UPDATE events SET team_id = (SELECT questions.team_id FROM questions "
                          "WHERE questions.id = events.question_id)"))
    conn.execute(sql_text("ALTER TABLE handled ADD COLUMN team_id VARCHAR(32)"))
    conn.execute(sql_text("ALTER TABLE context ADD COLUMN team_id VARCHAR(32)"))


def _inbox(conn: Connection) -> None:
    """The inbox (see `inbox` above): questions stored before they are acknowledged."""
    schema = MetaData()
    Table("inbox", schema, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("key", String(160), nullable=False, unique=True), Column("kind", String(16), nullable=False),
          Column("team_id", String(32), index=True), Column("body", Text), Column("state", String(16), nullable=False),
          Column("received_at", DateTime(timezone=True), nullable=False),
          Column("lease_until", DateTime(timezone=True), nullable=False), Column("owner", String(64)),
          Column("attempts", Integer, nullable=False), Column("error", String(64)),
          Column("ended_at", DateTime(timezone=True)))
    schema.create_all(conn)
    conn.execute(sql_text("CREATE INDEX ix_inbox_pending ON inbox (state, lease_until)"))


# 3 and 4 as main and harden numbered them, 5 (workspaces) from install by link, 6 the inbox.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1), (2, _v2), (3, _v3), (4, _v4), (5, _v5), (6, _inbox)]


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
            if conn.dialect.name == "postgresql":  # a migration may take longer than one answer's statements
                conn.execute(sql_text("SET LOCAL statement_timeout = 0"))
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

    def __init__(self, url: str | None = None, hash_key: bytes | None = None, migrations=MIGRATIONS,
                 timeout: float = 0.5):
        """`timeout`: seconds any statement may take (PostgreSQL's statement_timeout and
        lock_timeout, SQLite's busy_timeout) and connecting may take, so a stalled or
        locked database fails a call quickly instead of holding an answer."""
        self.url = database_url(url)
        self.path: Path | None = None
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            self.path = Path(self.url[len("sqlite:///"):])
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sqlite = self.url.startswith("sqlite")
        self._migrations = migrations
        self.timeout = timeout
        self._writer = threading.Lock()
        ms = max(1, int(timeout * 1000))
        self.engine = create_engine(
            self.url, pool_pre_ping=not self.sqlite, pool_size=10, max_overflow=30, pool_timeout=timeout,
            connect_args={"check_same_thread": False, "timeout": timeout} if self.sqlite else {
                "connect_timeout": max(1, int(timeout + 0.999)),
                "options": f"-c statement_timeout={ms} -c lock_timeout={ms}"},
        )
        if self.sqlite:
            @event.listens_for(self.engine, "connect")
            def _wal(dbapi, _):  # readers do not wait for the writer
                dbapi.execute("PRAGMA journal_mode=WAL")
                # A commit is in the WAL file before it returns: it survives the process
                # being killed (only a power cut can take the last ones), and skips an fsync of
                # 4-6 ms a write here (the log is synced at checkpoints).
                dbapi.execute("PRAGMA synchronous=NORMAL")
                dbapi.execute(f"PRAGMA busy_timeout={ms}")
        self._key = hash_key
        self._process_key = secrets.token_bytes(32)
        self._context_writes = 0
        try:
            self.version = migrate(self.engine, migrations)
        except BaseException:
            self.engine.dispose()
            raise
        self._inode = self._file_id()  # the file as created or found

    @contextlib.contextmanager
    def _begin(self):
        """A write transaction. On SQLite, one at a time per process: writers wait here in
        turn (at most `timeout`) instead of in SQLite's busy loop, where under load some
        wait longer than their timeout while others pass."""
        if not self.sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        if not self._writer.acquire(timeout=self.timeout):
            raise OperationalError("BEGIN", None, TimeoutError("another write of this process holds the database"))
        try:
            with self.engine.begin() as conn:
                yield conn
        finally:
            self._writer.release()

    def _file_id(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat() if self.path else None
        except OSError:
            return None
        return (info.st_dev, info.st_ino) if info else None

    def recreate_if_deleted(self) -> bool:
        """SQLite: if the database file was deleted (or replaced) while we run, drop the
        connections to the old one and build the schema in a new file. True when it did."""
        if self.path is None or self._file_id() == self._inode:
            return False
        self.engine.dispose()  # pooled connections still write to the deleted file
        self.version = migrate(self.engine, self._migrations)
        self._inode = self._file_id()
        log.warning("the database file %s was deleted while the app ran; recreated it (schema v%d)",
                    self.path, self.version)
        return True

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
        with self._begin() as conn:
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
                  user_id: str | None = None, text: str | None = None, at: datetime | None = None,
                  team_id: str | None = None) -> int:
        return self._add(events, user_id, at, kind=kind, intent=intent, question_id=question_id, text=text,
                         team_id=team_id)

    def rows(self, since: datetime | None = None, team_id: str | None = None) -> tuple[list[dict], list[dict]]:
        """(questions, events) since a time, oldest first, as plain dicts; one workspace's
        when `team_id` is given."""
        with self.engine.connect() as conn:
            out = []
            for table in (questions, events):
                query = select(table).order_by(table.c.at, table.c.id)
                if since is not None:
                    query = query.where(table.c.at >= since)
                if team_id is not None:
                    query = query.where(table.c.team_id == team_id)
                out.append([dict(r._mapping) for r in conn.execute(query)])
            return out[0], out[1]

    def claim(self, key: str, team_id: str | None = None) -> bool:
        """True for the first instance to claim this message; False for every other."""
        try:
            with self._begin() as conn:
                conn.execute(insert(handled).values(key=key[:160], at=datetime.now(timezone.utc), team_id=team_id))
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

    def set_context(self, conversation: str, value: str, minutes: float, team_id: str | None = None) -> None:
        """Remember a conversation's context until `minutes` from now; expired rows go.
        `team_id`: the workspace, so that its uninstall deletes this too."""
        key, now = self.context_key(conversation), datetime.now(timezone.utc)
        self._context_writes += 1
        with self._begin() as conn:
            if self._context_writes % 100 == 0:  # now and then, not on every reply
                conn.execute(delete(context).where(context.c.expires <= now))
            conn.execute(delete(context).where(context.c.key == key))
            conn.execute(insert(context).values(key=key, value=value[:400], expires=now + timedelta(minutes=minutes),
                                                team_id=team_id))

    # The inbox. Times are the instances' clocks (UTC); a lease is a few seconds, far
    # above the clock skew of hosts kept by NTP.

    def inbox_receive(self, key: str, kind: str, body: str, team_id: str | None, owner: str,
                      lease: float, max_age: float) -> int | None:
        """Store a question and claim it for `owner`; its row id. A key already there
        (a duplicate) gives None, unless its answer failed or its claim lapsed and it is
        still young: then it is claimed again (a redelivery of a lost answer is answered)."""
        now = datetime.now(timezone.utc)
        try:
            with self._begin() as conn:
                return conn.execute(insert(inbox).values(
                    key=key[:160], kind=kind, team_id=team_id, body=body, state="pending", received_at=now,
                    lease_until=now + timedelta(seconds=lease), owner=owner, attempts=1)).inserted_primary_key[0]
        except IntegrityError:
            pass
        with self._begin() as conn:
            row = conn.execute(update(inbox).where(
                inbox.c.key == key[:160], inbox.c.received_at >= now - timedelta(seconds=max_age),
                or_(inbox.c.state == "failed", (inbox.c.state == "pending") & (inbox.c.lease_until < now)),
            ).values(state="pending", body=body, owner=owner, lease_until=now + timedelta(seconds=lease),
                     attempts=inbox.c.attempts + 1, error=None, ended_at=None).returning(inbox.c.id)).first()
            return row[0] if row else None

    def inbox_claim(self, owner: str, lease: float, max_age: float, limit: int = 50) -> list[tuple[int, str, str]]:
        """Claim up to `limit` pending rows whose lease lapsed (their instance died, or
        their answer is due again) and that are younger than `max_age` seconds: (id, kind,
        body) for each. Atomic: of several instances claiming at once, each row goes to
        one (PostgreSQL: rows locked by another claim are skipped; SQLite: one writer)."""
        now = datetime.now(timezone.utc)
        due = (inbox.c.state == "pending") & (inbox.c.lease_until < now) & (
            inbox.c.received_at >= now - timedelta(seconds=max_age))
        ids = select(inbox.c.id).where(due).order_by(inbox.c.id).limit(limit)
        if not self.sqlite:
            ids = ids.with_for_update(skip_locked=True)
        with self._begin() as conn:
            rows = conn.execute(update(inbox).where(inbox.c.id.in_(ids.scalar_subquery()), due).values(
                owner=owner, lease_until=now + timedelta(seconds=lease), attempts=inbox.c.attempts + 1,
            ).returning(inbox.c.id, inbox.c.kind, inbox.c.body)).all()
        return sorted((r[0], r[1], r[2]) for r in rows)

    def inbox_renew(self, owner: str, ids: list[int], lease: float) -> int:
        """Extend `owner`'s claims on rows it is still answering."""
        if not ids:
            return 0
        until = datetime.now(timezone.utc) + timedelta(seconds=lease)
        with self._begin() as conn:
            return conn.execute(update(inbox).where(inbox.c.id.in_(ids), inbox.c.owner == owner,
                                                    inbox.c.state == "pending").values(lease_until=until)).rowcount

    def inbox_end(self, row_id: int, state: str, error: str | None = None) -> None:
        """done (Slack accepted the reply) or failed (it never will): the body is deleted."""
        with self._begin() as conn:
            conn.execute(update(inbox).where(inbox.c.id == row_id).values(
                state=state, error=error, body=None, owner=None, ended_at=datetime.now(timezone.utc)))

    def inbox_later(self, row_id: int, owner: str, delay: float, error: str | None = None) -> None:
        """Let go of a row whose answer failed for now: any instance tries it again in `delay` seconds."""
        with self._begin() as conn:
            conn.execute(update(inbox).where(inbox.c.id == row_id, inbox.c.owner == owner, inbox.c.state == "pending")
                         .values(owner=None, error=error,
                                 lease_until=datetime.now(timezone.utc) + timedelta(seconds=delay)))

    def inbox_expire(self, max_age: float) -> int:
        """Pending rows older than `max_age` seconds are too late to answer: expired, body
        deleted. How many."""
        now = datetime.now(timezone.utc)
        with self._begin() as conn:
            return conn.execute(update(inbox).where(
                inbox.c.state == "pending", inbox.c.received_at < now - timedelta(seconds=max_age),
            ).values(state="expired", body=None, owner=None, ended_at=now)).rowcount

    def inbox_counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return {state: n for state, n in conn.execute(
                select(inbox.c.state, func.count()).group_by(inbox.c.state))}

    def note_workspace(self, team_id: str, enterprise_id: str | None = None) -> None:
        """Remember a workspace the app serves (and its Enterprise Grid org); once is enough."""
        with self._begin() as conn:
            if conn.execute(select(workspaces.c.team_id).where(workspaces.c.team_id == team_id)).first():
                return
        try:
            with self._begin() as conn:
                conn.execute(insert(workspaces).values(team_id=team_id, enterprise_id=enterprise_id,
                                                       at=datetime.now(timezone.utc)))
        except IntegrityError:  # another instance noted it first
            pass

    def handoff_channel(self, team_id: str | None) -> str | None:
        """The channel this workspace hands questions to, if one was set for it."""
        if not team_id:
            return None
        with self.engine.connect() as conn:
            return conn.execute(select(workspaces.c.handoff_channel).where(workspaces.c.team_id == team_id)).scalar()

    def set_handoff_channel(self, team_id: str, channel: str | None) -> None:
        """Set (or, with None, clear) a workspace's hand-off channel."""
        self.note_workspace(team_id)
        with self._begin() as conn:
            conn.execute(workspaces.update().where(workspaces.c.team_id == team_id).values(handoff_channel=channel))

    def workspace_rows(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(workspaces).order_by(workspaces.c.team_id))]

    def purge_team(self, team_id: str) -> dict[str, int]:
        """Delete everything kept about one workspace: every row of every table of ours
        that has a team_id column, so tables added later are covered too. Rows deleted
        per table. (Its tokens live in the installation store, deleted beside this.)"""
        deleted = {}
        with self._begin() as conn:
            for table in reversed(metadata.sorted_tables):
                if "team_id" in table.c:
                    deleted[table.name] = conn.execute(delete(table).where(table.c.team_id == team_id)).rowcount
        return deleted

    def purge_enterprise(self, enterprise_id: str) -> dict[str, int]:
        """An org-wide uninstall: purge every workspace of that Enterprise Grid org we served."""
        with self.engine.connect() as conn:
            teams = conn.execute(select(workspaces.c.team_id).where(workspaces.c.enterprise_id == enterprise_id)).scalars().all()
        total: dict[str, int] = {}
        for team in teams:
            for name, n in self.purge_team(team).items():
                total[name] = total.get(name, 0) + n
        return total

    def prune(self, days: int) -> int:
        now = datetime.now(timezone.utc)
        cutoff = now - timedelta(days=days)
        with self._begin() as conn:
            n = conn.execute(delete(questions).where(questions.c.at < cutoff)).rowcount
            n += conn.execute(delete(events).where(events.c.at < cutoff)).rowcount
            conn.execute(delete(handled).where(handled.c.at < now - timedelta(hours=HANDLED_HOURS)))
            conn.execute(delete(inbox).where(inbox.c.state != "pending",
                                             inbox.c.received_at < now - timedelta(hours=HANDLED_HOURS)))
            conn.execute(delete(context).where(context.c.expires <= now))
        return n


def describe(exc: Exception) -> str:
    """An error for the log: its class and the driver's first line. Never str(exc) of a
    SQLAlchemy error, which carries the statement's parameters (question text, user hash)."""
    first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:200]}"


def _write_failed() -> None:
    from bot.ops import STORE_WRITE_FAILURES

    STORE_WRITE_FAILURES.inc()


PAUSE = 1.0  # seconds the app leaves a store alone after a call to it failed


class Recorder:
    """The app's side of the store: every call is guarded, so a failed write is logged and
    never costs an answer. With no store it records nothing.

    A store that could not be opened at start is tried again in the background
    (`start()`), with backoff, until it opens: recording and the inbox then begin."""

    def __init__(self, store: Store | None, store_questions: bool = True, settings=None,
                 context_minutes: float | None = None):
        self.store, self.store_questions = store, store_questions
        self._noted: set[str] = set()
        self._settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # CONTEXT_MINUTES: a follow-up's window
        self.context_minutes = float(context_minutes if context_minutes is not None
                                     else getattr(settings, "context_minutes", 30.0))
        self.on_open: list[Callable[[Store], None]] = []  # called once a store opened late is there
        self._paused_until = 0.0

    def usable(self) -> Store | None:
        """The store, unless there is none or it failed in the last PAUSE seconds: a
        stalled database then costs one answer one timeout, not every answer one each."""
        if self.store is None or time.monotonic() < self._paused_until:
            return None
        return self.store

    def resume(self) -> None:
        """The store answered again (the inbox's sweep found it so): use it at once."""
        self._paused_until = 0.0

    def failed(self) -> None:
        """A call to the store failed: leave it alone for PAUSE seconds."""
        self._paused_until = time.monotonic() + PAUSE

    @classmethod
    def open(cls, settings) -> "Recorder":
        """The store of `settings` (a bot.settings.Settings), pruned to its retention; with
        no reachable store, a Recorder that records nothing yet, says so once, and (once
        started) keeps trying to open it."""
        try:
            store = cls._open_store(settings)
        except Exception as exc:  # no store: still answer, say so once
            log.error("cannot open the question store (%s); answering without recording until it opens",
                      describe(exc))
            return cls(None, settings.store_questions, settings)
        return cls(store, settings.store_questions, settings)

    @staticmethod
    def _open_store(settings) -> Store:
        store = Store(settings.database_url, settings.user_hash_key,
                      timeout=getattr(settings, "database_timeout", 0.5))
        try:
            pruned = store.prune(settings.retention_days)
            log.info("recording to %s (schema v%d, keeping %d days; pruned %d rows)",
                     store.engine.url.render_as_string(hide_password=True), store.version, settings.retention_days, pruned)
        except Exception as exc:
            log.error("could not prune old rows (%s); recording goes on", describe(exc))
        return store

    def start(self) -> None:
        """In the serving process: if the store is not open yet, keep trying in the background."""
        if self.store is not None or self._settings is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._reopen, name="store-reopen", daemon=True)
        self._thread.start()

    def _reopen(self) -> None:
        delay = 0.5
        while not self._stop.wait(delay):
            try:
                store = self._open_store(self._settings)
            except Exception as exc:
                log.warning("the question store is still unreachable (%s); trying again in %.0f s", describe(exc),
                            min(delay * 2, 30))
                delay = min(delay * 2, 30.0)
                continue
            self.store = store
            log.info("the question store is open again: recording and the inbox resume")
            for callback in self.on_open:
                try:
                    callback(store)
                except Exception as exc:
                    log.error("after the store opened: %s", describe(exc))
            return

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.store is not None:
            self.store.close()

    def question(self, surface: str, text: str, answer, **where) -> int | None:
        """Record a question as cleaned text (no Slack markup, no user mentions)."""
        from bot.ops import QUESTIONS

        QUESTIONS.labels(surface, answer.outcome).inc()
        store = self.usable()
        if store is None:
            return None
        try:
            cleaned = clean(text) if self.store_questions else None
            return store.add_question(surface, cleaned, answer.outcome, answer.intent, answer.score, **where)
        except Exception as exc:
            self.failed()
            _write_failed()
            log.error("could not record a question (%s); the answer still goes out", describe(exc))
            return None

    def first_reply(self, key: str, team_id: str | None = None) -> bool:
        """Whether this instance should answer the message `key`: False only when another
        instance (or this one) already claimed it. Without a store the process's own memory
        (bot/slack/dedup.py) is all there is, and we answer. If the store fails, it fails
        safe: no answer now (better one late answer than two); the caller has Slack
        deliver again, or the inbox try again."""
        if self.store is None:
            return True
        try:
            return self.store.claim(key, team_id)
        except Exception as exc:
            _write_failed()
            log.error("could not check for a reply already sent (%s); not answering twice", describe(exc))
            return False

    def context(self, conversation: str | None):
        """What the conversation was about, for a follow-up; None when there is none, it
        expired, or the store cannot say (the question is then answered on its own)."""
        from bot.context import Context

        store = self.usable()
        if store is None or not conversation:
            return None
        try:
            return Context.loads(store.get_context(conversation))
        except Exception as exc:
            self.failed()
            log.error("could not read a conversation's context (%s); answering without it", describe(exc))
            return None

    def remember(self, conversation: str | None, answer) -> None:
        """Keep what an answer was about for the conversation's next message."""
        from bot.context import of

        about = of(answer)
        store = self.usable()
        if store is None or not conversation or about is None:
            return
        try:
            from bot.slack.conversation import team_of

            store.set_context(conversation, about.dumps(), self.context_minutes, team_id=team_of(conversation))
        except Exception as exc:
            self.failed()
            log.error("could not remember a conversation's context (%s)", describe(exc))

    def note_workspace(self, team_id: str | None, enterprise_id: str | None = None) -> None:
        """Once per workspace and process (a set as large as the workspaces served)."""
        store = self.usable()
        if store is None or not team_id or team_id in self._noted:
            return
        try:
            store.note_workspace(team_id, enterprise_id)
            self._noted.add(team_id)
        except Exception as exc:
            self.failed()
            log.error("could not note a workspace (%s)", describe(exc))

    def purge(self, team_id: str | None = None, enterprise_id: str | None = None) -> dict[str, int]:
        """Delete one workspace's data (or, with enterprise_id, an org's); rows per table.
        A failure is logged loudly: the data is still there and the purge must be redone."""
        if self.store is None:
            log.error("no store: the data of %s could not be purged", team_id or enterprise_id)
            return {}
        self._noted.clear()  # a purged workspace is noted again if it comes back
        try:
            if enterprise_id:
                return self.store.purge_enterprise(enterprise_id)
            return self.store.purge_team(team_id) if team_id else {}
        except Exception as exc:
            log.error("could not purge the data of %s (%s)", team_id or enterprise_id, describe(exc))
            return {}

    def handoff_channel(self, team_id: str | None) -> str | None:
        """The workspace's own hand-off channel; None without one, without a store, or on error."""
        store = self.usable()
        if store is None or not team_id:
            return None
        try:
            return store.handoff_channel(team_id)
        except Exception as exc:
            self.failed()
            log.error("could not read the workspace's hand-off channel (%s)", describe(exc))
            return None

    def event(self, kind: str, **fields) -> int | None:
        """Feedback: `fields` as Store.add_event takes them, team_id among them."""
        store = self.usable()
        if store is None:
            return None
        if not self.store_questions and kind in ("choose", "none"):
            fields["text"] = None
        try:
            return store.add_event(kind, **fields)
        except Exception as exc:
            self.failed()
            _write_failed()
            log.error("could not record %s feedback (%s)", kind, describe(exc))
            return None
