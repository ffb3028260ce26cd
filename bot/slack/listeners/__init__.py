"""Listeners split by kind, as in Slack's bolt-python starter template."""

from __future__ import annotations

import functools
import inspect
import logging
from dataclasses import dataclass

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
    handoff_channel: str | None = None  # HANDOFF_CHANNEL: the default (single-workspace mode)

    def handoff(self, team_id: str | None) -> str | None:
        """Where "Ask a person" posts for this workspace: the channel set for it
        (`python -m bot handoff`), else the default."""
        return self.recorder.handoff_channel(team_id) or self.handoff_channel


def guarded(kind: str, explain: dict[str, str] | None = None):
    """A listener's end, after it acknowledged: done in the inbox when it returns (every
    Slack call it made was accepted), and otherwise what bot/slack/inbox.py decides: try
    again later, or end it, logged as what it is ("the Share in channel answer cannot be
    sent: Slack said not_in_channel"), with a short ephemeral explanation to the user
    where there is a response_url (`explain`: error code -> what to tell them)."""
    def wrap(listener):
        params = inspect.signature(listener).parameters
        wants_context = "context" in params

        @functools.wraps(listener)
        def run(*args, **kwargs):
            context = kwargs.get("context") if wants_context else kwargs.pop("context", None)
            inbox = context.get("inbox") if context is not None else None
            try:
                result = listener(*args, **kwargs)
            except Exception as exc:
                if inbox is not None:
                    inbox.finish(context, kind, exc, kwargs.get("respond"), explain)
                else:
                    log.error("error in the %s listener %s", kind, listener.__name__, exc_info=exc)
                return None
            if inbox is not None:
                inbox.finish(context, kind)
            return result

        # Bolt passes a listener the arguments its signature names (following __wrapped__):
        # this one's, and the context, which says which inbox row it answers.
        del run.__wrapped__
        run.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
            *params.values(), *([] if wants_context else [inspect.Parameter("context", inspect.Parameter.POSITIONAL_OR_KEYWORD)])])
        return run
    return wrap


def register(app, deps: Deps) -> None:
    events.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
