"""A small fake of Slack's Web API on 127.0.0.1 that records what the app posts, and the
helpers to send the app signed requests as Slack would. Mock Slack, never our own code."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_sdk.signature import SignatureVerifier

BOT_USER, BOT_ID, TEAM = "U0BOT", "B0SELF", "T0TEAM"


class FakeSlack:
    """Answers auth.test and apps.connections.open; records every other Web API call and
    every post to a response_url as (name, payload)."""

    def __init__(self, wss_url: str | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.times: list[float] = []  # when each call arrived (time.perf_counter)
        self.lock = threading.Lock()
        self.fail_next: list[int] = []  # HTTP statuses to answer the next calls with (429, 500)
        self.wss_url = wss_url
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                name = self.path.split("/api/", 1)[1] if "/api/" in self.path else self.path
                with fake.lock:
                    status = fake.fail_next.pop(0) if fake.fail_next else 200
                    fake.calls.append((name if status == 200 else f"{name} ({status})", payload))
                    fake.times.append(time.perf_counter())
                if status != 200:
                    self.send_response(status)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"ok": false, "error": "ratelimited"}')
                    return
                body = {"ok": True}
                if name == "auth.test":
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

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def recorded(self, name: str) -> list[dict]:
        with self.lock:
            return [p for n, p in self.calls if n == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Bounded wait until `count` calls of `name` were recorded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.recorded(name)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"waited {timeout}s for {count} x {name}; got {[n for n, _ in self.calls]}")

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
            self.times.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlackSender:
    """Sends the app signed requests over 127.0.0.1, as Slack does."""

    def __init__(self, app_url: str, secret: str, fake: FakeSlack):
        self.app_url, self.fake = app_url, fake
        self.verifier = SignatureVerifier(secret)
        self.counter = 0

    def post(self, body: str, content_type: str, timestamp: int | None = None, signature: str | None = None,
             headers: dict | None = None) -> tuple[int, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or self.verifier.generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(self.app_url, data=body.encode(), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict, event_id: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        self.counter += 1
        body = {"token": "t", "team_id": TEAM, "api_app_id": "A0APP", "type": "event_callback",
                "event_id": event_id or f"Ev{self.counter:06d}", "event_time": int(time.time()), "event": event}
        return self.post(json.dumps(body), "application/json", headers=headers)

    def message(self, text: str, channel_type: str = "im", channel: str = "D0DM", **extra) -> tuple[int, str]:
        self.counter += 1
        event = {"type": "message", "channel_type": channel_type, "channel": channel, "user": "U0MAYOR",
                 "text": text, "ts": f"1700000000.{self.counter:06d}", **extra}
        return self.event(event)

    def response_url(self) -> str:
        self.counter += 1
        return f"{self.fake.url}/respond/{self.counter}"

    def command(self, command: str, text: str = "") -> tuple[tuple[int, str], str]:
        url = self.response_url()
        form = {"command": command, "text": text, "user_id": "U0MAYOR", "user_name": "mayor", "channel_id": "C0CITY",
                "team_id": TEAM, "response_url": url, "trigger_id": "1.2.3", "token": "t", "api_app_id": "A0APP"}
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded"), url

    def submit_view(self, callback_id: str, private_metadata: str, values: dict) -> tuple[int, str]:
        payload = {"type": "view_submission", "user": {"id": "U0MAYOR"}, "team": {"id": TEAM}, "api_app_id": "A0APP",
                   "token": "t", "trigger_id": "1.2.4",
                   "view": {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
                            "state": {"values": values}}}
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, ephemeral: bool = False) -> tuple[tuple[int, str], str]:
        url = self.response_url()
        payload = {"type": "block_actions", "user": {"id": "U0MAYOR"}, "team": {"id": TEAM}, "api_app_id": "A0APP",
                   "token": "t", "trigger_id": "1.2.3", "response_url": url, "channel": {"id": "C0CITY"},
                   "container": {"type": "message", "is_ephemeral": ephemeral, "channel_id": "C0CITY"},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                                "action_ts": str(time.time())}]}
        return self.post(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"), url


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


class RunningApp:
    """`python -m bot serve --http` (gunicorn) on 127.0.0.1, its Web API pointed at `fake`,
    its database and log in `workdir`. Stop it with stop()."""

    def __init__(self, fake: FakeSlack, workdir, secret: str = "test-signing-secret",
                 token: str = "xoxb-test-token-never-logged", env: dict | None = None, args: tuple = ()):
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.log = workdir / "app.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        full_env.update(SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET=secret, SLACK_API_URL=f"{fake.url}/api/",
                        HOST="127.0.0.1", DATABASE_URL=f"sqlite:///{workdir}/assistant.db")
        full_env.update(env or {})
        with open(self.log, "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", *args, "serve", "--http", "--port", str(self.port)],
                                            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
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
                    raise RuntimeError(f"the app did not start:\n{self.log.read_text()}")
                time.sleep(0.1)
        self.sender = SlackSender(self.url, secret, fake)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
