"""Direct messages, @mentions and the App Home tab."""

from __future__ import annotations

import logging

from bot.render.blocks import render
from bot.render.home import home_view

log = logging.getLogger("bot.slack")


def register(app, live, seen) -> None:
    def reply(event, body, client, thread_ts) -> None:
        # One reply per question: Slack redelivers (X-Slack-Retry-Num) and a DM that
        # mentions the app arrives twice, as message.im and app_mention.
        if not seen.first(body.get("event_id"), f"{event.get('channel')}:{event.get('ts')}"):
            return
        answer = live.engine.ask(event.get("text") or "")
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, **render(answer))
        log.info("answered %s in %s: %s %s", body.get("event_id"), event.get("channel"), answer.outcome, answer.intent)

    def is_person_message(event) -> bool:
        # Not edits, deletions, joins or other subtypes; not bots, this app included.
        return event.get("subtype") is None and not event.get("bot_id") and event.get("channel_type") == "im"

    @app.event("message", matchers=[lambda event: is_person_message(event)])
    def direct_message(event, body, client):
        reply(event, body, client, event.get("thread_ts"))

    @app.event("message")
    def other_message():  # subtypes, bot messages, channel messages: nothing to say
        pass

    @app.event("app_mention")
    def mention(event, body, client):
        if event.get("bot_id") or event.get("subtype"):
            return
        reply(event, body, client, event.get("thread_ts") or event["ts"])

    @app.event("app_home_opened")
    def home(event, client):
        if event.get("tab", "home") == "home":
            client.views_publish(user_id=event["user"], view=home_view(live.engine.knowledge))
