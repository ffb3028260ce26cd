"""Calls to Slack that finish: what is retried, for how long, and what ends an answer.

slack_sdk's own handlers retry 500 and 503 only (not 502 or 504), fail on a Retry-After
that is not a number, and have no budget in time. One handler here covers rate limits
(Retry-After honoured up to a cap; a date or nonsense counts as a second), 500/502/503/504,
dropped connections and timeouts, with exponential backoff and jitter, inside a total
budget per call. When the budget is spent (or Slack asks for a wait above the cap) the
call fails, and the inbox (bot/slack/inbox.py) tries the whole answer again later.

Errors that will not heal (`channel_not_found`, `not_in_channel`, `invalid_auth` …) are
not retried: the answer ends there, logged once without a traceback.
"""

from __future__ import annotations

import http.client
import logging
import random
import time
from urllib.error import URLError

from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient

log = logging.getLogger("bot.slack")

RETRY_STATUSES = (429, 500, 502, 503, 504)
# ok:false errors that say "try again later" rather than "this will never work"
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
                    "team_added_to_org"}
NETWORK_ERRORS = (OSError, URLError, http.client.HTTPException)  # resets, refusals, timeouts, half answers


def retry_after(headers) -> float | None:
    """Retry-After in seconds: a number of seconds, else (an HTTP date, junk) one second."""
    if not headers:
        return None
    for name, value in dict(headers).items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, (list, tuple)) else value
            try:
                seconds = float(str(value).strip())
            except ValueError:
                return 1.0
            return max(0.0, seconds) if seconds == seconds else 1.0  # NaN
    return None


class SlackRetry(RetryHandler):
    """One retry policy for the Web API client and response_url posts."""

    def __init__(self, budget: float = 10.0, cap: float = 5.0, base: float = 0.2, max_attempts: int = 8):
        super().__init__(max_retry_count=max_attempts)
        self.budget, self.cap, self.base = budget, cap, base

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if response is not None:
            if response.status_code not in RETRY_STATUSES:
                return False
        elif error is None or not isinstance(error, NETWORK_ERRORS):
            return False
        delay = self._delay(state, response)
        if delay is None:
            return False
        custom = state.custom_values if state.custom_values is not None else {}
        state.custom_values = custom
        started = custom.setdefault("started", time.monotonic())
        if time.monotonic() - started + delay > self.budget:
            return False
        custom["delay"] = delay
        return True

    def _delay(self, state, response) -> float | None:
        if response is not None and response.status_code == 429:
            wait = retry_after(response.headers)
            if wait is not None:
                return None if wait > self.cap else wait + random.uniform(0, 0.1)
        backoff = min(self.cap, self.base * (2 ** state.current_attempt))
        return backoff / 2 + random.uniform(0, backoff / 2)

    def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:
        state.next_attempt_requested = True
        time.sleep((state.custom_values or {}).get("delay", self.base))
        state.increment_current_attempt()


class ResponseUrlError(Exception):
    """A post to a response_url that Slack did not accept (slack_sdk returns these quietly)."""

    def __init__(self, status: int, body: str, headers=None):
        super().__init__(f"response_url answered HTTP {status}")
        self.status, self.error, self.headers = status, (body or "").strip()[:64] or f"http_{status}", headers


class CheckedRespond(Respond):
    """Bolt's respond(), with our timeout and retries, raising when Slack refuses the post."""

    def __init__(self, *, response_url, timeout: float, retry: SlackRetry, proxy=None, ssl=None):
        super().__init__(response_url=response_url, proxy=proxy, ssl=ssl)
        self.timeout, self.retry = timeout, retry

    def __call__(self, text="", blocks=None, attachments=None, response_type=None, replace_original=None,
                 delete_original=None, unfurl_links=None, unfurl_media=None, thread_ts=None, metadata=None):
        from slack_bolt.context.respond.internals import _build_message

        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):
            message = _build_message(**text)
        else:
            message = _build_message(text=text, blocks=blocks, attachments=attachments, response_type=response_type,
                                     replace_original=replace_original, delete_original=delete_original,
                                     unfurl_links=unfurl_links, unfurl_media=unfurl_media, thread_ts=thread_ts,
                                     metadata=metadata)
        client = WebhookClient(url=self.response_url, proxy=self.proxy, ssl=self.ssl,
                               timeout=self.timeout,  # type: ignore[arg-type]  # urllib takes a float
                               retry_handlers=[self.retry])
        response = client.send_dict(message)
        if response.status_code != 200:
            raise ResponseUrlError(response.status_code, response.body, response.headers)
        return response


def classify(exc: BaseException) -> tuple[str, str, float]:
    """(what to do, why, in how many seconds): ("later", code, delay) for what may heal,
    ("end", code, 0) for what will not, ("bug", class, 0) for an error of ours."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", 200)
        code = (response.get("error") if hasattr(response, "get") else None) or f"http_{status}"
        if status == 429 or code == "ratelimited":
            return "later", "ratelimited", retry_after(getattr(response, "headers", None)) or 5.0
        if status >= 500 or code in TRANSIENT_ERRORS:
            return "later", code, 2.0
        return "end", str(code)[:64], 0.0
    if isinstance(exc, ResponseUrlError):
        if exc.status == 429:
            return "later", "ratelimited", retry_after(exc.headers) or 5.0
        if exc.status >= 500:
            return "later", f"http_{exc.status}", 2.0
        return "end", exc.error, 0.0
    if isinstance(exc, NETWORK_ERRORS):
        return "later", type(exc).__name__, 2.0
    return "bug", type(exc).__name__, 0.0
