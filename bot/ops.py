"""What a city's IT needs to run the app: health, readiness, metrics and JSON logs.

- `GET /healthz`: 200 while the process answers;
- `GET /readyz`: 200 when the knowledge is loaded and the database answers, else 503 with
  the reasons (a load balancer sends no traffic to an instance that is not ready);
- `GET /metrics`: Prometheus' text format (prometheus-client);
- `LOG_FORMAT=json`: one JSON object a line.

HTTP mode serves these beside /slack/events; Socket Mode, which has no web server of its
own, serves them on HEALTH_PORT when it is set.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from slack_sdk.http_retry import RetryHandler

log = logging.getLogger("bot.ops")

# Each process counts in REGISTRY. With several gunicorn workers (HTTP_WORKERS), the
# command line sets PROMETHEUS_MULTIPROC_DIR before this import: each worker's figures then
# live in files there, and a scrape, whichever worker takes it, adds them all up.
SHARED = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
REGISTRY = CollectorRegistry()
QUESTIONS = Counter("assistant_questions", "Questions answered, by surface and outcome",
                    ["surface", "outcome"], registry=REGISTRY)
ANSWER_SECONDS = Histogram("assistant_answer_seconds", "Time to work out one answer (matching and rendering data)",
                           buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0), registry=REGISTRY)
SLACK_ERRORS = Counter("assistant_slack_api_errors", "Slack Web API calls that failed (each attempt), by method and error",
                       ["method", "error"], registry=REGISTRY)
STORE_WRITE_FAILURES = Counter("assistant_store_write_failures", "Writes to the store that failed (the answer still went out)",
                               registry=REGISTRY)
KNOWLEDGE_RELOADS = Counter("assistant_knowledge_reloads", "Edits to the knowledge files, loaded or refused",
                            ["result"], registry=REGISTRY)
INBOX = Counter("assistant_inbox_questions", "Questions through the inbox, by how each ended: done (Slack accepted "
                "the reply), failed (Slack refused it for good), expired (too old to answer), retried (tried again later)",
                ["result"], registry=REGISTRY)


class _Installed(Collector):
    """assistant_installed_workspaces, read from the store at each scrape (the same figure
    in every worker, so it is counted once, not added up)."""

    count: Callable[[], int] | None = None

    def collect(self):
        family = GaugeMetricFamily("assistant_installed_workspaces",
                                   "Workspaces (and Enterprise Grid orgs) the app is installed in")
        if self.count is not None:
            try:
                family.add_metric([], float(self.count()))
            except Exception as exc:  # a failing count reads -1
                log.warning("cannot count installed workspaces (%s)", type(exc).__name__)
                family.add_metric([], -1.0)
        else:
            family.add_metric([], 0.0)
        yield family


INSTALLED = _Installed()
REGISTRY.register(INSTALLED)


def installed_from(count: Callable[[], int]) -> None:
    """The installed-workspaces gauge reads `count` at each scrape."""
    INSTALLED.count = count


def metrics_text() -> bytes:
    """/metrics: this process's figures, or, with several workers, all of theirs."""
    if not SHARED:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(INSTALLED)
    return generate_latest(registry)


class SlackErrorMetrics(RetryHandler):
    """Counts every failed Web API attempt by method. Put first among a client's retry
    handlers: slack_sdk shows them every response, and this one never asks for a retry."""

    def can_retry(self, *, state, request, response=None, error=None) -> bool:
        method = request.url.rsplit("/", 1)[-1].split("?")[0]
        if error is not None:
            SLACK_ERRORS.labels(method, type(error).__name__).inc()
        elif response is not None and response.status_code != 200:
            SLACK_ERRORS.labels(method, f"http_{response.status_code}").inc()
        elif response is not None and isinstance(response.body, dict) and response.body.get("ok") is False:
            SLACK_ERRORS.labels(method, str(response.body.get("error") or "unknown")[:64]).inc()
        return False

    def _can_retry(self, **kwargs) -> bool:  # required by the base class; can_retry above decides
        return False


class TimedLive:
    """The knowledge holder as listeners see it, with every answer timed for the histogram."""

    def __init__(self, live):
        self._live = live

    @property
    def engine(self):
        return _TimedEngine(self._live.engine)

    def __getattr__(self, name):
        return getattr(self._live, name)


class _TimedEngine:
    TIMED = ("ask", "answer_intent", "fallback")

    def __init__(self, engine):
        self._engine = engine

    def __getattr__(self, name):
        value = getattr(self._engine, name)
        if name not in self.TIMED:
            return value

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                ANSWER_SECONDS.observe(time.perf_counter() - started)

        return timed


class Readiness:
    """Ready: knowledge loaded, and the database answers a query. Otherwise the reasons."""

    def __init__(self, live, recorder):
        self.live, self.recorder = live, recorder

    def reasons(self) -> list[str]:
        reasons = []
        engine = getattr(self.live, "engine", None)
        if engine is None or not engine.knowledge.intents:
            reasons.append("knowledge: not loaded")
        store = self.recorder.store
        if store is None:
            reasons.append("database: could not be opened at start (see the log)")
        else:
            try:
                with store.engine.connect() as conn:
                    conn.exec_driver_sql("SELECT 1")
            except Exception as exc:
                from bot.store import describe

                reasons.append(f"database: {describe(exc)}")
        return reasons


def ops_response(path: str, readiness: Readiness) -> tuple[str, str, bytes] | None:
    """(status, content type, body) for an operations path; None for any other path."""
    if path == "/healthz":
        return "200 OK", "text/plain; charset=utf-8", b"ok\n"
    if path == "/readyz":
        reasons = readiness.reasons()
        body = json.dumps({"ready": not reasons, "reasons": reasons}).encode() + b"\n"
        return ("503 Service Unavailable" if reasons else "200 OK"), "application/json", body
    if path == "/metrics":
        return "200 OK", CONTENT_TYPE_LATEST, metrics_text()
    return None


def wsgi(slack_handler, readiness: Readiness):
    """One WSGI application: the operations endpoints (GET), and Bolt for everything else
    (/slack/events, /slack/install, /slack/oauth_redirect)."""
    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            answer = ops_response(environ.get("PATH_INFO", ""), readiness)
            if answer is not None:
                status, content_type, body = answer
                start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                        ("Cache-Control", "no-store")])
                return [body]
        return slack_handler(environ, start_response)

    return application


def serve_health(host: str, port: int, readiness: Readiness):
    """Socket Mode: the operations endpoints on their own port, in a daemon thread."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):  # probes every few seconds: not worth a log line each
            pass

    class Threading(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    def not_found(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    server = make_server(host, port, wsgi(not_found, readiness), server_class=Threading, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    log.info("health and metrics on %s:%d (/healthz, /readyz, /metrics)", host, port)
    return server


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, process id, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "pid": record.process,
                 "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# The process id tells the HTTP worker processes (HTTP_WORKERS) apart, as gunicorn's own lines do.
TEXT_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """The process's log: text lines, or JSON ones (LOG_FORMAT=json). Like basicConfig, it
    leaves a log that is already set up (a host's, a test runner's) as it is."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])


def gunicorn_logconfig(log_format: str) -> dict | None:
    """gunicorn's own lines (start, workers) in the same format: a dictConfig for it."""
    if log_format != "json":
        return None
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": "bot.ops.JsonFormatter"}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
                         "error_console": {"class": "logging.StreamHandler", "formatter": "json",
                                           "stream": "ext://sys.stderr"}},
            "root": {"level": "INFO", "handlers": ["console"]},
            "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
                        # no access log, as in text mode: Slack's posts and health probes are many
                        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False}}}
