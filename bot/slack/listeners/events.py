"""Direct messages, @mentions and the App Home tab."""

from __future__ import annotations

import logging

from bot.render.blocks import render
from bot.render.home import home_view
from bot.slack import listeners
from bot.slack.conversation import conversation_key
from bot.slack.values import context, fitted

log = logging.getLogger("bot.slack")

# A person's message: plain, or with files attached (answered from its text, if any).
PERSON_SUBTYPES = (None, "file_share")


def register(app, deps) -> None:
    def reply(event, body, client, surface: str, thread_ts) -> None:
        # One reply per question: Slack redelivers (X-Slack-Retry-Num) and a DM that
        # mentions the app arrives twice, as message.im and app_mention; the inbox
        # (bot/slack/inbox.py) lets one of them through, across instances.
        text = event.get("text") or ""  # empty (a file alone, a bare mention): the engine answers with help
        # A follow-up leans on what this conversation was about: the DM (or the thread in it)
        # or the thread under a mention.
        conversation = conversation_key(body.get("team_id") or event.get("team"), event.get("channel"), thread_ts)
        engine = deps.live.engine
        answer = engine.ask(text, context=deps.recorder.context(conversation) if engine.may_lean_back(text) else None)
        deps.recorder.remember(conversation, answer)  # before the reply: a follow-up may come at once
        qid = deps.recorder.question(surface, text, answer, team_id=body.get("team_id"),
                                     channel_id=event.get("channel"), user_id=event.get("user"))
        where = context(q=qid, t=text, c=event.get("channel"), ts=event.get("ts"))
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts,
                                **render(fitted(answer), context=where, handoff=bool(deps.handoff(body.get("team_id")))))
        log.info("answered %s: %s %s", body.get("event_id"), answer.outcome, answer.intent)

    def is_person_message(event) -> bool:
        # Not edits, deletions, joins or other subtypes; not bots, this app included.
        return (event.get("subtype") in PERSON_SUBTYPES and not event.get("bot_id")
                and event.get("channel_type") == "im")

    @app.event("message", matchers=[lambda event: is_person_message(event)])
    @listeners.guarded("direct message")
    def direct_message(event, body, client):
        reply(event, body, client, "dm", event.get("thread_ts"))

    @app.event("message")
    def other_message():  # subtypes, bot messages, channel messages: nothing to say
        pass

    @app.event("app_mention")
    @listeners.guarded("mention")
    def mention(event, body, client):
        if event.get("bot_id") or event.get("subtype") not in PERSON_SUBTYPES:
            return
        reply(event, body, client, "mention", event.get("thread_ts") or event["ts"])

    @app.event("app_home_opened")
    @listeners.guarded("App Home")
    def home(event, client):
        if event.get("tab", "home") == "home":
            client.views_publish(user_id=event["user"], view=home_view(deps.live.engine.knowledge))
