"""HTTP mode's front door: what reaches Bolt has a capped size, a valid signature and a body
that parses, and what does not is answered 4xx with one log line and no traceback.

Bolt's own body parser (slack_bolt/request/internals.py, parse_body) takes any form body
with the substring "payload" anywhere - in a question, a channel or user name - for an
interactivity payload, and the request ends in 404. Here a form body is a payload only
when it has a `payload` *field*.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any, Iterable
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context, build_normalized_headers, extract_content_type

log = logging.getLogger("bot.slack.http")

MAX_BODY = 1 << 20  # 1 MiB: far above any event, command or interaction Slack sends
MAX_SKEW = 5 * 60  # seconds between Slack's timestamp and our clock, as Slack advises


class BadRequest(Exception):
    """A request we refuse: its HTTP status and a short reason for the log (never the body)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def parse_body(raw: str, content_type: str | None) -> dict[str, Any]:
    """A Slack request body as a dict: JSON (events), a form (slash commands), or a form
    whose `payload` field is JSON (interactivity). BadRequest when it is none of these."""
    if not raw:
        return {}
    if content_type == "application/json" or raw.startswith("{"):
        data = _json(raw)
    else:
        fields = dict(parse_qsl(raw, keep_blank_values=True))
        data = _json(fields["payload"]) if "payload" in fields else fields
    if not isinstance(data, dict):
        raise BadRequest(400, "the body is not a JSON object")
    return data


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise BadRequest(400, "the body nests too deeply") from None
    except ValueError:
        raise BadRequest(400, "the body is not valid JSON") from None


class SlackRequest(BoltRequest):
    """A BoltRequest for HTTP mode whose body is parsed by parse_body above."""

    def __init__(self, *, body: str, query=None, headers=None, context=None):
        parsed = parse_body(body, extract_content_type(build_normalized_headers(headers)))
        super().__init__(body="", query=query, headers=headers, context=context, mode="http")
        self.raw_body = body
        self.body = parsed
        self.context = build_context(BoltContext(context if context else {}), parsed)

    def to_copyable(self) -> "SlackRequest":
        return SlackRequest(body=self.raw_body, query=self.query, headers=self.headers,
                            context=self.context.to_copyable())


class SlackHandler(SlackRequestHandler):
    """The WSGI app for `serve --http`: POST /slack/events is checked here, then
    dispatched to Bolt; every other route is Bolt's adapter's (404, or OAuth pages)."""

    def __init__(self, app: App, signing_secret: str, path: str = "/slack/events", max_body: int = MAX_BODY):
        super().__init__(app, path=path)
        self.secret = signing_secret.encode()
        self.max_body = max_body

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return super().__call__(environ, start_response)
        try:
            response = self._events(WsgiHttpRequest(environ))
        except BadRequest as refused:
            log.warning("refused a request to %s: %s (HTTP %d)", self.path, refused.reason, refused.status)
            response = WsgiHttpResponse(status=refused.status, headers={"content-type": ["application/json"]},
                                        body=json.dumps({"error": refused.reason}))
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _events(self, request: WsgiHttpRequest) -> WsgiHttpResponse:
        raw = self._read(request.environ)
        headers = request.get_headers()
        self._verify(raw, headers)  # before anything reads the body
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(400, "the body is not UTF-8") from None
        bolt_response = self.app.dispatch(SlackRequest(body=body, query=request.query_string, headers=headers))
        return WsgiHttpResponse(status=bolt_response.status, headers=bolt_response.headers, body=bolt_response.body)

    def _read(self, environ) -> bytes:
        length_header = environ.get("CONTENT_LENGTH") or ""
        if length_header:
            if not length_header.isdigit():
                raise BadRequest(400, "Content-Length is not a number")
            if int(length_header) > self.max_body:
                raise BadRequest(413, f"the body is over {self.max_body} bytes")
            want = int(length_header)
        else:  # chunked: read one byte past the cap to know it is over
            want = self.max_body + 1
        stream = environ.get("wsgi.input")
        raw = stream.read(want) if stream is not None and want else b""
        if len(raw) > self.max_body:
            raise BadRequest(413, f"the body is over {self.max_body} bytes")
        return raw

    def _verify(self, raw: bytes, headers: dict) -> None:
        """Slack's v0 signature over the raw bytes, as https://api.slack.com/authentication/verifying-requests-from-slack describes."""
        timestamp = str(headers.get("x-slack-request-timestamp") or "")
        signature = str(headers.get("x-slack-signature") or "")
        if not timestamp.isdigit() or not signature:
            raise BadRequest(401, "no valid Slack signature headers")
        if abs(time.time() - int(timestamp)) > MAX_SKEW:
            raise BadRequest(401, "the Slack timestamp is more than 5 minutes off our clock")
        digest = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace")):
            raise BadRequest(401, "the Slack signature does not match")
