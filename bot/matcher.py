"""Scoring a question against the curated knowledge: pure, built once, read-only after.

The index holds every example question and resource name as a set of content stems (after
synonyms). A question is cleaned, spell-corrected against the knowledge's own vocabulary,
reduced to content stems and looked up in an inverted index; only the examples that share
its rarest words are scored in full (see thresholds.py for the formula). That keeps a
question under a millisecond here and well under plain rapidfuzz.process.extractOne even on
100,000 examples.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot import thresholds as T
from bot.knowledge import Knowledge
from bot.text import Synonyms, clean, content, tokens
from bot.text import stem as stem_of


_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Query:
    text: str  # what was typed
    cleaned: str  # plain lower-case words
    content: tuple[str, ...]  # content stems after spelling and synonyms, in order
    corrections: tuple[tuple[str, str], ...] = ()
    stems: tuple[str, ...] = ()  # every stem after spelling and synonyms, stop words kept


@dataclass(frozen=True)
class Ranked:
    intent: str
    score: float  # 0-100
    example: str  # the example question that scored best


@dataclass(frozen=True)
class _Entry:
    intent: str
    text: str
    terms: frozenset[str]
    weight: float  # sum of IDF weights of terms
    sorted_text: str  # terms sorted and joined, for the fuzz component


class Matcher:
    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.synonyms = Synonyms(knowledge.synonyms)
        self._smalltalk: list[tuple[str, str, str]] = []  # (small-talk form, example, intent)
        raw: list[tuple[str, str, list[str]]] = []  # (intent, text, content stems)
        strong: dict[str, set[str]] = defaultdict(set)
        weak: dict[str, set[str]] = defaultdict(set)
        vocabulary: set[str] = set(self.synonyms.terms())
        words: set[str] = set()  # whole words, for spelling: "hosue" is nearer "house" than "hous"

        seen_texts: dict[str, list[str]] = {}

        def terms_of(text: str) -> list[str]:
            if text in seen_texts:  # a resource's facts are read once per intent citing it
                return seen_texts[text]
            cleaned = clean(text)
            words.update(w for w in cleaned.split() if len(w) > 4 and not w.isdigit())
            stems = tokens(cleaned)
            vocabulary.update(stems)
            seen_texts[text] = content(self.synonyms.apply(stems))
            return seen_texts[text]

        for sentence in re.split(r"(?<=[.!?])\s+", knowledge.page):  # the page's own spelling too
            terms_of(sentence)
        for phrases in knowledge.synonyms.values():
            for phrase in phrases:
                terms_of(phrase)

        for intent in knowledge.intents.values():
            if intent.smalltalk:
                self._smalltalk.extend((self._smalltalk_form(e), e, intent.id) for e in intent.examples)
            for text in intent.examples:
                terms = terms_of(text)
                raw.append((intent.id, text, terms))
                strong[intent.id].update(terms)
            # A title ("Reports") is too short to stand as an example: it would fully cover
            # any question containing its word. It still counts as the intent's vocabulary.
            strong[intent.id].update(terms_of(intent.title))
            weak[intent.id].update(terms_of(intent.answer))
            for rid in intent.resources:
                resource = knowledge.resources[rid]
                strong[intent.id].update(terms_of(resource.name))
                weak[intent.id].update(terms_of(resource.summary))
                for alias in resource.aliases:
                    strong[intent.id].update(terms_of(alias))
                for fact in resource.facts:  # the page's own words about what the intent cites
                    weak[intent.id].update(terms_of(fact.text))
        self.homes = resource_homes(knowledge)
        for rid, home in self.homes.items():
            name = knowledge.resources[rid].name
            raw.append((home, name, terms_of(name)))
            strong[home].update(terms_of(name))  # every example's words are its intent's (rank relies on it)

        # IDF over intents: a word in every intent says little about which one is meant.
        df: dict[str, int] = defaultdict(int)
        for intent_id in knowledge.intents:
            for term in strong[intent_id] | weak[intent_id]:
                df[term] += 1
        n = max(len(knowledge.intents), 1)
        self.idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
        self._strong = {k: frozenset(v) for k, v in strong.items()}
        self._weak = {k: frozenset(v - strong[k]) for k, v in weak.items()}

        self.entries: list[_Entry] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for intent_id, text, terms in raw:
            unique = frozenset(terms)
            if not unique:
                continue
            index = len(self.entries)
            self.entries.append(
                _Entry(intent_id, text, unique, sum(self.weight(t) for t in unique), " ".join(sorted(unique)))
            )
            for term in unique:
                self._postings[term].append(index)
        self._vocabulary = sorted(vocabulary)
        self.known = frozenset(vocabulary)
        self._words = sorted(words)
        # Past this many examples a word is too common to pick candidates by (think "gun").
        self._common = max(T.CANDIDATES, len(self.entries) // 20)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)
        self._terms_cache: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in seen_texts.items()}

    # --- the question ---------------------------------------------------------------

    def weight(self, term: str) -> float:
        idf = self.idf.get(term)
        if idf is None:
            return T.UNKNOWN_WEIGHT
        # Clamped: over a few dozen intents raw IDF is noisy. A word of one example's
        # phrasing ("stand", "data") must not outweigh the subject ("CVI", "webinar").
        return min(max(idf, T.WEIGHT_MIN), T.WEIGHT_MAX)

    def _correct_uncached(self, word: str) -> str:
        """The stem of a word, or of the known word it is a misspelling of: whole words are
        compared first ("exectuive" -> "executive"), then stems."""
        stem = stem_of(word)
        if stem in self.known or len(word) <= 4 or stem.isdigit():
            return stem
        # One slip (a letter wrong, missing, added or two swapped) in a word of 5 to 7
        # letters, two in a longer one: "hosue" is "house", "violance" is "violence".
        slips = 1 if len(word) <= 7 else 2
        near = process.extract(word, self._words, scorer=DamerauLevenshtein.distance, score_cutoff=slips, limit=8)
        if len(word) == 5:  # a short word is only a misspelling of one with the same letters ("hosue"), not "world" of "word"
            near = [m for m in near if sorted(m[0]) == sorted(word)]
        if near:  # of the nearest, the most alike: "againt" is "against", not "again"
            best = min(near, key=lambda m: (m[1], -fuzz.ratio(word, m[0])))
            return stem_of(best[0])
        found = process.extractOne(stem, self._vocabulary, scorer=fuzz.ratio, score_cutoff=T.SPELLING_MIN)
        return found[0] if found else stem

    def terms(self, text: str) -> tuple[str, ...]:
        """Content stems of knowledge text, after synonyms: what a question is compared with."""
        found = self._terms_cache.get(text)
        if found is None:
            found = self._terms_cache[text] = tuple(content(self.synonyms.apply(tokens(clean(text)))))
        return found

    def analyze(self, text: str) -> Query:
        cleaned = clean(text)
        said = [w for w in cleaned.split() if len(w) > 1 or w.isdigit()]  # as tokens() keeps them
        stems = [stem_of(w) for w in said]
        corrected = [self._correct(w) for w in said]
        fixes = tuple((a, b) for a, b in zip(stems, corrected, strict=True) if a != b)
        stems_after = self.synonyms.apply(corrected)
        terms = content(stems_after)
        return Query(text, cleaned, tuple(dict.fromkeys(terms)), fixes, tuple(stems_after))

    # --- ranking --------------------------------------------------------------------

    def rank(self, query: Query, exclude: str | None = None) -> list[Ranked]:
        """Intents best first, each with its best score. `exclude` leaves out one example
        text (the check asks which intent an example would reach without itself)."""
        if not query.content:
            return self.rank_smalltalk(query, exclude)
        weights = {t: self.weight(t) for t in query.content}
        total = sum(weights.values())
        q_sorted = " ".join(sorted(weights))
        # What the question's words are worth to an intent unmatched (words of its examples, or
        # of its answer, give partial credit), once per intent. An example's own words are all
        # its intent's strong words, so one it shares gains (1 - STRONG_CREDIT) of its weight
        # over that: an example costs only the words it shares, and long messages stay fast.
        asked = frozenset(weights)
        partial: dict[str, float] = {}
        best_score: dict[str, float] = {}
        best_text: dict[str, str] = {}
        gain = 1.0 - T.STRONG_CREDIT
        for index in self._candidates(weights):
            entry = self.entries[index]
            if entry.text == exclude:
                continue
            intent = entry.intent
            unmatched = partial.get(intent)
            if unmatched is None:
                strong, weak = self._strong.get(intent, _NONE), self._weak.get(intent, _NONE)
                unmatched = partial[intent] = (T.STRONG_CREDIT * sum(weights[t] for t in asked & strong)
                                               + T.WEAK_CREDIT * sum(weights[t] for t in asked & weak))
            shared = sum(map(weights.__getitem__, entry.terms & asked))
            score = 100.0 * (
                T.W_QUERY * (unmatched + gain * shared) / total
                + T.W_EXAMPLE * shared / entry.weight
                + T.W_FUZZ * fuzz.ratio(q_sorted, entry.sorted_text) / 100.0
            )
            if score > best_score.get(intent, -1.0):
                best_score[intent], best_text[intent] = score, entry.text
        ranked = [Ranked(intent, round(score, 1), best_text[intent]) for intent, score in best_score.items()]
        return sorted(ranked, key=lambda r: -r.score)

    def _candidates(self, weights: dict[str, float]) -> list[int]:
        """Examples sharing the question's words, rarest words first; the most promising
        CANDIDATES of them by shared weight."""
        found: dict[int, float] = defaultdict(float)
        for term in sorted(weights, key=lambda t: len(self._postings.get(t, ()))):
            posting = self._postings.get(term)
            if not posting:
                continue
            if len(posting) > self._common and found:
                continue  # common words only re-order what rarer words found
            w = weights[term]
            for index in posting[: self._common * 4]:
                found[index] += w
        if len(found) <= T.CANDIDATES:
            return list(found)
        return heapq.nlargest(T.CANDIDATES, found, key=found.__getitem__)

    def _smalltalk_form(self, text: str) -> str:
        return " ".join(self.synonyms.apply(tokens(clean(text))))

    def smalltalk_fallback(self, query: Query) -> list[Ranked]:
        """Small talk as a last resort: for a message with one content word at most ("thanks
        a bunch"), never for a whole request ("help me plan a ribbon cutting")."""
        return self.rank_smalltalk(query) if len(query.content) <= 1 else []

    def rank_smalltalk(self, query: Query, exclude: str | None = None) -> list[Ranked]:
        """Small-talk intents by how closely the whole message reads like one of their
        examples ("hi there", "thanks a bunch")."""
        scores: dict[str, float] = {}
        said = self._smalltalk_form(query.cleaned)
        for form, example, intent in self._smalltalk:
            if example == exclude or not said:
                continue
            score = max(fuzz.ratio(said, form), fuzz.token_set_ratio(said, form))
            if score > scores.get(intent, -1):
                scores[intent] = score
        return [Ranked(i, round(s, 1), "") for i, s in sorted(scores.items(), key=lambda kv: -kv[1])]


def resource_homes(knowledge: Knowledge) -> dict[str, str]:
    """Each resource's name is also an example of the intent it leads: the one citing it
    first with the fewest resources, or the one leading its parent where that is more
    specific. A resource only listed alongside others gets no home."""
    leads: dict[str, tuple[int, str]] = {}
    for intent in knowledge.intents.values():
        if intent.resources:
            first = intent.resources[0]
            if first not in leads or len(intent.resources) < leads[first][0]:
                leads[first] = (len(intent.resources), intent.id)
    homes: dict[str, str] = {}
    for rid, resource in knowledge.resources.items():
        if resource.kind == "resource":  # "Resources for Cities": too general a phrase
            continue
        lead = leads.get(rid)
        parent = leads.get(resource.part_of) if resource.part_of else None
        if parent and (lead is None or parent[0] < lead[0]):
            lead = parent  # a report belongs to its organization, not to a listing
        if lead:
            homes[rid] = lead[1]
    return homes
