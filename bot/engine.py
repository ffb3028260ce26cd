"""Question -> Answer: the one path every surface uses.

clean -> safety check -> match -> outcome (answer, clarify, fallback, safety) -> Answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from bot import crisis_model, safety
from bot import thresholds as T
from bot.answer import Answer, Choice
from bot.knowledge import DEFAULT_DIR, FACT_KINDS, Intent, Knowledge, Resource, load
from bot.matcher import Matcher, Query, Ranked
from bot.text import MAX_CHARS
from bot.context import Context
from bot.understand import (
    ASK_LABELS, BOTH, COMPARE_TERMS, EVERY, LISTING_TERMS, NEVER_ON_PAGE, SELECTS, Described, Describer, Names, Shape,
    asking_part, ends_asking, follow_up_kind, founding_years, known_text, narrowed_by_group, pool_of, refers_back, related_kinds,
    shape_again, shape_of, sibling_step, unknown_names, year_fits,
)


@dataclass(frozen=True)
class Decision:
    outcome: str  # answer | clarify | fallback | help (nothing but filler was asked)
    score: float
    intent: str | None = None
    choices: tuple[str, ...] = ()


def decide(
    ranked: list[Ranked],
    has_content: bool,
    answer_min: float | None = None,
    margin: float | None = None,
    clarify_min: float | None = None,
    smalltalk: list[Ranked] | None = None,
) -> Decision:
    """The outcome for a ranking, under thresholds.py unless told otherwise (read at each
    call, so the evaluation's sweep can set them).
    `smalltalk` ranks the whole message against small talk; it is the last resort before
    a fallback ("thanks a bunch" has a word the knowledge lacks, and is still thanks)."""
    decision = _decide(ranked, has_content, T.ANSWER_MIN if answer_min is None else answer_min,
                       T.MARGIN if margin is None else margin, T.CLARIFY_MIN if clarify_min is None else clarify_min)
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


# Where a long message breaks into parts that may each ask something: sentences, and the
# clauses a chatty message strings together ("…, and she asked me to find out which …").
_SENTENCES = re.compile(
    r"(?<=[.!?;])\s+|\n+|\s+(?:also|and also|btw|ps|but|so)\b|,\s+(?:and|but|so)\s+|\s+(?:-|\u2014|\u2013)\s+",
    re.IGNORECASE)

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
    "since", "part_of", "members", "principle", "age",
}) | NEVER_ON_PAGE
# Kinds that ask what something covers or does, which its answer already says: a fact of
# these kinds leads only with what the answer does not say. The rest ask one fact, which
# leads ("The Coalition to Stop Gun Violence was founded in 1974 — …").
BROAD_KINDS = frozenset({"topics", "focus", "methods", "what", "materials", "partners", "organizers"})
# Kinds the page speaks of without ever naming names: "leading CVI experts" present.
NEVER_NAMED = frozenset({"presenters"})


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
        self._known_text = known_text(knowledge)
        self.topics = tuple(self._choice(i) for i in knowledge.intents.values() if i.topic)
        first = next(iter(knowledge.resources.values()), None)
        self.source = first.source if first else None

    @classmethod
    def from_dir(cls, root: Path | str = DEFAULT_DIR) -> "Engine":
        return cls(load(root), root)

    # --- the one path -----------------------------------------------------------------

    def ask(self, question: str, within: frozenset[str] | None = None, context: Context | None = None) -> Answer:
        """The answer to a question; `within` limits it to some intents (as /cvi does);
        `context` is what the conversation was about, for a follow-up ("who leads it?")."""
        query = self.matcher.analyze(question)
        level = self._safety_level(query.cleaned, question)
        if level.level == safety.CRISIS:
            rest = self.matcher.analyze(safety.without_crisis(query.cleaned))
            # the rest of the message answered as any question is, and only a real answer kept;
            # one stray word left beside the danger ("a guy with a gun in the lobby") asks nothing
            asks = len(rest.content) >= 2 or bool(rest.content and self.names.find(rest.stems))
            also = self._understand(rest.cleaned, rest, within) if asks else None
            answer = self._safety(question, also if also is not None and also.outcome == "answer" else None)
        else:
            answer = self._understand(question, query, within, context)
            if level.level == safety.TOPIC:
                answer = replace(answer, text=f"{answer.text}\n\n{safety.TOPIC_NOTE}")
        return replace(answer, safety=level)

    def may_lean_back(self, question: str) -> bool:
        """Whether a message could be a follow-up at all (a pronoun, an ellipsis, a short
        question for a fact, "both", "the next one"): the surfaces read a conversation's
        stored context only then, which spares most messages a database read."""
        query = self.matcher.analyze(question)
        kind = follow_up_kind(query.cleaned)
        if kind != "ellipsis" and self.names.find(query.stems):
            return False  # it names its own subject: the context is left behind
        if kind or BOTH.search(query.cleaned) or sibling_step(query.cleaned):
            return True
        asks = shape_of(query.cleaned, asking_part(question)).asks
        return asks is not None and (len(query.content) <= T.FOLLOW_UP_MAX_TERMS or asks in NEVER_ON_PAGE)

    @staticmethod
    def _safety_level(cleaned: str, text: str) -> safety.Assessment:
        """The signal grammar's level, with the crisis model as a second reader: it catches
        what no signal names ("i keep thinking everyone would be fine if i just disappeared
        for good tonight"), never in a message that ends by asking something ("when was Jim
        Brady shot?", "…, what can the city do"): a report of danger now is not a question
        about it. Where the grammar reads policy talk, the model has a bar of its own; both
        bars are chosen in training (scripts/train_crisis_model.py)."""
        level = safety.assess(cleaned)
        if level.level == safety.CRISIS:
            return level
        reader = crisis_model.model()
        if reader is None or ends_asking(text[:MAX_CHARS]):
            return level  # "when was Jim Brady shot?", "…, what can the city do": asked, not reported
        p = reader.probability(cleaned)
        bar = reader.over_topic if level.level == safety.TOPIC else reader.threshold
        if p >= bar:
            return safety.Assessment(safety.CRISIS, (*level.signals, f"crisis model {p:.2f}"))
        return level

    def _understand(self, question: str, query: Query, within: frozenset[str] | None,
                    context: Context | None = None) -> Answer:
        """A long message is answered from its best sentence when the whole is too diluted
        to answer ("So I'm putting together the briefing book … which webinar covered
        hospital-based programs? Also we have the budget hearing Thursday …")."""
        answer = self._understand_one(question, query, within, context)
        if answer.outcome == "answer" or len(query.content) < T.LONG_MESSAGE_TERMS:
            return answer
        best = answer
        for sentence in _SENTENCES.split(question[:MAX_CHARS]):  # no more than clean() reads
            part = self.matcher.analyze(sentence)
            if not part.content or len(part.content) == len(query.content):
                continue
            tried = self._understand_one(question, part, within)
            if tried.outcome == "answer" and (best.outcome != "answer" or tried.score > best.score):
                best = tried
        return best

    def _understand_one(self, question: str, query: Query, within: frozenset[str] | None,
                        context: Context | None = None) -> Answer:
        """Facts first where the question names or describes resources, then the intents."""
        ranked = self.matcher.rank(query)
        if within is not None:
            ranked = [r for r in ranked if r.intent in within]
        # One word fits many intents ("community", "police"): it answers only when one is far ahead.
        margin = T.ONE_WORD_MARGIN if len(query.content) == 1 else None
        decision = decide(ranked, bool(query.content), margin=margin, smalltalk=self.matcher.smalltalk_fallback(query))
        if decision.outcome == "clarify" and any(t not in self.matcher.known for t in query.content):
            # "Did you mean" is for a question of ours said two ways; one with words the
            # knowledge has never seen ("gun laws in Missouri") is not ours.
            decision = Decision("fallback", decision.score)
        shape = shape_of(query.cleaned, asking_part(query.text))
        # A follow-up may be all stop words ("and when was that?"); it still leans on the context.
        if within is None and context is not None and (query.content or shape.asks or follow_up_kind(query.cleaned)):
            followed = self._follow_up(question, query, shape, decision, context)
            if followed is not None:
                return replace(followed, context=context)
        if query.content and within is None:
            answer = self._about_resources(question, query, shape, decision, ranked)
            if answer is not None:
                return answer
        if decision.outcome == "answer" and decision.intent is not None:
            return self.answer_intent(decision.intent, question, decision.score)
        if decision.outcome == "clarify":
            return self._clarify(question, decision)
        if decision.outcome == "help":
            return self._no_content(question)
        return self.fallback(question, decision.score)

    # --- follow-ups ---------------------------------------------------------------------

    def _follow_up(self, question: str, query: Query, shape: Shape, decision: Decision,
                   context: Context) -> Answer | None:
        """The answer to a message that leans on the conversation so far, or None when it
        stands on its own (it names or describes its own subject)."""
        res = self.knowledge.resources
        remembered = [r for r in context.resources if r in res]
        if not remembered:
            return None
        kind = follow_up_kind(query.cleaned)
        pronoun = refers_back(query.cleaned)
        if kind == "ellipsis" and shape.asks is None and context.asks:
            shape = shape_again(query.cleaned, context.asks)  # "and the one from 1974?" asks what came before
        named = self.names.find(query.stems)
        if named:
            if kind != "ellipsis":
                return None  # a new subject: the context is left behind
            if len(named) >= 2:
                return self._several(question, named, shape.asks)
            answer = self._about(question, self._narrowed(named[0], query, shape), shape, decision)
            # "and PERF?" after CSGV: both stay in mind, for "which of the two is older?"
            return replace(answer, about=tuple(dict.fromkeys((*answer.about, remembered[0]))))
        if len(remembered) >= 2 and BOTH.search(query.cleaned):
            return self._several(question, remembered, shape.asks or ("age" if shape.compare else None))
        gap_asked = shape.asks in NEVER_ON_PAGE
        short_ask = shape.asks is not None and len(query.content) <= T.FOLLOW_UP_MAX_TERMS  # "what's the percentage target?"
        if unknown_names(question, self._known_text) or (not pronoun and not gap_asked and not short_ask and any(
                t not in self.matcher.known for t in query.content)):
            return None  # words the knowledge has never seen ("gun laws in Missouri"): a new subject
        # It asks for a fact the remembered subject has ("are the slides available?").
        has_asked = any(self.knowledge.resources[r].facts_of(k) for r in remembered for k in related_kinds(shape.asks))
        if kind is None and (not shape.asks or len(query.content) > T.FOLLOW_UP_MAX_TERMS) and not gap_asked:
            return None  # no pronoun, no ellipsis: only a short question for a fact ("since when?") leans back
        if shape.years is not None:
            found = self._by_year(query.cleaned, shape, [])
            if found:
                return self._several(question, found, "age")
        step = sibling_step(query.cleaned)
        if step is not None:
            sibling = self._sibling(remembered[0], step)
            if sibling is not None:
                return self._said_about(self._about(question, sibling, shape, decision))
        # Words that the remembered subject does not account for, but another resource
        # clearly does, change the subject ("and the one where practitioners talk about
        # sustaining programs?"); a comparison puts the two side by side.
        family = set().union(*(self._family(r) for r in remembered))
        described = self._described(query.content)
        # Only words some resource has say whether the subject stays ("are the slides
        # available?": "slides" does, "available" says nothing either way).
        telling = tuple(t for t in query.content if t in self.describer.idf)
        stays = self.describer.rank(telling, self.matcher.known, among=family)
        staying = stays[0].score if stays else (100.0 if shape.asks or kind else 0.0)
        if described is not None and described.resource not in family and described.score > staying:
            if shape.compare:
                return self._several(question, [remembered[0], described.resource], shape.asks)
            if not pronoun and not has_asked and staying < T.FOLLOW_UP_STAY_MIN:
                return self._about(question, described.resource, shape, decision, described.score, described=True)
        if kind == "ellipsis" and not pronoun and query.content:
            # "and the one where practitioners talk about sustaining?": another part of the same series
            other = self._sibling_described(remembered[0], query.content)
            if other is not None:
                return self._said_about(self._about(question, other, shape, decision))
        if kind is None and telling and staying < T.FOLLOW_UP_STAY_MIN and not (gap_asked or has_asked):
            return None
        target = remembered[0]
        if len(remembered) > 1 and stays and (len(stays) == 1 or stays[0].score > stays[1].score):
            target = stays[0].resource if stays[0].resource in remembered else target
        target = self._subject_for(target, shape, query.cleaned)
        return self._said_about(self._about(question, target, shape, decision))

    def _subject_for(self, rid: str, shape: Shape, cleaned: str) -> str:
        """A part or a report asked what only its parent has ("who put on that series?",
        "what else has that group worked on?"): the parent."""
        parent = self.knowledge.resources[rid].part_of
        if not parent:
            return rid
        kinds = related_kinds(shape.asks)
        has = any(self.knowledge.resources[rid].facts_of(k) for k in kinds)
        parent_has = any(self.knowledge.resources[parent].facts_of(k) for k in kinds)
        kind = self.knowledge.resources[rid].kind
        parent_word = r"\b(?:group|org|organi[sz]ation|agency|association)\b" if kind == "report" else r"\bseries\b"
        return parent if (kinds and not has and parent_has) or re.search(parent_word, cleaned) else rid

    def _sibling_described(self, rid: str, terms: tuple[str, ...]) -> str | None:
        parent = self.knowledge.resources[rid].part_of
        siblings = {r for r, v in self.knowledge.resources.items() if parent and v.part_of == parent and r != rid}
        ranking = self.describer.rank(terms, self.matcher.known, among=siblings | {rid})
        if ranking and ranking[0].resource != rid and ranking[0].score > 0 and (
                len(ranking) == 1 or ranking[0].score > ranking[1].score):
            return ranking[0].resource
        return None

    def _sibling(self, rid: str, step: tuple[str, int]) -> str | None:
        res = self.knowledge.resources
        parent = res[rid].part_of
        siblings = [r for r, v in res.items() if parent and v.part_of == parent and v.kind == res[rid].kind]
        if rid not in siblings:
            children = [r for r, v in res.items() if v.part_of == rid and v.kind == res[rid].kind]
            siblings, here = children, None
        else:
            here = siblings.index(rid)
        if not siblings:
            return None
        how, n = step
        if how == "index":
            return siblings[n] if -len(siblings) <= n < len(siblings) else None
        if here is None:
            return None
        return siblings[here + n] if 0 <= here + n < len(siblings) else None

    def _said_about(self, answer: Answer) -> Answer:
        """An answer the context decided says what it took the question to be about."""
        if answer.outcome != "answer" or not answer.about:
            return answer
        name = self.knowledge.resources[answer.about[0]].name
        return replace(answer, text=f"(About {name}.) {answer.text}")

    # --- questions about resources ----------------------------------------------------

    def _about_resources(self, question: str, query: Query, shape: Shape, decision: Decision,
                         ranked: list[Ranked]) -> Answer | None:
        """An answer composed from the facts, or None to let the intents answer."""
        named = self.names.find(query.stems)
        if shape.years is not None and not (len(named) == 1 and shape.years[0] == "all"):
            found = self._by_year(query.cleaned, shape, named)
            if found:
                return self._several(question, found, "age")
        if len(named) >= 2:
            return self._several(question, named, shape.asks)
        if shape.clauses and len(named) <= 1:
            picked = self._clauses(query.cleaned, shape)
            if len(picked) >= 2:
                return self._several(question, picked, shape.asks)
        intent = self.knowledge.intents[decision.intent] if decision.outcome == "answer" and decision.intent else None
        # A curated intent that lists (the gun safety organizations; the series with its parts).
        curated = intent is not None and (self._is_listing(intent) or len(intent.resources) >= 3)
        if shape.listing:
            found = self._listing(query.cleaned, query.content, shape.asks)
            # A curated listing answers, unless the question asks for more than it lists
            # ("every gun safety group AND every law enforcement group").
            if len(found) >= 2 and (not curated or set(found) > set(intent.resources)):  # type: ignore[union-attr]
                return self._several(question, found, shape.asks)
            if len(found) == 1 and not named and not curated:  # "which of these groups does litigation?": the one that does
                return self._about(question, found[0], shape, decision, T.LIST_MIN, described=True)
        if named:
            return self._about(question, self._narrowed(named[0], query, shape), shape, decision)
        if unknown_names(question, self._known_text):
            # It names something the page doesn't ("Moms Demand Action"): only a strong
            # match to a curated example may answer it.
            if decision.score < T.UNKNOWN_NAME_ANSWER_MIN:
                return self.fallback(question, decision.score)
            return None
        if shape.listing and curated:
            return None  # a curated listing answers a listing question as it is
        listing = intent or (self.knowledge.intents[ranked[0].intent] if ranked and ranked[0].score >= T.WITHIN_LIST_RANKED else None)
        if (listing is not None and len(listing.resources) > 1 and not shape.listing and SELECTS.search(query.cleaned)
                and self._filter_terms(query.content, pool_of(query.cleaned, self.knowledge)[1])):
            # "Which group does X?" reaching a curated listing: the one of its resources
            # that X describes, when one clearly does.
            within = self.describer.rank(query.content, self.matcher.known, among=set(listing.resources))
            least = T.WITHIN_LIST_MIN if intent is not None else T.DESCRIBE_MIN - T.WITHIN_LIST_MARGIN
            elsewhere = self._described(query.content, shape.asks)  # "which org brings up police violence": not a police org
            if elsewhere is not None and elsewhere.resource not in listing.resources and (
                    not within or elsewhere.score > within[0].score):
                return self._about(question, elsewhere.resource, shape, decision, elsewhere.score, described=True)
            if len(within) > 1 and within[0].score >= least and within[0].score - within[1].score >= T.WITHIN_LIST_MARGIN:
                return self._about(question, within[0].resource, shape, decision, within[0].score, described=True)
        described = self._described(query.content, shape.asks)
        # A description overrides the intents' answer only when it is the surer of the two;
        # a curated example this close ("What counts as a CVI program?") is surer still.
        if described is not None and (intent is None or intent.smalltalk or (
                described.score > decision.score and decision.score < T.INTENT_SURE)):
            if described.resource not in (intent.resources if intent else ()):
                return self._about(question, described.resource, shape, decision, described.score, described=True)
        if intent is not None:
            if intent.smalltalk or len(intent.resources) != 1:
                return None  # small talk, or a curated listing: the intent answers as it is
            # Not named: a gap is said only of a resource surely meant.
            return self._about(question, intent.resources[0], shape, decision, decision.score, described=True)
        if described is None and decision.outcome != "answer":
            described = self.describer.anchored(query.content, self.matcher.known)
        if described is not None:
            return self._about(question, described.resource, shape, decision, described.score, described=True)
        return None

    def _is_listing(self, intent: Intent) -> bool:
        """The intent lists resources of more than one family (not an organization and its report)."""
        first = intent.resources[0] if intent.resources else None
        return first is not None and not self._is_about(intent, first)

    def _is_about(self, intent: Intent, rid: str) -> bool:
        """The intent is about this resource: it leads with it, and cites nothing else but its
        parts or reports (not a listing that merely starts with it)."""
        res = self.knowledge.resources
        return intent.resources[:1] == (rid,) and all(r in (res[rid].part_of, *(c for c, v in res.items() if v.part_of == rid))
                                                      for r in intent.resources[1:])

    def _narrowed(self, rid: str, query: Query, shape: Shape) -> str:
        """A named series narrowed to the part the rest of the question describes ("the
        place-based CVI webinar" names the series and means Part 2) — unless it asks what
        the series itself has ("who's behind the CVI webinar series?")."""
        parts = {r for r, v in self.knowledge.resources.items() if v.part_of == rid}
        if not parts or shape.asks in NEVER_ON_PAGE or any(
                self.knowledge.resources[rid].facts_of(k) for k in related_kinds(shape.asks)):
            return rid
        own = set(self.matcher.terms(self.knowledge.resources[rid].name))
        for alias in self.knowledge.resources[rid].aliases:
            own |= set(self.matcher.terms(alias))
        rest = tuple(t for t in query.content if t not in own)
        ranking = self.describer.rank(rest, self.matcher.known, among=parts)
        if (len(ranking) > 1 and ranking[0].score >= T.PART_MIN and ranking[0].score - ranking[1].score >= T.DESCRIBE_MARGIN
                and set(rest) & self.describer.topics[ranking[0].resource]):  # a topic of that part, not a stray word
            return ranking[0].resource
        return rid

    def _describe(self, terms: tuple[str, ...]) -> str | None:
        described = self._described(terms)
        return described.resource if described else None

    def _described(self, terms: tuple[str, ...], asks: str | None = None) -> Described | None:
        """The one resource the words describe, when it clearly leads every other. A
        question for a fact ("which group was started by …") describes one that has it."""
        # Only for the kinds a question asks in so many words ("started by", "led by"): "as
        # part of the problem" asks for no part_of.
        prior = asks if asks in ("founders", "founded", "led_by", "named_for", "age", "presenters", "organizers") else None
        having = {r for r, v in self.knowledge.resources.items()
                  if any(v.facts_of(k) for k in related_kinds(prior))} if prior else set()
        ranking = self.describer.rank(terms, self.matcher.known, among=having or None)
        if not ranking:
            return None
        best = ranking[0]
        family = self._family(best.resource)
        runner_up = next((d.score for d in ranking[1:] if d.resource not in family), 0.0)
        if best.score >= T.DESCRIBE_MIN and best.score - runner_up >= T.DESCRIBE_MARGIN:
            return best
        # A long message dilutes every score; one resource far ahead of all others is still meant.
        if len(terms) >= T.LONG_MESSAGE_TERMS and best.score >= T.DESCRIBE_LEAD_MIN and best.score - runner_up >= T.DESCRIBE_LEAD:
            return best
        return None

    def _clauses(self, cleaned: str, shape: Shape) -> list[str]:
        """"Which webinar covers A and which covers B": the resource of the question's pool
        each part describes best."""
        pool, used = pool_of(cleaned, self.knowledge)
        picked: list[str] = []
        for clause in shape.clauses:
            terms = tuple(t for t in self._filter_terms(self.matcher.analyze(clause).content, used) if t not in COMPARE_TERMS)
            if shape_of(clause).listing:  # "which orgs are mayor-focused and which police-focused"
                picked += self._listing(clause, self.matcher.analyze(clause).content, None)
                continue
            ranking = self.describer.rank(terms, self.matcher.known, among=set(pool))
            family = self._family(ranking[0].resource) if ranking else set()
            runner_up = next((d.score for d in ranking if d.resource not in family), 0.0)
            if ranking and ranking[0].score > runner_up:
                picked.append(ranking[0].resource)
        return list(dict.fromkeys(picked))

    def _filter_terms(self, terms: tuple[str, ...], used: frozenset[str]) -> tuple[str, ...]:
        """A listing's words less those that chose its pool or made it a listing."""
        used_terms = set(self.matcher.terms(" ".join(used))) | LISTING_TERMS
        return tuple(t for t in terms if t not in used_terms)

    def _listing(self, cleaned: str, terms: tuple[str, ...], asked: str | None) -> list[str]:
        """Every resource of the pool the question draws from ("which law enforcement groups")
        that has the fact asked for, or that its other words describe."""
        pool, used = pool_of(cleaned, self.knowledge)
        if EVERY.search(cleaned) and used and len(pool) < len(self.knowledge.resources) / 2:
            return [r for r in pool if self.knowledge.resources[r].part_of not in pool]  # "one line per webinar"
        rest = self._filter_terms(terms, used)
        if rest and sum(t not in self.matcher.known for t in rest) * 3 > len(rest):
            return []  # "reports on air quality": words the knowledge has never seen
        kinds = related_kinds(asked) if asked in FACT_KINDS else ()
        if all(self.knowledge.resources[r].kind == "report" for r in pool) and asked == "published":
            kinds = ()  # "which reports …": the pool is reports already
        if asked in ("part_of", "members") and narrowed_by_group(cleaned):
            return pool  # "which entities are part of the federal government": the group is the answer
        if kinds:
            found = [r for r in pool if any(self.knowledge.resources[r].facts_of(k) for k in kinds)]
        else:
            if not rest:
                found = pool
            else:
                ranking = self.describer.rank(rest, self.matcher.known, among=set(pool))
                if not ranking or ranking[0].score < T.LIST_MIN:
                    return []
                found = [d.resource for d in ranking if d.score >= ranking[0].score - T.LIST_SPREAD]
        return [r for r in found if self.knowledge.resources[r].part_of not in found]

    def _family(self, rid: str) -> set[str]:
        res = self.knowledge.resources
        return {rid, res[rid].part_of or rid} | {r for r, v in res.items() if v.part_of == rid}

    def _by_year(self, cleaned: str, shape: Shape, named: list[str]) -> list[str]:
        """Resources whose founding fits the filter, oldest first; asked for every year
        ("a table of the orgs with their founding year"), every one of the pool, those the
        page gives no year for last."""
        pool = named if len(named) >= 2 else pool_of(cleaned, self.knowledge)[0]
        dated = [(founding_years(self.knowledge.resources[r]), r) for r in pool]
        if shape.years and shape.years[0] == "all":
            return [r for ys, r in sorted(dated, key=lambda d: (min(d[0]) if d[0] else 9999))]
        found = [(min(ys), r) for ys, r in dated if ys and shape.years and any(year_fits(y, shape.years) for y in ys)]
        return [r for _, r in sorted(found)]

    def _about(self, question: str, rid: str, shape: Shape, decision: Decision, score: float = 100.0,
               described: bool = False) -> Answer:
        """One resource: its intent's answer, led by the fact asked for, or an honest gap."""
        resource = self.knowledge.resources[rid]
        intent_id = self.homes.get(rid)
        if decision.outcome == "answer" and decision.intent and self._is_about(self.knowledge.intents[decision.intent], rid):
            intent_id, score = decision.intent, decision.score  # a more specific intent about it
        if intent_id is None:
            parent = resource.part_of
            intent_id = self.homes.get(parent) if parent else None
        if intent_id is None:
            return self.fallback(question, score)
        answer = self.answer_intent(intent_id, question, score)
        answer = replace(answer, about=(rid,), asks=shape.asks,
                         follow_ups=(self._fact_follow_ups(resource, shape.asks) + answer.follow_ups)[:5])
        asked = shape.asks
        if resource.kind == "report" and asked in ("founded", "age", "since"):
            asked = "published"  # a report's "when did it come out" is its publication
        facts = tuple(f for k in related_kinds(asked) for f in resource.facts_of(k)) if asked else ()
        # A heading with nothing under it on the page, and no part that has anything.
        heading_only = all(f.kind == "what" for f in resource.facts) and not any(
            v.facts for v in self.knowledge.resources.values() if v.part_of == rid)
        if facts and not (heading_only and asked != "what"):
            gap = asked if asked in NEVER_NAMED else None  # "leading CVI experts", never who
            said = set(self.matcher.terms(answer.text))
            new = [f.says for f in facts if len(set(self.matcher.terms(f.says)) - said) > T.LEAD_NEW_TERMS]
            if not new and gap is None and asked in BROAD_KINDS:  # the answer says it already: no sentence twice
                return replace(answer, fact=facts[0])
            lead = " ".join(dict.fromkeys(new or [f.says for f in facts]))
            return replace(answer, text=f"{lead}\n\n{answer.text}", fact=facts[0], gap=gap)
        if asked is not None and heading_only and resource.facts:
            gap = f"The page has only the heading {resource.name}, with nothing under it. What we can add:"
            return replace(answer, text=f"{gap}\n\n{answer.text}", gap="topics")
        if described and asked in NEVER_ON_PAGE and score < T.DESCRIBED_GAP_MIN:
            return self.fallback(question, score)  # a gap needs a resource surely meant, not a likeness
        if asked in GAP_WHEN_MISSING:
            gap = f"For {resource.name}, the page doesn't say {ASK_LABELS[asked]}. What it does say:"
            return replace(answer, text=f"{gap}\n\n{answer.text}", gap=asked)
        return answer

    # The follow-up questions a resource's facts can answer, as buttons: at most two.
    _FACT_QUESTIONS = (
        ("founders", "Who founded it?", "Who founded {name}?"),
        ("led_by", "Who leads it?", "Who leads {name}?"),
        ("published", "Its report", "What is the most recent report of {name}?"),
        ("founded", "When was it founded?", "When was {name} founded?"),
        ("organizers", "Who is behind it?", "Who is behind the {name}?"),
        ("members", "Who are its members?", "Who are the members of {name}?"),
    )

    def _fact_follow_ups(self, resource: Resource, asked: str | None) -> tuple[Choice, ...]:
        home = self.homes.get(resource.id)
        if home is None:
            return ()
        asked_kinds = set(related_kinds(asked))
        found = [Choice(home, label, ask.format(name=resource.name))
                 for kind, label, ask in self._FACT_QUESTIONS if resource.facts_of(kind) and kind not in asked_kinds
                 and not (kind == "founded" and resource.facts_of("founders"))]  # one sentence says both
        parent = resource.part_of
        if parent and resource.kind == "webinar" and parent in self.homes:  # "The other webinars"
            found.append(Choice(self.homes[parent], "The other webinars"))
        return tuple(found[:2])

    def _several(self, question: str, rids: list[str], asked: str | None) -> Answer:
        """Several resources side by side, each with the fact that fits the question."""
        res = self.knowledge.resources
        if asked == "published":  # "MCCA's latest report and PERF's": each with its report
            rids = list(dict.fromkeys(r for rid in rids for r in (
                rid, *(c for c, v in res.items() if v.part_of == rid and v.kind == "report"))))
        lines = []
        for rid in rids:
            r = res[rid]
            facts = tuple(f for k in related_kinds(asked) for f in r.facts_of(k)) if asked else ()
            said = " ".join(dict.fromkeys(f.says for f in facts)) if facts else self._gist(r)
            if asked in ("founded", "age") and not facts:
                said = f"the page gives no founding year. {said}"
            lines.append(f"• {r.name}: {said}")
        names = [res[r].name for r in rids]
        title = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if len(names) > 3:  # a title, not a list: the lines below name each one
            title = f"{len(names)} resources from the page"
        follow = tuple(self._choice(self.knowledge.intents[self.homes[r]]) for r in rids if r in self.homes)
        return Answer(question, "answer", self.homes.get(rids[0]), 100.0, title, "\n".join(lines),
                      resources=tuple(res[r] for r in rids), follow_ups=tuple(dict.fromkeys(follow))[:5],
                      source=self.source, about=tuple(rids), asks=asked)

    def _gist(self, r: Resource) -> str:
        """What a resource is and does, side by side with others: its curated summary."""
        return " ".join(r.summary.split())

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
            about=intent.resources,
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

    def _safety(self, question: str, also: Answer | None) -> Answer:
        """The safety text first; the answer to the rest of the message, if it has one, after it."""
        text, score = safety.TEXT, 100.0
        resources: tuple[Resource, ...] = ()
        follow_ups: tuple[Choice, ...] = ()
        if also is not None:
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
