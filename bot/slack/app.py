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
from bot.slack import listeners
from bot.slack.dedup import Seen
from bot.slack.settings import Settings

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


def create_app(engine: Engine, settings: Settings) -> App:
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or "socket-mode-does-not-sign",
        # Acknowledge first, answer after: listeners run in Bolt's thread pool.
        process_before_response=False,
        logger=log,
    )
    listeners.register(app, engine, Seen())
    return app
