"""Never lose a question, end to end: the real app under its server (`python -m bot serve
--http`, gunicorn), signed requests over 127.0.0.1, the fake Web API; killed with SIGKILL,
started again, and attacked by clients that stall. On SQLite and on PostgreSQL."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.settings import default_http_workers
from fake_slack import FakeSlack, RunningApp, eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def fake():
    fake = FakeSlack()
    yield fake
    fake.close()


def replies(fake) -> list[str]:
    return [p["channel"] for p in fake.recorded("chat.postMessage")]


def test_killed_after_acknowledging_300_questions_every_one_is_answered_after_a_restart(tmp_path, fake, database):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    # A 2 s lease (the default is 10 s): the restart waits for the dead instance's claims to
    # lapse, and a live instance renews its own every lease/4 = 0.5 s, far within it.
    env = {"DATABASE_URL": database, "INBOX_LEASE_SECONDS": "2"}
    app = RunningApp(fake, tmp_path / "one", env=env)
    fake.delay = 0.1  # a slow Slack: the answers lag the acknowledgements
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(lambda n: app.sender.message("who founded maig", channel=f"D{n:05d}")[0],
                                     range(300)))
        assert statuses == [200] * 300  # every one acknowledged…
        app.kill()  # …and the process gone at once
    finally:
        app.stop()
    answered_before = len(set(replies(fake)))
    assert answered_before < 300
    fake.delay = 0.0
    restarted = time.monotonic()
    again = RunningApp(fake, tmp_path / "two", env=env)
    try:
        eventually(lambda: len(set(replies(fake))) == 300, 30, "all 300 answered after the restart")
        assert time.monotonic() - restarted < 30
        every = replies(fake)
        # Twice only what was in flight when it died: Slack had it, the store had not heard
        # yet; at most WORKER_THREADS (32) answers at once in each of its worker processes.
        assert len(every) - 300 <= 32 * default_http_workers(), f"{len(every) - 300} answered twice"
    finally:
        again.stop()


def test_sixteen_stalled_connections_leave_acknowledgements_fast(tmp_path, fake, database):
    app = RunningApp(fake, tmp_path, env={"DATABASE_URL": database})
    stalled: list[socket.socket] = []
    try:
        assert app.sender.message("what is cvi")[0] == 200  # warm
        for _ in range(16):  # unsigned, headers sent, then nothing: the body never comes
            s = socket.create_connection(("127.0.0.1", app.port), timeout=5)
            s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 5000\r\n\r\n{\"type\"")
            stalled.append(s)
        for _ in range(16):  # and half a request line
            s = socket.create_connection(("127.0.0.1", app.port), timeout=5)
            s.sendall(b"POST /slack/eve")
            stalled.append(s)
        time.sleep(0.2)  # let the server take them all (a positive wait would need the server's insides)
        took = []
        for n in range(20):
            started = time.perf_counter()
            status, _ = app.sender.message("who founded maig", channel=f"D0FAST{n}")
            took.append(time.perf_counter() - started)
            assert status == 200
        assert max(took) < 0.1, f"slowest acknowledgement {max(took) * 1000:.0f} ms"
        eventually(lambda: len([c for c in replies(fake) if c.startswith("D0FAST")]) == 20, 10, "20 answers")
    finally:
        for s in stalled:
            s.close()
        app.stop()


class Switch:
    """A TCP forwarder on 127.0.0.1 to PostgreSQL that is off (every connection closed at
    once, as a server that is down) until switched on."""

    def __init__(self, target=("127.0.0.1", 5432)):
        import threading

        self.target, self.on = target, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.on.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target, timeout=5)
            for s in (client, upstream):  # no Nagle: each forwarded piece goes at once, as without the switch
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            a.settimeout(None)
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        for s in self.sockets:
            s.close()


def test_two_instances_with_postgresql_down_at_start_answer_once_after_it_returns(tmp_path, fake, fresh_postgres_url):
    switch = Switch()
    url = fresh_postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{switch.port}")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = RunningApp(fake, tmp_path / "a", env={"DATABASE_URL": url})
    second = RunningApp(fake, tmp_path / "b", env={"DATABASE_URL": url})
    try:
        event = {"type": "message", "channel_type": "im", "channel": "D0DOWN", "user": "U0MAYOR",
                 "ts": "1700000700.000001", "text": "what does the atf do"}
        assert first.sender.event(event, event_id="EvDOWN")[0] == 200  # answered without the store
        # Maybe answered elsewhere, and nothing to ask: Slack is told to bring it back later.
        assert second.sender.event(event, event_id="EvDOWN", headers={"X-Slack-Retry-Num": "1"})[0] == 503
        fake.wait_for("chat.postMessage")
        switch.on.set()  # PostgreSQL is back
        for app in (first, second):  # in each of its worker processes
            eventually(lambda app=app: app.log.read_text().count("the question store is open again")
                       == default_http_workers(), 20, "the store reopened")
        fake.clear()
        for n in range(100):  # each delivered to one instance and redelivered to the other
            event = {**event, "ts": f"1700000800.{n:06d}", "channel": f"D0BACK{n:03d}"}
            assert first.sender.event(event, event_id=f"EvB{n}")[0] == 200
            assert second.sender.event(event, event_id=f"EvB{n}", headers={"X-Slack-Retry-Num": "1"})[0] == 200
        eventually(lambda: len(set(replies(fake))) == 100, 20, "100 answers")
        for app in (first, second):  # both answered some? either way: none twice
            assert "Traceback" not in app.log.read_text()
        for app in (first, second):  # both stopped at once: each stop waits for its worker
            app.process.terminate()
        first.stop()
        second.stop()
        assert len(replies(fake)) == 100
    finally:
        first.stop()
        second.stop()
        switch.close()
