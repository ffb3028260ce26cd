"""Listeners split by kind, as in Slack's bolt-python starter template."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from slack_bolt import BoltResponse

from bot.slack.dedup import Seen
from bot.slack.listeners import actions, commands, events, views
from bot.store import Recorder

log = logging.getLogger("bot.slack")


@dataclass
class Deps:
    """What every listener shares. `live.engine` is read at each call, so reloaded
    knowledge serves at once."""

    live: object  # has .engine
    seen: Seen
    recorder: Recorder
    handoff_channel: str | None = None


def guarded(kind: str):
    """A listener's error, after it acknowledged, logged as what it is ("error in the
    /cvi listener: KeyError ...") instead of surfacing through Bolt as a missing ack
    and a 404 for a request that was handled."""
    def wrap(listener):
        @functools.wraps(listener)
        def run(*args, **kwargs):
            try:
                return listener(*args, **kwargs)
            except Exception:
                log.exception("error in the %s listener %s", kind, listener.__name__)
                respond = kwargs.get("respond")
                if respond is not None:
                    try:
                        respond(replace_original=False, response_type="ephemeral",
                                text="Sorry, something went wrong on our side; please ask again.")
                    except Exception:
                        log.warning("could not tell the user about the error either")
                return None
        return run
    return wrap


def register(app, deps: Deps) -> None:
    @app.middleware
    def once(body, next, logger):
        """A signed command, click or form replayed within its five minutes of validity
        (or redelivered) is acknowledged and nothing more: each trigger_id is answered
        once, in this process and across instances through the store."""
        trigger = body.get("trigger_id") if isinstance(body, dict) else None
        if trigger and body.get("type") != "event_callback":
            key = f"trigger:{body.get('team_id') or (body.get('team') or {}).get('id')}:{trigger}"
            if not deps.seen.first(key) or not deps.recorder.first_reply(key):
                logger.info("a replayed interaction was acknowledged and not answered again")
                return BoltResponse(status=200, body="")
        return next()

    events.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
