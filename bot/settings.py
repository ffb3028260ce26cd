"""Every setting of the process, read once from the environment at start and checked.

One bad value stops the start (exit code 2) with a message that names the variable and
says what it allows; secrets are never printed, logged or shown by repr().
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'data' / 'assistant.db'}"

WHERE = {
    "SLACK_BOT_TOKEN": "Slack app settings → OAuth & Permissions → Bot User OAuth Token (xoxb-…)",
    "SLACK_APP_TOKEN": "Slack app settings → Basic Information → App-Level Tokens, with the connections:write scope (xapp-…)",
    "SLACK_SIGNING_SECRET": "Slack app settings → Basic Information → App Credentials → Signing Secret",
    # Install by link, in many workspaces (README: "Install in many workspaces")
    "SLACK_CLIENT_ID": "Slack app settings → Basic Information → App Credentials → Client ID",
    "SLACK_CLIENT_SECRET": "Slack app settings → Basic Information → App Credentials → Client Secret",
    "TOKEN_ENCRYPTION_KEY": ("a Fernet key that encrypts the stored workspace tokens; make one with "
                             "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'` "
                             "and keep it with your other secrets"),
}
SLACK_VARIABLES = tuple(WHERE)
OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "TOKEN_ENCRYPTION_KEY")
LOG_FORMATS = ("text", "json")
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
# No DEBUG: at that level Bolt and the Slack SDK log whole payloads (questions, user ids,
# response_url), and the log must never hold a request body.
LOG_LEVELS = ("INFO", "WARNING", "ERROR")


class SettingsError(Exception):
    """One or more variables are wrong: each line names one and says what it allows."""

    def __init__(self, problems: list[str], footer: str | None = None):
        self.problems = problems
        lines = ["Cannot start: fix these environment variables:"] + [f"  {p}" for p in problems]
        if footer:
            lines.append(footer)
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Settings:
    # Slack
    bot_token: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    mode: str | None = None  # "socket" | "http" once serving; None for the terminal and the tools
    api_url: str | None = None  # SLACK_API_URL: our tests point it at a local fake
    # Server (HTTP mode)
    host: str = "0.0.0.0"  # HOST
    port: int = 3000  # PORT, or --port
    # The store and privacy
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # DATABASE_URL: may hold a password
    store_questions: bool = True  # STORE_QUESTIONS
    retention_days: int = 90  # RETENTION_DAYS
    user_hash_key: bytes | None = field(default=None, repr=False)  # USER_HASH_KEY, or derived from a Slack secret
    # Behaviour
    handoff_channel: str | None = None  # HANDOFF_CHANNEL: where "Ask a person" posts
    reload_seconds: float = 2.0  # KNOWLEDGE_RELOAD_SECONDS
    context_minutes: float = 30.0  # CONTEXT_MINUTES: how long a conversation's topic carries to a follow-up
    log_level: str = "INFO"  # LOG_LEVEL
    # Install by link (OAuth, HTTP mode): SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, and no SLACK_BOT_TOKEN
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    encryption_key: str | None = field(default=None, repr=False)  # TOKEN_ENCRYPTION_KEY: Fernet key(s), comma-separated
    # Operations
    health_port: int | None = None  # HEALTH_PORT: Socket Mode serves /healthz, /readyz, /metrics there
    log_format: str = "text"  # LOG_FORMAT: text, or json (one object a line)
    # Reliability (README: "Reliability")
    worker_threads: int = 32  # WORKER_THREADS: questions answered at once, per process
    http_workers: int = field(default_factory=lambda: default_http_workers())  # HTTP_WORKERS: processes in HTTP mode
    slack_timeout: float = 5.0  # SLACK_TIMEOUT_SECONDS: one Web API or response_url call
    slack_retry_seconds: float = 10.0  # SLACK_RETRY_SECONDS: all retries of one call, together
    database_timeout: float = 0.5  # DATABASE_TIMEOUT_SECONDS: one statement, connecting, or waiting for a lock
    inbox_lease: float = 10.0  # INBOX_LEASE_SECONDS: a question claimed by a dead instance is answered after this
    answer_within: float = 900.0  # ANSWER_WITHIN_MINUTES (in seconds here): older unanswered questions expire

    @property
    def slack_configured(self) -> bool:
        """Any Slack variable set means the user wants Slack: serve (and say what is missing)."""
        return bool(self.bot_token or self.app_token or self.signing_secret or self.client_id or self.client_secret)

    @property
    def oauth(self) -> bool:
        """Install by link: many workspaces, each answered with its own token from the store."""
        return self.client_id is not None and self.bot_token is None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, mode: str | None = None, port: int | None = None,
                 slack: bool | None = None) -> "Settings":
        """Read and check every variable. `slack`: require the Slack ones for `mode`
        (default: when `mode` is given). SettingsError lists every problem at once."""
        env = os.environ if env is None else env
        problems: list[str] = []
        reader = _Reader(env, problems)

        bot_token = reader.token("SLACK_BOT_TOKEN", "xoxb-")
        app_token = reader.token("SLACK_APP_TOKEN", "xapp-")
        signing_secret = reader.text("SLACK_SIGNING_SECRET")
        api_url = reader.text("SLACK_API_URL")
        if api_url is not None:
            if not re.match(r"^https?://[^\s/]+", api_url):
                problems.append(f"SLACK_API_URL must be an http(s):// address, got {api_url!r}")
            elif not api_url.endswith("/"):
                api_url += "/"
        host = reader.text("HOST") or "0.0.0.0"
        if port is None:
            port = reader.number("PORT", 3000, int, "a port number from 1 to 65535", lambda n: 1 <= n <= 65535)
        elif not 1 <= port <= 65535:
            problems.append(f"--port must be from 1 to 65535, got {port}")
        database_url = reader.text("DATABASE_URL") or DEFAULT_DATABASE_URL
        if not re.match(r"^(sqlite:///|postgres(ql)?(\+psycopg)?://)", database_url):
            problems.append("DATABASE_URL must start with sqlite:/// or postgresql://, "
                            f"got {database_url.split('://')[0]!r}…")  # never the rest: it may hold a password
        store_questions = reader.boolean("STORE_QUESTIONS", True)
        retention_days = reader.number("RETENTION_DAYS", 90, int, "a whole number of days, 1 or more", lambda n: n >= 1)
        if env.get("USER_HASH_SALT"):
            problems.append("USER_HASH_SALT is no longer read: the key of the user hash is USER_HASH_KEY now "
                            "(kept outside the database); rename the variable")
        key_text = reader.text("USER_HASH_KEY")
        if key_text is not None and len(key_text) < 16:
            problems.append("USER_HASH_KEY must be at least 16 characters (e.g. `openssl rand -hex 32`)")
        handoff = reader.text("HANDOFF_CHANNEL")
        if handoff is not None and not re.fullmatch(r"[CG][A-Z0-9]{2,}", handoff):
            problems.append(f"HANDOFF_CHANNEL must be a channel id like C0123ABCD (not a name), got {handoff!r}")
        reload_seconds = reader.number("KNOWLEDGE_RELOAD_SECONDS", 2.0, float, "a number of seconds above 0",
                                       lambda n: 0 < n < 86400)
        context_minutes = reader.number("CONTEXT_MINUTES", 30.0, float, "a number of minutes above 0, at most 1440",
                                        lambda n: 0 < n <= 24 * 60)
        log_level = (reader.text("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {env.get('LOG_LEVEL')!r}")
        log_format = (reader.text("LOG_FORMAT") or "text").lower()
        if log_format not in LOG_FORMATS:
            problems.append(f"LOG_FORMAT must be text or json, got {env.get('LOG_FORMAT')!r}")
        health_port = None
        if reader.text("HEALTH_PORT") is not None:
            health_port = reader.number("HEALTH_PORT", None, int, "a port number from 1 to 65535",
                                        lambda n: 1 <= n <= 65535)
        worker_threads = reader.number("WORKER_THREADS", 32, int, "a whole number from 1 to 512", lambda n: 1 <= n <= 512)
        http_workers = reader.number("HTTP_WORKERS", default_http_workers(), int, "a whole number from 1 to 32",
                                     lambda n: 1 <= n <= 32)
        seconds = "a number of seconds above 0, at most 600"
        slack_timeout = reader.number("SLACK_TIMEOUT_SECONDS", 5.0, float, seconds, lambda n: 0 < n <= 600)
        slack_retry_seconds = reader.number("SLACK_RETRY_SECONDS", 10.0, float, seconds, lambda n: 0 < n <= 600)
        database_timeout = reader.number("DATABASE_TIMEOUT_SECONDS", 0.5, float, seconds, lambda n: 0 < n <= 600)
        inbox_lease = reader.number("INBOX_LEASE_SECONDS", 10.0, float, seconds, lambda n: 0 < n <= 600)
        answer_within = 60 * reader.number("ANSWER_WITHIN_MINUTES", 15.0, float,
                                           "a number of minutes above 0, at most 1440", lambda n: 0 < n <= 1440)
        client_id, client_secret = reader.text("SLACK_CLIENT_ID"), reader.text("SLACK_CLIENT_SECRET")
        encryption_key = reader.text("TOKEN_ENCRYPTION_KEY")
        oauth = bool(client_id or client_secret) and not bot_token
        if bot_token and client_id:
            problems.append("SLACK_BOT_TOKEN (one workspace) and SLACK_CLIENT_ID (install by link in many) are both "
                            "set: set one of them")
        if encryption_key is not None:
            from bot.slack.oauth import check_key

            try:
                check_key(encryption_key)
            except ValueError as exc:
                problems.append(f"TOKEN_ENCRYPTION_KEY {exc}")  # never the value

        footer = None
        if oauth and (slack or (slack is None and mode is not None)):
            if mode == "socket":
                problems.append("install by link (SLACK_CLIENT_ID) needs HTTP mode: Slack sends the installer back to "
                                "/slack/oauth_redirect; serve with --http (or set SLACK_BOT_TOKEN for one workspace)")
            mode = "http"
            for name in OAUTH_VARIABLES:
                if not env.get(name):
                    problems.append(f"{name} is not set (install by link needs it): {WHERE[name]}")
            if problems:
                footer = ("Install by link (many workspaces) needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, "
                          "SLACK_SIGNING_SECRET and TOKEN_ENCRYPTION_KEY, and no SLACK_BOT_TOKEN. "
                          "README: \"Install in many workspaces\".")
        elif slack or (slack is None and mode is not None):
            # Socket Mode is the default; HTTP when only its secret is there.
            mode = mode or ("http" if signing_secret and not app_token else "socket")
            needed = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if mode == "socket" else "SLACK_SIGNING_SECRET"]
            missing = [name for name in needed if not env.get(name)]
            for name in missing:
                problems.append(f"{name} is not set ({'Socket Mode' if mode == 'socket' else 'HTTP mode'} needs it): "
                                f"{WHERE[name]}")
            if missing:
                footer = (_mode_help(mode) + "\nWithout any Slack variable, `python -m bot` opens the terminal chat instead.")
        if problems:
            raise SettingsError(problems, footer)
        secret = key_text or signing_secret or app_token or bot_token
        return cls(bot_token=bot_token, app_token=app_token, signing_secret=signing_secret, mode=mode, api_url=api_url,
                   host=host, port=port, database_url=database_url, store_questions=store_questions,
                   retention_days=retention_days, user_hash_key=derive_key(secret) if secret else None,
                   handoff_channel=handoff, reload_seconds=reload_seconds, context_minutes=context_minutes,
                   log_level=log_level,
                   client_id=client_id if oauth else None, client_secret=client_secret if oauth else None,
                   encryption_key=encryption_key if oauth else None, health_port=health_port, log_format=log_format,
                   worker_threads=worker_threads, http_workers=http_workers, slack_timeout=slack_timeout, slack_retry_seconds=slack_retry_seconds,
                   database_timeout=database_timeout, inbox_lease=inbox_lease, answer_within=answer_within)


def default_http_workers() -> int:
    """One HTTP worker process per processor, at most four: answering is CPU work in Python,
    and one process runs Python on one processor at a time."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def derive_key(secret: str) -> bytes:
    """The key of the user and DM-channel hashes: from a secret the app holds, never stored."""
    return hmac.new(secret.encode(), b"mayors-assistant/user-hash/v1", hashlib.sha256).digest()


def _mode_help(mode: str) -> str:
    if mode == "socket":
        return ("Socket Mode is the default (no public URL needed): it needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN. "
                "For HTTP mode behind a public URL, set SLACK_SIGNING_SECRET and run `python -m bot serve --http`.")
    return ("HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET. Socket Mode (the default, no public URL) "
            "needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN instead: `python -m bot serve --socket`.")


class _Reader:
    def __init__(self, env: Mapping[str, str], problems: list[str]):
        self.env, self.problems = env, problems

    def text(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def token(self, name: str, prefix: str) -> str | None:
        value = self.text(name)
        if value is not None and not value.startswith(prefix):
            self.problems.append(f"{name} must start with {prefix} ({WHERE[name]})")  # never the value
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        self.problems.append(f"{name} must be true or false (or 1/0, yes/no, on/off), got {value!r}")
        return default

    def number(self, name: str, default, kind, allowed: str, ok):
        value = self.text(name)
        if value is None:
            return default
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or number != number or not ok(number):  # number != number: NaN
            self.problems.append(f"{name} must be {allowed}, got {value!r}")
            return default
        return number
