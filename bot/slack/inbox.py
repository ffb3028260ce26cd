"""The inbox: no question Slack delivered is lost once it is acknowledged.

Every question from Slack (a DM or @mention, a slash command, a button, a form) is
written to the store's `inbox` table and claimed by this instance *before* Bolt
acknowledges it. A listener answers it on the listener pool; the row is marked done only
when Slack accepted the reply, and failed (logged once) when Slack never will. An answer
that failed for now (rate limit, 5xx, a dropped connection, after the retries of
bot/slack/retry.py) is let go and tried again later.

Each instance sweeps, at start and every few seconds: it renews the claims it is still
answering, expires what waited longer than ANSWER_WITHIN_MINUTES (counted, not answered
late), and claims rows whose claim lapsed (their instance died, or their retry is due),
atomically, so each goes to one instance. A claimed row is dispatched through the same
Bolt app again, as Socket Mode requests are (signed once, when it arrived).

The row's key is the duplicate guard: a redelivery, a DM that is also a mention, a replayed
click are acknowledged and not answered again, unless the answer they ask for failed.
Without a store (down since start, being retried) the process answers from its own
memory of keys; a redelivery is then refused with 503 so Slack brings it back later:
better one late answer than two.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid

from slack_bolt import BoltResponse
from slack_bolt.request import BoltRequest

from bot.ops import INBOX, STORE_WRITE_FAILURES
from bot.slack.dedup import Seen
from bot.slack.retry import CheckedRespond, SlackRetry, classify
from bot.store import describe

log = logging.getLogger("bot.slack.inbox")

PERSON_SUBTYPES = (None, "file_share")


def question(body) -> tuple[str, str, str | None] | None:
    """(key, kind, team) for a request that asks something of the app; None otherwise
    (other events, url_verification, …). Messages are keyed by where and when they were
    written, so a DM that is also a mention is one question."""
    if not isinstance(body, dict):
        return None
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event") or {}
        if event.get("bot_id") or event.get("subtype") not in PERSON_SUBTYPES:
            return None
        if not (event.get("type") == "app_mention" or (event.get("type") == "message" and event.get("channel_type") == "im")):
            return None
        team = event.get("team") or body.get("team_id")
        return f"{team}:{event.get('channel')}:{event.get('ts')}", "event", body.get("team_id") or team
    trigger = body.get("trigger_id")
    if not trigger:
        return None
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    what = "command" if body.get("command") else "view" if kind == "view_submission" else "action"
    return f"trigger:{team}:{trigger}", what, team


class Inbox:
    def __init__(self, app, recorder, settings, seen: Seen | None = None):
        self.app, self.recorder = app, recorder
        self.lease = float(getattr(settings, "inbox_lease", 10.0))
        self.max_age = float(getattr(settings, "answer_within", 900.0))
        self.respond_timeout = float(getattr(settings, "slack_timeout", 5.0))
        self.retry = SlackRetry(budget=float(getattr(settings, "slack_retry_seconds", 10.0)))
        self.seen = seen or Seen()
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._mine: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Before the acknowledgement

    def middleware(self, req, context, body, next, logger):
        if context.response_url:
            context["respond"] = CheckedRespond(response_url=context.response_url, timeout=self.respond_timeout,
                                                retry=self.retry)
        context["inbox"] = self
        if context.get("inbox_row"):  # claimed by a sweep and dispatched again
            return next()
        found = question(body)
        if found is None or not self._handled(req):
            return next()
        key, kind, team = found
        store = self.recorder.usable()
        if store is not None:
            try:
                row = store.inbox_receive(key, kind, json.dumps(body), team, self.owner, self.lease, self.max_age)
            except Exception as exc:
                self.recorder.failed()
                STORE_WRITE_FAILURES.inc()
                log.error("could not keep a question in the inbox (%s); answering from memory", describe(exc))
            else:
                if row is None:
                    logger.info("a redelivered, replayed or doubled question was acknowledged and not answered again")
                    return BoltResponse(status=200, body="")
                self._hold(row)
                context["inbox_row"] = row
                return next()
        retry = str((req.headers.get("x-slack-retry-num") or ["0"])[0] or "0")
        if retry != "0":  # Socket Mode says 0 for a first delivery
            # Maybe answered by an instance we cannot ask: Slack brings it back later.
            log.warning("a redelivered event is refused with 503 while the store is unreachable")
            return BoltResponse(status=503, body="")
        if not self.seen.first(key, body.get("event_id")):
            return BoltResponse(status=200, body="")
        return next()

    def _handled(self, req) -> bool:
        """Some listener of ours takes this request (a link button's click is a block
        action nobody handles: no row for it, or it would wait there until it expires)."""
        return any(listener.matches(req=req, resp=BoltResponse(status=200)) for listener in self.app._listeners)

    # After the answer

    def finish(self, context, kind: str, exc: BaseException | None = None, respond=None,
               explain: dict | None = None) -> None:
        """A listener ended: done, or `exc` says whether to try again or tell the user."""
        row = context.get("inbox_row") if context is not None else None
        if exc is None:
            self._end(row, "done")
            return
        what, code, delay = classify(exc)
        if what == "later":
            if row is None:
                log.error("the %s answer was not sent (%s) and cannot be tried again without the store", kind, code)
                return
            log.warning("the %s answer was not sent (%s); trying again in %.0f s", kind, code, delay)
            INBOX.labels("retried").inc()
            self._later(row, delay, code)
            return
        if what == "end":
            log.warning("the %s answer cannot be sent: Slack said %s; not retried", kind, code)
        else:
            log.error("error in the %s listener", kind, exc_info=exc)
        self._end(row, "failed", code)
        from bot.slack.retry import ResponseUrlError

        if respond is not None and not isinstance(exc, ResponseUrlError):
            text = (explain or {}).get(code) or EXPLAIN.get(code) or SORRY
            try:
                respond(replace_original=False, response_type="ephemeral", text=text)
            except Exception as told:
                log.warning("could not tell the user why the %s failed either (%s)", kind, classify(told)[1])

    def _hold(self, row: int) -> None:
        with self._lock:
            self._mine.add(row)

    def _release(self, row: int) -> None:
        with self._lock:
            self._mine.discard(row)

    def _end(self, row: int | None, state: str, error: str | None = None) -> None:
        if row is None:  # not a question (App Home), or answered without the store
            return
        INBOX.labels(state).inc()
        self._release(row)
        try:
            self._store().inbox_end(row, state, error)
        except Exception as exc:  # the lease lapses and another sweep answers again: rare, and better than never
            STORE_WRITE_FAILURES.inc()
            log.error("could not mark a question %s in the inbox (%s)", state, describe(exc))

    def _later(self, row: int, delay: float, error: str) -> None:
        self._release(row)
        try:
            self._store().inbox_later(row, self.owner, delay, error)
        except Exception as exc:  # its lease lapses anyway
            log.error("could not put a question back in the inbox (%s)", describe(exc))

    def _store(self):
        store = self.recorder.store
        if store is None:
            raise RuntimeError("no store")
        return store

    # The sweep

    def sweep(self, limit: int = 50, rounds: int = 20) -> int:
        """One pass: renew our claims, expire the old, dispatch what lapsed. Rows dispatched."""
        store = self.recorder.store  # even when paused: the sweep is how a paused store is found to work again
        if store is None:
            return 0
        dispatched = 0
        try:
            store.recreate_if_deleted()
            with self._lock:
                mine = sorted(self._mine)
            store.inbox_renew(self.owner, mine, self.lease)
            expired = store.inbox_expire(self.max_age)
            if expired:
                INBOX.labels("expired").inc(expired)
                log.warning("%d question(s) waited over %.0f minutes unanswered: expired, not answered late",
                            expired, self.max_age / 60)
            for _ in range(rounds):
                rows = store.inbox_claim(self.owner, self.lease, self.max_age, limit)
                for row, _kind, body in rows:
                    self._dispatch(row, body)
                dispatched += len(rows)
                if len(rows) < limit:
                    break
        except Exception as exc:
            log.error("the inbox sweep failed (%s); the next one tries again", describe(exc))
            return dispatched
        self.recorder.resume()  # it answered: use it again
        return dispatched

    def _dispatch(self, row: int, body: str | None) -> None:
        self._hold(row)
        try:
            request = BoltRequest(body=json.loads(body or "{}"), mode="socket_mode", context={"inbox_row": row})
            response = self.app.dispatch(request)
        except Exception as exc:
            log.error("could not answer a question from the inbox (%s)", describe(exc))
            self._later(row, 2.0, type(exc).__name__)
            return
        if response.status == 404:  # no listener takes it (any more)
            self._end(row, "failed", "unhandled")

    def start(self) -> None:
        """Sweep now and every lease/4 seconds, in a daemon thread of the serving process."""
        if self._thread is not None:
            return
        interval = max(0.1, min(self.lease / 4, 5.0))

        def loop():
            while True:
                self.sweep()
                if self._stop.wait(interval):
                    return

        self._thread = threading.Thread(target=loop, name="inbox-sweep", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


SORRY = "Sorry, something went wrong on our side; please ask again."
EXPLAIN = {
    "not_in_channel": "I can't post in this channel: invite me to it first (`/invite @the app`), then try again.",
    "channel_not_found": "I can't post in this channel: invite me to it first (`/invite @the app`), then try again.",
    "is_archived": "That channel is archived, so I can't post there.",
    "invalid_auth": "The app's access to this workspace is not working; please ask whoever installed it to reinstall it.",
    "token_revoked": "The app's access to this workspace was revoked; please ask whoever installed it to reinstall it.",
    "account_inactive": "The app's access to this workspace is not working; please ask whoever installed it to reinstall it.",
    "missing_scope": "The app is missing a permission for this; please ask whoever installed it to reinstall it.",
    "expired_trigger_id": "That took too long; please click the button again.",
}
