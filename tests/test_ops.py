"""What a city's IT watches: /healthz, /readyz (503 with the reason when the database is
down), /metrics in Prometheus' text format, JSON logs. In process through the app's own
WSGI application (Bolt's handler behind it), and end to end under gunicorn and in Socket
Mode with HEALTH_PORT."""

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from wsgiref.util import setup_testing_defaults

import pytest
from cryptography.fernet import Fernet
from prometheus_client.parser import text_string_to_metric_families
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import create_engine, text

from bot import ops
from bot.reload import LiveEngine
from bot.slack.app import create_app
from bot.slack.settings import Settings
from bot.store import Recorder, database_url
from conftest import POSTGRES_SERVER, ROOT
from fake_slack import AppSender, FakeSlack, RunningApp, TrackingExecutor, eventually, free_port
from fake_socket import FakeSocketMode


def get(application, path):
    """A GET through a WSGI application, as gunicorn would make it."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path}
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], body.decode()


def metric(body: str, name: str, **labels) -> float:
    """A sample's value from Prometheus' text format; 0 when absent."""
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


class Running:
    def __init__(self, engine, url, env=None, fake=None):
        self.fake = fake or FakeSlack()
        env = env or {"SLACK_BOT_TOKEN": "xoxb-ops"}
        self.settings = Settings.from_env({**env, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": f"{self.fake.url}/api/",
                                           "DATABASE_URL": url}, mode="http")
        self.recorder = Recorder.open(self.settings)
        self.live = LiveEngine(engine.knowledge_root, engine)
        self.listeners = TrackingExecutor()
        self.app = create_app(self.live, self.settings, self.recorder, executor=self.listeners)
        self.readiness = ops.Readiness(self.live, self.recorder)
        self.wsgi = ops.wsgi(SlackRequestHandler(self.app), self.readiness)
        self.sender = AppSender(self.app, "s", self.fake)

    def idle(self) -> None:
        self.listeners.idle(timeout=15)
        self.listeners.shutdown()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/db/assistant.db"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def running(engine, url):
    r = Running(engine, url)
    yield r
    r.idle()  # every listener done before its store and Slack go
    r.fake.close()
    r.recorder.close()


def test_healthz_answers_and_readyz_is_ready(running):
    status, headers, body = get(running.wsgi, "/healthz")
    assert status == 200 and body == "ok\n"
    status, headers, body = get(running.wsgi, "/readyz")
    assert status == 200 and json.loads(body) == {"ready": True, "reasons": []}
    assert headers["Cache-Control"] == "no-store"


def test_readyz_is_503_with_the_reason_when_the_database_is_down(running, url):
    if url.startswith("sqlite"):
        running.recorder.store.engine.dispose()
        shutil.rmtree(os.path.dirname(url[len("sqlite:///"):]))  # the disk it was on is gone
        restore = None
    else:
        name = url.rsplit("/", 1)[1]
        admin = create_engine(database_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # the server refuses this database, and drops who is on it
            conn.execute(text(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))

        def restore():
            with admin.connect() as conn:
                conn.execute(text(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
            admin.dispose()
    try:
        status, _, body = get(running.wsgi, "/readyz")
        assert status == 503
        answer = json.loads(body)
        assert answer["ready"] is False and len(answer["reasons"]) == 1
        assert answer["reasons"][0].startswith("database: OperationalError")
        assert get(running.wsgi, "/healthz")[0] == 200  # alive, just not ready
        if restore:
            restore()
            restore = None
            assert eventually(lambda: get(running.wsgi, "/readyz")[0] == 200, what="ready again")
    finally:
        if restore:
            restore()


def test_readyz_without_a_store_says_so(engine):
    readiness = ops.Readiness(LiveEngine(engine.knowledge_root, engine), Recorder(None))
    status, _, body = get(ops.wsgi(None, readiness), "/readyz")
    assert status == 503 and json.loads(body)["reasons"] == ["database: could not be opened at start (see the log)"]


def test_slack_requests_still_reach_bolt_behind_the_ops_paths(running):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/slack/events"}
    setup_testing_defaults(environ)
    statuses = []
    running.wsgi(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["404 Not Found"]  # Bolt's handler answered: events are POSTed


def test_metrics_count_questions_latency_slack_errors_and_store_failures(running):
    before = get(running.wsgi, "/metrics")[2]
    running.sender.message("who founded mayors against illegal guns?")
    running.sender.message("when is trash pickup on my street")
    running.fake.wait_for("chat.postMessage", 2)
    running.fake.errors["chat.postMessage"] = "channel_not_found"
    running.sender.message("what is cvi", channel="D0GONE")
    running.fake.wait_for("chat.postMessage")
    eventually(lambda: metric(get(running.wsgi, "/metrics")[2], "assistant_slack_api_errors_total",
                              method="chat.postMessage", error="channel_not_found") >
               metric(before, "assistant_slack_api_errors_total", method="chat.postMessage", error="channel_not_found"),
               what="the Slack error counted")
    with running.recorder.store.engine.begin() as conn:
        conn.execute(text("DROP TABLE questions"))
    running.fake.errors.clear()
    running.sender.message("what is brady")
    eventually(lambda: len(running.fake.recorded("chat.postMessage")) >= 4, what="the answer despite the store")
    status, headers, after = get(running.wsgi, "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=")

    def grew(name, **labels):
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert grew("assistant_questions_total", surface="dm", outcome="answer") == 3
    assert grew("assistant_questions_total", surface="dm", outcome="fallback") == 1
    assert grew("assistant_answer_seconds_count") == 4
    assert grew("assistant_store_write_failures_total") >= 1
    assert metric(after, "assistant_installed_workspaces") == 1.0


def test_metrics_count_knowledge_reloads_loaded_and_refused(engine, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(engine.knowledge_root, knowledge)
    live = LiveEngine(knowledge)
    body = lambda: get(ops.wsgi(None, ops.Readiness(live, Recorder(None))), "/metrics")[2]  # noqa: E731
    before = body()
    synonyms = knowledge / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text() + "\n")
    os.utime(synonyms, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert live.check() is True
    synonyms.write_text("broken: [yaml\n")
    os.utime(synonyms, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert live.check() is False
    after = body()
    assert metric(after, "assistant_knowledge_reloads_total", result="loaded") - \
        metric(before, "assistant_knowledge_reloads_total", result="loaded") == 1
    assert metric(after, "assistant_knowledge_reloads_total", result="refused") - \
        metric(before, "assistant_knowledge_reloads_total", result="refused") == 1


def test_metrics_count_the_installed_workspaces(engine, url):
    fake = FakeSlack()
    env = {"SLACK_CLIENT_ID": fake.client_id, "SLACK_CLIENT_SECRET": fake.client_secret,
           "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    try:
        running = Running(engine, url, env, fake)
        store = running.app.installation_store
        from slack_sdk.oauth.installation_store import Installation

        assert metric(get(running.wsgi, "/metrics")[2], "assistant_installed_workspaces") == 0
        for team in ("T1", "T2", "T2"):  # a reinstall is one workspace still
            store.save(Installation(app_id="A0APP", team_id=team, bot_token=f"xoxb-{team}", bot_id="B0", user_id="U1"))
        assert metric(get(running.wsgi, "/metrics")[2], "assistant_installed_workspaces") == 2
        store.delete_all(enterprise_id=None, team_id="T1")
        assert metric(get(running.wsgi, "/metrics")[2], "assistant_installed_workspaces") == 1
        running.idle()
        running.recorder.close()
    finally:
        fake.close()


@pytest.mark.e2e
def test_under_gunicorn_with_json_logs(tmp_path):
    fake = FakeSlack()
    app = RunningApp(fake, tmp_path, env={"LOG_FORMAT": "json"})
    try:
        with urllib.request.urlopen(f"{app.base}/healthz", timeout=5) as r:
            assert r.status == 200
        with urllib.request.urlopen(f"{app.base}/readyz", timeout=5) as r:
            assert json.loads(r.read())["ready"] is True
        app.sender.message("what is cvi")
        fake.wait_for("chat.postMessage")
        with urllib.request.urlopen(f"{app.base}/metrics", timeout=5) as r:
            body = r.read().decode()
        assert metric(body, "assistant_questions_total", surface="dm", outcome="answer") == 1
    finally:
        app.stop()
        fake.close()
    lines = [line for line in app.log.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line, gunicorn's included, is one JSON object
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    assert any(e["logger"] == "bot.slack" and e["message"].startswith("answered") for e in entries)
    assert any(e["logger"].startswith("gunicorn") for e in entries)
    assert "xoxb-test-token-never-logged" not in app.log.read_text()


@pytest.mark.e2e
def test_two_worker_processes_answer_each_question_once_and_metrics_add_them_up(tmp_path):
    fake = FakeSlack()
    app = RunningApp(fake, tmp_path, env={"HTTP_WORKERS": "2"})
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:  # at once, so both workers take some
            statuses = list(pool.map(lambda n: app.sender.message("what is cvi", channel=f"D{n:05d}")[0], range(60)))
        assert statuses == [200] * 60
        fake.wait_for("chat.postMessage", 60)
        def scrape() -> str:
            with urllib.request.urlopen(f"{app.base}/metrics", timeout=5) as r:
                return r.read().decode()

        # a row is marked done just after its reply lands
        eventually(lambda: metric(scrape(), "assistant_inbox_questions_total", result="done") == 60, 10, "60 done")
        for _ in range(6):  # whichever worker takes the scrape, the figures are the app's
            body = scrape()
            assert metric(body, "assistant_questions_total", surface="dm", outcome="answer") == 60
            assert metric(body, "assistant_inbox_questions_total", result="done") == 60
            assert metric(body, "assistant_installed_workspaces") == 1
    finally:
        app.stop()
        fake.close()
    channels = [p["channel"] for p in fake.recorded("chat.postMessage")]
    assert sorted(channels) == [f"D{n:05d}" for n in range(60)]  # each answered, once
    log = app.log.read_text()
    assert log.count("Booting worker") == 2
    answered_by = {line.split()[2] for line in log.splitlines() if " answered Ev" in line}  # [pid]
    assert len(answered_by) == 2, "both worker processes answered some"  # so the sums above add two up
    assert "Traceback" not in log


@pytest.mark.e2e
def test_socket_mode_serves_health_on_health_port(tmp_path):
    ws = FakeSocketMode()
    fake = FakeSlack(wss_url=ws.url)
    connected = []

    def accept():  # the app connects to the fake Socket Mode endpoint; health does not wait for it
        try:
            ws.accept()
            connected.append(True)
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-t", SLACK_APP_TOKEN="xapp-t", SLACK_API_URL=f"{fake.url}/api/", HOST="127.0.0.1",
               HEALTH_PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/assistant.db")
    log = open(tmp_path / "app.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--socket"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)

    def up():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                return r.status == 200
        except OSError:
            assert process.poll() is None, (tmp_path / "app.log").read_text()
            return False

    try:
        eventually(up, timeout=30, what="HEALTH_PORT to answer")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
            assert json.loads(r.read())["ready"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            assert metric(r.read().decode(), "assistant_installed_workspaces") == 1
        eventually(lambda: connected, what="the app's Socket Mode connection")  # it is the Socket Mode app
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        ws.close()
        fake.close()


def test_json_log_lines_carry_the_exception():
    stream = io.StringIO()
    handler = __import__("logging").StreamHandler(stream)
    handler.setFormatter(ops.JsonFormatter())
    logger = __import__("logging").getLogger("bot.test.json")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("it failed: %s", "here")
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["level"] == "ERROR" and entry["message"] == "it failed: here" and "ValueError: boom" in entry["exception"]
