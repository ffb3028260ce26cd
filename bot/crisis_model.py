"""A second reader of danger: a small logistic model over words, word pairs and letter
groups, trained offline on our labelled sets (scripts/train_crisis_model.py) and kept
as plain data (knowledge/crisis_model.json). Pure Python at run time, no import beyond the
standard library.

Why beside the signal grammar of bot/safety.py: the grammar names what it knows ("shots
fired", "kill myself"); people in danger say it in ways no list foresees ("my bf just fired
a shot into the wall next to my head", "been up all nite thinking of ways to die"). Letter
groups carry typos and slang; words and pairs carry the shape of a report of danger now
as against a question about policy. The engine treats a message as a crisis when either
reader says so; the model's two bars (nothing read by the grammar; read as policy talk)
are chosen in the training set's own cross-validation so that ordinary and policy
messages keep their answers.
"""

from __future__ import annotations

import json
import math
from itertools import repeat
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "crisis_model.json"


def features(cleaned: str) -> list[str]:
    """Words, word pairs and 3-5 letter groups of the cleaned message (lower-case words)."""
    words = cleaned.split()[:200]
    out = [f"w:{w}" for w in words]
    out += [f"b:{a} {b}" for a, b in zip(words, words[1:])]  # noqa: B905 - one shorter by design
    for w in words:
        out += _letter_groups(w)
    return out


@lru_cache(maxsize=65536)
def _letter_groups(word: str) -> tuple[str, ...]:
    """A word's 3-5 letter groups, padded: words recur, so each is cut up once."""
    padded = f"<{word}>"
    return tuple(f"c:{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def probability(weights: dict[str, float], bias: float, found: set[str]) -> float:
    """The logistic model over a message's features, each worth 1/sqrt(how many it has):
    a long message is not more alarming for having more words and letter groups."""
    if not found:
        return 1.0 / (1.0 + math.exp(-bias))
    score = bias + sum(map(weights.get, found, repeat(0.0, len(found)))) / math.sqrt(len(found))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


class CrisisModel:
    def __init__(self, weights: dict[str, float], bias: float, threshold: float, over_topic: float):
        """`threshold`: a crisis from this probability in a message the grammar finds nothing
        in; `over_topic`: in one the grammar reads as policy talk (both chosen in training)."""
        self.weights, self.bias, self.threshold, self.over_topic = weights, bias, threshold, over_topic

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "CrisisModel | None":
        """The model, or None when its file is missing or unreadable (the grammar alone then
        decides, as before the model existed)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = data["weights"]
            if not isinstance(weights, dict):
                raise TypeError("weights")
            return cls(weights, float(data["bias"]), float(data["threshold"]), float(data["over_topic"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def probability(self, cleaned: str) -> float:
        return probability(self.weights, self.bias, set(features(cleaned)))

    def is_crisis(self, cleaned: str) -> bool:
        return self.probability(cleaned) >= self.threshold


@lru_cache(maxsize=1)
def model() -> CrisisModel | None:
    return CrisisModel.load()
