"""`python -m bot bench`: speed figures (printed, never asserted).

1. one question in process: p50 and p99 over the labelled set, in rounds (the median round);
2. a cold `python -m bot ask` process, wall time;
3. the matcher on synthetic knowledge of 1,000 / 10,000 / 100,000 example questions, beside
   plain rapidfuzz.process.extractOne over the same strings in the same run.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rapidfuzz import process

from bot.engine import Engine
from bot import context as ctx
from bot.evaluate import DEFAULT_FILES, load_cases
from bot.knowledge import Intent, Knowledge
from bot.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _rounds(rounds: list[tuple[float, float]]) -> str:
    """p50 and p99 of each round over the whole set, as the median round and the range: on a
    shared machine another process's burst inflates one round's tail, not every round's."""
    p50s, p99s = [r[0] for r in rounds], [r[1] for r in rounds]
    return (f"p50 {_ms(statistics.median(p50s))}, p99 {_ms(statistics.median(p99s))} "
            f"(median of {len(rounds)} rounds; p99 {min(p99s) * 1000:.3f}–{max(p99s) * 1000:.3f} ms)")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def synthetic_knowledge(examples: int, seed: int = 1) -> tuple[Knowledge, list[str]]:
    """Example questions of 5 to 9 words drawn (Zipf-like) from a vocabulary that grows
    with the size, 10 per intent; and queries: perturbed examples plus unrelated ones."""
    rng = random.Random(seed)
    syllables = ["ba", "ko", "ri", "ten", "mo", "sha", "lu", "ver", "di", "pon", "qua", "zel", "fi", "gan"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(max(2000, examples // 5))})
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]
    texts = [" ".join(rng.choices(vocabulary, weights, k=rng.randint(5, 9))) for _ in range(examples)]
    intents = {}
    for start in range(0, examples, 10):
        intent_id = f"i{start // 10}"
        chunk = tuple(texts[start : start + 10])
        intents[intent_id] = Intent(intent_id, intent_id, chunk, "answer")
    knowledge = Knowledge(intents=intents)
    queries = []
    for _ in range(200):
        words = rng.choice(texts).split()
        if rng.random() < 0.5 and len(words) > 3:
            words.pop(rng.randrange(len(words)))  # a word left out
        i = rng.randrange(len(words))
        words[i] = words[i][:-1] if len(words[i]) > 5 else words[i]  # a typo
        queries.append(" ".join(words))
    queries += [" ".join(rng.choices(vocabulary, k=5)) for _ in range(50)]  # unrelated
    rng.shuffle(queries)
    return knowledge, queries


def _time_each(function, items, repeat: int = 1) -> list[float]:
    samples = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            function(item)
            samples.append(time.perf_counter() - started)
    return samples


def run(engine: Engine, quick: bool = False) -> int:
    questions = [c.question for path in DEFAULT_FILES for c in load_cases(path)]
    for q in questions:  # warm caches, as a running app's are
        engine.ask(q)
    rounds = [_percentiles(_time_each(engine.ask, questions)) for _ in range(3 if quick else 10)]
    print(f"shipped knowledge, {len(questions)} questions in process: {_rounds(rounds)}")

    # Follow-ups with the context their first question left ("tell me about Giffords" ->
    # "who leads it?"), as a conversation asks them.
    pairs = []
    for first in questions[:: max(1, len(questions) // 60)]:
        about = ctx.of(engine.ask(first))
        if about is not None:
            pairs += [(q, about) for q in ("who leads it?", "and when was that founded?", "any reports from them?",
                                            "what about PERF?", "and the one after it?")]
    rounds = [_percentiles(_time_each(lambda p: engine.ask(p[0], context=p[1]), pairs)) for _ in range(3 if quick else 10)]
    print(f"follow-ups with context, {len(pairs)} in process: {_rounds(rounds)}")

    # As an installed app starts: with Python's bytecode cache (a session that sets
    # PYTHONDONTWRITEBYTECODE recompiles every module at each start, about 0.1 s here).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "bot", "ask", "what is cvi"]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)  # writes the cache once
    colds = []
    for _ in range(2 if quick else 5):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)
        colds.append(time.perf_counter() - started)
    print(f"cold `python -m bot ask`: median {statistics.median(colds):.3f} s, best {min(colds):.3f} s")

    print(f"\n{'examples':>9} {'build':>8} {'matcher p50':>12} {'p99':>10} {'extractOne p50':>15} {'p99':>10}")
    for size in (1000, 10000) if quick else (1000, 10000, 100000):
        knowledge, queries = synthetic_knowledge(size)
        started = time.perf_counter()
        matcher = Matcher(knowledge)
        build = time.perf_counter() - started
        strings = [e for i in knowledge.intents.values() for e in i.examples]
        for q in queries:
            matcher.rank(matcher.analyze(q))
        ours = _time_each(lambda q, m=matcher: m.rank(m.analyze(q)), queries)
        sample = queries[: 20 if size >= 100000 else 100]
        plain = _time_each(lambda q, s=strings: process.extractOne(q, s), sample)
        o50, o99 = _percentiles(ours)
        b50, b99 = _percentiles(plain)
        print(f"{size:9,d} {build:7.2f}s {_ms(o50):>12} {_ms(o99):>10} {_ms(b50):>15} {_ms(b99):>10}")
    return 0
