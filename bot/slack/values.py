"""The one protocol of every button's value: a small typed record, JSON on the wire.

encode() cuts the question text *before* JSON-encoding, by its encoded length, so the
value always fits Slack's 2,000 characters and always parses (a question of 1,500 quote
marks doubles when escaped); decode() accepts only the right types, so a tampered or
stale value is refused as a whole instead of half-read.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

VALUE_MAX = 2000  # Slack's limit on a button's value
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SLACK_ID = re.compile(r"^[A-Z0-9]{1,32}$")
_TS = re.compile(r"^\d{1,12}\.\d{1,8}$")
WHY = ("down", "fallback")


class BadValue(ValueError):
    """A button value that is not ours, or not any more."""


@dataclass(frozen=True)
class ButtonValue:
    i: str | None = None  # the intent the button is about
    q: int | None = None  # the recorded question's id
    t: str | None = None  # the question as asked (cut to fit)
    c: str | None = None  # the channel it was asked in
    ts: str | None = None  # the message it was asked in
    why: str | None = None  # for "Ask a person": "down" (after a 👎) or "fallback"

    def __post_init__(self) -> None:
        checks = (
            ("i", self.i is None or isinstance(self.i, str) and _ID.match(self.i)),
            ("q", self.q is None or type(self.q) is int and 0 < self.q < 2**63),
            ("t", self.t is None or isinstance(self.t, str)),
            ("c", self.c is None or isinstance(self.c, str) and _SLACK_ID.match(self.c)),
            ("ts", self.ts is None or isinstance(self.ts, str) and _TS.match(self.ts)),
            ("why", self.why is None or self.why in WHY),
        )
        wrong = [name for name, ok in checks if not ok]
        if wrong:
            raise BadValue(f"wrong type or form of {', '.join(wrong)}")

    def encode(self, limit: int = VALUE_MAX) -> str:
        fields = {k: v for k, v in asdict(self).items() if v is not None and k != "t"}
        head = json.dumps(fields, ensure_ascii=False)
        if self.t is None:
            return head
        room = limit - len(head) - len(', "t": ""')
        return json.dumps({**fields, "t": fit(self.t, room)}, ensure_ascii=False)

    @classmethod
    def decode(cls, value: object, plain: str = "i") -> "ButtonValue":
        """A value from Slack. A plain string (messages from before the JSON values) is
        the field `plain`. BadValue for anything else."""
        if not isinstance(value, str) or not value:
            raise BadValue("no value")
        if not value.startswith("{"):
            return cls(t=value) if plain == "t" else cls(i=value)
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            raise BadValue("not JSON") from None
        if not isinstance(data, dict) or not set(data) <= set(cls.__dataclass_fields__):
            raise BadValue("unknown fields")
        return cls(**data)

    def context(self) -> dict:
        """The fields the renderer carries on to the next buttons."""
        return {"q": self.q, "t": self.t, "c": self.c, "ts": self.ts}


def fit(text: str, room: int) -> str:
    """The longest start of `text` whose JSON string form is at most `room` characters."""
    if len(json.dumps(text, ensure_ascii=False)) - 2 <= room:
        return text
    out, used = [], 0
    for ch in text:
        size = len(json.dumps(ch, ensure_ascii=False)) - 2
        if used + size > room - 1:  # keep room for the ellipsis
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


CONTEXT_TEXT = 900  # room for the question in a value the renderer builds from a context


def context(q: int | None = None, t: str | None = None, c: str | None = None, ts: str | None = None) -> dict:
    """A context for bot.render.blocks.render: the question cut so every button built
    from it stays whole JSON within Slack's limit."""
    return {"q": q, "t": fit(t, CONTEXT_TEXT) if t else t, "c": c, "ts": ts}


def fitted(answer):
    """The answer with its question cut the same way (it rides on "Share in channel")."""
    from dataclasses import replace

    return replace(answer, question=fit(answer.question, CONTEXT_TEXT)) if answer.question else answer
