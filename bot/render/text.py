"""An Answer as readable terminal text."""

from __future__ import annotations

import textwrap

from bot.answer import Answer

WIDTH = 88


def render(answer: Answer, numbered: bool = False) -> str:
    """`numbered` lists follow-ups as numbered choices, for the chat to pick from."""
    lines = [answer.title, "=" * min(len(answer.title), WIDTH)]
    for paragraph in answer.text.split("\n\n"):
        for line in paragraph.split("\n"):  # a listing's one line per resource stays one
            lines += textwrap.wrap(line, WIDTH, subsequent_indent="  " if line.startswith("•") else "")
        lines.append("")
    if answer.resources:
        lines.append("Resources:")
        for r in answer.resources:
            lines.append(f"  • {r.name} ({r.kind.replace('_', ' ')})")
            lines.append(f"    {r.url}")
            if r.url_note:
                lines += textwrap.wrap(r.url_note, WIDTH, initial_indent="    ", subsequent_indent="    ")
        lines.append("")
    if answer.suggestions:
        lines.append("Did you mean:" if answer.outcome == "clarify" else "Topics I can help with:")
        lines += [f"  {n}. {c.title}" for n, c in enumerate(answer.suggestions, 1)]
        lines.append("")
    if answer.follow_ups and numbered and not answer.suggestions:
        lines.append("Related:")
        lines += [f"  {n}. {c.title}" for n, c in enumerate(answer.follow_ups, 1)]
    elif answer.follow_ups:
        lines.append("Related: " + "; ".join(c.title for c in answer.follow_ups))
    if answer.source and answer.outcome in ("answer", "safety") and answer.resources:
        lines.append(f"Source: {answer.source}")
    return "\n".join(lines).rstrip() + "\n"
