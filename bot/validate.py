"""Checks of the knowledge that need the matcher: run by `python -m bot check`.

load() already refused anything malformed; these find knowledge that is well-formed but
would answer badly.
"""

from __future__ import annotations

from bot import thresholds as T
from bot.engine import Engine, decide
from bot.knowledge import Problem


def lint(engine: Engine) -> list[Problem]:
    problems: list[Problem] = []
    matcher = engine.matcher
    for intent in engine.knowledge.intents.values():
        seen: dict[tuple[str, ...], str] = {}
        for example, line in zip(intent.examples, intent.example_lines, strict=False):
            query = matcher.analyze(example)
            key = tuple(sorted(query.content)) or (query.cleaned,)
            if key in seen:
                problems.append(Problem(intent.file, line, (
                    f"example {example!r} says the same as {seen[key]!r} once stop words are dropped; "
                    "replace it with a differently worded question")))
            seen.setdefault(key, example)
            # Would this example still reach its own intent if it were not an example?
            # Near-ties between neighbouring intents are normal with a handful of examples
            # each; a clear win for another intent is a mistake in the knowledge.
            ranked = matcher.rank(query, exclude=example)
            decision = decide(ranked, bool(query.content))
            own = next((r.score for r in ranked if r.intent == intent.id), 0.0)
            if (decision.outcome == "answer" and decision.intent not in (intent.id, None)
                    and ranked[0].score - own > T.CLARIFY_SPREAD):
                problems.append(Problem(intent.file, line, (
                    f"example {example!r} of '{intent.id}' matches '{decision.intent}' better "
                    f"({ranked[0].score:g} against {own:g}, via {ranked[0].example!r}); "
                    f"reword it, or move it to '{decision.intent}'")))
    return problems
