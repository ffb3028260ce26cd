"""Buttons: a choice or follow-up answers in place; None of these; 👍/👎 (👎 asks what
was wrong); Share in channel; Ask a person. Every value is read through one protocol
(bot/slack/values.py): a value of the wrong shape gets "please ask again", nothing else."""

from __future__ import annotations

import logging
import re

from bot.render.blocks import ASK, CHOOSE, FEEDBACK, HANDOFF, NONE_OF_THESE, PICK, SHARE, button, escape, render
from bot.slack import listeners
from bot.slack.conversation import button_conversation
from bot.slack.listeners.views import feedback_modal
from bot.slack.values import BadValue, ButtonValue, context, fitted

log = logging.getLogger("bot.slack")

ASK_AGAIN = "That button no longer works here; please ask your question again."


def register(app, deps) -> None:
    def in_ephemeral(body) -> bool:
        return bool((body.get("container") or {}).get("is_ephemeral", False))

    def user(body) -> str | None:
        return (body.get("user") or {}).get("id")

    def read(action, respond, plain: str = "i") -> ButtonValue | None:
        try:
            return ButtonValue.decode(action.get("value"), plain)
        except (BadValue, TypeError) as exc:
            log.info("a button value was refused (%s)", exc)
            respond(replace_original=False, response_type="ephemeral", text=ASK_AGAIN)
            return None

    @app.action(re.compile(rf"^({PICK}|{CHOOSE}):\d+$"))
    @listeners.guarded("choice button")
    def pick(ack, action, body, respond):
        ack()
        engine = deps.live.engine
        value = read(action, respond)
        if value is None:
            return
        if value.i not in engine.knowledge.intents:
            respond(replace_original=False, response_type="ephemeral", text="That choice is no longer available; please ask again.")
            return
        answer = engine.answer_intent(value.i, value.t)
        deps.recorder.remember(button_conversation(body), answer)  # a pick sets what the talk is about
        if action["action_id"].startswith(CHOOSE):  # "Did you mean" picked: the curators learn from it
            deps.recorder.event("choose", intent=value.i, question_id=value.q, user_id=user(body), text=value.t)
        qid = deps.recorder.question("button", value.t or answer.title, answer,
                                     team_id=(body.get("team") or {}).get("id"),
                                     channel_id=(body.get("channel") or {}).get("id"), user_id=user(body))
        where = context(q=qid, t=value.t, c=value.c, ts=value.ts)
        respond(replace_original=True, **render(fitted(answer), shareable=in_ephemeral(body), context=where))

    @app.action(re.compile(rf"^{ASK}:\d+$"))
    @listeners.guarded("follow-up question")
    def ask(ack, action, body, respond):
        """A follow-up button ("Who founded it?"): its question, asked as if typed."""
        ack()
        value = read(action, respond)
        if value is None:
            return
        question = value.t
        if not question or not question.strip():
            respond(replace_original=False, response_type="ephemeral", text="That choice is no longer available; please ask again.")
            return
        conversation = button_conversation(body)
        answer = deps.live.engine.ask(question, context=deps.recorder.context(conversation))
        deps.recorder.remember(conversation, answer)
        channel = (body.get("channel") or {}).get("id")
        qid = deps.recorder.question("button", question, answer, team_id=(body.get("team") or {}).get("id"),
                                     channel_id=channel, user_id=user(body))
        respond(replace_original=False, **render(fitted(answer), shareable=in_ephemeral(body),
                                                 context=context(q=qid, t=question, c=channel)))

    @app.action(NONE_OF_THESE)
    @listeners.guarded("None of these")
    def none_of_these(ack, action, body, respond):
        ack()
        value = read(action, respond, plain="t")
        if value is None:
            return
        deps.recorder.event("none", question_id=value.q, user_id=user(body), text=value.t)
        answer = deps.live.engine.fallback(value.t or "")
        respond(replace_original=True, **render(fitted(answer), context=context(**value.context()),
                                                handoff=bool(deps.handoff_channel)))

    @app.action(re.compile(rf"^{FEEDBACK}:(up|down)$"))
    @listeners.guarded("feedback")
    def feedback(ack, action, body, client, respond):
        ack()
        vote = action["action_id"].split(":")[1]
        value = read(action, respond)
        if value is None:
            return
        deps.recorder.event(vote, intent=value.i, question_id=value.q, user_id=user(body))
        if vote == "up":
            respond(replace_original=False, response_type="ephemeral", text="Thanks, noted.")
            return
        if body.get("trigger_id"):  # a small, optional "what was wrong?"
            client.views_open(trigger_id=body["trigger_id"], view=feedback_modal({"i": value.i, "q": value.q}))
        reply = {"replace_original": False, "response_type": "ephemeral",
                 "text": "Thanks for telling us; we'll use it to improve the answers."}
        if deps.handoff_channel:
            handoff_value = ButtonValue(i=value.i, q=value.q, t=value.t, c=value.c, ts=value.ts, why="down")
            reply["blocks"] = [
                {"type": "section", "text": {"type": "mrkdwn", "text": reply["text"]}},
                {"type": "actions", "elements": [button("Ask a person", HANDOFF, handoff_value.encode())]}]
        respond(**reply)

    @app.action(SHARE)
    @listeners.guarded("Share in channel")
    def share(ack, action, body, client, respond):
        ack()
        engine = deps.live.engine
        value = read(action, respond)
        if value is None:
            return
        question = value.t or ""
        answer = engine.answer_intent(value.i, question) if value.i in engine.knowledge.intents else engine.ask(question)
        deps.recorder.remember(button_conversation(body), answer)
        client.chat_postMessage(channel=body["channel"]["id"], **render(fitted(answer), shared_by=user(body)))
        respond(delete_original=True)

    @app.action(HANDOFF)
    @listeners.guarded("Ask a person")
    def handoff(ack, action, body, client, respond):
        ack()
        if not deps.handoff_channel:
            respond(replace_original=False, response_type="ephemeral", text="Hand-off to a person is not set up here.")
            return
        value = read(action, respond)
        if value is None:
            return
        channel = value.c or (body.get("channel") or {}).get("id")
        where = f"<#{channel}>" if channel else "a conversation with the assistant"
        if channel and value.ts:
            try:
                where = f"<{client.chat_getPermalink(channel=channel, message_ts=value.ts)['permalink']}|the conversation>"
            except Exception as exc:  # the channel mention still leads there
                log.warning("no permalink for the hand-off (%s)", type(exc).__name__)
        intents = deps.live.engine.knowledge.intents
        why = (f"rated the answer \u201c{intents[value.i].title}\u201d 👎"
               if value.why == "down" and value.i in intents else "got no answer from the assistant")
        question = escape(value.t or "(the question was not kept)")
        client.chat_postMessage(channel=deps.handoff_channel, unfurl_links=False,
                                text=f":raising_hand: <@{user(body)}> asked: \u201c{question}\u201d and {why}. See {where}.")
        deps.recorder.event("handoff", intent=value.i, question_id=value.q, user_id=user(body))
        respond(replace_original=False, response_type="ephemeral",
                text=f"I've passed your question to the staff in <#{deps.handoff_channel}>; someone will follow up with you.")
