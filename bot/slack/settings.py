"""Slack settings, from the environment only. Secrets are never logged or printed."""

from __future__ import annotations

import os
from dataclasses import dataclass

WHERE = {
    "SLACK_BOT_TOKEN": "Slack app settings → OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "SLACK_APP_TOKEN": "Slack app settings → Basic Information → App-Level Tokens, with the connections:write scope (xapp-…)",
    "SLACK_SIGNING_SECRET": "Slack app settings → Basic Information → App Credentials → Signing Secret",
}


class MissingSettings(Exception):
    def __init__(self, names: list[str], mode: str):
        self.names = names
        lines = [f"Cannot start the Slack app in {mode} mode; set these environment variables:"]
        lines += [f"  {name}: {WHERE[name]}" for name in names]
        lines.append("Without Slack tokens, `python -m bot` opens the terminal chat instead.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Settings:
    bot_token: str
    mode: str  # "socket" | "http"
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str | None = None  # SLACK_API_URL: our tests point it at a local fake
    port: int = 3000
    handoff_channel: str | None = None  # HANDOFF_CHANNEL: where "Ask a person" posts
    host: str = "0.0.0.0"  # HOST: the address HTTP mode binds
    reload_seconds: float = 2.0  # KNOWLEDGE_RELOAD_SECONDS: how often edits are looked for

    def __repr__(self) -> str:  # never print a secret, even by accident
        return (f"Settings(mode={self.mode!r}, api_url={self.api_url!r}, host={self.host!r}, port={self.port}, "
                f"handoff_channel={self.handoff_channel!r}, reload_seconds={self.reload_seconds})")


def _number(env, name: str, default: str, kind):
    """A positive number from the environment, or a clear message naming the variable."""
    try:
        value = kind(env.get(name, default))
    except ValueError:
        value = 0
    if value <= 0:
        raise SystemExit(f"{name} must be a positive number, got {env.get(name)!r}")
    return value


def from_env(mode: str | None = None, port: int | None = None, env=os.environ) -> Settings:
    """Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP."""
    mode = mode or ("socket" if env.get("SLACK_APP_TOKEN") else "http")
    needed = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if mode == "socket" else "SLACK_SIGNING_SECRET"]
    missing = [name for name in needed if not env.get(name)]
    if missing:
        raise MissingSettings(missing, mode)
    port = port or _number(env, "PORT", "3000", int)
    api_url = env.get("SLACK_API_URL") or None
    if api_url and not api_url.endswith("/"):
        api_url += "/"
    return Settings(env["SLACK_BOT_TOKEN"], mode, env.get("SLACK_APP_TOKEN"), env.get("SLACK_SIGNING_SECRET"), api_url, port,
                    env.get("HANDOFF_CHANNEL") or None, env.get("HOST") or "0.0.0.0",
                    _number(env, "KNOWLEDGE_RELOAD_SECONDS", "2", float))
