"""Listeners split by kind, as in Slack's bolt-python starter template."""

from bot.slack.listeners import actions, commands, events


def register(app, live, seen) -> None:
    """`live.engine` is read at each call, so reloaded knowledge serves at once."""
    events.register(app, live, seen)
    commands.register(app, live)
    actions.register(app, live)
