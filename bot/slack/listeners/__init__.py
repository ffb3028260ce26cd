"""Listeners split by kind, as in Slack's bolt-python starter template."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.dedup import Seen
from bot.slack.listeners import actions, commands, events, views
from bot.store import Recorder


@dataclass
class Deps:
    """What every listener shares. `live.engine` is read at each call, so reloaded
    knowledge serves at once."""

    live: object  # has .engine
    seen: Seen
    recorder: Recorder
    handoff_channel: str | None = None


def register(app, deps: Deps) -> None:
    events.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
