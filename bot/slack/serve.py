"""`python -m bot serve`: Socket Mode (no public URL) or HTTP behind gunicorn."""

from __future__ import annotations

import logging
import sys

from bot import ops
from bot.engine import Engine
from bot.reload import LiveEngine
from bot.settings import Settings
from bot.slack.app import create_app, web_client
from bot.store import Recorder, describe

log = logging.getLogger("bot.slack")


class SlackRefused(Exception):
    """Slack refused the token at start, or could not be reached: one line says which."""


def check_token(settings: Settings) -> str:
    """auth.test with the bot token before anything starts; the workspace's name."""
    from slack_sdk.errors import SlackApiError

    client = web_client(settings)
    client.retry_handlers = []  # at start, one clear answer beats three slow ones
    client.timeout = 10
    quiet = logging.getLogger("slack_sdk.web.base_client")  # it logs the failure too: one line is ours
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # setLevel, not .level =: it also clears the loggers' cached answers
    try:
        result = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        raise SlackRefused(f"Slack refused SLACK_BOT_TOKEN ({error or exc.response.status_code}); copy the Bot User "
                           "OAuth Token (xoxb-…) again from OAuth & Permissions, and reinstall the app if it was revoked"
                           ) from None
    except Exception as exc:  # no network, DNS, TLS, a wrong SLACK_API_URL
        where = settings.api_url or "https://slack.com/api/"
        raise SlackRefused(f"cannot reach Slack at {where} to check SLACK_BOT_TOKEN ({describe(exc)})") from None
    finally:
        quiet.setLevel(level)
    return str(result.get("team") or result.get("team_id") or "?")


def address_problem(settings: Settings) -> str | None:
    """HTTP mode: why HOST and PORT cannot be listened on (a name that is no address here, a
    port in use), found before gunicorn, which would retry for seconds and exit 1."""
    import socket

    try:
        with socket.create_server((settings.host, settings.port)):
            return None
    except OSError as exc:
        why = (exc.strerror or type(exc).__name__).split(" (while attempting")[0]
        return (f"cannot listen on HOST {settings.host!r}, PORT {settings.port} ({why}); choose another PORT "
                f"(or --port), or a HOST that is an address of this machine, such as 0.0.0.0")


def serve(engine: Engine, settings: Settings) -> int:
    """Serve on Slack; edits to the knowledge files are picked up while it runs."""
    if settings.mode == "http" and (problem := address_problem(settings)):
        print(f"Cannot start: {problem}.", file=sys.stderr)
        return 2
    if settings.oauth:  # install by link: no token of its own; each workspace's comes from the store
        log.info("install by link: each workspace is answered with its own token, from the store")
    else:
        try:
            team = check_token(settings)
        except SlackRefused as exc:
            print(f"Cannot start: {exc}.", file=sys.stderr)
            return 2
        log.info("Slack accepted the bot token (workspace %s)", team)
    live = LiveEngine(engine.knowledge_root, engine)
    recorder = Recorder.open(settings)
    app = create_app(live, settings, recorder)
    inbox = app.inbox  # type: ignore[attr-defined]  # set by create_app
    readiness = ops.Readiness(live, recorder)
    try:
        if settings.mode == "socket":
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("starting in Socket Mode")
            if settings.health_port:
                ops.serve_health(settings.host, settings.health_port, readiness)
            live.start(settings.reload_seconds)
            recorder.start()
            inbox.start()
            SocketModeHandler(app, settings.app_token).start()
            return 0
        # gunicorn forks its worker, and threads do not survive a fork: the watcher starts there.
        def on_worker_start():
            if recorder.store is not None:  # connections made before the fork stay with the parent
                recorder.store.engine.dispose(close=False)
            live.start(settings.reload_seconds)
            recorder.start()  # a store down at start is opened in the background
            inbox.start()  # questions left by a dead instance, and retries that are due

        return _serve_http(app, settings, on_worker_start=on_worker_start, readiness=readiness)
    finally:
        inbox.stop()
        live.stop()
        recorder.close()


def _serve_http(app, settings: Settings, on_worker_start, readiness: ops.Readiness) -> int:
    from gunicorn.app.base import BaseApplication

    from bot.slack.http import SlackHandler

    handler = SlackHandler(app, settings.signing_secret or "", path="/slack/events")
    # /slack/events (and /slack/install, /slack/oauth_redirect), beside /healthz, /readyz, /metrics
    handler = ops.wsgi(handler, readiness)

    class Server(BaseApplication):
        def load_config(self):
            # HTTP_WORKERS processes (one per processor by default: answering is Python's
            # CPU work, one processor per process), each with many threads. They share
            # nothing but the store: its inbox claims each question for one of them, as
            # it does across instances, and /metrics adds up their figures (bot/ops.py).
            # No control socket: gunicorn would put it in ~/.gunicorn/, one for every
            # instance on the host; this app has nothing to control through it. A stop
            # waits at most 10 s for the worker (answers take milliseconds), not 30.
            # gthread with a read timeout on every connection (bot/slack/worker.py): a client
            # that stalls in its headers or body holds one of 64 threads for READ_TIMEOUT
            # seconds at most, and the others acknowledge Slack meanwhile.
            for key, value in {"bind": f"{settings.host}:{settings.port}", "workers": settings.http_workers,
                               "worker_class": "bot.slack.worker.SlackWorker", "threads": 64, "timeout": 30, "graceful_timeout": 10,
                               "keepalive": 5, "limit_request_line": 8190, "limit_request_fields": 50,
                               "limit_request_field_size": 8190, "accesslog": None, "control_socket_disable": True,
                               "loglevel": settings.log_level.lower()}.items():
                self.cfg.set(key, value)
            if ops.gunicorn_logconfig(settings.log_format):
                self.cfg.set("logconfig_dict", ops.gunicorn_logconfig(settings.log_format))

        def load(self):  # runs in the worker process
            on_worker_start()
            return handler

    log.info("starting in HTTP mode on %s:%d at /slack/events%s; /healthz, /readyz, /metrics", settings.host,
             settings.port, ", /slack/install and /slack/oauth_redirect (install by link)" if settings.oauth else "")
    Server().run()
    return 0
