"""The 👎 modal: an optional "what was wrong?", stored with the vote."""

from __future__ import annotations

import logging

from bot.slack import listeners
from bot.slack.values import BadValue, ButtonValue

log = logging.getLogger("bot.slack")

FEEDBACK_MODAL = "feedback_comment"


def feedback_modal(fields: dict) -> dict:
    return {
        "type": "modal", "callback_id": FEEDBACK_MODAL,
        "title": {"type": "plain_text", "text": "What was wrong?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "private_metadata": ButtonValue(i=fields.get("i"), q=fields.get("q")).encode(),
        "blocks": [{"type": "input", "block_id": "comment", "optional": True,
                    "label": {"type": "plain_text", "text": "Tell the curators (optional)"},
                    "element": {"type": "plain_text_input", "action_id": "comment", "multiline": True, "max_length": 1000}}],
    }


def register(app, deps) -> None:
    @app.view(FEEDBACK_MODAL)
    @listeners.guarded("feedback form")
    def comment(ack, body, view):
        ack()
        said = (view.get("state", {}).get("values", {}).get("comment", {}).get("comment", {}).get("value") or "").strip()
        if not said:
            return
        try:
            meta = ButtonValue.decode(view.get("private_metadata") or "{}")
        except (BadValue, TypeError) as exc:
            log.info("a feedback form's metadata was refused (%s)", exc)
            meta = ButtonValue()
        deps.recorder.event("comment", intent=meta.i, question_id=meta.q,
                            user_id=(body.get("user") or {}).get("id"), text=said[:1000])
