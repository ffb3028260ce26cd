"""Buttons: a choice or follow-up answers in place; None of these; 👍/👎 (👎 asks what
was wrong); Share in channel; Ask a person."""

from __future__ import annotations

import logging
import re

from bot.render.blocks import (
    ASK, CHOOSE, FEEDBACK, HANDOFF, NONE_OF_THESE, PICK, SHARE, button, button_value, escape, read_value, render,
)
from bot.slack.conversation import button_conversation
from bot.slack.listeners.views import feedback_modal

log = logging.getLogger("bot.slack")


def register(app, deps) -> None:
    def in_ephemeral(body) -> bool:
        return body.get("container", {}).get("is_ephemeral", False)

    def user(body) -> str | None:
        return body.get("user", {}).get("id")

    @app.action(re.compile(rf"^({PICK}|{CHOOSE}):\d+$"))
    def pick(ack, action, body, respond):
        ack()
        engine = deps.live.engine
        fields = read_value(action.get("value"))
        intent = fields.get("i")
        if intent not in engine.knowledge.intents:
            respond(replace_original=False, response_type="ephemeral", text="That choice is no longer available; please ask again.")
            return
        answer = engine.answer_intent(intent, fields.get("t"))
        deps.recorder.remember(button_conversation(body), answer)  # a pick sets what the talk is about
        if action["action_id"].startswith(CHOOSE):  # "Did you mean" picked: the curators learn from it
            deps.recorder.event("choose", intent=intent, question_id=fields.get("q"), user_id=user(body), text=fields.get("t"))
        qid = deps.recorder.question("button", fields.get("t") or answer.title, answer,
                                     team_id=body.get("team", {}).get("id"), channel_id=body.get("channel", {}).get("id"),
                                     user_id=user(body))
        context = {"q": qid, "t": fields.get("t"), "c": fields.get("c"), "ts": fields.get("ts")}
        respond(replace_original=True, **render(answer, shareable=in_ephemeral(body), context=context))

    @app.action(re.compile(rf"^{ASK}:\d+$"))
    def ask(ack, action, body, respond):
        """A follow-up button ("Who founded it?"): its question, asked as if typed."""
        ack()
        fields = read_value(action.get("value"))
        question = fields.get("t")
        if not isinstance(question, str) or not question.strip():
            respond(replace_original=False, response_type="ephemeral", text="That choice is no longer available; please ask again.")
            return
        conversation = button_conversation(body)
        answer = deps.live.engine.ask(question, context=deps.recorder.context(conversation))
        deps.recorder.remember(conversation, answer)
        qid = deps.recorder.question("button", question, answer, team_id=body.get("team", {}).get("id"),
                                     channel_id=body.get("channel", {}).get("id"), user_id=user(body))
        respond(replace_original=False, **render(answer, shareable=in_ephemeral(body),
                                                 context={"q": qid, "t": question, "c": body.get("channel", {}).get("id")}))

    @app.action(NONE_OF_THESE)
    def none_of_these(ack, action, body, respond):
        ack()
        value = action.get("value") or ""
        fields = read_value(value) if value.startswith("{") else {"t": value}
        deps.recorder.event("none", question_id=fields.get("q"), user_id=user(body), text=fields.get("t"))
        answer = deps.live.engine.fallback(fields.get("t") or "")
        respond(replace_original=True, **render(answer, context=fields, handoff=bool(deps.handoff_channel)))

    @app.action(re.compile(rf"^{FEEDBACK}:(up|down)$"))
    def feedback(ack, action, body, client, respond):
        ack()
        vote = action["action_id"].split(":")[1]
        fields = read_value(action.get("value"))
        deps.recorder.event(vote, intent=fields.get("i"), question_id=fields.get("q"), user_id=user(body))
        if vote == "up":
            respond(replace_original=False, response_type="ephemeral", text="Thanks, noted.")
            return
        if body.get("trigger_id"):  # a small, optional "what was wrong?"
            client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(fields))
        reply = {"replace_original": False, "response_type": "ephemeral",
                 "text": "Thanks for telling us; we'll use it to improve the answers."}
        if deps.handoff_channel:
            reply["blocks"] = [
                {"type": "section", "text": {"type": "mrkdwn", "text": reply["text"]}},
                {"type": "actions", "elements": [button("Ask a person", HANDOFF, button_value(why="down", **fields))]}]
        respond(**reply)

    @app.action(SHARE)
    def share(ack, action, body, client, respond):
        ack()
        engine = deps.live.engine
        asked = read_value(action.get("value"))
        intent, question = asked.get("i"), asked.get("t") or ""
        answer = engine.answer_intent(intent, question) if intent in engine.knowledge.intents else engine.ask(question)
        deps.recorder.remember(button_conversation(body), answer)
        client.chat_postMessage(channel=body["channel"]["id"], **render(answer, shared_by=user(body)))
        respond(delete_original=True)

    @app.action(HANDOFF)
    def handoff(ack, action, body, client, respond):
        ack()
        if not deps.handoff_channel:
            respond(replace_original=False, response_type="ephemeral", text="Hand-off to a person is not set up here.")
            return
        fields = read_value(action.get("value"))
        channel = fields.get("c") or body.get("channel", {}).get("id")
        where = f"<#{channel}>" if channel else "a conversation with the assistant"
        if channel and fields.get("ts"):
            try:
                where = f"<{client.chat_getPermalink(channel=channel, message_ts=fields['ts'])['permalink']}|the conversation>"
            except Exception as exc:  # the channel mention still leads there
                log.warning("no permalink for the hand-off (%s)", type(exc).__name__)
        intent = fields.get("i")
        why = (f"rated the answer \u201c{deps.live.engine.knowledge.intents[intent].title}\u201d 👎"
               if fields.get("why") == "down" and intent in deps.live.engine.knowledge.intents else "got no answer from the assistant")
        question = escape(fields.get("t") or "(the question was not kept)")
        client.chat_postMessage(channel=deps.handoff_channel, unfurl_links=False,
                                text=f":raising_hand: <@{user(body)}> asked: \u201c{question}\u201d and {why}. See {where}.")
        deps.recorder.event("handoff", intent=intent, question_id=fields.get("q"), user_id=user(body))
        respond(replace_original=False, response_type="ephemeral",
                text=f"I've passed your question to the staff in <#{deps.handoff_channel}>; someone will follow up with you.")
