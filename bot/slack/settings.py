"""Slack settings, from the environment only. Secrets are never logged or printed."""

from __future__ import annotations

import os
from dataclasses import dataclass

WHERE = {
    "SLACK_BOT_TOKEN": "Slack app settings → OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "SLACK_APP_TOKEN": "Slack app settings → Basic Information → App-Level Tokens, with the connections:write scope (xapp-…)",
    "SLACK_SIGNING_SECRET": "Slack app settings → Basic Information → App Credentials → Signing Secret",
    "SLACK_CLIENT_ID": "Slack app settings → Basic Information → App Credentials → Client ID",
    "SLACK_CLIENT_SECRET": "Slack app settings → Basic Information → App Credentials → Client Secret",
    "TOKEN_ENCRYPTION_KEY": ("a Fernet key that encrypts the stored workspace tokens; make one with\n"
                             "      python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'\n"
                             "    and keep it with your other secrets: without it the stored tokens cannot be read"),
}
OAUTH = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "TOKEN_ENCRYPTION_KEY")


class MissingSettings(Exception):
    def __init__(self, names: list[str], mode: str):
        self.names = names
        lines = [f"Cannot start the Slack app in {mode} mode; set these environment variables:"]
        lines += [f"  {name}: {WHERE[name]}" for name in names]
        if mode != "OAuth (install by link)":
            lines.append("To install in many workspaces instead, set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, "
                         "SLACK_SIGNING_SECRET and TOKEN_ENCRYPTION_KEY, and no SLACK_BOT_TOKEN.")
        lines.append("Without Slack tokens, `python -m bot` opens the terminal chat instead.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Settings:
    bot_token: str | None  # None in OAuth mode: each workspace's token comes from the installation store
    mode: str  # "socket" | "http"
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str | None = None  # SLACK_API_URL: our tests point it at a local fake
    port: int = 3000
    handoff_channel: str | None = None  # HANDOFF_CHANNEL: where "Ask a person" posts
    host: str = "0.0.0.0"  # HOST: the address HTTP mode binds
    reload_seconds: float = 2.0  # KNOWLEDGE_RELOAD_SECONDS: how often edits are looked for
    # Install by link (OAuth, HTTP mode only): set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no SLACK_BOT_TOKEN.
    client_id: str | None = None
    client_secret: str | None = None
    encryption_key: str | None = None  # TOKEN_ENCRYPTION_KEY: one Fernet key, or several comma-separated (the first encrypts)
    health_port: int | None = None  # HEALTH_PORT: Socket Mode serves /healthz, /readyz and /metrics there
    log_format: str = "text"  # LOG_FORMAT: "text", or "json" for one JSON object a line

    @property
    def oauth(self) -> bool:
        return self.client_id is not None

    def __repr__(self) -> str:  # never print a secret, even by accident
        return (f"Settings(mode={self.mode!r}, oauth={self.oauth}, api_url={self.api_url!r}, host={self.host!r}, "
                f"port={self.port}, handoff_channel={self.handoff_channel!r}, reload_seconds={self.reload_seconds}, "
                f"health_port={self.health_port}, log_format={self.log_format!r})")


def _number(env, name: str, default: str, kind):
    """A positive number from the environment, or a clear message naming the variable."""
    try:
        value = kind(env.get(name, default))
    except ValueError:
        value = 0
    if value <= 0:
        raise SystemExit(f"{name} must be a positive number, got {env.get(name)!r}")
    return value


def oauth_requested(env=os.environ) -> bool:
    """Install by link: the app's client credentials are set and no single bot token."""
    return bool(env.get("SLACK_CLIENT_ID") or env.get("SLACK_CLIENT_SECRET")) and not env.get("SLACK_BOT_TOKEN")


def from_env(mode: str | None = None, port: int | None = None, env=os.environ) -> Settings:
    """Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP; install
    by link (OAuth, always HTTP) when SLACK_CLIENT_ID/SECRET are set without SLACK_BOT_TOKEN."""
    if env.get("SLACK_BOT_TOKEN") and env.get("SLACK_CLIENT_ID"):
        raise SystemExit("Set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                         "(install by link in many workspaces), not both.")
    oauth = oauth_requested(env)
    if oauth and mode == "socket":
        raise SystemExit("Install by link (SLACK_CLIENT_ID) needs HTTP mode: Slack sends the installer back to "
                         "/slack/oauth_redirect. Serve with --http, or set SLACK_BOT_TOKEN for one workspace.")
    mode = mode or ("http" if oauth else "socket" if env.get("SLACK_APP_TOKEN") else "http")
    needed = list(OAUTH) if oauth else ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if mode == "socket" else "SLACK_SIGNING_SECRET"]
    missing = [name for name in needed if not env.get(name)]
    if missing:
        raise MissingSettings(missing, "OAuth (install by link)" if oauth else mode)
    if oauth:
        from bot.slack.oauth import check_key

        check_key(env["TOKEN_ENCRYPTION_KEY"])  # a clear message, never the key, when it is not one
    log_format = (env.get("LOG_FORMAT") or "text").strip().lower()
    if log_format not in ("text", "json"):
        raise SystemExit(f"LOG_FORMAT must be text or json, got {env.get('LOG_FORMAT')!r}")
    port = port or _number(env, "PORT", "3000", int)
    api_url = env.get("SLACK_API_URL") or None
    if api_url and not api_url.endswith("/"):
        api_url += "/"
    return Settings(env.get("SLACK_BOT_TOKEN") or None, mode, env.get("SLACK_APP_TOKEN"), env.get("SLACK_SIGNING_SECRET"),
                    api_url, port, env.get("HANDOFF_CHANNEL") or None, env.get("HOST") or "0.0.0.0",
                    _number(env, "KNOWLEDGE_RELOAD_SECONDS", "2", float),
                    client_id=env.get("SLACK_CLIENT_ID") if oauth else None,
                    client_secret=env.get("SLACK_CLIENT_SECRET") if oauth else None,
                    encryption_key=env.get("TOKEN_ENCRYPTION_KEY") if oauth else None,
                    health_port=_number(env, "HEALTH_PORT", "1", int) if env.get("HEALTH_PORT") else None,
                    log_format=log_format)
