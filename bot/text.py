"""Turning what someone typed into tokens we can match: pure functions, no I/O.

clean()    Slack markup, Unicode forms, case and punctuation -> plain lower-case words
tokens()   words -> stems (Snowball English), so "interrupters" meets "interrupter"
content()  stems minus stop words and filler: what the question is actually about
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Generic, TypeVar

import snowballstemmer

# A 40,000-character paste must not cost more than a question does: past this many
# characters nothing changes which answer fits.
MAX_CHARS = 1000

_SLACK_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_SPECIAL = re.compile(r"<![^>]*>")  # <!here>, <!channel>, <!subteam^S1|@team>, <!date…>
_SLACK_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]*)(?:\|([^>]*))?>")
_EMOJI = re.compile(r":[a-z0-9_+'-]+:(?::skin-tone-\d:)?")
_BARE_URL = re.compile(r"https?://\S+")
_APOSTROPHE_S = re.compile(r"(\w)'s\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """Slack message text -> lower-case words separated by single spaces."""
    text = text[:MAX_CHARS]
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_CHANNEL.sub(" ", text)  # where it was said, not what was asked
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = html.unescape(text)  # Slack sends &amp; &lt; &gt;
    text = _BARE_URL.sub(" ", text)
    # NFKD then dropping combining marks folds "café" to "cafe" and full-width forms to ASCII.
    if not text.isascii():  # most questions are plain ASCII: nothing to fold
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _EMOJI.sub(" ", text)
    text = _APOSTROPHE_S.sub(r"\1", text)
    text = text.replace("%", " percent ")  # "by 50%" meets "a 50 percent goal"
    return _NON_WORD.sub(" ", text).strip()


_stemmer = snowballstemmer.stemmer("english")
V = TypeVar("V")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(cleaned: str) -> list[str]:
    """Cleaned words -> stems. Single letters other than digits carry nothing."""
    return [stem(w) for w in cleaned.split() if len(w) > 1 or w.isdigit()]


# Words that say how someone asks, not what they ask about. Generic chatter is here too
# ("tell", "info", "looking"): an unknown content word counts against a match, and these
# must not. Kept as stems so they compare with tokens().
_STOP_WORDS = """
a an the is are was were be been being am do does did doing done have has had having
i me my mine myself we us our ours ourselves you your yours he him his she her they them
their it its this that these those there here what whats which who whom whose when where
why how can could would should will shall may might must of in on at to for from by with
about as into onto over under up out off than then so and or but if not no nor yes any
some all each every both either more most other such own same too very just also only
again ever even still already please pls plz thanks thank thx ty hi hello hey hiya howdy
greetings morning afternoon evening tell know knew give show find get got getting look
looking need needs want wanted wants like would love let lets say said go going good great
ok okay well really actually maybe kind sort im ive id youre dont doesnt didnt cant wont
isnt arent wasnt werent quick question questions wondering wonder curious mean means one
ones info information details detail learn explain describe something anything thing
things stuff someone anyone somebody anybody bit lot little much many way ways use using
used help helps helped sir maam folks team everyone guys yall hmm um uh
right now currently today recently new please see via per etc else around
ask asks asked asking exactly basically specifically simply precisely cover covers covered covering tip tips
advice idea ideas suggestion suggestions
involved involve involves involvement two meant
mention mentions mentioned mentioning
""".split()
STOP_WORDS = frozenset(stem(w) for w in _STOP_WORDS) | frozenset(_STOP_WORDS)


def content(stems: list[str]) -> list[str]:
    return [t for t in stems if t not in STOP_WORDS]


class PhraseIndex(Generic[V]):
    """Phrases of stems, each with a value, found whole in a run of stems: longest first,
    never overlapping. Indexed by first stem, since most words start no phrase."""

    def __init__(self, phrases: dict[tuple[str, ...], V]):
        self.phrases = phrases
        sizes: dict[str, set[int]] = {}
        for key in phrases:
            sizes.setdefault(key[0], set()).add(len(key))
        self._sizes = {first: sorted(n, reverse=True) for first, n in sizes.items()}

    def scan(self, stems: Sequence[str]) -> Iterator[tuple[V | None, str]]:
        """(the value of a phrase found there, or None with the stem itself), in order."""
        i, n = 0, len(stems)
        while i < n:
            for size in self._sizes.get(stems[i], ()):
                if size > n - i:
                    continue
                value = self.phrases.get(tuple(stems[i : i + size]))
                if value is not None:
                    yield value, stems[i]
                    i += size
                    break
            else:
                yield None, stems[i]
                i += 1


class Synonyms:
    """Phrase -> canonical term, matched whole over stems, longest phrase first."""

    def __init__(self, table: dict[str, list[str]]):
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in table.items():
            target = tuple(tokens(clean(canonical)))
            for variant in [canonical, *variants]:
                key = tuple(tokens(clean(variant)))
                if key and key != target:
                    self._phrases[key] = target
        self._index = PhraseIndex(self._phrases)

    def apply(self, stems: list[str]) -> list[str]:
        # Twice, so that one synonym can complete another ("centre" -> "center", then
        # "giffords law center" -> "giffords").
        return self._apply_once(self._apply_once(stems))

    def _apply_once(self, stems: list[str]) -> list[str]:
        if not self._phrases:
            return stems
        out: list[str] = []
        for target, stem in self._index.scan(stems):
            if target is None:
                out.append(stem)
            else:
                out.extend(target)
        return out

    def terms(self) -> set[str]:
        """Every stem a synonym can produce or consume: part of the known vocabulary."""
        words: set[str] = set()
        for key, target in self._phrases.items():
            words.update(key)
            words.update(target)
        return words
