"""Buttons: a choice or follow-up answers in place; None of these; 👍/👎; Share in channel."""

from __future__ import annotations

import json
import logging
import re

from bot.render.blocks import FEEDBACK, NONE_OF_THESE, PICK, SHARE, render

log = logging.getLogger("bot.slack")


def register(app, live) -> None:
    def in_ephemeral(body) -> bool:
        return body.get("container", {}).get("is_ephemeral", False)

    @app.action(re.compile(rf"^{PICK}:\d+$"))
    def pick(ack, action, body, respond):
        ack()
        engine = live.engine
        intent = action.get("value", "")
        if intent not in engine.knowledge.intents:
            respond(replace_original=False, response_type="ephemeral", text="That choice is no longer available; please ask again.")
            return
        answer = engine.answer_intent(intent)
        respond(replace_original=True, **render(answer, shareable=in_ephemeral(body)))

    @app.action(NONE_OF_THESE)
    def none_of_these(ack, action, body, respond):
        ack()
        answer = live.engine.fallback(action.get("value", ""))
        respond(replace_original=True, **render(answer, shareable=False))

    @app.action(re.compile(rf"^{FEEDBACK}:(up|down)$"))
    def feedback(ack, action, body, respond):
        ack()
        vote = action["action_id"].split(":")[1]
        log.info("feedback %s on %s", vote, action.get("value"))
        respond(replace_original=False, response_type="ephemeral",
                text="Thanks, noted." if vote == "up" else "Thanks for telling us; we'll use it to improve the answers.")

    @app.action(SHARE)
    def share(ack, action, body, client, respond):
        ack()
        try:
            asked = json.loads(action.get("value") or "{}")
        except ValueError:
            asked = {}
        intent, question = asked.get("intent"), asked.get("question") or ""
        engine = live.engine
        answer = engine.answer_intent(intent, question) if intent in engine.knowledge.intents else engine.ask(question)
        client.chat_postMessage(channel=body["channel"]["id"], **render(answer, shared_by=body["user"]["id"]))
        respond(delete_original=True)
