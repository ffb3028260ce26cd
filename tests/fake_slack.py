"""A small fake of Slack's Web API on 127.0.0.1 that records what the app posts, and the
helpers to send the app signed requests as Slack would. Mock Slack, never our own code."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import socket
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor, wait
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


BOT_USER, BOT_ID, TEAM = "U0BOT", "B0SELF", "T0TEAM"


class FakeSlack:
    """Answers auth.test and apps.connections.open; records every other Web API call and
    every post to a response_url as (name, payload), and the token each call carried.

    For install by link it plays Slack's side too: `install(code, ...)` prepares what
    oauth.v2.access returns for a code (a workspace, or an Enterprise Grid org), refresh
    tokens are exchanged for new tokens, auth.test answers for the token it is given, and
    `errors[method] = "error_code"` makes a method fail as Slack does (HTTP 200, ok false)."""

    def __init__(self, wss_url: str | None = None, client_id: str = "111.222", client_secret: str = "client-secret"):
        self.calls: list[tuple[str, dict]] = []
        self.tokens_used: list[tuple[str, str | None]] = []  # (method, bearer token or None)
        self.client_id, self.client_secret = client_id, client_secret
        self.codes: dict[str, dict] = {}  # code -> the oauth.v2.access answer
        self.bots: dict[str, dict] = {}  # bot token -> auth.test answer
        self.refresh: dict[str, dict] = {}  # refresh token -> the bot it renews
        self.errors: dict[str, str] = {}  # method -> the error Slack answers with
        self.issued = 0
        self.times: list[float] = []  # when each call arrived (time.perf_counter)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)  # notified at every recorded call: wait_for wakes at once
        # Faults for the next calls, one each, as Slack fails at times: an HTTP status (429
        # with Retry-After 0, 500, 502 …), (status, Retry-After) for another Retry-After
        # ("20", "soon"), ("hang", seconds) for a call that answers nothing for that long,
        # or "drop" for a connection closed without an answer.
        self.fail_next: list = []
        self.released = threading.Event()  # set at close(): hung calls end
        self.wss_url = wss_url
        self.delay = 0.0  # seconds each call takes (a slow Slack)
        self.refused_tokens: set[str] = set()  # auth.test answers invalid_auth for these
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else b""
                if len(data) < length:  # the client died mid-request (killed): Slack never saw a call
                    self.close_connection = True
                    return
                raw = data.decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                name = self.path.split("/api/", 1)[1] if "/api/" in self.path else self.path
                authorization = self.headers.get("Authorization") or ""
                with fake.lock:
                    fault = fake.fail_next.pop(0) if fake.fail_next else 200
                    status, retry_after = (fault if isinstance(fault, tuple) else (fault, "0"))
                    label = name if status == 200 else f"{name} ({status})"
                    fake.calls.append((label, payload))
                    fake.tokens_used.append((name, authorization[7:] if authorization.startswith("Bearer ") else None))
                    fake.times.append(time.perf_counter())
                    fake.arrived.notify_all()
                if status == "hang":  # answers nothing until the client gives up (or the fake closes)
                    fake.released.wait(float(retry_after))
                    self.close_connection = True
                    return
                if status == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fake.delay:
                    time.sleep(fake.delay)
                if status != 200:
                    self.send_response(status)
                    self.send_header("Retry-After", str(retry_after))
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    error = "ratelimited" if status == 429 else "internal_error"
                    self.wfile.write(json.dumps({"ok": False, "error": error}).encode())
                    return
                body: dict = {"ok": True}
                token = authorization.removeprefix("Bearer ")
                if name in fake.errors:
                    body = {"ok": False, "error": fake.errors[name]}
                elif name == "oauth.v2.access":
                    body = fake._oauth(payload, authorization)
                elif name == "auth.test" and token in fake.refused_tokens:
                    body = {"ok": False, "error": "invalid_auth"}
                elif name == "auth.test" and fake.bots:
                    bot = fake.bots.get(token)
                    body = dict(bot, ok=True) if bot else {"ok": False, "error": "invalid_auth"}
                elif name == "auth.test":
                    body.update(user_id=BOT_USER, bot_id=BOT_ID, team_id=TEAM, user="mayors-assistant", team="City")
                elif name == "apps.connections.open":
                    body.update(url=fake.wss_url)
                elif name == "chat.postMessage":
                    body.update(channel=payload.get("channel"), ts=f"{time.time():.6f}")
                elif name == "chat.getPermalink":
                    ts = str(payload.get("message_ts", "")).replace(".", "")
                    body.update(permalink=f"https://city.slack.com/archives/{payload.get('channel')}/p{ts}")
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # as many clients at once as the app has threads, and more
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        # close() waits for serve_forever's next look at its shutdown flag: every 10 ms,
        # not the default 0.5 s that every test closing a fake paid once.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    def install(self, code: str, team: str | None, enterprise: str | None = None, expires_in: int | None = None) -> str:
        """What Slack's oauth.v2.access gives for `code`: a workspace's bot token (team set),
        or an org-wide install (team None, enterprise set). With expires_in, the token
        rotates: it comes with a refresh token. Returns the bot token."""
        with self.lock:
            self.issued += 1
            token = f"xoxb-{team or enterprise}-{self.issued}-secret"
        bot = {"user_id": f"U0BOT{self.issued}", "bot_id": f"B0{team or enterprise}", "team_id": team,
               "enterprise_id": enterprise, "is_enterprise_install": team is None,
               "url": f"https://{(team or enterprise).lower()}.slack.com/", "user": "mayors-assistant"}
        answer = {"ok": True, "app_id": "A0APP", "authed_user": {"id": "U0INSTALLER"}, "scope": "chat:write,commands",
                  "token_type": "bot", "access_token": token, "bot_user_id": bot["user_id"],
                  "team": {"id": team, "name": f"City {team}"} if team else None,
                  "enterprise": {"id": enterprise, "name": f"Org {enterprise}"} if enterprise else None,
                  "is_enterprise_install": team is None}
        if expires_in:
            answer.update(refresh_token=f"xoxe-1-refresh-{self.issued}", expires_in=expires_in)
            self.refresh[answer["refresh_token"]] = {"bot": bot, "expires_in": expires_in}
        self.codes[code] = answer
        self.bots[token] = bot
        return token

    def _oauth(self, payload: dict, authorization: str) -> dict:
        """oauth.v2.access: the app authenticates with its client id and secret (HTTP Basic)."""
        import base64

        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != expected:
            return {"ok": False, "error": "invalid_client_id"}
        if payload.get("grant_type") == "refresh_token":
            renewal = self.refresh.pop(payload.get("refresh_token"), None)
            if renewal is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            with self.lock:
                self.issued += 1
                # As long as Slack's rotating tokens (some 150 characters): encrypted, they outgrow
                # slack_sdk's VARCHAR(200), which PostgreSQL enforces.
                body = __import__("base64").b64encode(f"rotated-{self.issued}-".encode() * 12).decode()[:140]
                token, refresh = f"xoxe.xoxb-1-{body}-secret", f"xoxe-1-refresh-{self.issued}"
            self.bots[token] = renewal["bot"]
            self.refresh[refresh] = renewal
            return {"ok": True, "app_id": "A0APP", "token_type": "bot", "access_token": token, "refresh_token": refresh,
                    "expires_in": renewal["expires_in"], "scope": "chat:write,commands",
                    "team": {"id": renewal["bot"]["team_id"]}, "enterprise": None}
        answer = self.codes.pop(payload.get("code"), None)  # a code is good once, as at Slack
        return answer or {"ok": False, "error": "invalid_code"}

    def revoke(self, token: str) -> None:
        """The token stops working at Slack (uninstalled, revoked)."""
        self.bots.pop(token, None)

    def tokens(self, name: str) -> list[str | None]:
        """The bearer token of each call of `name`, in order."""
        with self.lock:
            return [t for n, t in self.tokens_used if n == name]

    def recorded(self, name: str) -> list[dict]:
        with self.lock:
            return [p for n, p in self.calls if n == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Bounded wait until `count` calls of `name` were recorded."""
        deadline = time.monotonic() + timeout
        with self.arrived:  # woken by each call as it is recorded, not a poll every 20 ms
            while True:
                found = [p for n, p in self.calls if n == name]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"waited {timeout}s for {count} x {name}; got {[n for n, _ in self.calls]}")
                self.arrived.wait(left)

    def clear(self) -> None:
        with self.lock:
            self.fail_next.clear()
            self.calls.clear()
            self.tokens_used.clear()
            self.errors.clear()
            self.times.clear()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlackSender:
    """Sends the app signed requests over 127.0.0.1, as Slack does."""

    def __init__(self, app_url, secret: str, fake: FakeSlack):
        """`app_url`: the app's address, or a function (data, headers) -> (status, body)
        that hands the request to the app in process."""
        self.app_url, self.fake = app_url, fake
        self.secret = secret
        self.counter = 0
        self.team = TEAM  # the workspace requests come from
        self.envelope: dict = {}  # more of the event envelope, e.g. an org-wide install's authorizations

    def sign(self, body: bytes, timestamp: str) -> str:
        digest = hmac.new(self.secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return f"v0={digest}"

    def post(self, body: str | bytes, content_type: str, timestamp: int | str | None = None,
             signature: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        data = body if isinstance(body, bytes) else body.encode()
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or self.sign(data, ts)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
                       **(headers or {})}
        if callable(self.app_url):
            return self.app_url(data, all_headers)
        request = urllib.request.Request(self.app_url, data=data, method="POST", headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict, event_id: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        self.counter += 1
        body = {"token": "t", "team_id": self.team, "api_app_id": "A0APP", "type": "event_callback",
                "event_id": event_id or f"Ev{self.counter:06d}", "event_time": int(time.time()), "event": event,
                **self.envelope}
        return self.post(json.dumps(body), "application/json", headers=headers)

    def message(self, text: str, channel_type: str = "im", channel: str = "D0DM", **extra) -> tuple[int, str]:
        self.counter += 1
        event = {"type": "message", "channel_type": channel_type, "channel": channel, "user": "U0MAYOR",
                 "text": text, "ts": f"1700000000.{self.counter:06d}", **extra}
        return self.event(event)

    def response_url(self) -> str:
        self.counter += 1
        return f"{self.fake.url}/respond/{self.counter}"

    def command(self, command: str, text: str = "", **fields) -> tuple[tuple[int, str], str]:
        url = self.response_url()
        form = {"command": command, "text": text, "user_id": "U0MAYOR", "user_name": "mayor", "channel_id": "C0CITY",
                "channel_name": "general", "team_id": self.team, "team_domain": "city", "response_url": url,
                "trigger_id": f"1.2.{self.counter}", "token": "t", "api_app_id": "A0APP", **fields}
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded"), url

    def submit_view(self, callback_id: str, private_metadata: str, values: dict) -> tuple[int, str]:
        self.counter += 1
        payload = {"type": "view_submission", "user": {"id": "U0MAYOR"}, "team": {"id": self.team}, "api_app_id": "A0APP",
                   "token": "t", "trigger_id": f"1.3.{self.counter}",
                   "view": {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
                            "state": {"values": values}}}
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(self, action_id: str, value, ephemeral: bool = False, trigger_id: str | None = None
              ) -> tuple[tuple[int, str], str]:
        url = self.response_url()
        payload = {"type": "block_actions", "user": {"id": "U0MAYOR"}, "team": {"id": self.team}, "api_app_id": "A0APP",
                   "token": "t", "trigger_id": trigger_id or f"1.2.{self.counter}", "response_url": url, "channel": {"id": "C0CITY"},
                   "container": {"type": "message", "is_ephemeral": ephemeral, "channel_id": "C0CITY"},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                                "action_ts": str(time.time())}]}
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"), url


class AppSender(SlackSender):
    """The same signed requests, handed in this process to the same WSGI front door as
    under gunicorn (bot/slack/http.py: size cap, signature, body parsing) and then to
    Bolt's `app.dispatch`: no server in between when one adds nothing."""

    def __init__(self, app, secret: str, fake: FakeSlack):
        from bot.slack.http import SlackHandler

        self.app, self.handler = app, SlackHandler(app, secret)
        super().__init__(self.wsgi, secret, fake)

    def wsgi(self, data: bytes, headers: dict) -> tuple[int, str]:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
        status: list[str] = []
        body = b"".join(self.handler(environ, lambda s, h: status.append(s)))
        return int(status[0].split()[0]), body.decode()


def eventually(check, timeout: float = 10.0, what: str = "the condition"):
    """Bounded wait until check() is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        time.sleep(0.02)


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


class RunningApp:
    """`python -m bot serve --http` (gunicorn) on 127.0.0.1, its Web API pointed at `fake`,
    its database and log in `workdir`. Stop it with stop()."""

    def __init__(self, fake: FakeSlack, workdir, secret: str = "test-signing-secret",
                 token: str = "xoxb-test-token-never-logged", env: dict | None = None, args: tuple = ()):
        import os
        import subprocess
        import sys

        self.fake = fake
        self.port = free_port()
        self.log = workdir / "app.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        full_env.update(SLACK_SIGNING_SECRET=secret, SLACK_API_URL=f"{fake.url}/api/",
                        HOST="127.0.0.1", DATABASE_URL=f"sqlite:///{workdir}/assistant.db")
        if token:  # None: install by link (give SLACK_CLIENT_ID and the rest in env)
            full_env["SLACK_BOT_TOKEN"] = token
        full_env.update(env or {})
        with open(self.log, "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", *args, "serve", "--http", "--port", str(self.port)],
                                            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # its own group: kill() ends its worker too
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/slack/events"
        deadline = time.monotonic() + 30
        while True:  # bounded wait until it answers
            try:
                urllib.request.urlopen(self.url, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # up: GET is not allowed there
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the app did not start:\n{self.log.read_text()}") from None
                time.sleep(0.02)
        self.sender = SlackSender(self.url, secret, fake)

    def kill(self) -> None:
        """SIGKILL the server and its worker at once, as when a node is lost."""
        import os
        import signal

        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


class InlineExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, run in the dispatching thread: app.dispatch returns once the
    listener finished (its reply sent, its inbox row ended), so a test that ends right
    after a reply leaves nothing running against a store it closes."""

    def __init__(self):
        super().__init__(max_workers=1)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # as a pool would keep it
            future.set_exception(exc)
        return future


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, for tests: idle() waits until every listener started so far
    has finished, so "no reply" is checked when the app is done, not after a sleep."""

    def __init__(self):
        super().__init__(max_workers=8, thread_name_prefix="listener")
        self._futures: list[Future] = []
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def idle(self, timeout: float = 10.0) -> None:
        with self._lock:
            pending = list(self._futures)
        _, not_done = wait(pending, timeout=timeout)
        assert not not_done, f"{len(not_done)} listener(s) still running after {timeout}s"


class InProcessApp:
    """The Slack app in this process: signed requests go through the same WSGI handler as
    under gunicorn (size cap, signature, body parsing) and then Bolt's `app.dispatch`; its
    Web API client talks to `fake` on 127.0.0.1. No subprocess, no port of its own."""

    def __init__(self, engine, fake: FakeSlack, env: dict | None = None, secret: str = "test-signing-secret",
                 token: str = "xoxb-test-token-never-logged"):
        from bot.settings import Settings
        from bot.slack.app import create_app
        from bot.slack.http import SlackHandler
        from bot.store import Recorder

        import tempfile

        self.fake = fake
        self._dir = tempfile.TemporaryDirectory(prefix="slack-app-")
        full_env = {"SLACK_BOT_TOKEN": token, "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": f"{fake.url}/api/",
                    "DATABASE_URL": f"sqlite:///{self._dir.name}/assistant.db", **(env or {})}
        self.settings = Settings.from_env(full_env, mode="http")
        self.recorder = Recorder.open(self.settings)
        self.executor = TrackingExecutor()
        self.app = create_app(engine, self.settings, self.recorder, executor=self.executor)
        self.handler = SlackHandler(self.app, secret)
        self.sender = SlackSender(self.wsgi, secret, fake)

    def wsgi(self, data: bytes, headers: dict) -> tuple[int, str]:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
        status: list[str] = []
        body = b"".join(self.handler(environ, lambda s, h: status.append(s)))
        return int(status[0].split()[0]), body.decode()

    def idle(self, timeout: float = 10.0) -> None:
        self.executor.idle(timeout)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self.recorder.close()
        self._dir.cleanup()
