"""`python -m bot serve`: Socket Mode (no public URL) or HTTP behind gunicorn."""

from __future__ import annotations

import logging
import sys

from bot import ops
from bot.engine import Engine
from bot.reload import LiveEngine
from bot.slack.app import create_app
from bot.slack.settings import MissingSettings, Settings, from_env
from bot.store import Recorder

log = logging.getLogger("bot.slack")


def serve(engine: Engine, mode: str | None = None, port: int | None = None) -> int:
    """Serve on Slack; edits to the knowledge files are picked up while it runs."""
    try:
        settings = from_env(mode, port)
    except MissingSettings as exc:
        print(exc, file=sys.stderr)
        return 2
    ops.configure_logging(settings.log_format)
    live = LiveEngine(engine.knowledge_root, engine)
    recorder = Recorder.from_env()
    app = create_app(live, settings, recorder)
    readiness = ops.Readiness(live, recorder)
    if settings.mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("starting in Socket Mode")
        if settings.health_port:
            ops.serve_health(settings.host, settings.health_port, readiness)
        live.start(settings.reload_seconds)
        SocketModeHandler(app, settings.app_token).start()
        return 0
    # gunicorn forks its worker, and threads do not survive a fork: the watcher starts there.
    return _serve_http(app, settings, on_worker_start=lambda: live.start(settings.reload_seconds), readiness=readiness)


def _serve_http(app, settings: Settings, on_worker_start, readiness: ops.Readiness) -> int:
    from gunicorn.app.base import BaseApplication
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    # /slack/events (and /slack/install, /slack/oauth_redirect), beside /healthz, /readyz, /metrics
    handler = ops.wsgi(SlackRequestHandler(app, path="/slack/events"), readiness)

    class Server(BaseApplication):
        def load_config(self):
            # One process, many threads: the knowledge and the redelivery memory are shared.
            for key, value in {"bind": f"{settings.host}:{settings.port}", "workers": 1, "worker_class": "gthread",
                               "threads": 16, "timeout": 30, "accesslog": None}.items():
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
