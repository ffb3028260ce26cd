"""The safety answer: fixed, reviewed text that comes first whenever a message speaks of an
emergency or a crisis. It is decided by these patterns alone, never by a fuzzy score, and
no other answer can suppress it (the engine puts any matched answer after it).

Change the wording or the patterns only with a review, and keep tests/test_safety.py in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLE = "If this is an emergency"
TEXT = (
    "If someone is in danger right now, call 911. "
    "If you or someone you know is thinking about suicide or is in crisis, call or text 988, "
    "the Suicide & Crisis Lifeline, any time of day. "
    "This assistant cannot send help or alert anyone."
)

# Matched against clean() text: lower-case words separated by single spaces.
_PATTERNS = [
    r"\bshots? (?:being |were |have been )?fired\b",
    r"\bactive shooter\b",
    r"\b(?:shooting|shooter|gunman|gunfire) (?:right now|now|here|outside|in progress|near me)\b",
    r"\b(?:someone|somebody|man|woman|guy|person|kid|student|he|she|they) (?:has|had|with|pulled|is holding|is waving) an? (?:gun|weapon|knife|rifle|pistol)\b",
    r"\b(?:got|been|was|were|is|are|being|getting|just) shot\b",
    r"\bshot (?:dead|and (?:killed|wounded))\b",
    r"\b(?:kill|hurt|harm|shoot|end) (?:my ?self|himself|herself|themselves|themself|me|my life|his life|her life|their life|them|him|her|you|us|everyone|people|others|someone|somebody)\b",
    r"\b(?:threaten\w*|going|want\w*|plan\w*) to (?:kill|shoot|hurt|harm|attack)\b",
    r"\bsuicid\w*\b",
    r"\bself harm\b",
    r"\b(?:want|wants|wanted) to die\b",
    r"\b(?:in|having an?|mental health) crisis\b",
    r"\bcrisis (?:line|hotline|lifeline)\b",
    r"\bemergency\b",
    r"\b(?:911|988)\b",
    r"\bhostage\b",
    r"\bbomb threat\b",
]
_TRIGGER = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


# The one line after an answer on a sensitive topic asked as policy (drills, suicide
# prevention programs, past shootings): nobody is in danger, but the reader may be.
TOPIC_NOTE = "If you or someone you know is in crisis, call or text 988; in danger now, call 911."

CRISIS, TOPIC = "crisis", "topic"


@dataclass(frozen=True)
class Assessment:
    """How a message stands on safety, decided before and apart from matching.
    level: "crisis" (someone is in danger or in crisis now), "topic" (the same subjects asked
    about as policy, programs, data or history) or None. signals: what fired, for `ask --json`."""

    level: str | None
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"level": self.level, "signals": list(self.signals)}


def assess(cleaned: str) -> Assessment:
    """The safety level of a cleaned message (lower-case words separated by single spaces)."""
    found = [m.group(0) for m in _TRIGGER.finditer(cleaned)]
    return Assessment(CRISIS, tuple(found)) if found else Assessment(None)


def without_crisis(cleaned: str) -> str:
    """The message with the crisis's own words taken out, so the rest of it can still be
    answered after the safety text."""
    return without_emergency(cleaned)


def is_emergency(cleaned: str) -> bool:
    """True when the cleaned message speaks of an emergency or a crisis."""
    return _TRIGGER.search(cleaned) is not None


def without_emergency(cleaned: str) -> str:
    """The message with the emergency's own words taken out, so the rest of it can still
    be answered after the safety text."""
    return " ".join(_TRIGGER.sub(" ", cleaned).split())
