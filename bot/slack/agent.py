"""Slack's agent surface (`features.agent_view`): when someone opens the app's Messages
tab, offer the suggested prompts. Under agent_view the prompts are set on the channel,
with no thread_ts (with one, Slack fails silently). A workspace without the feature, or
any error from the call, changes nothing: the DM assistant answers as it always did."""

from __future__ import annotations

import logging

from bot.manifest import PROMPTS_TITLE, suggested_prompts

log = logging.getLogger("bot.slack")


def register(app, deps) -> None:
    @app.event("app_home_opened", matchers=[lambda event: event.get("tab") == "messages"])
    def messages_tab(event, client):
        prompts = suggested_prompts(deps.live.engine.knowledge)
        if not prompts or not event.get("channel"):
            return
        try:
            client.assistant_threads_setSuggestedPrompts(channel_id=event["channel"], title=PROMPTS_TITLE, prompts=prompts)
        except Exception as exc:  # not enabled there, not allowed, Slack down: the DM works as before
            error = getattr(getattr(exc, "response", None), "data", None) or {}
            log.info("suggested prompts not set in %s (%s %s)", event.get("channel"), type(exc).__name__,
                     error.get("error", "") if isinstance(error, dict) else "")
