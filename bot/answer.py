"""The Answer: plain data that every surface renders (terminal text, JSON, Slack blocks).

Its JSON form (to_dict) is a stable contract read by other tools: add fields, never rename
or remove one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.knowledge import Fact, Resource
from bot.safety import Assessment

OUTCOMES = ("answer", "clarify", "fallback", "safety")


@dataclass(frozen=True)
class Choice:
    """An intent offered as a button: a follow-up, a "Did you mean" or a topic."""

    intent: str
    title: str
    ask: str | None = None  # a follow-up question to ask ("Who founded Brady?"), not an intent to show


@dataclass(frozen=True)
class Answer:
    question: str
    outcome: str  # one of OUTCOMES
    intent: str | None  # the intent answered; "safety" for the safety answer
    score: float  # 0-100, the best intent's score
    title: str
    text: str
    resources: tuple[Resource, ...] = ()
    follow_ups: tuple[Choice, ...] = ()
    suggestions: tuple[Choice, ...] = ()  # "Did you mean" choices, or topics on a fallback
    source: str | None = None  # the page the answer's facts come from
    safety: Assessment = Assessment(None)  # the message's safety level and what fired
    fact: Fact | None = None  # the fact the question asked for, which the text leads with
    gap: str | None = None  # what was asked that the page does not say ("contact", "money" …)
    about: tuple[str, ...] = ()  # the resources the answer is about, for follow-ups
    asks: str | None = None  # the kind of fact the question asked for, for follow-ups
    context: "Context | None" = None  # what was carried over from earlier turns, when it decided

    @property
    def matched(self) -> bool:
        return self.outcome in ("answer", "safety")

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "outcome": self.outcome,
            "matched": self.matched,
            "intent": self.intent,
            "score": self.score,
            "title": self.title,
            "text": self.text,
            "resources": [
                {"id": r.id, "name": r.name, "kind": r.kind, "url": r.url, "summary": r.summary, "url_note": r.url_note}
                for r in self.resources
            ],
            "follow_ups": [{"intent": c.intent, "title": c.title, **({"ask": c.ask} if c.ask else {})} for c in self.follow_ups],
            "suggestions": [{"intent": c.intent, "title": c.title} for c in self.suggestions],
            "source": self.source,
            "safety": self.safety.to_dict(),
            "fact": {"kind": self.fact.kind, "says": self.fact.says, "quote": self.fact.quote} if self.fact else None,
            "gap": self.gap,
            "context": self.context.to_dict() if self.context else None,
        }
