"""Train the crisis model (bot/crisis_model.py) and write knowledge/crisis_model.json.
Run from the project root:

    .venv/bin/python scripts/train_crisis_model.py

Logistic regression by plain stochastic gradient descent with L2, on words, word pairs and
letter groups, each worth 1/sqrt(how many the message has). Its two bars are chosen in
5-fold cross-validation on the messages the engine would hand it (not already a crisis by
the signal grammar, not ending by asking something): `threshold` for a message the grammar
finds nothing in, `over_topic` for one it reads as policy talk, each the lowest that keeps
false alarms among those messages at most FALSE_ALARMS. (Capping `over_topic` at no less
than `threshold` lost 2 of the 3 cross-validated crises the grammar misreads as policy
talk, and no false alarm.) Deterministic (fixed seed). Only
tests/data/safety.yaml, crisis_messages.yaml, ordinary_messages.yaml and our labelled
question sets are read: the public and held-out sets stay checks.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.crisis_model import MODEL_FILE, features  # noqa: E402
from bot.crisis_model import probability as model_probability  # noqa: E402
from bot.text import clean  # noqa: E402

# Features are scaled down by 1/sqrt(their number), so the steps are larger than usual.
EPOCHS, RATE, L2, MIN_COUNT, SEED = 30, 10.0, 1e-5, 2, 7
FALSE_ALARMS = 0.02  # at most 2% of the ordinary and policy messages the model sees, in cross-validation
FLOOR = 0.5  # never a crisis on less than even odds


def load() -> list[tuple[str, int]]:
    """(message, 1) for a crisis; (message, 0) for a policy question on the same subjects,
    every ordinary question of our labelled question sets, and ordinary staff messages: a
    model that saw only alarming words would read any short question as one."""
    from bot.evaluate import DEFAULT_FILES, load_cases, load_conversations

    def messages(name: str, key: str) -> list[str]:
        return yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))[key]

    rows = [(m, 1) for m in messages("safety.yaml", "crisis")] + [(m, 0) for m in messages("safety.yaml", "topic")]
    rows += [(c.question, 0) for path in DEFAULT_FILES for c in load_cases(path)]
    # and the follow-ups of our labelled conversations ("and the one after it?"): short
    # messages, whose every word weighs more
    rows += [(turn.question, 0) for path in DEFAULT_FILES for turns in load_conversations(path) for turn in turns[1:]]
    # Staff messages as they are typed at work: danger told in passing or indirectly ("won't
    # be needing my desk after today"), and ordinary asides and figures of speech ("heading
    # out early for my kid's recital", "this printer will be the death of me"). Without them
    # the model read any message about oneself as a crisis. The *_holdout.yaml files stay checks.
    rows += [(m, 1) for m in messages("crisis_messages.yaml", "crisis")]
    rows += [(m, 0) for m in messages("ordinary_messages.yaml", "ordinary")]
    return rows


def seen_as(message: str) -> str | None:
    """How the engine hands a message to the model (bot/engine.py): None when it does not
    (the grammar says crisis, or the message ends by asking), else the grammar's level."""
    from bot import safety
    from bot.understand import ends_asking

    level = safety.assess(clean(message)).level
    if level == safety.CRISIS or ends_asking(message):
        return None
    return level or "none"


def bar(negatives: list[float]) -> float:
    """The lowest probability that keeps false alarms among `negatives` at most FALSE_ALARMS."""
    ordered = sorted(negatives, reverse=True)
    allowed = int(len(ordered) * FALSE_ALARMS)
    return max(FLOOR, ordered[allowed] + 1e-6) if len(ordered) > allowed else FLOOR


def train(rows: list[tuple[list[str], int]]) -> tuple[dict[str, float], float]:
    counts: dict[str, int] = defaultdict(int)
    for feats, _ in rows:
        for f in set(feats):
            counts[f] += 1
    kept = {f for f, n in counts.items() if n >= MIN_COUNT}
    weights: dict[str, float] = defaultdict(float)
    bias = 0.0
    rng = random.Random(SEED)
    order = list(range(len(rows)))
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch)
        for i in order:
            feats, label = rows[i]
            found = set(feats)
            active = [f for f in found if f in kept]
            scale = 1.0 / math.sqrt(len(found)) if found else 0.0  # as bot/crisis_model.py weighs them
            score = bias + scale * sum(weights[f] for f in active)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            g = p - label
            bias -= rate * g
            for f in active:
                weights[f] -= rate * (g * scale + L2 * weights[f])
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= 1e-3}, round(bias, 4)


def probability(weights: dict[str, float], bias: float, feats: list[str]) -> float:
    return model_probability(weights, bias, set(feats))


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Train the crisis model and write its file.")
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help="where to write it (default: %(default)s)")
    out: Path = parser.parse_args(argv).out
    messages = load()
    rows = [(features(clean(m)), y) for m, y in messages]
    seen = [seen_as(m) for m, _ in messages]
    rng = random.Random(SEED)
    folds = list(range(len(rows)))
    rng.shuffle(folds)
    scored: list[tuple[float, int, str | None]] = []
    for k in range(5):
        test = set(folds[k::5])
        weights, bias = train([r for i, r in enumerate(rows) if i not in test])
        scored += [(probability(weights, bias, rows[i][0]), rows[i][1], seen[i]) for i in test]
    bars = {level: bar([p for p, y, s in scored if y == 0 and s == level]) for level in ("none", "topic")}
    for level, name in (("none", "threshold"), ("topic", "over_topic")):
        crises = [p for p, y, s in scored if y == 1 and s == level]
        alarms = [p for p, y, s in scored if y == 0 and s == level]
        print(f"cross-validated {name} {bars[level]:.3f}: crisis caught {sum(p >= bars[level] for p in crises)}/"
              f"{len(crises)} of those the grammar reads as {level}, false alarms "
              f"{sum(p >= bars[level] for p in alarms)}/{len(alarms)}")
    weights, bias = train(rows)
    out.write_text(json.dumps({"bias": bias, "threshold": round(bars["none"], 4),
                                      "over_topic": round(bars["topic"], 4), "weights": dict(sorted(weights.items()))},
                                     separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(weights)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
