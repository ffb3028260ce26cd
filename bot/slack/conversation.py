"""Which conversation a Slack message belongs to, for follow-ups (bot/context.py).

The key is only an address; the store keeps a keyed hash of it, never the key itself.
"""

from __future__ import annotations


def conversation_key(team: str | None, channel: str | None, thread_ts: str | None) -> str | None:
    """A DM (or a thread in it), or a thread under a mention."""
    if not channel:
        return None
    return f"{team or ''}:{channel}:{thread_ts or ''}"


def command_conversation(command: dict) -> str | None:
    """Slash commands have no thread: one asker's commands in one channel are one talk."""
    channel, user = command.get("channel_id"), command.get("user_id")
    if not channel or not user:
        return None
    return f"{command.get('team_id') or ''}:{channel}:{user}:command"


def button_conversation(body: dict) -> str | None:
    """The conversation a button was pressed in: its message's thread, or the channel; in
    an ephemeral reply to a command, that asker's commands."""
    channel = (body.get("channel") or {}).get("id")
    team = (body.get("team") or {}).get("id")
    if (body.get("container") or {}).get("is_ephemeral"):
        user = (body.get("user") or {}).get("id")
        return f"{team or ''}:{channel}:{user}:command" if channel and user else None
    message = body.get("message") or {}
    return conversation_key(team, channel, message.get("thread_ts"))
