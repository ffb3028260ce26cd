"""The app factory: a Bolt App with its Web API client, wired to the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot import ops
from bot.engine import Engine
from bot.ops import SlackErrorMetrics
from bot.reload import LiveEngine
from bot.settings import Settings
from bot.slack import agent, listeners
from bot.slack.dedup import Seen
from bot.slack.inbox import Inbox
from bot.slack.retry import SlackRetry
from bot.store import Recorder

log = logging.getLogger("bot.slack")


class _NotOurTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns, at every start, that the client we
    give it wins: true, and nothing anyone should act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


log.addFilter(_NotOurTokenWarning())


class _NoWireDebug(logging.Filter):
    """slack_sdk logs every request's parameters and every response's body at DEBUG: with
    install by link those are oauth.v2.access's tokens, refresh tokens and client secret.
    LOG_LEVEL=DEBUG must not put a secret in the log, so those lines never leave."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


logging.getLogger("slack_sdk.web.base_client").addFilter(_NoWireDebug())


def web_client(settings: Settings) -> WebClient:
    """Each call times out after SLACK_TIMEOUT_SECONDS; rate limits (Retry-After honoured
    up to a cap), 500/502/503/504, dropped connections and timeouts are retried with
    backoff within SLACK_RETRY_SECONDS (bot/slack/retry.py). In OAuth mode it has no
    token: Bolt gives each request its workspace's."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL,
                       timeout=settings.slack_timeout)  # type: ignore[arg-type]  # urllib takes a float
    client.retry_handlers = [
        SlackErrorMetrics(),  # first: it sees every failed attempt, and never retries itself
        SlackRetry(budget=settings.slack_retry_seconds),
    ]
    return client


def create_app(engine, settings: Settings, recorder: Recorder | None = None, executor: Executor | None = None) -> App:
    """`engine` is an Engine, or a LiveEngine that follows the knowledge files; `recorder`
    stores questions and feedback, and holds the inbox (none: nothing is recorded);
    `executor` runs the listeners (default: a pool of WORKER_THREADS threads)."""
    if executor is None:
        from concurrent.futures import ThreadPoolExecutor

        executor = ThreadPoolExecutor(max_workers=settings.worker_threads, thread_name_prefix="answer")
    recorder = recorder or Recorder(None)
    client = web_client(settings)
    oauth = None
    if settings.oauth:  # install by link: tokens from the installation store, on the store's database
        from bot.manifest import BOT_SCOPES
        from bot.slack.oauth import oauth_settings

        if recorder.store is None:
            raise SystemExit("Install by link keeps the workspaces' tokens in the database, which could not be "
                             "opened: check DATABASE_URL (the log says why).")
        oauth = oauth_settings(settings, recorder.store.engine, client, BOT_SCOPES)
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "socket-mode-does-not-sign",
        # Acknowledge first, answer after: listeners run in Bolt's thread pool.
        process_before_response=False,
        logger=log,
        oauth_settings=oauth,
        listener_executor=executor,
    )
    # Bolt logs a refused request's whole body at INFO: 1 MB of anyone's text, forged log
    # lines, or a real user's question and response_url. HTTP mode refuses those in
    # bot/slack/http.py with one line of its own; this one stays quiet.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    if oauth is not None:
        from bot.slack import oauth as install

        installations = oauth.installation_store
        assert isinstance(installations, install.EncryptedInstallationStore)
        install.register(app, installations, recorder)
        ops.installed_from(installations.installed_count)
    else:
        ops.installed_from(lambda: 1)  # one workspace, by its token

    seen = Seen()
    inbox = Inbox(app, recorder, settings, seen)
    app.middleware(inbox.middleware)  # first: a question is kept before anything else can fail
    app.inbox = inbox  # type: ignore[attr-defined]  # serve starts its sweep in the serving process

    @app.middleware
    def note_workspace(context, body, next):  # which org a workspace is in: an org-wide uninstall purges them all
        team = context.team_id or (body.get("team_id") if isinstance(body, dict) else None)
        recorder.note_workspace(team, context.enterprise_id)
        return next()

    # A LiveEngine that is never started is a fixed one: one holder for both cases.
    live = LiveEngine(engine.knowledge_root, engine) if isinstance(engine, Engine) else engine
    live = ops.TimedLive(live)  # every answer timed, for /metrics
    # HANDOFF_CHANNEL names a channel of one workspace: with many, each sets its own.
    if settings.oauth and settings.handoff_channel:
        log.warning("HANDOFF_CHANNEL is not used when the app is installed by link: a channel belongs to one "
                    "workspace; set each workspace's with `python -m bot handoff TEAM CHANNEL`")
    deps = listeners.Deps(live, seen, recorder, None if settings.oauth else settings.handoff_channel)
    agent.register(app, deps)  # before the listeners: it takes app_home_opened on the Messages tab
    listeners.register(app, deps)
    return app
