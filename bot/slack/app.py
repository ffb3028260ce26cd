"""The app factory: a Bolt App with its Web API client, wired to the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.engine import Engine
from bot.reload import LiveEngine
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.dedup import Seen
from bot.store import Recorder

log = logging.getLogger("bot.slack")


class _NotOurTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns, at every start, that the client we
    give it wins: true, and nothing anyone should act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


log.addFilter(_NotOurTokenWarning())


def web_client(settings: Settings) -> WebClient:
    """Retries rate limits (honouring Retry-After), 5xx and dropped connections."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def create_app(engine, settings: Settings, recorder: Recorder | None = None, executor: Executor | None = None) -> App:
    """`engine` is an Engine, or a LiveEngine that follows the knowledge files; `recorder`
    stores questions and feedback (none: nothing is recorded); `executor` runs the
    listeners (default: Bolt's own thread pool)."""
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or "socket-mode-does-not-sign",
        # Acknowledge first, answer after: listeners run in Bolt's thread pool.
        process_before_response=False,
        logger=log,
        listener_executor=executor,
    )
    # Bolt logs a refused request's whole body at INFO: 1 MB of anyone's text, forged log
    # lines, or a real user's question and response_url. HTTP mode refuses those in
    # bot/slack/http.py with one line of its own; this one stays quiet.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    # A LiveEngine that is never started is a fixed one: one holder for both cases.
    live = LiveEngine(engine.knowledge_root, engine) if isinstance(engine, Engine) else engine
    listeners.register(app, listeners.Deps(live, Seen(), recorder or Recorder(None), settings.handoff_channel))
    return app
