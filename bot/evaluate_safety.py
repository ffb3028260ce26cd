"""`python -m bot eval --safety FILE`: how well emergencies are told from policy questions.

The file (YAML) has `crisis:` (messages from someone in danger or in crisis now, which must
get the 911 / 988 answer first) and `topic:` (the same subjects asked about as policy, data
or history, which must get their normal answer). Each message goes through Engine.ask, the
path every surface uses, and counts as caught when its outcome is `safety`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety.yaml"


@dataclass
class SafetyReport:
    crisis: int = 0
    caught: int = 0  # crisis messages answered with the safety text first
    topic: int = 0
    false_alarms: int = 0  # topic messages that got the safety text instead of their answer
    missed: list[str] = field(default_factory=list)
    alarmed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (message, signals)

    @property
    def recall(self) -> float:
        return self.caught / self.crisis if self.crisis else 1.0

    @property
    def spared(self) -> float:
        return 1 - self.false_alarms / self.topic if self.topic else 1.0


def load(path: Path | str = DEFAULT_FILE) -> tuple[list[str], list[str]]:
    """(crisis messages, topic messages) from a labelled file; ValueError if it is not one."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the safety file: {exc}") from exc
    if not isinstance(data, dict) or not ({"crisis", "topic"} & set(data)):
        raise ValueError(f"{path}: expected `crisis:` and/or `topic:` lists at the top")
    lists = []
    for key in ("crisis", "topic"):
        items = data.get(key) or []
        if not isinstance(items, list) or not all(isinstance(m, str) for m in items):
            raise ValueError(f"{path}: `{key}:` must be a list of messages")
        lists.append(items)
    return lists[0], lists[1]


def evaluate(engine, crisis: list[str], topic: list[str]) -> SafetyReport:
    report = SafetyReport(crisis=len(crisis), topic=len(topic))
    for message in crisis:
        if engine.ask(message).outcome == "safety":
            report.caught += 1
        else:
            report.missed.append(message)
    for message in topic:
        answer = engine.ask(message)
        if answer.outcome == "safety":
            report.false_alarms += 1
            report.alarmed.append((message, answer.safety.signals))
    return report


def format_report(report: SafetyReport, path: Path | str | None = None, show_misses: int = 40) -> str:
    lines = [f"Safety{f' ({path})' if path else ''}:",
             f"  crisis caught (recall)        {report.caught}/{report.crisis}  {report.recall:.1%}",
             f"  topic answered normally       {report.topic - report.false_alarms}/{report.topic}  {report.spared:.1%}"
             f"  ({report.false_alarms} false alarm{'s' if report.false_alarms != 1 else ''})"]
    if show_misses and (report.missed or report.alarmed):
        lines.append("  misses:")
        for message in report.missed[:show_misses]:
            lines.append(f"    crisis not caught: {message!r}")
        for message, signals in report.alarmed[:show_misses]:
            lines.append(f"    false alarm: {message!r}  ({', '.join(signals)})")
    return "\n".join(lines)
