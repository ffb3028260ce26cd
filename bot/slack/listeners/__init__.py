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
    handoff_channel: str | None = None  # HANDOFF_CHANNEL: the default (single-workspace mode)

    def handoff(self, team_id: str | None) -> str | None:
        """Where "Ask a person" posts for this workspace: the channel set for it
        (`python -m bot handoff`), else the default."""
        return self.recorder.handoff_channel(team_id) or self.handoff_channel


def register(app, deps: Deps) -> None:
    events.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
