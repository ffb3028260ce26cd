"""The app factory: a Bolt App with its Web API client, wired to the listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.engine import Engine
from bot.reload import LiveEngine
from bot.slack import listeners
from bot.slack.dedup import Seen
from bot.slack.settings import Settings
from bot.store import Recorder

log = logging.getLogger("bot.slack")


def web_client(settings: Settings) -> WebClient:
    """Retries rate limits (honouring Retry-After), 5xx and dropped connections."""
    kwargs = {"base_url": settings.api_url} if settings.api_url else {}
    client = WebClient(token=settings.bot_token, **kwargs)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def create_app(engine, settings: Settings, recorder: Recorder | None = None) -> App:
    """`engine` is an Engine, or a LiveEngine that follows the knowledge files; `recorder`
    stores questions and feedback (none: nothing is recorded)."""
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or "socket-mode-does-not-sign",
        # Acknowledge first, answer after: listeners run in Bolt's thread pool.
        process_before_response=False,
        logger=log,
    )
    # A LiveEngine that is never started is a fixed one: one holder for both cases.
    live = LiveEngine(engine.knowledge_root, engine) if isinstance(engine, Engine) else engine
    listeners.register(app, listeners.Deps(live, Seen(), recorder or Recorder(None), settings.handoff_channel))
    return app
