"""`python -m bot eval`: score labelled questions through the engine's own path, like
`rasa test nlu` — every question goes through Engine.ask, exactly as a user's does.

Two file formats (YAML):
- intents: `in_scope:` maps an intent id (or "a|b" for either) to questions; `out_of_scope:`
  lists questions that must fall back. Right: answered (not clarified) with an accepted
  intent; out of scope: a fallback.
- keys (as ../shared/eval/questions.yaml): `keys:` name items by aliases; each of
  `questions:` says `any: [k]` (the answer names one, with at most 4 resources), `all: [k]`
  (it names every one), `gap: [k]` (it says the page doesn't say, and names one), `none:
  true` (a fallback) or `none_or: [k]` (a fallback, or an answer naming one). An answer
  "names" a key when its title or one of its resources' names contains an alias.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import thresholds as T
from bot.answer import Answer
from bot.engine import Engine

DEFAULT_FILES = tuple(
    Path(__file__).resolve().parent.parent / "tests" / "data" / name for name in ("questions.yaml", "page_questions.yaml")
)
OUT = "out_of_scope"
KINDS = ("any", "all", "gap", "none", "none_or")


@dataclass(frozen=True)
class Case:
    question: str
    accepted: frozenset[str] = frozenset()  # intents (intents format); empty for out of scope
    kind: str = "intent"  # "intent", or one of KINDS (keys format)
    keys: tuple[str, ...] = ()
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key, aliases) of the keys named

    @property
    def in_scope(self) -> bool:
        return bool(self.accepted) if self.kind == "intent" else self.kind in ("any", "all", "gap")

    @property
    def label(self) -> str:
        if self.kind == "intent":
            return "|".join(sorted(self.accepted)) or OUT
        return f"{self.kind}:{','.join(self.keys)}" if self.keys else OUT


@dataclass
class Report:
    in_scope: int = 0
    in_scope_right: int = 0
    out_scope: int = 0
    out_scope_right: int = 0
    misses: list[tuple[Case, str]] = field(default_factory=list)  # (case, what we said)
    per_label: dict[str, Counter] = field(default_factory=dict)  # intent or kind -> tp, fp, fn
    confusions: Counter = field(default_factory=Counter)  # (expected, got) -> n

    @property
    def accuracy(self) -> float:
        return self.in_scope_right / self.in_scope if self.in_scope else 1.0

    @property
    def rejection(self) -> float:
        return self.out_scope_right / self.out_scope if self.out_scope else 1.0


def load_cases(path: Path | str) -> list[Case]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the question file: {exc}") from exc
    if isinstance(data, dict) and "questions" in data and "keys" in data:
        return _keyed_cases(path, data)
    if not isinstance(data, dict) or not ({"in_scope", OUT} & set(data)):
        raise ValueError(f"{path}: expected `in_scope:`/`{OUT}:` (intents) or `keys:` and `questions:` at the top")
    cases = [
        Case(str(q), frozenset(label.split("|")))
        for label, questions in (data.get("in_scope") or {}).items()
        for q in questions
    ]
    cases += [Case(str(q)) for q in data.get(OUT) or []]
    return cases


def _keyed_cases(path: Path, data: dict) -> list[Case]:
    keys = {k: tuple(_norm(a) for a in v) for k, v in (data.get("keys") or {}).items()}
    cases = []
    for n, item in enumerate(data.get("questions") or [], 1):
        kind = next((k for k in KINDS if k in item), None) if isinstance(item, dict) else None
        if kind is None or "q" not in item:
            raise ValueError(f"{path}: question {n} needs `q:` and one of {', '.join(KINDS)}")
        named = () if kind == "none" else tuple(item[kind])
        unknown = [k for k in named if k not in keys]
        if unknown:
            raise ValueError(f"{path}: question {n} names unknown keys {unknown}; define them under `keys:`")
        cases.append(Case(str(item["q"]), kind=kind, keys=named, aliases=tuple((k, keys[k]) for k in named)))
    return cases


def load_conversations(path: Path | str) -> list[list[Case]]:
    """The `conversations:` of a keys-format file: each a list of turns, each turn a Case
    whose label is one key ("maig"), "gap:KEY" or "none"."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "keys" not in data:
        return []
    keys = {k: tuple(_norm(a) for a in v) for k, v in (data.get("keys") or {}).items()}
    conversations = []
    for n, conv in enumerate(data.get("conversations") or [], 1):
        turns = []
        turns_said, wanted = conv.get("turns") or [], conv.get("want") or []
        if len(turns_said) != len(wanted):
            raise ValueError(f"{path}: conversation {n} has {len(turns_said)} turns and {len(wanted)} wants; give one want a turn")
        for text, want in zip(turns_said, wanted, strict=True):
            kind, key = ("none", None) if want == "none" else ("gap", want[4:]) if str(want).startswith("gap:") else ("any", want)
            if key is not None and key not in keys:
                raise ValueError(f"{path}: conversation {n} names unknown key {key!r}")
            turns.append(Case(str(text), kind=kind, keys=(key,) if key else (), aliases=((key, keys[key]),) if key else ()))
        conversations.append(turns)
    return conversations


def evaluate_conversations(engine: Engine, conversations: list[list[Case]]) -> tuple[int, int, int, int, list[str]]:
    """(first turns right, first turns, later turns right, later turns, misses), each turn
    asked with the context the turns before it left, as a surface does."""
    from bot import context as ctx

    first = later = first_n = later_n = 0
    misses = []
    for turns in conversations:
        about = None
        for i, case in enumerate(turns):
            answer = engine.ask(case.question, context=about)
            about = ctx.of(answer) or about
            right = judge(case, answer)
            if i == 0:
                first, first_n = first + right, first_n + 1
            else:
                later, later_n = later + right, later_n + 1
            if not right:
                misses.append(f"turn {i + 1} {case.question!r}: wanted {case.label}, got {answer.outcome} {answer.title!r}")
    return first, first_n, later, later_n, misses


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split())


def _names(answer: Answer, aliases: tuple[str, ...]) -> bool:
    """As the public scorer reads an answer: its title and resource names; short aliases
    ("atf") only as whole words."""
    shown = [f" {_norm(n)} " for n in (answer.title, *(r.name for r in answer.resources)) if n]
    return any((f" {a} " if len(a) <= 4 else a) in s for s in shown for a in aliases)


def judge(case: Case, answer: Answer) -> bool:
    if case.kind == "intent":
        if not case.accepted:
            return answer.outcome == "fallback"
        return answer.outcome == "answer" and answer.intent in case.accepted
    if case.kind == "none":
        return answer.outcome == "fallback"
    named = [k for k, aliases in case.aliases if answer.outcome == "answer" and _names(answer, aliases)]
    if case.kind == "none_or":
        return answer.outcome == "fallback" or bool(named)
    if answer.outcome != "answer":
        return False
    if case.kind == "all":
        return len(named) == len(case.keys)
    if case.kind == "gap":
        return answer.gap is not None and bool(named)
    return len(answer.resources) <= 4 and bool(named)


def evaluate(engine: Engine, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        answer = engine.ask(case.question)
        right = judge(case, answer)
        said = answer.intent if answer.outcome == "answer" else answer.outcome
        label = case.label if case.kind == "intent" else case.kind
        tally = report.per_label.setdefault(label if case.in_scope else OUT, Counter())
        if case.in_scope:
            report.in_scope += 1
            report.in_scope_right += right
        else:
            report.out_scope += 1
            report.out_scope_right += right
        if right:
            tally["tp"] += 1
            continue
        tally["fn"] += 1
        if case.kind == "intent" and answer.outcome == "answer" and answer.intent:
            report.per_label.setdefault(answer.intent, Counter())["fp"] += 1
        report.misses.append((case, f"{answer.outcome} {answer.title!r} ({answer.score:g})"))
        report.confusions[(case.label if case.kind == "intent" else label, str(said))] += 1
    return report


@contextmanager
def thresholds(**values: float):
    """The thresholds of bot/thresholds.py set to these values for a while."""
    saved = {name: getattr(T, name) for name in values}
    try:
        for name, value in values.items():
            setattr(T, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(T, name, value)


def sweep(engine: Engine, cases: list[Case]) -> list[tuple[float, float, float, float, float]]:
    """(answer_min, margin, clarify_min, accuracy, rejection) over a grid of the outcome
    thresholds, each point scored through Engine.ask like any question."""
    grid: list[tuple[float, float, float, float, float]] = []
    for answer_min in (50, 55, 60, 65):
        for margin in (0, 1, 3):
            for clarify_min in (45, 50):
                with thresholds(ANSWER_MIN=answer_min, MARGIN=margin, CLARIFY_MIN=clarify_min):
                    r = evaluate(engine, cases)
                grid.append((answer_min, margin, clarify_min, r.accuracy, r.rejection))
    return grid


def format_report(report: Report, grid=None, show_misses: int = 40) -> str:
    lines = [
        f"in scope:     {report.in_scope_right}/{report.in_scope} answered right ({report.accuracy:.1%})",
        f"out of scope: {report.out_scope_right}/{report.out_scope} fell back ({report.rejection:.1%})",
        "",
        f"{'intent or kind':28} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}",
    ]
    for label, c in sorted(report.per_label.items()):
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        if not (tp or fp or fn):
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{label:28} {p:9.2f} {r:7.2f} {f1:6.2f} {tp + fn:8d}")
    if report.confusions:
        lines += ["", "most confused (expected -> got):"]
        for (expected, got), n in report.confusions.most_common(10):
            lines.append(f"  {n:3d}  {expected} -> {got}")
    if report.misses and show_misses:
        lines += ["", "misses:"]
        for case, said in report.misses[:show_misses]:
            lines.append(f"  {case.question!r}: wanted {case.label}, got {said}")
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
