"""`python -m bot eval`: score a labelled question file, like `rasa test nlu`.

The file (YAML) has `in_scope:` mapping an intent id (or "a|b" for either) to questions,
and `out_of_scope:` listing questions that must fall back. An in-scope question counts as
right only when it is answered (not clarified) with an accepted intent; an out-of-scope one
only when it falls back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import safety
from bot import thresholds as T
from bot.engine import Engine, decide
from bot.matcher import Ranked

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"
OUT = "out_of_scope"


@dataclass(frozen=True)
class Case:
    question: str
    accepted: frozenset[str]  # empty for out-of-scope


@dataclass
class Report:
    in_scope: int = 0
    in_scope_right: int = 0
    out_scope: int = 0
    out_scope_right: int = 0
    misses: list[tuple[Case, str]] = field(default_factory=list)  # (case, what we said)
    per_intent: dict[str, Counter] = field(default_factory=dict)  # intent -> tp, fp, fn
    confusions: Counter = field(default_factory=Counter)  # (expected, got) -> n

    @property
    def accuracy(self) -> float:
        return self.in_scope_right / self.in_scope if self.in_scope else 1.0

    @property
    def rejection(self) -> float:
        return self.out_scope_right / self.out_scope if self.out_scope else 1.0


def load_cases(path: Path | str = DEFAULT_FILE) -> list[Case]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the question file: {exc}") from exc
    if not isinstance(data, dict) or not ({"in_scope", OUT} & set(data)):
        raise ValueError(f"{path}: expected `in_scope:` and/or `{OUT}:` at the top")
    cases = [
        Case(str(q), frozenset(label.split("|")))
        for label, questions in (data.get("in_scope") or {}).items()
        for q in questions
    ]
    cases += [Case(str(q), frozenset()) for q in data.get(OUT) or []]
    return cases


def _said(engine: Engine, ranked: list[Ranked], has_content: bool, emergency: bool, **limits) -> tuple[str, str | None]:
    """(outcome, intent) for a ranking, under the given thresholds."""
    d = decide(ranked, has_content, **limits)
    if emergency:  # the safety text first, then the answer the rest of the message found
        return "answer" if d.outcome == "answer" else "safety", d.intent
    if d.outcome == "help":
        return "answer", "help" if "help" in engine.knowledge.intents else None
    return d.outcome, d.intent


def evaluate(engine: Engine, cases: list[Case], **limits) -> Report:
    return _score(engine, _rank_all(engine, cases), **limits)


def _rank_all(engine: Engine, cases: list[Case]):
    rows = []
    for case in cases:
        query = engine.matcher.analyze(case.question)
        rows.append((case, engine.matcher.rank(query), bool(query.content), safety.is_emergency(query.cleaned),
                     engine.matcher.smalltalk_fallback(query)))
    return rows


def _score(engine: Engine, rows, **limits) -> Report:
    report = Report()
    for intent in engine.knowledge.intents:
        report.per_intent[intent] = Counter()
    for case, ranked, has_content, emergency, smalltalk in rows:
        outcome, intent = _said(engine, ranked, has_content, emergency, smalltalk=smalltalk, **limits)
        got = intent if outcome == "answer" else outcome
        if case.accepted:
            report.in_scope += 1
            right = outcome == "answer" and intent in case.accepted
            expected = sorted(case.accepted)[0] if not right else intent
        else:
            report.out_scope += 1
            right = outcome == "fallback"
            expected = OUT
        if right:
            report.in_scope_right += bool(case.accepted)
            report.out_scope_right += not case.accepted
            if case.accepted:
                report.per_intent.setdefault(intent, Counter())["tp"] += 1
            continue
        report.misses.append((case, f"{got} ({ranked[0].score if ranked else 0})"))
        report.confusions[(expected, got)] += 1
        if case.accepted:
            report.per_intent.setdefault(expected, Counter())["fn"] += 1
        if outcome == "answer" and intent:
            report.per_intent.setdefault(intent, Counter())["fp"] += 1
    return report


def sweep(engine: Engine, cases: list[Case]) -> list[tuple[float, float, float, float, float]]:
    """(answer_min, margin, clarify_min, accuracy, rejection) over a grid, ranking each
    question once."""
    rows = _rank_all(engine, cases)
    grid = []
    for answer_min in (45, 50, 55, 60, 65, 70):
        for margin in (0, 1, 2, 3, 6):
            for clarify_min in (40, 45, 50, 55, 60):
                if clarify_min > answer_min:
                    continue
                r = _score(engine, rows, answer_min=answer_min, margin=margin, clarify_min=clarify_min)
                grid.append((answer_min, margin, clarify_min, r.accuracy, r.rejection))
    return grid


def format_report(report: Report, grid=None, show_misses: int = 40) -> str:
    lines = [
        f"in scope:     {report.in_scope_right}/{report.in_scope} answered with the right intent ({report.accuracy:.1%})",
        f"out of scope: {report.out_scope_right}/{report.out_scope} fell back ({report.rejection:.1%})",
        "",
        f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}",
    ]
    for intent, c in sorted(report.per_intent.items()):
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        if not (tp or fp or fn):
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{intent:28} {p:9.2f} {r:7.2f} {f1:6.2f} {tp + fn:8d}")
    if report.confusions:
        lines += ["", "most confused (expected -> got):"]
        for (expected, got), n in report.confusions.most_common(10):
            lines.append(f"  {n:3d}  {expected} -> {got}")
    if report.misses and show_misses:
        lines += ["", "misses:"]
        for case, said in report.misses[:show_misses]:
            want = "|".join(sorted(case.accepted)) or OUT
            lines.append(f"  {case.question!r}: wanted {want}, got {said}")
    if grid:
        now = (T.ANSWER_MIN, T.MARGIN, T.CLARIFY_MIN)
        lines += ["", "threshold sweep, best 12 by the lower of the two rates, and the current setting:",
                  f"  {'answer_min':>10} {'margin':>6} {'clarify_min':>11} {'in-scope':>9} {'rejected':>9}"]
        ordered = sorted(grid, key=lambda g: (-min(g[3], g[4]), -(g[3] + g[4]), -g[0]))
        shown = ordered[:12] + [g for g in ordered[12:] if g[:3] == now]
        for answer_min, margin, clarify_min, acc, rej in shown:
            mark = "  <- now" if (answer_min, margin, clarify_min) == now else ""
            lines.append(f"  {answer_min:10g} {margin:6g} {clarify_min:11g} {acc:9.1%} {rej:9.1%}{mark}")
    return "\n".join(lines)
