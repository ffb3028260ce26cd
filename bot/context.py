"""What a conversation is about, carried from one answer to the next: ids only.

A Context holds the resources the last answer was about, its intent and the kind of fact
it asked for; never the question's text. Each surface keeps one per conversation (a DM or
its thread, a thread under a mention, the terminal chat, a `conversation` of `ask --json`)
and hands it to Engine.ask with the next message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    resources: tuple[str, ...] = ()  # what the answer was about, the main one first
    intent: str | None = None
    asks: str | None = None  # the fact kind the question asked for ("founded", "led_by" …)

    def to_dict(self) -> dict:
        return {"resources": list(self.resources), "intent": self.intent, "asks": self.asks}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | None) -> "Context | None":
        """A stored context, or None when there is none or it cannot be read."""
        try:
            data = json.loads(text or "")
            resources = tuple(str(r) for r in data.get("resources") or ())
            intent, asks = data.get("intent"), data.get("asks")
        except (ValueError, TypeError, AttributeError):
            return None
        if not resources and not intent:
            return None
        return cls(resources, intent if isinstance(intent, str) else None, asks if isinstance(asks, str) else None)


def of(answer) -> Context | None:
    """The context an answer leaves; None when it was about nothing (a fallback, a "Did you
    mean", small talk), so the conversation keeps what it was about before."""
    if answer.outcome not in ("answer", "safety") or not (answer.about or answer.resources):
        return None
    resources = answer.about or tuple(r.id for r in answer.resources)
    return Context(tuple(resources), answer.intent if answer.intent != "safety" else None, answer.asks)
