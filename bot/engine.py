"""Question -> Answer: the one path every surface uses.

clean -> safety check -> match -> outcome (answer, clarify, fallback, safety) -> Answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bot import safety
from bot import thresholds as T
from bot.answer import Answer, Choice
from bot.knowledge import DEFAULT_DIR, FACT_KINDS, Fact, Intent, Knowledge, Resource, load
from bot.matcher import Matcher, Query, Ranked
from bot.understand import ASK_LABELS, Described, Describer, Names, Shape, founding_years, shape_of, year_fits


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

# Fact kinds whose absence is itself the answer: asked "who founded Brady?", the honest
# reply is that the page doesn't say. For the other kinds ("what does it cover") the
# resource's answer is the reply.
GAP_WHEN_MISSING = frozenset({
    "founded", "founders", "led_by", "named_for", "presenters", "published", "statistics",
    "since", "part_of", "members", "principle",
}) | (frozenset(ASK_LABELS) - frozenset(FACT_KINDS))


class Engine:
    def __init__(self, knowledge: Knowledge, knowledge_root: Path | str = DEFAULT_DIR):
        self.knowledge = knowledge
        self.knowledge_root = Path(knowledge_root)
        self.matcher = Matcher(knowledge)
        # Each resource's intent: the one leading it, else the narrowest that cites it.
        self.homes = dict(self.matcher.homes)
        for intent in sorted(knowledge.intents.values(), key=lambda i: len(i.resources)):
            for rid in intent.resources:
                self.homes.setdefault(rid, intent.id)
        self.names = Names(knowledge, self.matcher.synonyms)
        self.describer = Describer(knowledge, self.homes, self.matcher.terms)
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

    def _understand(self, question: str, query: Query, within: frozenset[str] | None) -> Answer:
        """Facts first where the question names or describes resources, then the intents."""
        ranked = self.matcher.rank(query)
        if within is not None:
            ranked = [r for r in ranked if r.intent in within]
        decision = decide(ranked, bool(query.content), smalltalk=self.matcher.smalltalk_fallback(query))
        if query.content and within is None:
            shape = shape_of(query.cleaned)
            answer = self._about_resources(question, query, shape, decision)
            if answer is not None:
                return answer
        if decision.outcome == "answer":
            return self.answer_intent(decision.intent, question, decision.score)
        if decision.outcome == "clarify":
            return self._clarify(question, decision)
        if decision.outcome == "help":
            return self._no_content(question)
        return self.fallback(question, decision.score)

    # --- questions about resources ----------------------------------------------------

    def _about_resources(self, question: str, query: Query, shape: Shape, decision: Decision) -> Answer | None:
        """An answer composed from the facts, or None to let the intents answer."""
        named = self.names.find(query.stems)
        if shape.years is not None:
            found = self._by_year(shape, named)
            if found:
                return self._several(question, found, shape, "founded")
        if len(named) >= 2:
            return self._several(question, named, shape, shape.asks)
        if shape.clauses and not named:
            picked = [d for d in (self._describe(self.matcher.analyze(c).content) for c in shape.clauses) if d]
            picked = list(dict.fromkeys(picked))
            if len(picked) >= 2:
                return self._several(question, picked, shape, None)
        if named:
            return self._about(question, named[0], shape, decision)
        described = self._described(query.content)
        intent = self.knowledge.intents[decision.intent] if decision.outcome == "answer" and decision.intent else None
        if described is not None and (intent is None or described.score > decision.score or intent.smalltalk):
            if described.resource not in (intent.resources if intent else ()):
                return self._about(question, described.resource, shape, decision, described.score)
        if intent is not None:
            if intent.smalltalk or len(intent.resources) != 1:
                return None  # small talk, or a curated listing: the intent answers as it is
            return self._about(question, intent.resources[0], shape, decision)
        if shape.listing:
            found = self._listing(query.content)
            if len(found) >= 2:
                return self._several(question, found, shape, shape.asks)
        if described is not None:
            return self._about(question, described.resource, shape, decision, described.score)
        return None

    def _describe(self, terms: tuple[str, ...]) -> str | None:
        described = self._described(terms)
        return described.resource if described else None

    def _described(self, terms: tuple[str, ...]) -> Described | None:
        """The one resource the words describe, when it clearly leads every other."""
        ranking = self.describer.rank(terms, self.matcher.known)
        if not ranking:
            return None
        best = ranking[0]
        family = self._family(best.resource)
        runner_up = next((d.score for d in ranking[1:] if d.resource not in family), 0.0)
        if best.score >= T.DESCRIBE_MIN and best.score - runner_up >= T.DESCRIBE_MARGIN:
            return best
        return None

    def _listing(self, terms: tuple[str, ...]) -> list[str]:
        ranking = self.describer.rank(terms, self.matcher.known)
        if not ranking or ranking[0].score < T.LIST_MIN:
            return []
        keep = [d.resource for d in ranking if d.score >= ranking[0].score - T.LIST_SPREAD]
        return [r for r in keep if self.knowledge.resources[r].part_of not in keep]

    def _family(self, rid: str) -> set[str]:
        res = self.knowledge.resources
        return {rid, res[rid].part_of or rid} | {r for r, v in res.items() if v.part_of == rid}

    def _by_year(self, shape: Shape, named: list[str]) -> list[str]:
        pool = named if len(named) >= 2 else list(self.knowledge.resources)
        dated = [(founding_years(self.knowledge.resources[r]), r) for r in pool]
        found = [(min(ys), r) for ys, r in dated if ys and shape.years and any(year_fits(y, shape.years) for y in ys)]
        return [r for _, r in sorted(found)]

    def _about(self, question: str, rid: str, shape: Shape, decision: Decision, score: float = 100.0) -> Answer:
        """One resource: its intent's answer, led by the fact asked for, or an honest gap."""
        resource = self.knowledge.resources[rid]
        intent_id = self.homes.get(rid)
        if decision.outcome == "answer" and rid in self.knowledge.intents[decision.intent].resources:
            intent_id, score = decision.intent, decision.score  # a more specific intent that cites it
        if intent_id is None:
            parent = resource.part_of
            intent_id = self.homes.get(parent) if parent else None
        if intent_id is None:
            return self.fallback(question, score)
        answer = self.answer_intent(intent_id, question, score)
        asked = shape.asks
        facts = resource.facts_of(asked) if asked else ()
        if facts:
            lead = " ".join(dict.fromkeys(f.says for f in facts))
            return replace(answer, text=f"{lead}\n\n{answer.text}", fact=facts[0])
        if asked in GAP_WHEN_MISSING:
            gap = f"The page doesn't say {ASK_LABELS[asked]} for {resource.name}. What it does say:"
            return replace(answer, text=f"{gap}\n\n{answer.text}", gap=asked)
        return answer

    def _several(self, question: str, rids: list[str], shape: Shape, asked: str | None) -> Answer:
        """Several resources side by side, each with the fact that fits the question."""
        res = self.knowledge.resources
        lines = []
        for rid in rids:
            r = res[rid]
            facts = r.facts_of(asked) if asked else ()
            said = " ".join(dict.fromkeys(f.says for f in facts)) if facts else self._gist(r)
            lines.append(f"• {r.name}: {said}")
        names = [res[r].name for r in rids]
        title = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        follow = tuple(self._choice(self.knowledge.intents[self.homes[r]]) for r in rids if r in self.homes)
        return Answer(question, "answer", self.homes.get(rids[0]), 100.0, title, "\n".join(lines),
                      resources=tuple(res[r] for r in rids), follow_ups=tuple(dict.fromkeys(follow))[:5],
                      source=self.source, about=tuple(rids))

    def _gist(self, r: Resource) -> str:
        """What a resource is, in the page's words: its first fact, else its summary."""
        first: Fact | None = r.facts[0] if r.facts else None
        return " ".join(r.summary.split()) if first is None or first.kind == "what" and len(r.facts) == 1 else first.says

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
