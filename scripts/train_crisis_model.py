"""Train the crisis model (bot/crisis_model.py) on tests/data/safety.yaml and write
knowledge/crisis_model.json. Run from the project root:

    .venv/bin/python scripts/train_crisis_model.py

Logistic regression by plain stochastic gradient descent with L2, on words, word pairs and
letter groups; the threshold is the one that keeps false alarms on policy questions at
most TOPIC_FALSE_ALARMS in 5-fold cross-validation. Deterministic (fixed seed). Only
tests/data/safety.yaml and our labelled question sets are read: the public and held-out
sets stay checks.
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
from bot.text import clean  # noqa: E402

EPOCHS, RATE, L2, MIN_COUNT, SEED = 12, 0.2, 1e-4, 2, 7
TOPIC_FALSE_ALARMS = 0.005  # at most 0.5% of ordinary and policy questions read as a crisis in cross-validation


def load() -> list[tuple[list[str], int]]:
    """Crisis messages (1); policy questions on the same subjects, and every ordinary question
    of our labelled question sets (0): a model that saw only alarming words would read any
    short question as one."""
    data = yaml.safe_load((ROOT / "tests" / "data" / "safety.yaml").read_text(encoding="utf-8"))
    rows = [(features(clean(m)), 1) for m in data["crisis"]] + [(features(clean(m)), 0) for m in data["topic"]]
    from bot.evaluate import DEFAULT_FILES, load_cases

    rows += [(features(clean(c.question)), 0) for path in DEFAULT_FILES for c in load_cases(path)]
    return rows


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
            active = [f for f in set(feats) if f in kept]
            score = bias + sum(weights[f] for f in active)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            g = p - label
            bias -= rate * g
            for f in active:
                weights[f] -= rate * (g + L2 * weights[f])
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= 1e-3}, round(bias, 4)


def probability(weights: dict[str, float], bias: float, feats: list[str]) -> float:
    score = bias + sum(weights.get(f, 0.0) for f in set(feats))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def main() -> int:
    rows = load()
    rng = random.Random(SEED)
    folds = list(range(len(rows)))
    rng.shuffle(folds)
    scored: list[tuple[float, int]] = []
    for k in range(5):
        test = set(folds[k::5])
        weights, bias = train([r for i, r in enumerate(rows) if i not in test])
        scored += [(probability(weights, bias, rows[i][0]), rows[i][1]) for i in test]
    topics = sorted((p for p, y in scored if y == 0), reverse=True)
    allowed = int(len(topics) * TOPIC_FALSE_ALARMS)
    threshold = max(0.8, topics[allowed] + 1e-6)
    caught = sum(1 for p, y in scored if y == 1 and p >= threshold)
    crises = sum(1 for _, y in scored if y == 1)
    alarms = sum(1 for p in topics if p >= threshold)
    print(f"cross-validated at threshold {threshold:.3f}: crisis caught {caught}/{crises}, "
          f"topic false alarms {alarms}/{len(topics)}")
    weights, bias = train(rows)
    MODEL_FILE.write_text(json.dumps({"bias": bias, "threshold": round(threshold, 4), "weights": dict(sorted(weights.items()))},
                                     separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE.relative_to(ROOT)}: {len(weights)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
