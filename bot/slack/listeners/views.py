"""The 👎 modal: an optional "what was wrong?", stored with the vote."""

from __future__ import annotations

import json

FEEDBACK_MODAL = "feedback_comment"


def feedback_modal(fields: dict) -> dict:
    return {
        "type": "modal", "callback_id": FEEDBACK_MODAL,
        "title": {"type": "plain_text", "text": "What was wrong?"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Skip"},
        "private_metadata": json.dumps({"i": fields.get("i"), "q": fields.get("q")}),
        "blocks": [{"type": "input", "block_id": "comment", "optional": True,
                    "label": {"type": "plain_text", "text": "Tell the curators (optional)"},
                    "element": {"type": "plain_text_input", "action_id": "comment", "multiline": True, "max_length": 1000}}],
    }


def register(app, deps) -> None:
    @app.view(FEEDBACK_MODAL)
    def comment(ack, body, view):
        ack()
        said = (view.get("state", {}).get("values", {}).get("comment", {}).get("comment", {}).get("value") or "").strip()
        if not said:
            return
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        deps.recorder.event("comment", intent=meta.get("i"), question_id=meta.get("q"),
                            user_id=body.get("user", {}).get("id"), text=said, team_id=body.get("team", {}).get("id"))
