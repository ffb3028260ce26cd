"""What a question asks, beyond which intent its words match: pure functions over knowledge.

- Shape: the kind of fact it asks for ("when was … founded" -> founded), something the page
  never gives ("phone number" -> a gap), a comparison ("X vs Y"), a listing ("which orgs …"),
  a year filter ("founded before 1980").
- Names: the resources a question names, by name or alias ("MAIG", "part 2", "Jim Brady").
- Describer: the resources a question *describes* by what the page says about them ("the
  group two mayors started in 2006"), scored by how much of the question their facts,
  quotes, summary and curated examples account for — IDF-weighted over resources, so a word
  every resource has says little and a word none has counts against every one.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from bot import thresholds as T
from bot.knowledge import Knowledge, Resource
from bot.text import MAX_CHARS, PhraseIndex, Synonyms, clean, tokens

# --- the shape of a question -------------------------------------------------------------

# What a question asks for, tried in order; the first that fires names the kind. A kind in
# knowledge.FACT_KINDS is answered from that fact where the resource has it, and is an
# honest gap where it does not; the other kinds are things the page never gives.
# Each entry: (kind, what the page would have to say, pattern over clean() text).
_ASKS: tuple[tuple[str, str, str], ...] = (
    ("contact", "contact details, offices or local chapters",
     r"\b(?:phone|telephone|fax|e ?mail|email address|contact\w*|mailing address|street address|"
     r"office address|headquarter\w*|where (?:are|is) (?:they|it|\w+) (?:located|based)|located|hq|website address|"
     r"field offices?|local offices?|office near|chapters?|branch(?:es)?|who do (?:we|i) call|call them|"
     r"speak at|to speak|invite (?:her|him|them)|book (?:her|him|them)|appearance)\b"),
    ("join", "how to join or sign on",
     r"\b(?:join\w*|sign (?:on|up)|become a member|enroll\w*|apply to)\b"),
    ("specifics", "those specifics",
     r"\b(?:resolutions?|which cities (?:are|were) (?:featured|highlighted|used)|case stud\w*|examples? (?:of|from) cities|"
     r"featured|which cities)\b"),
    ("authors", "who wrote it",
     r"\b(?:who (?:wrote|authored|writes)|authors?|authored)\b"),
    ("money", "amounts of money, budgets or costs",
     r"\b(?:how much (?:money|funding|did|does|do|is|was|will)|budget\w*|dollars?|million|billion|"
     r"cost\w*|fees?|salar\w*|revenue|donat\w*|funding amount|how much)\b"),
    ("schedule", "dates of sessions or anything scheduled after 2021",
     r"\b(?:next(?: \w+)? (?:webinar|session|part|one)|upcoming|schedul\w*|regist\w*|sign up|what date|which date|"
     r"when (?:is|was) (?:it|the \w+ )?(?:held|scheduled|the next)|how long (?:is|was) (?:it|each|the (?:webinar|session|recording))|"
     r"part (?:4|four|5|five)|fourth (?:part|webinar)|deadline\w*|apply|application)\b"),
    ("results", "results, outcomes or findings",
     r"\b(?:results?|outcomes?|did (?:it|they|\w+) (?:work|hit|reach|meet|achieve|succeed)|success rate|"
     r"how effective|findings?|recommendations?|by how much|went (?:up|down)|go (?:up|down)|grade\w*|rating|score)\b"),
    ("people_now", "who holds that post today",
     r"\bwho (?:is|s|are) (?:the |its |their )?(?:\w+ )?(?:current |new |present )?(?:director|ceo|president|chair\w*|head|chief|leader|"
     r"executive director|spokes\w*)\b|"
     r"\b(?:current|currently|now|today|these days)\b.*\b(?:director|ceo|chair\w*|leader|in charge|leads?|runs?)\b|"
     r"\b(?:took over|take over|succeeded|successor|replaced)\b|"
     r"\b(?:(?:the|its|their) (?:director|ceo|executive director|spokes\w*)|employees|board members)\b"),
    ("count", "how many members or participants it has",
     r"\bhow many (?:\w+ )?(?:members?|mayors|cities|people|chiefs|departments|agencies|staff|employees|participants|attendees)\b"),
    ("event", "that event",
     r"\b(?:when was \w+ (?:\w+ )?shot|shot (?:in|when)|assassination|died|death of|born|passed away|retired)\b"),
    ("presenters", "who presents",
     r"\b(?:who (?:presents|presented|present|spoke|speaks|is presenting|are the (?:speakers|presenters|panelists)|gave|taught|teaches)|"
     r"presenters?|speakers?|panelists?|moderat\w*)\b"),
    ("founders", "who founded it",
     r"\b(?:who (?:\w+ )?(?:founded|started|created|co ?founded|formed|established|set up|began|launched)|founders?|"
     r"co ?found\w*|started by|founded by|created by|who (?:was|were) behind)\b"),
    ("named_for", "who it is named for",
     r"\b(?:named (?:for|after)|why is it called|name come from|who is \w+ named)\b"),
    ("led_by", "who leads it",
     r"\b(?:who (?:leads|runs|heads|led|ran|headed|chairs|is in charge of|is leading)|leader\w*|led by|head of|heads? it|in charge)\b"),
    ("founded", "the year it was founded",
     r"\b(?:when (?:was|were|did) .*\b(?:found\w*|start\w*|creat\w*|form\w*|establish\w*|begin|began|launch\w*|come out)|"
     r"what year|which year|founding|founded in|year (?:was|were|did)|dates? (?:from|back)|exact year|"
     r"^(?:and |so |ok )?when (?:was|did|is) (?:it|that|this|they)\b|^(?:and |so |ok )?when$)"),
    ("age", "how long it has been around",
     r"\b(?:how old|how long|since when|oldest|newest|came first|older|newer|been around|around longer|"
     r"when did it start|by age|age of)\b"),
    ("since", "since when",
     r"\b(?:since when|how long has|since what year|back in the \d+s|late 60s)\b"),
    ("part_of", "what it is part of",
     r"\b(?:(?:is|are|was|were|s) (?:\w+ ){0,4}part of|part of (?:which|what|a bigger|a larger|any)|affiliat\w*|"
     r"parent (?:group|org\w*)|bigger (?:group|org\w*)|umbrella|belong to|under which)\b"),
    ("organizers", "who is behind it",
     r"\b(?:who (?:runs|puts on|put on|organi[sz]es|organi[sz]ed|is behind|hosts|hosted|sponsors|sponsored|made)|"
     r"which (?:agencies|departments|federal (?:agencies|departments))|behind (?:the|it|this|that|them|they)|joint effort)\b"),
    ("members", "who its members are",
     r"\b(?:members?|membership|who belongs|who (?:is|are) in it|who does it represent|represent\w*)\b"),
    ("principle", "its guiding principle",
     r"\b(?:principles?|believe|beliefs|motto|philosophy|stance)\b"),
    ("goal", "its goal",
     r"\b(?:goal|aim|mission|target|trying to|meant to|purpose|objective|age range|ages?|what age)\b"),
    ("published", "a report of its own",
     r"\b(?:reports?|publish\w*|put out|wrote|written|guide|study|title|publication)\b"),
    ("statistics", "statistics",
     r"\b(?:statistics|stats|crime numbers|data|numbers|figures)\b"),
    ("materials", "recordings or slides",
     r"\b(?:slides?|recordings?|video|watch|deck)\b"),
    ("partners", "who it partners with",
     r"\b(?:partners?|partnership|work with|collaborat\w*|works with)\b"),
    ("methods", "how it works",
     r"\b(?:how does (?:it|they|that) (?:go about|work|do)|approach|methods?|how do they|tactics|strateg(?:y|ies) (?:do|does))\b"),
    ("announced", "what was announced",
     r"\b(?:announc\w*)\b"),
    ("topics", "what is under that heading",
     r"\b(?:cover\w*|about|discuss\w*|topics?|talk about|say about|say anything|what (?:exactly )?is in|what s in|steps|what should|"
     r"what does (?:it|that|this) (?:list|include|contain|have))\b"),
)
# What people ask that the page never gives for anything: always an honest gap.
NEVER_ON_PAGE = frozenset({
    "contact", "join", "specifics", "authors", "money", "schedule", "results", "people_now", "count", "event",
})
# Compiled at first use, in order: a cold `ask` compiles only those it reaches.
_ASK_PATTERNS: list[tuple[str, re.Pattern[str]]] = []
ASK_LABELS = {kind: label for kind, label, _ in _ASKS}

_COMPARE = re.compile(
    r"\b(?:vs|versus|compar\w*|difference\w*|differ\w*|distinguish|in common|similar\w*|"
    r"older|newer|came first|rank|side by side|relate to|related to|or the|which one|which of the two|"
    r"each|both|and which|which is which|how do they (?:differ|compare))\b"
)
_LISTING = re.compile(
    r"\b(?:(?:^|please |pls |can you |could you |you |to |a )list\b|list (?:all|every|the|of|them)\b|(?:are|were|is) listed\b|all (?:the |of the |of )?(?:\w+ )?(?:orgs|organizations|organisations|groups|agencies|webinars|reports|parts|sessions|three|of them)|every|each|table|rundown|overview of|which (?:\w+ ){0,3}(?:orgs|organizations|organisations|groups|agencies|"
    r"entities|entries|webinars|sessions|ones|reports|bodies|items|things)|what (?:orgs|organizations|organisations|groups|agencies|"
    r"reports|webinars|sessions)|which of (?:the|these|them|those)|who (?:else|all)|one (?:line|sentence) (?:each|per)|"
    r"(?:three|3|all) (?:webinars|parts|sessions)|any (?:orgs|groups|organizations)|per (?:webinar|session|org\w*|group)|"
    r"which ones|(?:orgs|organizations|groups|agencies|webinars|associations|reports) (?:that|which|with|on))\b"
)
_YEAR_FILTER = re.compile(r"\b(before|after|prior to|earlier than|later than|since|in) (1[89]\d\d|20\d\d)\b")
_DECADE = re.compile(r"\b(?:in|since|from|during) the (?:mid |early |late )?(?:19)?([0-9])0s\b")
_A_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ALL_YEARS = re.compile(r"\b(?:founding (?:years?|dates?)|by (?:founding )?(?:year|age)|oldest and newest|by age|"
                        r"when (?:were|was) (?:each|they|the \w+) founded|year (?:each|they) (?:was|were) founded)\b")
# "list every gun safety group": the whole pool, whatever else the question says.
EVERY = re.compile(r"\b(?:per (?:webinar|session|org\w*|group)|every|all (?:the |of the )?(?:\w+ )?(?:orgs|organizations|groups|agencies|webinars|reports)|list\w*|each)\b")
_CLAUSES = re.compile(r"\b(?:(?:and|or|vs|versus) (?=which\b|who\b|what\b)|vs|versus|(?:with|and|to) (?=the one\b))\b")


@dataclass(frozen=True)
class Shape:
    asks: str | None = None  # a fact kind (or a kind the page never gives) the question asks for
    compare: bool = False  # "X vs Y", "how is X different from Y", "which is older"
    listing: bool = False  # "which orgs …", "list …", "all …"
    years: tuple[str, int, int] | None = None  # ("before", 1980, 0), ("in", 1970, 1979), ("all", 0, 0)
    clauses: tuple[str, ...] = ()  # "which covers A and which covers B" -> the two halves


def _asks(cleaned: str) -> str | None:
    for n, (kind, _, pattern) in enumerate(_ASKS):
        if n == len(_ASK_PATTERNS):
            _ASK_PATTERNS.append((kind, re.compile(pattern)))
        if _ASK_PATTERNS[n][1].search(cleaned):
            return kind
    return None


def shape_of(cleaned: str, asking: str | None = None) -> Shape:
    """`asking`: the sentences of a long message that ask (end in "?"); what they ask is
    what the message asks ("We're drafting a resolution to join …. What bigger group is it
    part of?" asks what it is part of)."""
    asks = (_asks(asking) if asking else None) or _asks(cleaned)
    years: tuple[str, int, int] | None = None
    founding = re.search(r"\b(?:found\w*|start\w*|creat\w*|establish\w*|older|newer|oldest|newest|around|"
                         r"(?:one|group|org|organization) from the)\b", cleaned)
    if (m := _YEAR_FILTER.search(cleaned)) and founding:
        op, year = m.group(1), int(m.group(2))
        years = {"before": ("before", year, 0), "prior to": ("before", year, 0), "earlier than": ("before", year, 0),
                 "after": ("after", year, 0), "later than": ("after", year, 0), "since": ("after", year - 1, 0),
                 "in": ("in", year, year)}[op]
    elif founding and (m := _DECADE.search(cleaned)):
        start = 1900 + int(m.group(1)) * 10
        years = ("in", start, start + 9)
    elif _ALL_YEARS.search(cleaned):
        years = ("all", 0, 0)
    elif asks in ("founded", "founders", "age") and (m := _A_YEAR.search(cleaned)):
        years = ("in", int(m.group(1)), int(m.group(1)))  # "which org dates from 2006"
    parts = [p.strip() for p in _CLAUSES.split(cleaned) if p.strip()]
    asks_which = sum(bool(re.match(r"(?:which|who|what)\b", p)) for p in parts) >= 2
    set_against = re.search(r"\b(?:vs|versus|compare|the one)\b", cleaned)  # "A vs B", "compare A with the one …"
    clauses = tuple(parts) if len(parts) > 1 and (asks_which or set_against or re.search(r"\bwhich\b", cleaned)) else ()
    return Shape(asks, bool(_COMPARE.search(cleaned)), bool(_LISTING.search(cleaned)), years, clauses)


# --- resources a question names ----------------------------------------------------------


class Names:
    """Resources named in a question: each resource's name and aliases as phrases of stems
    (after synonyms), found longest first and never overlapping."""

    def __init__(self, knowledge: Knowledge, synonyms: Synonyms):
        self.knowledge = knowledge
        self._synonyms = synonyms
        self._phrases: dict[tuple[str, ...], str] = {}
        for rid, resource in knowledge.resources.items():
            if resource.kind == "resource" and rid == "source_page":
                continue  # "Reducing Gun Violence" is the page's title, and also a report's
            for phrase in (resource.name, *resource.aliases):
                key = self.stems(phrase)
                if key and key not in self._phrases:
                    self._phrases[key] = rid
        self._index = PhraseIndex(self._phrases)

    def stems(self, text: str) -> tuple[str, ...]:
        # Stop words kept: "What Works, and What Can Be Done Now" must be said whole, not
        # found in any question with "work" in it.
        return tuple(self._synonyms.apply(tokens(clean(text))))

    def find(self, terms: tuple[str, ...]) -> list[str]:
        """Resource ids in the order named, each once, a parent dropped when its part is
        named too ("part 2 of the CVI webinar series" is about Part 2)."""
        found = list(dict.fromkeys(rid for rid, _ in self._index.scan(terms) if rid is not None))
        parents = {self.knowledge.resources[r].part_of for r in found}
        return [r for r in found if r not in parents]


# --- resources a question describes ------------------------------------------------------


@dataclass(frozen=True)
class Described:
    resource: str
    score: float  # 0-100: the share of the question's weighted words the resource accounts for


_KIND_WORDS = {
    "organization": "organization group", "webinar": "webinar", "report": "report",
    "federal_action": "federal government organization",
}


class Describer:
    def __init__(self, knowledge: Knowledge, homes: dict[str, str], terms_of):
        """`terms_of(text)` turns text into content stems the way questions are turned."""
        self.knowledge = knowledge
        docs: dict[str, set[str]] = {}
        for rid, r in knowledge.resources.items():
            if rid == "source_page":
                continue
            words: set[str] = set(terms_of(_KIND_WORDS.get(r.kind, "")))  # an organization is a group, an org
            for text in (r.name, r.summary, *r.aliases, *(f.text for f in r.facts)):
                words.update(terms_of(text))
            home = knowledge.intents.get(homes.get(rid, ""))
            # A section heading's intent lists everything under it: no description of its own.
            if home is not None and r.kind != "resource":
                for text in (home.title, home.answer, *home.examples):
                    words.update(terms_of(text))
            docs[rid] = words
        df: dict[str, int] = defaultdict(int)
        for words in docs.values():
            for t in words:
                df[t] += 1
        n = len(docs)
        self.idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
        self.docs = {rid: frozenset(w) for rid, w in docs.items()}
        # The words a resource is *about*: its name, aliases and facts' values ("abandoned
        # buildings"), not every word of its sentences ("increase", "residents").
        self.topics = {
            rid: frozenset(t for text in (r.name, *r.aliases, *(v for f in r.facts for v in f.value)) for t in terms_of(text))
            for rid, r in knowledge.resources.items() if rid in docs
        }
        # Stems that differ only in their ending ("reduct" of reduction, "reduc" of reducing)
        # meet through a shared prefix of PREFIX letters or more: credited a little less.
        self._holders: dict[str, set[str]] = defaultdict(set)  # term -> the resources that have it
        self._prefix_holders: dict[str, set[str]] = defaultdict(set)
        for rid, words in docs.items():
            for t in words:
                self._holders[t].add(rid)
                if len(t) >= T.DESCRIBE_PREFIX:
                    self._prefix_holders[t[:T.DESCRIBE_PREFIX]].add(rid)

    def weight(self, term: str, known: frozenset[str]) -> float:
        idf = self.idf.get(term)
        if idf is None:
            # A word no resource has: against all of them, unless it is a word the knowledge
            # knows elsewhere (a question word, an example's phrasing).
            return T.DESCRIBE_KNOWN_ELSEWHERE if term in known else T.DESCRIBE_UNKNOWN
        return min(max(idf, T.DESCRIBE_WEIGHT_MIN), T.DESCRIBE_WEIGHT_MAX)

    def anchored(self, terms: tuple[str, ...], known: frozenset[str]) -> Described | None:
        """A resource that two or more of the question's words belong to alone ("abandoned"
        and "buildings" are Part 2's), in a question padded with words the knowledge has
        never seen ("our north side has a ton of …"): its share of the known words."""
        anchors: dict[str, int] = defaultdict(int)
        for t in terms:
            owners = [rid for rid, words in self.docs.items() if t in words]
            if len(owners) == 1 and t in self.topics[owners[0]]:
                anchors[owners[0]] += 1
        strong = [rid for rid, n in anchors.items() if n >= T.ANCHORS_MIN]
        told = tuple(t for t in terms if t in known)
        if len(strong) != 1 or len(told) < len(terms) * (1 - T.ANCHORED_UNKNOWN_MAX):
            return None
        best = self.rank(told, known, among={strong[0]})
        return best[0] if best and best[0].score >= T.ANCHORED_MIN else None

    def rank(self, terms: tuple[str, ...], known: frozenset[str], among: set[str] | None = None) -> list[Described]:
        """Resources by the share of the question's weighted words they account for, best
        first: summed over the resources that hold each word, not over every resource."""
        if not terms:
            return []
        weights = {t: self.weight(t, known) for t in terms}
        total = sum(weights.values())
        covered: dict[str, float] = dict.fromkeys(self.docs if among is None else (r for r in self.docs if r in among), 0.0)
        for t, w in weights.items():
            full = self._holders.get(t, ())
            for rid in full:
                if rid in covered:
                    covered[rid] += w
            if len(t) >= T.DESCRIBE_PREFIX:
                for rid in self._prefix_holders.get(t[:T.DESCRIBE_PREFIX], ()):
                    if rid in covered and rid not in full:
                        covered[rid] += w * T.DESCRIBE_PREFIX_CREDIT
        out = [Described(rid, round(100.0 * c / total, 1)) for rid, c in covered.items()]
        return sorted(out, key=lambda d: -d.score)


def year_fits(year: int, years: tuple[str, int, int]) -> bool:
    op, a, b = years
    return (op == "all" or (op == "before" and year < a) or (op == "after" and year > a)
            or (op == "in" and a <= year <= b))


def founding_years(resource: Resource) -> list[int]:
    return [f.year for f in resource.facts if f.kind == "founded" and f.year]


# --- listings ----------------------------------------------------------------------------

# What a listing is of: kind words pick the pool of resources, group words narrow it.
_POOL_WORDS = (
    ("webinar", re.compile(r"\b(?:webinars?|sessions?|parts|recordings)\b")),
    ("report", re.compile(r"\b(?:reports?|publications?|studies|guides)\b")),
    ("organization", re.compile(r"\b(?:orgs?|organi[sz]ations?|groups?|agenc(?:y|ies)|entit(?:y|ies)|entries|bodies|associations?|partners|items|"
                                r"non ?profits?|coalitions?)\b")),
)
_GROUP_WORDS = (
    ("gun_safety", re.compile(r"\bgun (?:safety|violence prevention|prevention)\b|\bgvp\b|\badvocacy\b")),
    ("law_enforcement", re.compile(r"\blaw enforcement\b|\bpolic(?:e|ing)\b|\bchiefs?\b")),
    ("federal", re.compile(r"\bfederal\b|\bgovernment\b")),
)


def pool_of(cleaned: str, knowledge: Knowledge) -> tuple[list[str], frozenset[str]]:
    """The resources a listing is drawn from, and the words that chose them (which then
    say nothing about which of the pool fit)."""
    res = knowledge.resources
    kinds = [kind for kind, p in _POOL_WORDS if p.search(cleaned)]
    groups = [g for g, p in _GROUP_WORDS if p.search(cleaned)]
    pool = []
    for rid, r in res.items():
        if rid == "source_page" or r.kind == "resource":
            continue
        kind_ok = not kinds or any(
            (k == "webinar" and r.kind == "webinar" and r.part_of) or (k == "report" and r.kind == "report")
            or (k == "organization" and r.kind in ("organization", "federal_action") and not r.part_of)
            for k in kinds)
        group_ok = not groups or any(
            r.group == g or (g == "federal" and any(f.kind == "part_of" and "Department" in " ".join(f.value) for f in r.facts))
            for g in groups)
        if kind_ok and group_ok:
            pool.append(rid)
    used = frozenset(w for _, p in (*_POOL_WORDS, *_GROUP_WORDS) for m in p.finditer(cleaned) for w in m.group(0).split())
    return pool, used


def related_kinds(asked: str | None) -> tuple[str, ...]:
    """The fact kinds that answer a question asking for `asked`: "how long has it been
    around" is answered by a founding year, a "since" or a history."""
    if asked is None:
        return ()
    return {"founded": ("founded", "since"), "age": ("founded", "since", "history"),
            "since": ("since", "founded", "history"),
            "led_by": ("led_by", "founders"), "goal": ("goal", "principle"), "principle": ("principle", "goal"),
            "published": ("published", "compares"), "focus": ("focus", "methods")}.get(asked, (asked,))


# Words that make a question a listing without saying which resources fit.
LISTING_TERMS = frozenset(stem for w in (
    "list all every each table rundown overview which ones one line sentence per three page mentioned "
    "named listed name brief briefly quick short entries"
).split() for stem in tokens(w))


def known_text(knowledge: Knowledge) -> tuple[frozenset[str], ...]:
    """Everything the knowledge names, as sets of clean() words: each sentence of the page,
    each name, alias, synonym phrase and example. A proper name whose words never stand
    together in one of them is something the page doesn't cover."""
    parts = re.split(r"(?<=[.!?])\s+", knowledge.page)  # clean() reads 1,000 characters at most
    for r in knowledge.resources.values():
        parts += [r.name, *r.aliases]
    for term, variants in knowledge.synonyms.items():
        parts += [term, *variants]
    for i in knowledge.intents.values():
        parts += [i.title, *i.examples]
    return tuple(frozenset(clean(p).split()) for p in parts)


# An acronym the knowledge doesn't know ("NRA", "IACP", "CDC"): three capitals or more.
_ACRONYM = re.compile(r"\b[A-Z]{3,6}s?\b")

# Two or more capitalised words in a row (small joining words allowed), not at the start
# of a sentence, where a capital says nothing.
_CAPITALISED_RUN = re.compile(
    r"(?<![.!?:]\s)(?<!^)\b((?:[A-Z][\w'’-]*)(?:\s+(?:(?:of|for|the|to|on)\s+)?[A-Z][\w'’-]*)+)"
)


def unknown_names(text: str, known: tuple[frozenset[str], ...]) -> list[str]:
    """Proper names of two words or more ("Moms Demand Action", "Violence Policy Center")
    that the knowledge never mentions: a question about them is not about the page.
    "Education Department" is known: its words stand together in one of the page's sentences."""
    found = []
    for m in _CAPITALISED_RUN.finditer(text[:MAX_CHARS]):
        words = set(clean(m.group(1)).split()) - {"of", "for", "the", "to", "on"}
        if len(words) >= 2 and not any(words <= part for part in known):
            found.append(m.group(1))
    for m in _ACRONYM.finditer(text[:MAX_CHARS]):
        word = clean(m.group(0)).rstrip("s") if len(m.group(0)) > 3 and m.group(0).endswith("s") else clean(m.group(0))
        if not any(word in part for part in known):
            found.append(m.group(0))
    return found


# --- follow-ups ----------------------------------------------------------------------------

# A message that leans on the one before: a pronoun for its subject, or an ellipsis.
_PRONOUN = re.compile(
    r"\b(?:it|its|it s|they|them|their|theirs|that|this|those|these|he|she|his|her|the same|"
    r"(?:the|that|this) (?:group|org|organization|organisation|series|webinar|session|report|agency|coalition|association)|"
    r"(?:that|this) one)\b"
)
_ELLIPSIS = re.compile(r"^(?:and|also|plus|so|ok(?:ay)?(?: so| and)?|what about|how about|and what about|same for|what of|then)\b")
# "the one after it", "the next one", "the first one": a sibling of the remembered part.
_NEXT = re.compile(r"\b(?:after (?:it|that|this)|next (?:one|part|webinar|session)|the one after|following one|the following)\b")
_PREVIOUS = re.compile(r"\b(?:before (?:it|that|this)|previous (?:one|part|webinar|session)|the one before|prior one)\b")
_ORDINAL = re.compile(r"\b(first|second|third|last|1st|2nd|3rd) (?:one|part|webinar|session)\b")
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}


def refers_back(cleaned: str) -> bool:
    """A pronoun for the subject: "who leads it?", "did they publish anything?"."""
    return _PRONOUN.search(cleaned) is not None


def follow_up_kind(cleaned: str) -> str | None:
    """"ellipsis" ("and part 3?", "what about PERF?"), "pronoun" ("who leads it?") or None."""
    if _ELLIPSIS.search(cleaned):
        return "ellipsis"
    if _PRONOUN.search(cleaned):
        return "pronoun"
    return None


def sibling_step(cleaned: str) -> tuple[str, int] | None:
    """("step", +1 / -1) for "the one after it" / "before it"; ("index", n) for "the first one"."""
    if _NEXT.search(cleaned):
        return ("step", 1)
    if _PREVIOUS.search(cleaned):
        return ("step", -1)
    if m := _ORDINAL.search(cleaned):
        return ("index", _ORDINALS[m.group(1)])
    return None


def shape_again(cleaned: str, asks: str) -> Shape:
    """The shape of a follow-up that asks what the message before it asked ("which org was
    founded in 1976?" then "and the one from 1974?")."""
    shape = shape_of(cleaned)
    years = shape.years
    if years is None and (m := _A_YEAR.search(cleaned)):  # "and the group from 1974?"
        years = ("in", int(m.group(1)), int(m.group(1)))
        asks = asks if asks in ("founded", "founders", "age") else "founded"
    return Shape(asks, shape.compare, shape.listing, years, shape.clauses)


def narrowed_by_group(cleaned: str) -> bool:
    """The question names a group of the page ("federal", "gun safety", "law enforcement")."""
    return any(p.search(cleaned) for _, p in _GROUP_WORDS)


_SENTENCE_END = re.compile(r"(?<=[.!?\n])")


def asking_part(text: str) -> str | None:
    """The sentences of a message that end in a question mark, cleaned; None when it has
    at most one sentence or none asks. Reads what clean() reads, no more."""
    sentences = [p.strip() for p in _SENTENCE_END.split(text[:MAX_CHARS]) if p.strip()]
    asked = [p for p in sentences if p.endswith("?")]
    if not asked or len(sentences) < 2:
        return None
    return clean(" ".join(asked)) or None


# "which of the two is older?", "compare them", "both": every remembered subject at once.
BOTH = re.compile(r"\b(?:(?:the|these|those) (?:two|three|both)|both|which of (?:them|those|these)|each of (?:them|those)|compare them)\b")


# A question that picks one out ("which group …", "is there an org that …", "the one …"),
# as against one about a subject as a whole ("federal gun violence policy").
SELECTS = re.compile(
    r"\b(?:which|who|whose|what (?:group|org|organization|agency|webinar|session|one)|any (?:org|group|organization|agency)|"
    r"(?:is there|are there) (?:a|an|any)|(?:a|an|the) (?:group|org|organization|agency|webinar|session|one) (?:that|which|who|whose|where)|"
    r"the one)\b"
)


# Words that set things side by side and say nothing of either ("compare the Bloomberg group").
COMPARE_TERMS = frozenset(tokens("compare compared comparing comparison versus vs difference different differ with one"))


# A message whose last clause asks something ("…, what can the city do", "do we need one?").
ENDS_ASKING = re.compile(
    r"(?:^(?:can|could|should|would|will|do|does|did|is|are)\b|"  # "can grant money pay for …"
    r"\b(?:plan|protocol|policy|procedure|process|guidance|training) for (?:when|if)\b|\bwhat if\b|\bin case\b|"
    r"\bif (?:someone|somebody|a|an|one of)\b)"  # planning for a hypothetical, not reporting one
    r"|(?:^|[,.;:!?]\s+|\s[-\u2013\u2014]+\s+|\b(?:and|so|but|also)\s+)"
    r"(?:(?:what|how|which|who|where|when|why)\b|(?:anyone|anybody|someone|somebody|you|u) (?:know|have|got)\b|"
    r"(?:do|does|did|should|can|could|would|will|is|are)\s+"
    r"(?:we|i|you|u|they|the|our|there|it|he|she|this|that|any|anyone|anybody|someone|somebody)\b)"
    r"[^,.;:!?]*\??\s*$", re.IGNORECASE)
# What people add after the question itself: thanks, "pls", "lol", an emoji.
_COURTESY_TAIL = re.compile(
    r"(?:[\s,.;:!?~-]*(?:\b(?:thx|thanks|thank you|thank u|tysm|ty|tia|pls|plz|please|cheers|lol|haha|appreciate it)\b"
    r"|:[a-z0-9_+'-]+:|[\u2600-\u27bf\U0001f300-\U0001faff]))+[\s.!]*$", re.IGNORECASE)


def ends_asking(text: str) -> bool:
    """Whether a message's last clause asks something, whatever courtesy follows it
    ("…, can someone send me the slides? thx :pray:")."""
    return ENDS_ASKING.search(_COURTESY_TAIL.sub("", text.strip())) is not None
