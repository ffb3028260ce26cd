"""Question -> Answer: the one path every surface uses.

clean -> safety check -> match -> outcome (answer, clarify, fallback, safety) -> Answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bot import safety
from bot import thresholds as T
from bot.answer import Answer, Choice
from bot.knowledge import DEFAULT_DIR, Intent, Knowledge, load
from bot.matcher import Matcher, Ranked


@dataclass(frozen=True)
class Decision:
    outcome: str  # answer | clarify | fallback | help (nothing but filler was asked)
    score: float
    intent: str | None = None
    choices: tuple[str, ...] = ()


def decide(
    ranked: list[Ranked],
    has_content: bool,
    answer_min: float = T.ANSWER_MIN,
    margin: float = T.MARGIN,
    clarify_min: float = T.CLARIFY_MIN,
    smalltalk: list[Ranked] | None = None,
) -> Decision:
    """The outcome for a ranking: pure, so the evaluation can sweep its thresholds.
    `smalltalk` ranks the whole message against small talk; it is the last resort before
    a fallback ("thanks a bunch" has a word the knowledge lacks, and is still thanks)."""
    decision = _decide(ranked, has_content, answer_min, margin, clarify_min)
    if decision.outcome == "fallback" and smalltalk and smalltalk[0].score >= T.SMALLTALK_MIN:
        return Decision("answer", smalltalk[0].score, smalltalk[0].intent)
    return decision


def _decide(ranked, has_content, answer_min, margin, clarify_min) -> Decision:
    if not ranked:
        return Decision("fallback" if has_content else "help", 0.0)
    best = ranked[0]
    if not has_content:  # small talk only: the whole message against small-talk examples
        if best.score >= T.SMALLTALK_MIN:
            return Decision("answer", best.score, best.intent)
        return Decision("help", best.score)
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= answer_min and best.score - runner_up >= margin:
        return Decision("answer", best.score, best.intent)
    if best.score >= clarify_min:
        close = [r.intent for r in ranked if r.score >= clarify_min and best.score - r.score <= T.CLARIFY_SPREAD]
        return Decision("clarify", best.score, None, tuple(close[: T.CLARIFY_CHOICES]))
    return Decision("fallback", best.score)


FALLBACK_TITLE = "I don't have an answer for that"
FALLBACK_TEXT = (
    "I couldn't find that in my knowledge, and I'd rather say so than guess. I answer from the "
    "United States Conference of Mayors' page Reducing Gun Violence. Try one of these topics, "
    "or ask in other words."
)
CLARIFY_TITLE = "Did you mean…"
CLARIFY_TEXT = "I'm not sure which of these you mean. Pick one, or ask in other words."


class Engine:
    def __init__(self, knowledge: Knowledge, knowledge_root: Path | str = DEFAULT_DIR):
        self.knowledge = knowledge
        self.knowledge_root = Path(knowledge_root)
        self.matcher = Matcher(knowledge)
        self.topics = tuple(self._choice(i) for i in knowledge.intents.values() if i.topic)
        first = next(iter(knowledge.resources.values()), None)
        self.source = first.source if first else None

    @classmethod
    def from_dir(cls, root: Path | str = DEFAULT_DIR) -> "Engine":
        return cls(load(root), root)

    # --- the one path -----------------------------------------------------------------

    def ask(self, question: str, within: frozenset[str] | None = None) -> Answer:
        """The answer to a question; `within` limits it to some intents (as /cvi does)."""
        query = self.matcher.analyze(question)
        level = safety.assess(query.cleaned)
        if level.level == safety.CRISIS:
            rest = self.matcher.analyze(safety.without_crisis(query.cleaned))
            answer = self._safety(question, self.matcher.rank(rest) if rest.content else [])
        else:
            answer = self._understand(question, query, within)
            if level.level == safety.TOPIC:
                answer = replace(answer, text=f"{answer.text}\n\n{safety.TOPIC_NOTE}")
        return replace(answer, safety=level)

    def _understand(self, question: str, query, within: frozenset[str] | None) -> Answer:
        ranked = self.matcher.rank(query)
        if within is not None:
            ranked = [r for r in ranked if r.intent in within]
        decision = decide(ranked, bool(query.content), smalltalk=self.matcher.smalltalk_fallback(query))
        if decision.outcome == "answer":
            return self.answer_intent(decision.intent, question, decision.score)
        if decision.outcome == "clarify":
            return self._clarify(question, decision)
        if decision.outcome == "help":
            return self._no_content(question)
        return self.fallback(question, decision.score)

    # --- building answers -------------------------------------------------------------

    def answer_intent(self, intent_id: str, question: str | None = None, score: float = 100.0) -> Answer:
        """The answer of one intent, as a button or a "Did you mean" pick asks for it."""
        intent = self.knowledge.intents[intent_id]
        return Answer(
            question=question if question is not None else intent.title,
            outcome="answer",
            intent=intent.id,
            score=score,
            title=intent.title,
            text=intent.answer,
            resources=tuple(self.knowledge.resources[r] for r in intent.resources),
            follow_ups=tuple(self._choice(self.knowledge.intents[f]) for f in intent.follow_ups),
            source=self._source_of(intent),
        )

    def fallback(self, question: str, score: float = 0.0) -> Answer:
        return Answer(question, "fallback", None, score, FALLBACK_TITLE, FALLBACK_TEXT,
                      suggestions=self.topics, source=self.source)

    def _clarify(self, question: str, decision: Decision) -> Answer:
        return Answer(
            question, "clarify", None, decision.score, CLARIFY_TITLE, CLARIFY_TEXT,
            suggestions=tuple(self._choice(self.knowledge.intents[i]) for i in decision.choices),
            source=self.source,
        )

    def _safety(self, question: str, ranked: list[Ranked]) -> Answer:
        """The safety text first; a confident answer to the rest of the message after it."""
        text, resources, follow_ups, score = safety.TEXT, (), (), 100.0
        if ranked and ranked[0].score >= T.ANSWER_MIN and not self.knowledge.intents[ranked[0].intent].smalltalk:
            also = self.answer_intent(ranked[0].intent, question, ranked[0].score)
            text = f"{safety.TEXT}\n\n{also.title}: {also.text}"
            resources, follow_ups = also.resources, also.follow_ups
        return Answer(question, "safety", "safety", score, safety.TITLE, text,
                      resources=resources, follow_ups=follow_ups, source=self.source)

    def _no_content(self, question: str) -> Answer:
        """Nothing but filler ("can you tell me", an empty mention): say how to ask."""
        if "help" in self.knowledge.intents:
            return self.answer_intent("help", question, 100.0)
        return self.fallback(question)

    def intents_citing(self, kind: str) -> frozenset[str]:
        """Intents that cite a resource of this kind ("webinar" for /cvi)."""
        return frozenset(
            i.id for i in self.knowledge.intents.values()
            if any(self.knowledge.resources[r].kind == kind for r in i.resources)
        )

    def _choice(self, intent: Intent) -> Choice:
        return Choice(intent.id, intent.title)

    def _source_of(self, intent: Intent) -> str | None:
        for rid in intent.resources:
            return self.knowledge.resources[rid].source
        return self.source
