"""Listeners split by kind, as in Slack's bolt-python starter template."""

from bot.slack.listeners import actions, commands, events


def register(app, engine, seen) -> None:
    events.register(app, engine, seen)
    commands.register(app, engine)
    actions.register(app, engine)
