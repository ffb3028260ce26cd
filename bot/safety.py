"""Safety: is someone in danger or in crisis now, or is the message only about the same
subjects? Decided before and apart from matching, never from the knowledge's score, and no
other answer can suppress it (the engine puts any matched answer after the fixed text).

Levels
  crisis  someone is in danger or in crisis now: TEXT comes first, then any answer.
  topic   the same subjects asked about as policy, programs, data or history: the normal
          answer, with TOPIC_NOTE as its last line.
  None    everything else.

How (a grammar of signals, not a score):
  1. normalise   the cleaned words, with contractions joined ("don t" -> dont, "he d" -> he
                 would), slang and abbreviations spelled out ("kms" -> kill myself, "rn" ->
                 right now, "od d" -> overdosed, "unalive" -> kill myself), and typos
                 corrected ("fird" -> fired, "suicde" -> suicide, "traning" -> training): a
                 word of four letters or more that is neither the grammar's own nor one of the
                 real words in safety_protected.txt goes to a danger word or a word of the
                 grammar with the same first letter, at one edit (two from ten letters on).
  2. signals     named phrase patterns over the normalised words, in four strengths:
                 - STRONG: a first-person danger now ("i want to die", "pulled a gun on me",
                   "we're hiding", a goodbye, a gun and despair): crisis whatever else the
                   message says, unless it is told as one's own past ("when i was 16…");
                 - WEAK: a danger that policy talk also names ("active shooter", "a kid with
                   a gun", "someone got shot", a threat to shoot): crisis unless framed;
                 - NOW: a danger event named alone ("gunfire", "shooter", "overdose"): crisis
                   with a sign of now near it, or in a message of six words or fewer, and
                   nothing framing it; NOW_ONLY (a weapon named alone) needs the sign of now;
                 - topic: the sensitive subjects themselves (suicide, 988, mass shootings…).
  3. framing     policy cues (program, training, drill, grant, statistics, research, law…),
                 generic subjects (cities, people who…, officers), history (last year, in
                 2019) and a question's hypotheticals ("what should staff do if…") within ten
                 words of a WEAK signal demote it to topic, unless an urgency cue (right now,
                 just, minutes ago, hiding, omg, help me, this morning) is there too. Stronger
                 framing yields only to the plainest urgency (right now, minutes ago, people
                 down, bleeding, hiding): a short message that opens as a question about how
                 things are done, and telling about an event or asking what to say about it
                 (we had, every night, last year, a statement, what can the city do).

Each pattern is tried only when the message has one of the words it spells out, or only
where it can start; it is compiled when first needed. One call costs well under 0.1 ms for
most messages. Plain Python and regular expressions at run time. Change the wording of TEXT
only with a review; after changing the grammar, run tools/safety_protected_words.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein, Indel

TITLE = "If this is an emergency"
TEXT = (
    "If someone is in danger right now, call 911. "
    "If you or someone you know is thinking about suicide or is in crisis, call or text 988, "
    "the Suicide & Crisis Lifeline, any time of day. "
    "This assistant cannot send help or alert anyone."
)

# The one line after an answer on a sensitive topic asked as policy (drills, suicide
# prevention programs, past shootings): nobody is in danger, but the reader may be.
TOPIC_NOTE = "If you or someone you know is in crisis, call or text 988; in danger now, call 911."

CRISIS, TOPIC = "crisis", "topic"


@dataclass(frozen=True)
class Assessment:
    """How a message stands on safety, decided before and apart from matching.
    level: "crisis" (someone is in danger or in crisis now), "topic" (the same subjects asked
    about as policy, programs, data or history) or None. signals: what fired, for `ask --json`."""

    level: str | None
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"level": self.level, "signals": list(self.signals)}


# --- 1. normalising -------------------------------------------------------------------

# clean() splits "don't" into "don t" and drops "'s" ("he's" -> "he"): join them back.
_NEGATIONS = {"don", "can", "won", "didn", "isn", "aren", "wasn", "weren", "doesn", "couldn", "wouldn",
              "shouldn", "haven", "hasn", "ain"}
_PAIRS = {
    ("i", "m"): "i am", ("i", "ve"): "i have", ("i", "ll"): "i will", ("i", "d"): "i would",
    ("you", "re"): "you are", ("we", "re"): "we are", ("they", "re"): "they are",
    ("he", "ll"): "he will", ("she", "ll"): "she will", ("they", "ll"): "they will",
    ("he", "d"): "he would", ("she", "d"): "she would", ("they", "d"): "they would",
    ("we", "ll"): "we will", ("you", "ll"): "you will", ("we", "ve"): "we have",
    ("they", "ve"): "they have", ("od", "d"): "overdosed", ("od", "ed"): "overdosed",
    ("od", "ing"): "overdosing", ("o", "d"): "overdosed", ("gun", "shots"): "gunshots",
    ("gun", "shot"): "gunshot", ("gun", "fire"): "gunfire", ("gun", "man"): "gunman",
    ("my", "self"): "myself", ("him", "self"): "himself", ("her", "self"): "herself",
    ("them", "selves"): "themselves", ("them", "self"): "themself", ("drive", "by"): "driveby",
    ("ar", "15"): "rifle", ("ak", "47"): "rifle", ("sewer", "slide"): "suicide",
    ("self", "harming"): "self harm", ("un", "alive"): "kill", ("no", "longer"): "anymore",
    # a vaccine's shot, not a gun's ("free flu shots in the lobby")
    ("flu", "shot"): "vaccine", ("flu", "shots"): "vaccines", ("booster", "shot"): "vaccine",
    ("booster", "shots"): "vaccines", ("covid", "shot"): "vaccine", ("covid", "shots"): "vaccines",
    ("vaccine", "shots"): "vaccines", ("allergy", "shots"): "vaccines",
    ("any", "more"): "anymore", ("no", "more"): "anymore", ("sec", "ago"): "seconds ago", ("mins", "ago"): "minutes ago",
    ("min", "ago"): "minutes ago", ("hrs", "ago"): "hours ago",
}
_SLANG = {
    "im": "i am", "ive": "i have", "ima": "i am going to", "imma": "i am going to", "youre": "you are",
    "theyre": "they are", "theyll": "they will", "hed": "he would", "theyd": "they would", "hes": "he is",
    "shes": "she is", "theres": "there is", "aint": "am not", "fr": "for real", "frfr": "for real",
    "whats": "what is", "thats": "that is", "gonna": "going to", "finna": "going to", "gunna": "going to",
    "boutta": "going to", "bouta": "going to", "wanna": "want to", "gotta": "got to", "tryna": "trying to",
    "kms": "kill myself", "kys": "kill yourself", "unalive": "kill", "unaliving": "killing",
    "unalived": "killed", "sewerslide": "suicide", "suicidial": "suicidal", "rn": "right now",
    "atm": "right now", "tn": "tonight", "tonite": "tonight", "nite": "night", "2nite": "tonight", "2day": "today",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrrw": "tomorrow", "2morrow": "tomorrow", "ppl": "people",
    "pls": "please", "plz": "please", "plss": "please", "u": "you", "ur": "your", "abt": "about",
    "thru": "through", "bout": "about", "cuz": "because", "bc": "because", "w": "with", "thinkin": "thinking",
    "killin": "killing", "shootin": "shooting", "dyin": "dying", "kil": "kill", "kll": "kill", "lfe": "life", "lif": "life",
    "od": "overdose", "oding": "overdosing", "odeing": "overdosing", "ods": "overdoses",
    "oded": "overdosed", "ar15": "rifle", "ak47": "rifle", "glock": "pistol", "blick": "gun",
    "blicky": "gun", "strap": "gun", "gat": "gun", "shotty": "shotgun", "selfharm": "self harm",
    "mins": "minutes", "min": "minutes", "secs": "seconds", "hrs": "hours", "nomore": "anymore", "omfg": "omg",
}

# The danger words a typo is corrected to (only these: the rest of a message never needs it).
_TARGETS = """
shooting shootings shooter shooters shoots gunshots gunshot gunfire gunman gunmen fired firing
active suicide suicidal suicides myself himself herself themselves overdose overdosed overdosing
pills threatening threatened threatens threaten killing killed pointing pointed waving bleeding
breathing hostage hostages barricaded emergency pistol rifle shotgun handgun weapon revolver
hiding outside building goodbye tonight anymore someone somebody shooting cutting wrists alive
bullet bullets responding unresponsive screaming please tomorrow firearm murder stabbing stabbed
kidnapped strangling choking beating attacking
training trainings policy policies program programs grant grants statistics research drill drills
library protocol prevention funding insurance evaluation strategy response preparedness exercise
""".split()
_TARGET_SET = frozenset(_TARGETS)
# Real words one edit from a danger word, that must stay as they are: found in the system
# dictionary by tools/safety_protected_words.py and committed as plain data.
_PROTECTED_FILE = Path(__file__).with_name("safety_protected.txt")
_PROTECTED = set(_PROTECTED_FILE.read_text(encoding="utf-8").split())  # its header's words are real words too


@lru_cache(maxsize=8192)
def _correct(word: str) -> str:
    """A danger word this unknown word is a typo of, or the word itself. Words of three
    letters are left alone: too many are abbreviations (rec, cvi, atf)."""
    if len(word) < 4 or not word.isalpha() or word in _KNOWN or word in _PROTECTED:
        return word
    allowed = 1 if len(word) < 10 else 2
    best = word
    best_d: tuple = (allowed + 1,)  # (distance, indel, shorter, not a danger word): compared as a whole
    for target in _BY_LETTER.get(word[0], ()):
        if abs(len(target) - len(word)) > allowed:
            continue
        # Ties go to the word reached by adding letters (hurried typing drops more than it
        # adds or swaps: shootr -> shooter, not shoot), then to the danger words.
        d = (DamerauLevenshtein.distance(word, target, score_cutoff=allowed), Indel.distance(word, target),
             len(target) < len(word), target not in _TARGET_SET)
        if d < best_d:
            best, best_d = target, d
    return best


def _normalise(cleaned: str) -> tuple[list[str], list[int]]:
    """Normalised words and, for each, the index of the cleaned word it came from."""
    src = cleaned.split()
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(src)
    while i < n:
        word = src[i]
        nxt = src[i + 1] if i + 1 < n else ""
        if nxt == "t" and word in _NEGATIONS:
            words, used = _SLANG.get(word + "t", word + "t").split(), 2
        elif (word, nxt) in _PAIRS:
            words, used = _PAIRS[(word, nxt)].split(), 2
        elif word in _WILL and nxt in _THREAT_VERBS:  # "hell shoot me", "ill be dead": he'll, I'll
            words, used = _WILL[word], 1
        elif word == "unalive" and nxt not in _OBJECTS:  # "i want to unalive": oneself
            words, used = ["kill", "myself"], 1
        elif word in _SLANG:
            words, used = _SLANG[word].split(), 1
        else:
            words, used = [_correct(word)], 1
        for w in words:
            out.append(w)
            origin.append(i)
        i += used
    return out, origin


# --- 2. the grammar -------------------------------------------------------------------

_MACROS = {
    # filler a hurried writer puts between subject and verb ("i am just really …")
    "BE": r"(?:(?:is|am|are|was|were|be|been|being|s|just|still|now|currently|literally|actually|really) )*",
    "WEAPON": r"(?:gun|pistol|rifle|shotgun|handgun|firearm|weapon|revolver|strap|gat|knife|machete|ar|ak|glock|9mm|semiauto|semi auto|assault rifle|long gun|hunting rifle|service weapon|duty weapon|duty gun|service pistol)",
    "INTENT": r"(?:going to|gon|will|would|wants? to|wanted to|intends? to|intending to|means to|tried to|tries to|planning to|plans? to|about to|threatening to|threatened to|threatens to|trying to|try to|promised to|swore to|vowed to|is coming (?:back )?to|coming (?:back )?to|bringing \S+ (?:\S+ )?to)",
    "REFLEX": r"(?:himself|herself|themselves|themself|hisself)",
    "FAMILY": r"(?:husband|wife|boyfriend|girlfriend|bf|gf|partner|ex|ex husband|ex wife|ex boyfriend|ex girlfriend|dad|father|stepdad|stepfather|mom|mother|stepmom|brother|sister|son|daughter|uncle|aunt|cousin|roommate|neighbor|abuser|baby daddy|fiance)",
}


class _Lazy:
    """A regular expression compiled at its first use: compiling them all costs ~80 ms, which
    a cold `ask "hi"` must not pay, and most messages only ever need a few of them."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:  # two threads compiling at once is harmless
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def finditer(self, text: str):
        return self.compiled.finditer(text)

    def search(self, text: str):
        return self.compiled.search(text)

    def match(self, text: str, pos: int = 0):
        return self.compiled.match(text, pos)


def _rx(pattern: str) -> _Lazy:
    """Whole words only, searched in the words with one space before them (" " + text): the
    leading space is a literal the regular expression engine scans for quickly, where a
    look-behind for a word's start made it try every character (3-10 times slower).
    <NAME> stands for a macro; ^ is the message's start."""
    pattern = _MACRO_NAME.sub(lambda m: _MACROS[m.group(1)], pattern).replace("^", "(?<=^ )")
    return _Lazy(rf" (?:{pattern})(?!\S)")


@dataclass(frozen=True)
class Part:
    """One phrase pattern of a rule, tried only when one of its key words is in the message.
    `anchored`: every match starts with one of its keys, so it is tried only where they are."""

    keys: frozenset[str]
    pattern: _Lazy
    anchored: bool = False
    words: frozenset[str] = frozenset()  # every word it spells out, never to be "corrected"


@dataclass(frozen=True)
class Rule:
    name: str
    strength: str  # strong | weak | now | now only | topic
    keys: frozenset[str]  # the words of all its parts
    pattern: _Lazy  # all its parts at once (topic rules are searched whole)
    parts: tuple[Part, ...]


STRONG, WEAK, NOW, NOW_ONLY = "strong", "weak", "now", "now only"

# Words too common to say that a pattern may match: a pattern is keyed on its other words,
# unless it has no other (then on all of them).
_FILLER = frozenset("""
i a an the to is am are of in on at my me we us he she it and or be s t d ll m re ve was were
been being just still now currently literally actually really his her their our your you this
that some one for with by from up out as so do not its
""".split())


_ESCAPE = re.compile(r"\\.")  # \\S, \\d: not words
_WORD = re.compile(r"[a-z0-9]+")
_OPTIONAL_END = re.compile(r"([a-z0-9]+)\?")  # "shots?" spells shots and shot
_MACRO_NAME = re.compile(r"<([A-Z0-9]+)>")


def _spelled(pattern: str) -> set[str]:
    pattern = _ESCAPE.sub(" ", pattern)
    words = set(_WORD.findall(pattern))
    words.update(w[:-1] for w in _OPTIONAL_END.findall(pattern))
    return {w for w in words if len(w) > 2 or not w.isdigit()}


_MACRO_WORDS = {name: _spelled(body) for name, body in _MACROS.items()}


def _without_lookarounds(pattern: str) -> str:
    """The pattern less its look-aheads and look-behinds: the words it excludes ("gun" but not
    "gun laws") or merely checks must not make it be tried."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        if pattern.startswith(("(?!", "(?=", "(?<!", "(?<="), i) and (i == 0 or pattern[i - 1] != "\\"):
            depth, i = 0, i
            while i < n:
                if pattern[i] == "\\":
                    i += 2
                    continue
                depth += pattern[i] == "("
                depth -= pattern[i] == ")"
                i += 1
                if depth == 0:
                    break
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


def _words_of(pattern: str) -> frozenset[str]:
    """Every word a pattern spells out, its macros' included, never its escapes (\\S, \\d)
    nor what its look-arounds mention."""
    pattern = _without_lookarounds(pattern)
    words = _spelled(pattern).union(*(_MACRO_WORDS[name] for name in _MACRO_NAME.findall(pattern)))
    return frozenset(words - _FILLER) or frozenset(words)


_SIMPLE = re.compile(r"(?:[a-z0-9 |]|(?<=[a-z])\?)+")


def _variants(word: str) -> list[str]:
    """"wants?" -> wants, want."""
    if "?" not in word:
        return [word]
    i = word.index("?")
    return [v for rest in _variants(word[i + 1:]) for v in (word[:i] + rest, word[:i - 1] + rest)]


@lru_cache(maxsize=None)  # asked twice per pattern while the rules are built
def _first_words(pattern: str) -> frozenset[str] | None:
    """The words every match of the pattern starts with, when it opens with a plain word or
    a group of plain alternatives ("(?:pulled|pointing at) …"), macros included; else None."""
    if _top_level_or(pattern):  # macros are groups: they never add a top-level |
        return None
    if pattern.startswith("<"):  # only a leading macro matters here
        pattern = _MACRO_NAME.sub(lambda m: _MACROS[m.group(1)], pattern, count=1)
    if pattern.startswith("(?:"):
        end = pattern.find(")")
        body, rest = pattern[3:end], pattern[end + 1:]
    else:
        m = re.match(r"[a-z0-9]+(?:(?<=[a-z])\?)?", pattern)
        if not m:
            return None
        body, rest = m.group(0), pattern[m.end():]
    if not (rest == "" or rest.startswith((" ", "(?!", "(?="))) or not _SIMPLE.fullmatch(body):
        return None
    firsts = [v for alt in body.split("|") for v in _variants(alt.split(" ")[0])]
    return None if "" in firsts else frozenset(firsts)


_INNERMOST = re.compile(r"\([^()]*\)")


def _top_level_bars(pattern: str) -> list[int]:
    """Where the pattern has a | outside every group: groups are blanked out, innermost
    first, keeping every position (my patterns escape no parenthesis or bar)."""
    while "(" in pattern:
        blanked = _INNERMOST.sub(lambda m: "_" * len(m.group()), pattern)
        if blanked == pattern:
            break
        pattern = blanked
    return [i for i, c in enumerate(pattern) if c == "|"] if "|" in pattern else []


def _top_level_or(pattern: str) -> bool:
    """Whether the pattern has a | outside every group (then it can start elsewhere)."""
    return "|" in pattern and bool(_top_level_bars(pattern))


def _part(pattern: str) -> Part:
    spelled = frozenset(_spelled(pattern).union(*(_MACRO_WORDS[name] for name in _MACRO_NAME.findall(pattern))))
    firsts = _first_words(pattern)
    if firsts is not None:
        return Part(firsts, _rx(pattern), anchored=True, words=spelled)
    return Part(_words_of(pattern), _rx(pattern), words=spelled)


def _alternatives(pattern: str) -> list[str]:
    """A pattern split at its top-level |, each piece a pattern of its own."""
    cuts = [-1, *_top_level_bars(pattern), len(pattern)]
    return [pattern[a + 1:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _rule(name: str, strength: str, *patterns: str) -> Rule:
    """A named rule: its patterns, each tried only when the message has one of the words it
    spells out, or where it can start (tests/test_safety.py checks that this never hides a
    match)."""
    parts = []
    for p in patterns:  # a top-level | makes separate patterns, when each can be anchored
        pieces = _alternatives(p)
        split = len(pieces) > 1 and all(_first_words(piece) is not None for piece in pieces)
        parts += [_part(piece) for piece in pieces] if split else [_part(p)]
    every = frozenset().union(*(part.keys for part in parts))
    return Rule(name, strength, every, _rx("|".join(f"(?:{p})" for p in patterns)), tuple(parts))


_RULES: list[Rule] = [
    # --- suicide and self-harm, said of oneself: always a crisis ---------------------------
    _rule("suicidal_thoughts", STRONG,
          r"(?:goodbye|bye) (?:\S+ ){0,6}?(?:sorry|love (?:you|yall|u|all)|tell my|take care|its time|it is time|i am done|im done|forever|for good|nice knowing)",
          r"(?:sorry|love (?:you|yall|all)|tell my \S+|take care|forgive me|for everything|its time|it is time|i am done|nice knowing \S+) (?:\S+ ){0,6}?(?:goodbye|bye)(?!(?: bye)(?!\S))",
          r"(?:this is|saying|say|wanted to say|want to say|its) (?:my )?goodbye(?! to (?:the|our|this|that|a) (?!world)\S)",
          r"(?:it was|it s been|its been|been) nice knowing (?:you|yall|u|everyone|everybody|all)",
          r"tell my (?:\S+ ){0,2}?(?:i love|i am sorry|im sorry|that i love|that i am sorry|goodbye|i said)",
          r"(?:after|when|once|by the time) (?:i am|i m|im|i) gone",
          r"i (?:am|will be|ll be) gone (?:tonight|tomorrow|soon|by)",
          r"(?:if|whoever|when) (?:anyone|someone|somebody|you) (?:finds|find|reads|read) this",
          r"(?:give|gave|giving) (?:away )?(?:my|all my) (?:\S+ ){0,2}?(?:dog|cat|pets?|stuff|things|belongings|kids) (?:\S+ ){0,4}?(?:wont need|will not need|goodbye|letters|someone nice|to my neighbor|not need)",
          r"(?:i|ill|i will) (?:wont|will not|not) need (?:anything|it|them|my \S+) (?:\S+ )?(?:anymore|where i am going|after tonight)",
          r"(?:dont|do not) think (?:i|i will|ill|i can|i could|i would) (?:\S+ )?(?:make it|survive|last|be around|be here|be alive|stay alive|keep going|hold on|go on)",
          r"(?:^|i am |im |i will be |ill be |i am going to be |just )(?:checking|check) out (?:tonight|for good|permanently|today|soon|early|of (?:life|this world))",
          r"(?:thinking (?:about|of)|want to|wanna|going to|gonna|about to|ready to|cant stop thinking about|keep thinking about) (?:\S+ )?(?:pull|pulling) the trigger",
          r"(?:drank|drink|drinking|swallowed|ingested|took) (?:some |a bottle of |a cup of )?(?:bleach|antifreeze|poison|rat poison|drain cleaner|lye|pesticide)",
          r"(?:how )?(?:easy|simple|quick) it would be (?:to end|to die|to do it|to just)?",
          r"(?:sitting|sat|parked) (?:\S+ ){0,10}?(?:engine|motor|car) running",
          r"(?:nobody|no one|noone|no body) (?:will|would|is going to|going to|gonna) (?:\S+ )?(?:miss|notice) me",
          r"(?:i|im|i am) (?:not |wont |will not |won t |not going to |never going to |not gonna )(?:be )?(?:around|here|alive|anywhere) (?:\S+ ){0,2}?(?:after|by|much longer|anymore|tomorrow|next week|tonight|soon|for long)",
          r"(?:i|im) <BE>(?:\S+ ){0,6}?(?:kill|killing|shoot|shooting|hang|hanging|off|offing|drown|poison|overdose on) (?:myself|my self)",
          r"(?:kill|killing|shoot|shooting|hang|hanging|end|ending|off|offing) (?:myself|my self|my life|my own life)",
          r"(?:take|taking|took) my (?:own )?life",
          # "my phone is about to die", "laptop battery is about to die" speak of a thing: a
          # message that opens on another subject is not saying this of oneself
          r"(?:^(?!(?:my|the|our|this|that|his|her|their|your|a|an) )(?!(?:\S+ ){0,2}?(?:phones?|battery|batteries|laptops?|computer|charger|car|plants?|printer|wifi|internet|tablet|ipad|server|headphones|airpods|mouse|keyboard|project|motion|bill|deal|proposal|meeting|zoom|call) )|i |im |i am |i really |i just |just )<BE>(?:\S+ ){0,3}?(?:want|wanna|wanted|going|ready|deserve|need|about|trying|plan|planning|wish) (?:\S+ ){0,2}?(?:to )?die(?! (?:on (?:this|that) hill|laughing|of (?:embarrassment|boredom)|for)(?!\S))",
          r"(?:wish|wishing) (?:i|that i) (?:was|were|had) never (?:been )?born",
          r"(?:wish|wishing) (?:i|that i) (?:was|were|had|could|would) (?:\S+ ){0,2}?(?:dead|die|died|never been born|not alive|disappear|gone)",
          r"(?:i|i would|i d|i will|id|ill) (?:be|been) better off dead|(?:better off|rather be|might as well be) dead",
          r"i (?:would|d) (?:rather|prefer to) (?:be )?(?:dead|die|not be alive|not exist|not wake up)",
          r"(?:i|we) (?:am |are )?(?:suicidal|feeling suicidal|having suicidal)",
          r"(?:^|i |im |i am |been |keep |cant stop )<BE>(?:\S+ ){0,3}?(?:thinking|think|thought|thoughts|dreaming|fantasizing|obsessing|fixated) (?:about|of|on) (?:suicide|killing myself|ending it|ending my life|dying|death|shooting myself|not waking up|not being here|how to die)",
          r"suicide <BE>(?:is |seems )?(?:all i|the only|my only|on my mind|looking|the answer)",
          r"(?:dont|do not|doesnt|does not|didnt|no longer|not|never) (?:\S+ ){0,2}?(?:want|wanna|wish|wants) to (?:live|be alive|be here|exist|wake up|go on|keep going|keep living|be around|see tomorrow|go back inside|go back home|be anywhere|do this anymore)",
          r"(?:tired|sick) of (?:being alive|living|life|existing|waking up)",
          r"(?:planning|plan|planned|considering|contemplating|attempting|attempt|researching|preparing) (?:my|a) (?:own )?suicide|my suicide (?:note|plan|letter)",
          r"(?:dont|do not|cant|can not|cannot) see (?:any|a|the) (?:reason|point) (?:to|in|of) (?:keep )?(?:living|live|go on|going on|being alive|keep going|staying alive)",
          r"(?:pills|meds|medication|tablets) (?:\S+ )?(?:saved up|stockpiled|hoarded|ready|lined up|counted out)",
          r"(?:if|in case) you (?:dont|do not|never|wont) hear from me",
          r"(?:wont|will not|not going to) be (?:at work|here|there|around|back) (?:\S+ ){0,3}?(?:or ever again|ever again|again ever|anymore)",
          r"(?:ever again|for the last time|one last time)(?= .*?\b(?:goodbye|bye|sorry|love you)\b)",
          r"(?:because|cause|cuz) (?:i am|im|i will be|ill be) gone",
          r"(?:dont know|do not know|not sure|no idea) how (?:much )?(?:longer|long) i can (?:hold on|go on|keep going|do this|take (?:it|this)|last|keep living)",
          r"(?:^|i |i will |i might |i may |i could |might |may |gonna |going to )(?:just )?end it(?: all)?(?! (?:for|with|by|at|in) (?:the|our|this|that|a|an|them)(?!\S))(?= |$)",
          r"no (?:reason|point|will) (?:to|in|of) (?:me )?(?:live|living|go on|going on|keep going|being alive|being here|existing|staying|trying anymore)",
          r"(?:better off|be happier|be fine) (?:\S+ ){0,2}?without me",
          r"(?:everyone|everybody|they|my family|my kids|my wife|my husband|the world|people) (?:would|will|d|ll) (?:\S+ ){0,2}?(?:better off|happier|be fine|not miss me)",
          r"(?:nobody|no one|noone) (?:would|will|is going to|going to) (?:\S+ ){0,2}?(?:miss me|care if i|notice if i)",
          r"(?:end|ending|finish|finishing) (?:it|things|everything) (?:all|tonight|today|now|for good|soon|this weekend|right now)",
          r"(?:to|going to|gonna|want to|plan to) end (?:things|everything|it all)",
          r"i (?:am |m )?(?:going to|will|gonna|about to|want to|plan to|ready to) (?:end|finish) it",
          r"(?:i|im) (?:am )?done (?:with everything|with life|with living|with it all|for good|for real|forever)",
          r"(?<!we )(?<!they )(?<!you )(?<!she )(?<!he )(?<!it )(?<!who )(?<!staff )(?<!city )(?<!cities )(?:cant|can not|cannot) (?:do this|take (?:this|it)|handle (?:this|it)|go on|keep going|keep doing this|live like this)(?: \S+)? anymore",
          r"(?:i am|im|i|i will|ill) (?:\S+ ){0,2}?(?:do|doing) something (?:to|with) myself",
          r"(?:planning|plan|figuring out|figured out|decided) (?:how|when|where) (?:i am|im|i|i will) (?:going to |gonna )?(?:do it|end it|die|kill myself)",
          r"(?:scared|afraid|worried|terrified) (?:that )?(?:i am|im|i|i will|ill|i might) (?:going to |gonna |really )?(?:do it|go through with it|kill myself|hurt myself|end it)(?! (?:wrong|right|badly|again|better|well|late|on time)(?!\S))",
          r"(?:looked up|googled|searched|researching|looking up|search) (?:\S+ )?how (?:many|much) (?:\S+ ){0,2}?(?:pills|meds|tylenol|insulin|it would take|would it take|to take)",
          r"(?:cant|can not|cannot|dont) see myself (?:being )?(?:alive|here|around|living) (?:next|by|in|after|tomorrow|much longer)",
          r"better off (?:gone|dead|not here|not alive)",
          r"(?:letting|let) go (?:tonight|for good|now|today|forever)|(?:tired of|done) fighting(?= .*?\b(?:tonight|go|end|die|anymore|gone)\b)",
          r"(?:the )?only (?:thing|one|reason) (?:stopping|keeping) me(?: from (?:it|doing it|dying|ending it|going through with it))?(?:$| is my \S+$| are my \S+$| alive| here)|(?:the )?only (?:thing|reason) i (?:am |m )?still (?:here|alive)",
          r"(?:told|tell|telling|texted) (?:my )?(?:therapist|counselor|doctor|friend|wife|husband|mom|dad|sister|brother|pastor) (?:that )?i (?:have|had|made|got) a plan",
          r"no way out (?:for me )?(?:except|but|other than|besides)",
          r"(?:^|i |i just |i really )(?:want|wish|need) (?:everything|it all|the world|my mind|my head|the noise|the pain) to (?:go quiet|go dark|go black|fade|stop|end|go away) (?:forever|for good|permanently)",
          r"see (?:my )?(?:mom|dad|mother|father|grandma|grandpa|son|daughter|wife|husband|brother|sister|friend|baby) again (?:soon|tonight)",
          r"who (?:gets|will get|should get) my (?:things|stuff|dog|cat|money|car|kids|belongings)",
          r"sorry for what (?:i am|im|i) (?:about to|going to|gonna) do",
          r"(?:nobody|no one|noone) (?:will|would|is going to) (?:have to )?(?:deal with|worry about|put up with|take care of|find|miss|notice|hear from) me (?:after (?:tonight|today|this week|tomorrow|im gone|i am gone)|anymore|ever again|again|tonight)",
          r"(?:pills|meds|gun|pistol) and (?:i am|im) alone|alone with (?:my|the) (?:pills|gun|meds|pistol)|(?:vodka|alcohol|whiskey|booze|liquor) and (?:my |the )?(?:pills|meds|gun|pistol)",
          r"(?:dont|do not) want to feel (?:anything|this|pain) (?:ever )?(?:again|anymore)",
          r"(?:i am|im|i) (?:\S+ )?(?:ready|want|going|gonna|about) to leave (?:this|the) (?:world|earth|life)(?! of(?!\S))|leave this (?:world|earth) (?:tonight|today|soon)",
          r"(?:soon|tomorrow|after tonight|by tomorrow) (?:it|nothing|none of this) (?:wont|will not|isnt going to|is not going to) matter",
          r"(?:i am|im) (?:\S+ )?disappearing (?:tonight|forever|for good|today)",
          r"make (?:it|this|the pain|everything|it all) stop (?:permanently|for good|forever)",
          r"(?:tonight|today|this) (?:is |s )?my (?:night|day|time)(?! off(?!\S))",
          r"(?:made|make|making) (?:my )?peace with (?:it|dying|death|my decision|leaving)",
          r"(?:i am|im) (?:already )?(?:gone|dead) (?:inside )?(?:\S+ ){0,3}?(?:body|just doesnt|doesnt know)",
          r"(?:picturing|imagining|planning|thinking about) my (?:own )?funeral",
          r"end (?:my|the|this) pain (?:tonight|today|now|forever|for good|permanently)|end my (?:own )?(?:pain|suffering|misery)",
          r"(?:^|i |i just |i really )want it (?:all )?to be over(?: \S+)?$",
          r"(?:going|heading|on my way|driving|walking) to the (?:bridge|tracks|train tracks|roof|cliff|overpass|river|lake)(?= .*?\b(?:anymore|goodbye|sorry|done|end|cant)\b|$)",
          r"not with the job with everything",
          r"(?:the|a|my) (?:most )?(?:painless|quickest|easiest|fastest|best) way to (?:die|kill myself|end it|go)",
          r"how (?:many|much) (?:\S+ ){0,2}?(?:to|would it take to) (?:die|kill me|kill myself|not wake up|overdose)",
          r"(?:go to sleep|fall asleep|sleep) (?:\S+ ){0,3}?(?:and |to )?(?:not|never) (?:wake|waking) up",
          r"(?:sleep|go to sleep) forever",
          r"(?:i|me) (?:\S+ ){0,2}?(?:wont|will not|not) (?:be (?:a problem|a burden)|need anything) (?:\S+ ){0,3}?(?:anymore|longer|after)",
          r"(?:my|this is my) (?:last|final) (?:night|day|message|text|post|goodbye|note|words)(?: alive| on earth| ever)?(?!(?: of)(?!\S))",
          r"(?:tonight|today) (?:is|s) (?:the night|the day|my last|it)",
          r"(?:decided|decide|think) (?:that )?(?:tonight|today|this) (?:is|s) (?:the day|the night|my last|it)",
          r"(?:i|im) <BE>(?:a )?burden (?:to|on) (?:everyone|everybody|my|them|you|people)",
          r"(?:gun|pistol|rifle|revolver|barrel|shotgun|weapon) (?:\S+ )?(?:in|to|against|under) (?:my) (?:mouth|head|chin|temple)",
          r"(?:eat|eating|ate) (?:my|his|her|their|a) (?:gun|pistol|weapon|service weapon|bullet)",
          r"(?:goodbye|farewell|bye) (?:cruel )?world",
          r"(?:its|it is|it s) (?:all )?over for me",
          r"(?:i|i keep|i am|im|been|keep) (?:\S+ )?(?:staring|looking|thinking) (?:at|about) (?:the|my|his|dads|the loaded) (?:pills|gun|pistol|rope|razor|knife|bridge|bottle|rifle|revolver|gun safe)",
          r"(?:i|im|i am|i will|i want to|gonna|going to|about to|i might) (?:\S+ )?(?:jump|throw myself) (?:off|from|in front of) \S+",
          r"(?:wrote|written|writing|write|left|leaving) (?:\S+ ){0,3}?(?:suicide note|goodbye|letters? to my|a note to my|notes? for my|letters? for my)",
          r"(?:i|im|i am) (?:\S+ ){0,2}?(?:standing|sitting|up|out) on (?:the |a )?(?:roof|ledge|edge|bridge|railing|top of)",
          r"^(?:feeling |i feel |so |very |really |been |help |help im |please help )?suicidal",
          r"(?:pills|gun|pistol|rope|bridge|knife|razor) (?:\S+ ){0,6}?(?:goodbye|bye forever)|(?:goodbye|bye forever) (?:\S+ ){0,6}?(?:pills|gun|pistol|rope|bridge)",
          r"suicidal (?:rn|right now|now|tonight|today|again|thoughts are back)",
          r"(?:going to|gonna|will|want to|about to|plan to|planning to|ready to) (?:take|inject|swallow|down) (?:all|every|the whole|my whole|too much) (?:of )?(?:my |the )?(?:insulin|pills|meds|medication|medicine|tablets|sleeping pills|prescription)",
          r"(?:going to|gonna|will|want to|about to|plan to|ready to) (?:take|swallow|down|eat) (?:all|every|the whole|a bottle|my whole|a bunch|a handful|everything) (?:\S+ ){0,2}?(?:pills|meds|bottle|tablets|medication|of them)",
          r"(?:hoarding|saving up|stockpiling|collecting) (?:my |all my |all the |the )?(?:meds|pills|medication|sleeping pills)",
          r"take (?:them|it|the pills|all of them|my meds) all (?:at once|tonight|together)",
          r"(?:lethal|fatal|deadly) (?:dose|amount) of (?:tylenol|pills|my|acetaminophen|sleeping|xanax|meds|insulin|ibuprofen|advil|benadryl)",
          r"(?:want|wish|need) (?:everything|it all|my life|all of this|this life|the pain|this pain) to (?:end|stop|be over)(?: \S+)?$",
          r"(?:drive|driving|drove|crash|crashing|steer|steering|swerve|swerving) (?:my car |the car |my truck |myself )?(?:off|into) (?:a |the )?(?:bridge|cliff|wall|tree|river|lake|pole|overpass|traffic|semi|train)",
          r"(?:hope|hoping|pray|praying) (?:that )?(?:i|to) (?:dont|do not|never|wont|will not|not) (?:wake up|see tomorrow|make it)",
          r"(?:made|make|have made|ve made) (?:my|the|a) (?:decision|choice|mind up)(?= .*?\b(?:goodbye|bye|sorry|love you|tonight|end|pills|gun)\b)",
          r"(?:drive|driving|drove|crash|crashing|steer|steering) (?:my |the )?(?:car|truck|myself|it) (?:off|into) (?:a |the )?(?:bridge|cliff|wall|tree|river|lake|pole|overpass|traffic|semi|train)",
          r"(?:do|end) it (?:tonight|today|right now|now|this weekend|tomorrow)(?= .*?\b(?:goodbye|ready|sorry|pills|gun|rope|note|love you|everything)\b)",
          r"(?:telling|tells|told) me to (?:end it|die|kill myself|hurt myself|jump|do it|end my life)",
          r"(?:end of my rope|cant go on|at my breaking point|my breaking point|at the end of my road) (?:\S+ ){0,8}?(?:gun|pills|rope|pistol|rifle|bridge|knife|razor)",
          r"(?:thinking|thought|think) (?:about|of) (?:jumping|hanging myself|driving off|crashing my car)",
          r"voices (?:\S+ ){0,2}?(?:telling|told|tell|want) me to (?:kill|hurt|shoot|die|end)",
          r"(?:gave|giving|give) away (?:\S+ ){0,3}?(?:my|all) (?:\S+ )?(?:stuff|things|belongings|possessions|guns|pets|dog|cat)",
          r"(?:i|im|i am) (?:\S+ ){0,2}?(?:ready|prepared) to (?:die|go)$",
          r"(?:i|im|i am|i feel like|i feel) (?:such |so much of |just |nothing but )?(?:a )?burden",
          r"(?:easier|better|happier) for (?:everyone|everybody|them|my family|my kids|you all) if i (?:just )?(?:died|was dead|were dead|was gone|were gone|disappeared|killed myself|wasnt here|was not here)",
          r"(?:in|inside) (?:my|the) (?:garage|car|truck) (?:\S+ ){0,6}?(?:engine|motor|car|truck) running",
          r"(?:^|i |i just |i really |i just really )want (?:it|the pain|everything|this|it all|all of it|the hurt|my life) (?:all )?to (?:stop|end|be over) (?:\S+ )?(?:permanently|for good|forever)",
          r"(?:^|i |i just |i really |i just really |i kinda |i lowkey )(?:want|wanna) to (?:disappear|vanish|not exist|stop existing|never wake up)(?! (?:from|into)(?!\S))",
          r"(?:feel like|thinking of|thinking about|considering|about to) (?:ending|end) (?:everything|it all|things|my life|it)",
          r"(?:i am|im|i will be|i ll be|i will) (?:\S+ )?ending (?:it|things|everything|my life|it all)",
          r"(?:life|everything|my life|living) (?:has no|is|feels) (?:\S+ )?(?:meaning|meaningless|pointless|point)(?= .*?\b(?:want out|end it|die|be gone|disappear|gone)\b)",
          r"i (?:just )?want out(?: of (?:this life|life|here|everything|existence|this world))?$",
          r"(?:researching|looking up|googling|searching|reading about|looked up|googled) (?:\S+ ){0,2}?(?:ways|how) to (?:die|kill myself|end it|end my life|overdose|hang myself)",
          r"(?:bought|got|have|tied|made|found) (?:a |the |some )?(?:rope|noose)",
          r"(?:world|everyone|everybody|they|family|it) (?:is|would be|will be|are|s) (?:\S+ )?better (?:off )?without me",
          r"(?:nothing|no one|nobody) (?:left )?to live for",
          r"(?:life|my life|living) (?:is |isnt |is not |s )?(?:not )?worth (?:living|it anymore)|not worth living",
          r"(?:i|ive|i have) (?:\S+ )?give?n? up on (?:life|living|everything|myself)",
          r"(?:i|im) (?:am )?(?:going to|gonna|will|want to) (?:fix|solve) (?:that|this|it|everything) (?:tonight|today|for good|soon|permanently)",
          r"(?:dont|do not|cant|can not|cannot) (?:see )?(?:\S+ )?(?:a )?(?:way|point) (?:out|anymore|in living|in going on|to go on)",
          r"(?:i|im) (?:cant|can not|cannot|dont think i can|dont think ill|dont think i will) (?:\S+ ){0,2}?(?:go on|keep going|keep living|take it anymore|do this anymore|make it through|make it to|live like this|live this way|live anymore|live with (?:this|myself|it))",
          r"(?:why|what is the point|whats the point) (?:\S+ )?(?:bother|even|of|in)? ?(?:living|being alive|going on|staying alive|waking up|trying anymore|life)",
          r"(?:i will|i would|i am going to|i will probably|i will be|i) (?:probably )?be dead (?:by|before|tomorrow|tonight|soon|in|this)",
          ),
    _rule("means_and_despair", STRONG,
          r"(?:i|im|i am|i will|gonna|going to) (?:\S+ )?(?:blow|shoot) my (?:own )?(?:head|brains) (?:off|out)",
          r"(?:use|using|turn|turning) (?:it|the gun|this gun|my gun|the pills|them) (?:on|against) (?:myself|me)",
          r"(?:stealing|saving|collecting|hoarding|stockpiling|buying) (?:\S+ ){0,2}?(?:meds|pills|medication|insulin) (?:to|so i can) (?:overdose|od|die|end it|kill myself)",
          r"(?:bridge|tracks|roof|ledge|edge|pills|gun|pistol|rifle|rope) (?:\S+ ){0,4}?thinking (?:about|of) (?:it|doing it|jumping|ending it|the end)",
          r"(?:i (?:just )?need|give me|tell me) (?:a |one )?(?:good )?reason not to(?:$| do it| end it| kill myself| die| jump| go through with it)",
          r"(?:going to|gonna|will|about to) finally do it|finally (?:going to|gonna) do it",
          r"(?:found|read|saw|finds|reads) my (?:suicide )?note",
          r"(?:dont|do not) (?:know|see) how (?:to|i can|i could) (?:keep living|go on|keep going|live with|survive|stay alive)",
          r"(?:i am|im|i) (?:not|never|wont|will not) (?:going to )?make it (?:through|to|past) (?:the night|tonight|tomorrow|the weekend|morning|the day)",
          r"(?:thinking|thought|think|reading|looking) (?:of|about|up|into) (?:\S+ )?(?:ways|how|methods) to (?:die|kill myself|end it|end my life|do it)",
          r"(?:my )?last (?:wish|request|words) (?:\S+ ){0,3}?(?:is|are|take care|tell|goodbye|sorry)",
          r"(?:better|easier|happier) (?:off )?if i (?:was|were|am|m) (?:gone|dead|not here|not around|never born)",
          r"(?:i|ive|i have|i got|im|i am) (?:\S+ ){0,3}?(?:pills|gun|pistol|razor|blade|rope|knife|noose) (?:in|on|around) my (?:hand|hands|lap|mouth|neck|wrist)",
          r"(?:sitting|lying|laying|standing|holding|have|got) (?:\S+ ){0,4}?(?:razor|razor blade|blade|noose)",
          r"(?:bathtub|bath|tub) (?:\S+ ){0,3}?(?:razor|blade|knife|pills)",
          r"(?:i|im|i am) (?:\S+ )?(?:going to|gonna|will|want to|about to|plan to|planning to|ready to) (?:overdose|od|take an overdose)",
          r"(?:i|ive|i have|i got|i am|im|i keep|i just|i loaded|my) (?:\S+ ){0,6}?(?:gun|pistol|revolver|shotgun|rifle|service weapon|duty weapon|duty gun|weapon|pills|gun safe|rope)(?= .*?\b(?:anymore|no point|way out|tired|done|easy it would|for an hour|for hours|hours|for a while|out on the bed|loaded|goodbye|sorry|burden|better off|hopeless|cant (?:do|take|keep|go|make)|dont want|nothing left|my last|make myself|the point|pointless|worthless|ready|dont know what to do|shaking|scared of myself|the end|about it|cant shake it|nothing matters|life is over|no future|no hope|be over|it to end|everything hurts|depressed|never born|a way out)\b)",
          r"(?:anymore|no point|way out|tired of|so tired|dont know what to do|shaking|scared of myself|im done|i am done|easy it would|burden|better off|hopeless|pointless|worthless|nothing matters|life is over|no future|no hope|be over|it to end|everything hurts|depressed|never born|a way out|waste of space|no meaning|cant (?:do|take|keep|go)|dont want to|nothing left|the point) (?:\S+ ){0,12}?(?:i|ive|i have|i got|i loaded|my|the) (?:\S+ ){0,5}?(?:gun|pistol|revolver|shotgun|rifle|service weapon|duty weapon|duty gun|weapon|pills|gun safe|rope)",
          ),
    _rule("suicidal_thoughts", WEAK,
          # said of another person, or a note: a crisis unless asked as policy or a hypothetical
          r"(?:suicide|goodbye) (?:note|letter|message|text|video|post)",
          r"(?:posted|sent|texted|wrote|left|said) (?:me |us )?(?:a |his |her |their )?(?:goodbye|sorry for everything)",
          r"(?:depressed|suicidal|not okay|not ok|in a dark place|struggling|hopeless) (?:\S+ ){0,4}?(?:has|have|had|with|took|got|taking|hoarding|bought) (?:\S+ ){0,2}?(?:pills|gun|pistol|rifle|rope|meds)",
          r"(?:sorry|goodbye|i love you|love you) (?:\S+ ){0,8}?(?:phone is off|phone off|not answering|isnt answering|wont answer|cant reach|no answer|stopped answering|wont pick up|not picking up|doesnt pick up|isnt picking up)",
          r"goodbye (?:\S+ ){0,6}?(?:not answering|isnt answering|wont answer|not picking up|cant reach)",
          r"<INTENT> (?:\S+ ){0,2}?(?:kill|killing|shoot|shooting|hang|hanging|hurt|hurting|harm|harming|end|off|offing) <REFLEX>",
          r"(?:suicidal|suicide) (?:ideation|thoughts|plan|intent) (?:\S+ ){0,8}?(?:access to|has|have|owns|with|keeps) (?:\S+ ){0,2}?(?:firearms?|guns?|weapons?|pills|medications?|rifle|pistol)",
          r"(?:disclosed|expressed|voiced|reported|admitted|is having|has|having) (?:\S+ )?(?:suicidal|suicide) (?:ideation|thoughts|intent|plan)",
          r"(?:kill|killing|shoot|shooting|hang|hanging|off|offing|end|ending) <REFLEX>",
          r"(?:end|ending|take|taking) (?:his|her|their) (?:own )?life",
          r"(?:blow|blowing|shoot|shooting) (?:his|her|their) (?:own )?(?:head|brains) (?:off|out)",
          r"(?:left|leaving|wrote|found) (?:a |her |his |their )?(?:note|letter|message) (?:\S+ ){0,3}?(?:sorry|goodbye|love you|forgive)",
          r"(?:his|her|their) last (?:night|day) (?:alive|on earth)?|(?:tonight|today) (?:would|will|is going to) be (?:his|her|their) last",
          r"(?:shot|hanged|hung|stabbed|cut|poisoned|killed) <REFLEX>",
          r"(?:sent|texted|send|posted) (?:me |us )?(?:a )?(?:photo|pic|picture|selfie|video) (?:of|with) (?:his|her|their|a) (?:gun|pistol|rifle|pills|noose|rope)",
          r"(?:is|s|he|she|they|friend|son|daughter|kid|brother|sister|mom|dad|husband|wife) (?:\S+ ){0,2}?(?:suicidal|talking about suicide|talking about killing|talking about ending|threatening suicide|attempting suicide|attempted suicide)",
          r"(?:he|she|they|friend|son|daughter|kid|brother|sister|mom|dad|husband|wife|student|coworker|employee) (?:\S+ ){0,4}?(?:wants|want|going|wanted|trying) to die",
          r"(?:ending|end) (?:it|his life|her life|their life|this) (?:today|tonight|now|right now|with the gun|soon)",
          r"(?:wants?|want|wanna) to go to sleep forever",
          r"(?:sorry|apologi\S*) (?:\S+ ){0,2}?(?:for being|to be|i am|im) (?:a |such a )?burden",
          r"(?:he|she|they) (?:\S+ ){0,2}?(?:wants?|going|plans?|planning|trying|about) to end (?:it|things|everything|her life|his life|their life)",
          r"(?:use|using|turn|turning) (?:it|his|her|their|the|a) (?:\S+ )?(?:gun|shotgun|pistol|rifle|weapon|knife|pills )?(?:on|against) (?:himself|herself|themselves|themself)",
          r"(?:walk|walking|step|stepping|run|running|jump|jumping|throw (?:myself|himself|herself)) (?:out )?(?:into|in front of) (?:the |a |an )?(?:traffic|car|train|bus|truck|subway)",
          r"(?:going to|gonna|wants? to|will|plans? to|threatening to|trying to) (?:overdose|od|take (?:all|a bottle of) (?:\S+ )?(?:pills|meds))(?: on purpose| tonight| today)?",
          r"(?:wants?|want|wanna) to (?:disappear|vanish) (?:forever|for good)",
          r"(?:giving|gave|gives) away (?:her|his|their) (?:\S+ )?(?:things|stuff|belongings|possessions|pets|dog|cat)",
          r"(?:he|she|they|is|s) (?:\S+ )?done with (?:life|living|everything|it all|this life|being alive)",
          r"(?:he|she|they) (?:said |says |told me |texted )?(?:\S+ )?(?:wont|will not|not going to|isnt going to) be (?:alive|around|here) (?:tomorrow|tonight|much longer|by|after|anymore|next)",
          r"(?:use|using) it on (?:himself|herself|themselves)",
          r"(?:doesnt|does not|dont|do not|didnt) (?:see|want) (?:the point|to be alive|to live|to be here)",
          r"(?:tonight|today) (?:is )?(?:s )?the night",
          r"without (?:him|her|them) (?:\S+ ){0,2}?better off|better off without (?:him|her|them)",
          ),
    _rule("self_harm", STRONG,
          r"(?:slit|slitting|slashed|slashing|sliced|slicing|cut) (?:open )?(?:my|both my|her|his) (?:wrists?|arms?|throat)",
          r"(?:cut|cutting|burn|burned|burning|burnt|hurt|hurting|harm|harming|hit|hitting|scratch|scratching) (?:\S+ ){0,2}?(?:myself|my self|my wrists?|my arms?|my legs?|my skin)",
          r"(?:i|im|ive|i have|been) <BE>(?:been )?(?:\S+ ){0,2}?(?:cutting|self harming|burning myself)",
          r"(?:i|im) (?:\S+ ){0,4}?(?:razor|blade) in my hand",
          r"(?:cant|can not|cannot|wont|will not|doesnt) stop (?:the )?(?:bleeding|cutting)",
          r"(?:i )?cut (?:\S+ )?(?:too|so|really|very) deep",
          r"want(?:ing)? to hurt myself",
          ),
    _rule("self_harm", WEAK,
          r"(?:is|s|been|keeps?) (?:cutting|burning|hurting|harming) (?:herself|himself|themselves|again)",
          r"(?:cut|cutting) (?:her|his|their) (?:wrists?|arms?|legs?)",
          r"(?:is|are|s) self harming",
          ),
    # --- overdose and poisoning ----------------------------------------------------------
    _rule("overdose", STRONG,
          r"(?:i|ive|i have|i just|i think i) (?:\S+ ){0,2}?(?:took|taken|swallowed|ate|downed|popped|overdosed on|od on) (?:\S+ ){0,5}?(?:pills?|meds|medication|tylenol|advil|xanax|oxy|percs|percocets?|fentanyl|bottle|sleeping|tablets)",
          r"(?:i|im) (?:am )?(?:think i am |think im |pretty sure im )?overdosing",
          r"(?:i|ive|i have|i just) (?:\S+ )?(?:took|taken|had|did) an? overdose",
          r"(?:i|im) (?:am |think i |think i am |just )?(?:overdosed|oding)",
          r"^(?:just )?(?:took|swallowed|downed|popped) (?:\S+ ){0,4}?(?:pills|meds|bottle|tylenol|xanax|tablets)",
          r"took (?:like |about |around |maybe )?(?:all|my whole|a whole|the whole|a bunch of|a lot of|too many|way too many|\d+|a handful of|a bottle of) (?:\S+ ){0,3}?(?:pills|meds|tylenol|xanax|tablets|bottle|sleeping|advil|oxy|percs|benadryl|ibuprofen|aspirin|insulin|ambien|valium|klonopin|adderall|acetaminophen|medication|medicine)",
          ),
    _rule("overdose", WEAK,
          r"(?:is|s|are|he|she|they|someone|somebody|guy|man|woman|friend|brother|sister|son|daughter|cousin|roommate|uncle|mom|dad) (?:\S+ ){0,3}?(?:overdosing|overdosed|oding)",
          r"(?:not|isnt|is not|isn t|arent|stopped|barely|cant|cannot) (?:\S+ )?(?:breathing|responding|responsive|waking up|wake up)",
          r"(?:wont|will not|doesnt|cant) wake up",
          r"unresponsive|unconscious",
          r"(?:lips|face|skin) (?:are |is |look |looks |turning |turned |going )?(?:blue|purple|gray|grey)",
          r"(?:took|swallowed) (?:\S+ ){0,3}?(?:pills|meds|tylenol|xanax|bottle)",
          r"(?:narcan|naloxone) (?:isnt|is not|not|didnt|doesnt) (?:working|work)|do i (?:use|give) (?:the )?(?:narcan|naloxone)",
          r"(?:gurgling|collapsed|passed out|slumped over)",
          r"(?:ingested|swallowed|took|taken|consumed|overdosed on) (?:\S+ ){0,4}?(?:quantity|amount|bottle|handful|lot|bunch) of (?:\S+ )?(?:medication|medications|pills|meds|tablets|sleeping|pain)",
          ),
    # --- shootings happening now or just happened ---------------------------------------
    _rule("shots_fired", WEAK,
          r"shots? (?:\S+ )?(?:fired|firing|rang out|ringing out|going off|went off|just went off)(?! (?:calls?|reports?|data|incidents?|alerts?|detection|numbers|counts?|statistics|stats)(?!\S))",
          r"(?:fired|firing|shot) (?:a shot|a round|shots|rounds|a bullet|bullets) (?:into|at|through|near|next to|over|past|by)",
          r"(?:fired|firing|shooting|shot|sprayed|spraying) (?:\S+ )?(?:into|at|through) (?:the |a |our |my )?(?:crowd|car|cars|house|houses|building|window|windows|people|kids|us|party|line)",
          r"(?:gunshots|gunshot|gunfire|shots|shooting|popping|pop pop) (?:\S+ ){0,4}?(?:right now|now|outside|right outside|nearby|near me|next door|down the street|in the (?:neighborhood|building|hallway|street|lobby|parking)|close by|everywhere|in progress|rn)",
          r"(?:shots|gunshots|gunfire|shooting|explosions?) (?:heard|reported) (?:at|on|in|near|outside|by|across|around)",
          r"(?:hear|heard|hearing|hears) (?:\S+ ){0,3}?(?:gunshots|gunshot|gunfire|shots|shooting|popping|pop pop|bang|bangs|pops|booms)",
          r"(?:gunshots|gunfire|shots|shooting|shootout|shooter|gunman) (?:\S+ ){0,8}?(?:right now|rn|just now|as we speak|in progress|happening now)",
          r"(?:was that|were those|is that) (?:gunshots|gunfire|shots|a gunshot)",
          r"(?:someone|somebody|they|he|she|people|guys?|man|men|dudes?) (?:\S+ ){0,2}?(?:shooting|firing|opened fire|open fire|started shooting|start shooting|shot) (?:at|on|in|inside|outside|into|from|up|through)",
          r"(?:someone|somebody|they|he|she|people|guys?|man|men|dudes?) (?:is |are |s )?(?:shooting|firing) (?:right now|now|everywhere|rn)",
          r"opened fire (?:\S+ ){0,4}?(?:just now|right now|now|minutes ago|rn)",
          r"(?:gun|pistol|rifle|shotgun|handgun|weapon|firearm) (?:just |was )?(?:went off|discharged|accidentally fired|fired)",
          r"(?:discharged|fired) (?:a |his |her |the |their )?(?:firearm|weapon|gun|pistol|rifle|handgun)",
          r"(?:a |the )?(?:bullet|bullets) (?:\S+ ){0,2}?(?:came through|went through|hit|just|through my|through our|flying)",
          r"(?:grazed|hit) by (?:a )?(?:stray )?bullet",
          r"(?:shooting|shootout|shoot out) (?:\S+ ){0,2}?(?:in progress|happening|going on|right now|just happened|just now|rn)",
          r"(?:armed )?(?:robbery|carjacking|home invasion|break in|stabbing|kidnapping|attack) (?:\S+ )?(?:happening|in progress|going on|right now|rn|underway)",
          r"(?:shooting|gunfire|shots) (?:at|on|in|outside|inside) (?:the |our |my )?\S+ (?:\S+ )?(?:now|rn|right now)",
          r"(?:driveby|drive by) (?:\S+ ){0,5}?(?:just|now|right now|minutes ago|ago|rn)",
          r"(?:just|right now|now) (?:\S+ ){0,2}?(?:driveby|shootout)",
          r"shooting (?:just )?(?:happened|broke out|started)",
          r"there (?:is |s )?(?:a |an )(?:active )?(?:shooter|gunman|sniper)",
          r"(?:gunfire|gunshots|shots|shooting|shooter|gunman)(?: \S+){0,6}? (?:screaming|please|help|running|hiding|everywhere|omg|ducking|bleeding|crying|hurt|dead)",
          r"(?:omg|help|please|screaming|running|hiding|ducking) (?:\S+ ){0,6}?(?:gunfire|gunshots|shots|shooting|shooter|gunman)",
          r"(?:gunfire|shooting|shots|gunshots|shootout|gunman|shooter) (?:at|in|on|near|outside|inside|by|behind|across from) (?:the |a |my |our |this )?\S+",
          r"(?:firing|shooting|fired|shot|emptying|unloading) (?:his|her|their|a|the) (?:gun|pistol|rifle|weapon|shotgun|clip|magazine)",
          r"pop pop",
          ),
    _rule("someone_shot", STRONG,
          r"(?:i|i was|i just|i got|ive been|i have been|i think i was) (?:just |got |been |was )*(?:raped|assaulted|stabbed|jumped|attacked|beaten up|robbed at gunpoint|held at gunpoint|carjacked)",
          r"(?:at|held at) (?:gunpoint|knifepoint)",
          r"^(?:just |i )?(?:got|been|was) (?:just )?(?:jumped|stabbed|shot|robbed|attacked|beaten|carjacked|raped|assaulted)",
          r"(?:i|im|i am|i think i|ive|i have|i just|i got|i was|i think ive) (?:been |just |got |was |am |have been )*(?:shot|hit|grazed)(?! (?:down|a|the|at|send|enter|reply|reply all|submit|save|publish|post|refresh|record|mute|unmute|play|pause|snooze|go|it|that|my|our|up|traffic)(?!\S))",
          r"shot (?:me|us)",
          ),
    _rule("someone_shot", WEAK,
          r"(?:just|got|get|getting|been|being|was|were|is|are|s|has been|have been|already) (?:\S+ )?shot(?! (?:down|a|the|of|in \d{4}|in the \d|last|caller|list|clock|spotter|put|glass|selection)(?!\S))",
          r"(?:just|got|been|was) (?:\S+ )?stabbed",
          r"(?:just|has|have|may have|might have|think) (?:\S+ )?(?:killed|shot|stabbed|murdered) (?:his|her|their|my|the) (?:wife|husband|girlfriend|boyfriend|partner|mom|mother|dad|father|kids?|son|daughter|neighbor|brother|sister|roommate)",
          r"(?:is|s|are|being) (?:being )?(?:beaten|attacked|stabbed|choked|strangled|raped|assaulted|jumped)(?! (?:by police|in (?:19|20)\d\d)(?!\S))",
          r"(?:screaming|yelling|crying|begging|calling) for help",
          r"(?:got|get|getting|been|just got) (?:popped|clipped|smoked|blasted|capped|lit up|wet up|hit up|gunned down)",
          r"(?:\d+|two|three|four|five|several) (?:people )?(?:hit|shot|wounded|down)",
          r"(?:someone|somebody|they|he|she|guy|man|someones) (?:just )?(?:shot|hit) (?:the|a|my|our|his|her|their|him|her|them|at) \S+",
          r"(?:he|she) (?:already |just )?shot (?:the|a|my|our|his|her|someone|somebody|him|her|them)",
          r"(?:gunshot|gun shot|bullet) (?:wound|wounds)(?!(?: data| rates| coding| victims| survivors)(?!\S))",
          r"(?:is|s|are|got|was|just got) (?:\S+ )?hit (?:\S+ ){0,3}?(?:bleeding|bad|down|in the)",
          r"(?:my|our) \S+ (?:\S+ )?(?:is|s|got|was|just got) hit",
          r"(?:people|two|three|someone|guy|man|kid|one) (?:\S+ ){0,2}?(?:are |is )?(?:down|on the ground)(?!(?: the street| payment)(?!\S))",
          r"man down",
          r"bleeding (?:\S+ ){0,3}?(?:bad|badly|a lot|out|everywhere|heavily|on the)|(?:guy|man|woman|kid|someone|he|she|who|<FAMILY>|friend|child|baby|student) (?:is |s )?bleeding",
          ),
    _rule("active_shooter", WEAK,
          r"active (?:assailant|attacker|assailants|attack|aggressor)",
          r"active (?:shooter|shooting|gunman|killer|threat)",
          r"(?:shooter|gunman|shooters|gunmen) (?:\S+ ){0,2}?(?:in|inside|at|on|outside|near|loose|on the loose|in our|in the|is|s|going|walking|coming|still|has|have|took|just|entered|walked|came|opened)",
          r"(?:he|she|they|someone|somebody|man|guy) (?:is |s |are )?(?:\S+ ){0,3}?(?:still )?(?:firing|shooting)(?!(?: range| sports| victims| survivors| review| data| statistics| rates)(?!\S))",
          r"(?:started|start|starts) shooting",
          r"(?:going|walking|moving) (?:room to room|door to door|down the hall|through the halls?) (?:\S+ ){0,4}?(?:shooting|firing|with a)",
          r"not a drill",
          ),
    _rule("lockdown_now", WEAK,
          r"(?:on|in|into|under) (?:a )?(?:lockdown|lock down|hard lockdown)"),
    _rule("overdose", WEAK,
          r"(?:lethal|fatal|deadly) (?:dose|amount) of"),
    _rule("danger_now", NOW,
          r"(?<!mass )(?<!school )(?<!public )(?<!police )(?<!workplace )(?:shooting|shooter)|(?<!a )(?<!flu )(?<!booster )(?<!big )(?<!long )(?<!mug )(?<!vaccine )shot(?! down (?:the |our |my |his |her |their |that |this |a |an |every )?(?:proposal|idea|plan|motion|bill|request|amendment|budget|ordinance|resolution|pitch|suggestion|draft|offer|deal|rumor|rumour)s?(?!\S))|gunman|gunfire|gunshots?|(?<!flu )(?<!booster )(?<!vaccine )(?<!covid )(?<!allergy )(?<!b12 )(?<!espresso )(?<!jello )(?<!big )(?<!long )(?<!mug )(?<!screen )shots|bullets?|sniper|shootout|stabbing|overdosing|overdosed|hostage|armed (?:man|woman|person|guy|suspect)",
          r"overdose(?! (?:deaths?|prevention|rates?|crisis|data|response|spikes?|epidemic|education|reversal|kits?|awareness|centers?|sites?|numbers|trends?|statistics|stats)(?!\S))"),
    _rule("bomb_now", WEAK,
          r"(?:pipe bomb|bomb|explosive|explosives|ied) (?:\S+ ){0,4}?(?:in|inside|outside|at|under|near|found|planted|going off|in the building)"
          r"|(?:found|find|there is|there s) (?:a |an )?(?:pipe bomb|bomb|explosive device|suspicious package)"),
    _rule("weapon_now", NOW_ONLY,  # a weapon named alone: only with something saying now
          r"(?:gun|rifle|pistol|shotgun|handgun|knife|weapon)(?! (?:violence|laws?|polic\S*|deaths?|owners?|control|safety|shows?|shops?|sales?|crimes?|rights|reform|buyback|trace|tracing|data|storage|homicides?|suicides?|injur\S*|industry|lobby|culture|ownership|locks?|free|zones?|permits?|dealers?|purchases?|registry|range)(?!\S))"),
    # --- hiding, sheltering: said of oneself while a danger is near -------------------
    _rule("hiding_from_danger", STRONG,
          r"(?:i|im|i am|we|we are|were) (?:\S+ ){0,3}?(?:hiding|hidden|barricaded|locked in|locked ourselves|locked myself|sheltering|sheltered|on the floor|under (?:my|the|our) (?:desk|desks|table|bleachers|bed)|lying flat|ducking|ducked|laying flat|in the closet|in the bathtub)",
          ),
    _rule("hiding_from_danger", WEAK,
          r"(?:they are|everyone|everybody|staff|kids|people|students|employees|she|he|they|is|are) (?:are |is |s )?(?:still |all )?(?:hiding|barricaded|sheltering|sheltered|ducking|on the floor|lying flat|locked in (?:the|a|her|his|their) (?:room|office|closet|classroom|bathroom|basement))",
          r"hiding (?:in|behind|under) (?:the|a|my|our|her|his|their) \S+",
          ),
    # --- a weapon out, pointed or brought -----------------------------------------------
    _rule("armed_person", STRONG,
          r"(?:pulled|pointed|pointing|aimed|aiming|waved|waving|flashed|flashing|held|holding|put) (?:\S+ ){0,3}?<WEAPON> (?:on|at|to|in) (?:me|us|my|our)",
          r"<WEAPON> (?:\S+ )?(?:to|at|in) (?:my|our) (?:head|face|chest|neck|back|kids|children|family|car|window|door)",
          r"(?:threatening|threatened|threatens|threaten) (?:me|us|my \S+) (?:\S+ ){0,2}?with (?:a |his |her |their |the )?<WEAPON>",
          r"(?:he|she|they) (?:has|have|got|s got) (?:a |his |her |their |the )?<WEAPON> (?:\S+ ){0,2}?(?:and|on|pointed|to|at) (?:\S+ ){0,3}?(?:me|us)",
          ),
    _rule("armed_person", WEAK,
          r"(?:playing|messing|fooling|plays) (?:around )?with (?:\S+ ){0,5}?<WEAPON>(?! (?:laws?|policy|policies|safety|violence)(?!\S))",
          r"(?:pulled|pulling|pulls|pointed|pointing|points|aimed|aiming|waved|waving|waves|flashed|flashing|flashes|brandished|brandishing|showed|showing|shows|loading|loaded|cocking|cocked|holding|held|grabbed|grabbing|pulled out|took out|takes out|has|had|got|with|brought|bringing|carrying|carries|carried|hiding|hid|hides|found|find|saw|seen|sees) (?:\S+ ){0,4}?<WEAPON>(?! (?:laws?|policy|policies|violence|owners|ownership|deaths?|storage|safety|shows?|shops?|stores?|dealers?|sales?|purchases?|permits?|control|rights|reform|buyback|licen\S*|trace|tracing|data|stats|statistics|research|industry|lobby|crimes?|homicides?|suicides?|injuries|injury|trafficking|manufacturers?|registry|buyers?|regulations?|ranges?|clubs?|locks?|culture)(?!\S))",
          r"<WEAPON> (?:\S+ )?(?:to|at|against) (?:his|her|their|my|our|the|someones) (?:head|face|chest|neck|temple)",
          r"<WEAPON> (?:out|drawn|in (?:his|her|their|my) (?:hand|hands|lap|waistband|pocket|bag|backpack|coat|jacket|belt|locker))",
          r"(?:a |the |his |her |their )?<WEAPON> (?:\S+ ){0,1}?(?:in|on) (?:the |his |her |their |a |my )?(?:backpack|waistband|lap|locker|nightstand|table|dashboard|hand|bag)",
          r"(?:armed|strapped) (?:\S+ ){0,1}?(?:man|guy|woman|person|suspect|individual|dude|kid|student|men|up|and)|(?:is|s|are|were|he|they) (?:armed|strapped)",
          r"(?:rifle|gun|shotgun|weapon) case",
          r"(?:guns|weapons|pistols|rifles) (?:drawn|out|pulled|pointed)|(?:drew|drawn|drawing) (?:a |his |her |their )?(?:gun|guns|weapon|pistol)",
          r"strapped(?! (?:for|in|into|down|to|with|on|by)(?!\S))",
          r"opps (?:\S+ ){0,3}?(?:outside|pulled up|pulling up|here|on the block|out there|right now|coming)",
          ),
    # --- threats to shoot, kill or hurt -------------------------------------------------
    _rule("threat_to_me", STRONG,
          r"(?:blow|shoot|knock) (?:my|our) (?:head|brains|face) off|(?:put|putting) a bullet (?:in|through) (?:me|my|us)",
          r"(?:he|she|they|someone|somebody|<FAMILY>|man|guy|dude|caller|person) (?:\S+ ){0,6}?(?:<INTENT>|will|ll|would|d|is|s) (?:\S+ ){0,2}?(?:kill|shoot|hurt|murder|stab|beat|strangle|choke|shoot at) (?:me|us|myself and|me and)",
          r"(?:threatening|threatened|threatens|threaten) (?:to (?:kill|shoot|hurt|murder|stab) )?(?:me|us)(?! (?:if|with lawsuits|with a lawsuit|with legal)(?!\S))",
          r"(?:i|we) (?:will|ll|am going to|am gonna|are going to|m going to) be (?:shot|killed|dead)",
          r"(?:you|ur|your|youre|you are|you r) (?:are |re )?(?:dead|gonna die|going to die|next|done for)(?: tonight| tomorrow| today| bitch| when| if|$)",
          r"(?:saying|said|says|texted|posted|wrote|told \S+) (?:\S+ ){0,2}?(?:i will|i ll|ill|i am going to|youll|you will|you are going to|they will|theyll|theyre going to|he will|hell) (?:\S+ )?(?:be )?(?:shot|killed|dead|shoot me|kill me)",
          ),
    _rule("threat_to_shoot", STRONG,
          r"(?:i|im|i am) (?:\S+ )?(?:going to|gonna|want to|wanna|will|about to|thinking about|plan to|planning to|ready to) (?:\S+ )?(?:kill|shoot|hurt|stab|murder|shoot up) (?:him|her|them|someone|somebody|everyone|everybody|people|my (?:boss|wife|husband|coworker|neighbor|ex|family|kids|dad|mom|brother|sister|girlfriend|boyfriend|partner|supervisor|manager)|the (?:whole|entire) \S+|all of them)(?!\S)",
          r"(?:he|she|hes|shes) (?:is |s |just )?(?:going to|gonna|will|ll|is coming to|coming back to|plans to|wants to|about to) (?:\S+ )?(?:kill|shoot|murder|stab) (?:her|him|me|us|you|everyone|everybody|all of|the \S+|my \S+|his \S+|her \S+|them all|anyone)",
          ),
    _rule("threat_to_shoot", WEAK,
          r"<INTENT> (?:\S+ ){0,3}?(?:kill|shoot|hurt|murder|stab|bomb|blow up|attack|get|shoot up|light \S+ up|make (?:them|\S+ ){0,2}?pay) (?:\S+ ){0,2}?(?:everyone|everybody|all|the|us|you|him|her|them|his|her|my|our|someone|somebody|people|anyone|up|city|school|\S+s?)",
          r"(?:shoot|shooting|shot) up (?:the |our |my |a )?\S+",
          r"(?:blow|shoot|knock) (?:his|her|their|your|someones|somebodys) (?:head|brains|face) off|(?:put|putting) a bullet (?:in|through) (?:him|her|them|you|his|her|their|someone|somebody)",
          r"(?:kill|shoot|hurt|murder) (?:\S+ )?(?:everyone|everybody|all of (?:us|you|them)|the next person|whoever|anyone who)",
          r"(?:threatening|threatened|threatens|threaten|threat) to (?:kill|shoot|hurt|murder|stab|bomb|blow up|attack|come back)",
          r"(?:said|says|saying|told|posted|texted|wrote|called|emailed|commented|messaged|keeps saying|threatened) (?:\S+ ){0,6}?(?:(?:he|she|they|i) (?:will|ll|would|d|is going to|s going to|are going to|going to|gonna))? ?(?:\S+ ){0,2}?(?:kill|shoot|shot|murder|stab|bring (?:a|his|her|their|the) (?:\S+ )?(?:gun|rifle|pistol|weapon))",
          r"(?:bring|bringing|brings|brought) (?:a |his |her |their |the |my )?(?:\S+ )?(?:gun|rifle|pistol|weapon|shotgun|ar) (?:to|into|tomorrow|today|tonight)",
          r"(?:dont|do not|better not) come to (?:school|work|class|the \S+) (?:tomorrow|today|monday|tuesday|wednesday|thursday|friday)",
          r"(?:bring|need) (?:the )?body bags",
          r"(?:catch|catching|gonna catch|going to catch) (?:a |another )?body",
          r"(?:about to|going to|gonna|will|trying to|want to) (?:slide|spin the block|pull up) (?:on|to|at) (?:\S+ )?(?:opps|them|him|her|they|those|his|their)",
          r"(?:threatened|threatening|made the threat|who threatened) (?:\S+ ){0,4}?(?:is|s|was seen|has been seen|showed up|came) (?:here|in|at|on|back|outside|inside)",
          r"(?:talking|talks|muttering|mutters|ranting|rants|yelling|screaming|saying|posting|texting|raving) (?:about |that he will |that she will |he will |she will )?(?:kill|killing|shoot|shooting|hurt|hurting|murder|murdering) (?:people|everyone|everybody|someone|somebody|them|us|cops|kids|all)",
          r"(?:see|get) you (?:all )?(?:tomorrow|tonight|at home|later|soon) (?:\S+ ){0,3}?(?:gun|rifle|pistol|body bags)",
          r"(?:knows|know) where (?:\S+ ){0,2}?(?:lives|live|i live|you live) (?:\S+ ){0,4}?(?:gun|rifle|kill|shoot|coming|bringing)",
          r"(?:going|goes|went) (?:home )?to get (?:his|her|their|a|the) (?:gun|rifle|pistol|shotgun|weapon) (?:\S+ ){0,3}?(?:and )?(?:come back|return)",
          r"(?:come|coming) back (?:\S+ ){0,2}?with (?:a |his |her |their |the )?(?:gun|rifle|pistol|shotgun|weapon)",
          r"(?:list|hit list|kill list) of (?:\S+ ){0,3}?(?:he|she|they) (?:\S+ )?(?:plans?|wants?|going) to",
          r"(?:shooting|shoot) (?:here|there) (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight)",
          r"(?:end|ending) (?:this|it|us|you) with (?:the|a|his|her) (?:gun|rifle|pistol|shotgun)",
          ),
    # --- at home: a partner or family member hurting or threatening -----------------------
    _rule("domestic_threat", STRONG,
          r"(?:my|our) <FAMILY> (?:\S+ ){0,4}?(?:is |s |keeps |just |has been |been )?(?:hitting|beating|choking|strangling|hurting|attacking|punching|kicking|dragging|hit|beat|choked|strangled|punched|kicked|attacked|threatening|threatened) (?:me|us|my|her|him|them)",
          r"(?:locked|locks) (?:me|us) in",
          r"(?:my|our|her|his) (?:\S+ )?<FAMILY> (?:\S+ ){0,6}?(?:put|held|holds|pointed|points|had|has) (?:a |his |her |the |their )?<WEAPON> (?:to|at|against) (?:her|his|my|our|their) (?:head|face|chest|neck|temple|throat)",
          r"(?:kick|kicking|kicked|break|breaking|bust|busting) (?:my|our|the) (?:door|window) (?:in|down)|(?:trying|tried) to (?:break|get|kick|force) (?:in|into) (?:my|our)",
          r"(?:banging|pounding|kicking) (?:on|in) (?:my|our|the) (?:door|window)",
          r"(?:broke|breaking|broken) (?:in|into) (?:my|our|the) (?:house|home|apartment|place|room)|just broke in",
          r"(?:violated|violating) (?:the |my |her )?(?:protective|restraining|protection) order (?:\S+ ){0,3}?(?:and|is|now|right now|outside|here)",
          r"(?:scared|afraid|terrified) (?:for my life|(?:he|she|they) (?:will|is going to|s going to|going to) (?:kill|hurt|shoot))",
          r"(?:scared|afraid|terrified) to (?:go home|leave|go back)",
          ),
    _rule("domestic_threat", WEAK,
          r"(?:<FAMILY>|boyfriend|he|she) (?:is |s )?(?:choking|strangling|beating|hitting|attacking) (?:her|him|them|my|our)",
          r"(?:wont|will not|doesnt|does not|wont let) (?:let )?(?:her|him|them|me|us|anyone|anybody|us) (?:\S+ )?(?:leave|go|out)",
          ),
    _rule("hostage_barricade", WEAK,
          r"(?:holding|held|taken|took|has|have|taking) (?:\S+ ){0,3}?(?:hostage|hostages)",
          r"hostage (?:situation|taker) (?:at|in|on|inside|right now|now|rn)",
          r"barricaded <REFLEX>|(?:making|made) (?:threats|a threat)(?! (?:against|to) (?:the |our )?(?:city|school|mayor|officials)(?!\S))",
          r"barricaded (?:\S+ ){0,2}?(?:in|inside) (?:his|her|their|the|a|an|my|our) \S+",
          ),
    # --- someone at an edge ------------------------------------------------------------
    _rule("trapped", WEAK,
          r"(?:people|someone|somebody|kids|we|i|they|family) (?:are |is |am |were )?(?:\S+ )?trapped(?! (?:in (?:poverty|cycles?|the system))(?!\S))",
          r"(?:set|setting) (?:a )?fire (?:to|in)|(?:building|house|apartment|car) (?:is )?on fire"),
    _rule("at_a_ledge", WEAK,
          r"(?:on|at|in) (?:the |a )?(?:roof|ledge|bridge|overpass|edge|railing|tower|window|balcony) (?:\S+ ){0,4}?(?:wont|will not|refuses to|refusing to|doesnt want to) (?:come down|come back|get down|step back)",
          r"(?:i|im|i am) (?:\S+ ){0,2}?(?:at|on) the (?:bridge|roof|ledge|tracks|train tracks|railroad tracks|rail tracks|cliff|overpass|edge)",
          r"(?:standing|sitting|climbing|climbed|standing on|over) (?:\S+ ){0,3}?(?:edge|ledge|railing|rail) (?:of|on|over)? ?(?:\S+ ){0,3}?",
          r"(?:climbing|climbed|going) over (?:the )?(?:railing|rail|fence|edge)",
          r"(?:going|gonna|wants|want|threatening|about|ready|trying|getting ready|says he will|says she will|said he would|said she would) (?:to )?jump(?: off| from)?",
          r"(?:just )?jumped (?:off|from) (?:the |a |an )?(?:bridge|roof|garage|building|parking|overpass|window|balcony|ledge)",
          ),
    # --- a crisis in other words ---------------------------------------------------------
    _rule("crisis_now", STRONG,
          r"(?:this is|its|it is|having|have|i have|we have|there is|got) an? (?:\S+ )?emergency(?! (?:management|plan|plans|planning|response|operations|services|services|alert|room|department|declaration|funds|funding|powers|order|preparedness|manager|managers|declarations|contact|kit)(?!\S))",
          r"(?:i|im|i am|i feel) (?:\S+ )?(?:in (?:a )?crisis|in a really bad place|falling apart|not okay|not ok|not safe|in danger)",
          r"(?:having|is having|in the middle of) (?:a |an )?(?:mental health |psychiatric |psychotic |mental )?(?:crisis|breakdown|episode)",
          r"(?:send|call|get) (?:the |an |some )?(?:police|cops|ambulance|ems|paramedics|help|officers) (?:to|now|asap|here|please|quick|over)",
          r"(?:please )?(?:someone |somebody )?(?:call|calling|dial) 911(?! (?:center|centers|dispatch|system|calls|call|data|for|operators|staff)(?!\S))",
          r"(?:please help|help me|help us|send help|need help) (?:\S+ ){0,3}?(?:now|right now|asap|quick|fast|hurry)(?! (?:finding|with|writing|getting|to find|to write|on|for|understanding|locating|pulling|drafting)(?!\S))",
          ),
]

# The sensitive subjects themselves: a topic, not a crisis, when nothing else fires.
_TOPIC_RULES: list[Rule] = [
    _rule("suicide", "topic",
          r"suicides?|suicidal|self harm|postvention|lethal means|kill (?:themselves|himself|herself)"),
    _rule("crisis_line", "topic", r"988|911|lifeline|hotline|crisis (?:line|center|centers|team|teams|text)"),
    _rule("crisis", "topic", r"crisis|emergency|emergencies"),
    _rule("mass_shooting", "topic",
          r"(?:mass|active|school|public|workplace) (?:shooting|shootings|shooter|shooters)",
          r"(?:the|that|this) (?:\S+ ){0,2}?(?:shooting|massacre)|run hide fight|stop the bleed|lockdown drills?|alice training"),
    _rule("shooting", "topic",
          r"(?:was|were|been|being|got|get|getting) shot|shooting (?:at|in) (?:our|the) \S+|shot and killed|gunshot|gunfire",
          r"killed by (?:guns?|gunfire|a gun|firearms?)|(?:kids|children|teens|youth) (?:\S+ )?killed|unintentional shootings?|police shootings?"),
    _rule("domestic_violence", "topic",
          r"domestic (?:violence|abuse)|intimate partner|dv|abuser|(?:protective|restraining) orders?|boyfriend loophole|vawa"),
    _rule("overdose", "topic",
          r"overdoses?|overdosed|narcan|naloxone|fentanyl|opioid"),
    _rule("threats", "topic", r"threats?|threatening|hostages?|barricade"),
]

# --- 3. framing: policy, data, history, hypotheticals -----------------------------------

_FRAME = _rx("|".join(f"(?:{p})" for p in [
    r"polic(?:y|ies)|programs?|programming|trainings?|trained|drills?|exercises?|tabletop|scenarios?|simulations?|simulators?",
    r"protocols?|procedures?|guidance|guidelines|templates?|curriculum|courses?|certification|playbook|toolkit|checklist",
    r"grants?|funding|funded|funds?|budgets?|money|cost|costs|spend|spending|solicitation|appropriations?",
    r"statistics|stats|data|numbers|rates?|percent|percentage|share of|how many|how much|trends?|counted|surveillance|coded|archive",
    r"research|researchers|study|studies|studied|evaluations?|evaluated|evidence|reports?|survey|findings|review|literature",
    r"laws?|ordinances?|legislation|legislative|bills?|statutes?|rules|regulations?|preempted|preemption|prosecutors?|legal",
    r"campaigns?|awareness|prevention|preventing|strategy|strategies|models?|framework|best practices?|lessons learned|after action|plan for|plans|planning",
    r"webinars?|memo|briefing|explainer|resolution|press|speech|talking points|op ed|newsletter|definition|defined|define|term|terms|meaning|means",
    r"services|resources|supports",
    r"(?:we|our city|our town|the city) (?:just )?had|response side|section",
    r"(?:people|those|anyone|men|women|kids|youth|veterans|teens|officers|residents) who|most|is it true|how likely|likelihood|odds",
    r"differences?|difference between|incidents|insurance|liability|versus|vs|compare|compared|comparison|examples?|recommendations?|recs|options",
    r"vendors?|preparedness|readiness|negotiators?|negotiation|tactical|swat|response plan|emergency operations|reunification|resiliency|memorial|anniversary",
    r"doubled|tripled|increased|decreased|spiked|declined|this year|per year|each year|every year|annually|annual|quarterly",
    r"history|historical|founded|since \d+|in \d{4}|\d{4}s|last (?:year|decade|summer|month|spring|fall|winter|week|years|decade|night)|years ago|in the \d+s|was founded|did \S+ (?:do|respond|change|handle)",
    r"cities|communities|residents|officers|victims|survivors|families|departments|agencies|schools|nationally|national|nationwide|(?<!she )(?<!he )(?<!caller )(?<!it )states|counties|americans|veterans|employees|workers|staff members|teachers|parents|facilities|buildings",
    r"organizations?|groups?|coalition|association|networks?|foundations?|nonprofits?|centers",
    r"(?:^|\S+ )(?:how (?:do|does|did|can|could|should|would|often|is|are|to)|what (?:is|are|does|did|should|was|were|the|a|an|kind|kinds|type|types|role|do (?:cities|we|you|schools|police|other))|which|why (?:do|does|did|is|are)|any (?:examples|research|data|grants|programs|resources|guidance|recs|ideas)|where (?:can|do) (?:i|we) (?:find|get)|who (?:is|are|were|leads|runs|offers)|can (?:cities|a city|we|our|you explain|you summarize)|should (?:our|the|we|cities|a city))",
    r"^if|(?:do|does|should|would|could|can|say|said to|happens?|to do|procedures?|protocols?|plans?|respond|handle|policy) (?:\S+ ){0,3}?if|whether"
    r"|when (?:a|an|someone|somebody|people|residents|staff|shots|police|officers|there is|there are)|whenever|in case|hypothetical(?:ly)?|suppose|what if|should someone",
    r"what to do|how to (?:respond|handle|prepare|survive|react)|what happens (?:when|if|after)",
    r"what happened|after (?:the|a|an) (?:\S+ )?(?:shooting|shootings|attack|massacre)|since the|remember(?:ing)? the|anniversary|aftermath",
    r"like (?:las vegas|uvalde|parkland|sandy hook|columbine)",
]))

_URGENT = _rx("|".join(f"(?:{p})" for p in [
    r"next to (?:me|my (?:head|face|body|kids|car))|near me|in front of me|behind me|across from me|outside my|at my door|in my (?:house|home|yard|building|office|room)",
    r"(?:send|call) (?:the |an |some )?(?:police|cops|ambulance|ems|paramedics|help|someone|officers)|(?:someone|somebody) call",
    r"right now|(?<!and )(?<!but )(?<!until )(?<!by )now|just(?! (?:got back|came back|returned|back|asked|wanted|want|wondering|curious|checking|finished|had|left|to|a|an|the)(?!\S))|just now|currently|at the moment|as we speak|in progress|happening|still",
    r"(?:\d+|a few|few|couple|two|five|ten|twenty|thirty) (?:minutes|seconds|mins|min|secs|hours) ago|minutes ago|seconds ago|an hour ago",
    r"this (?:morning|afternoon|evening)|tonight|today|tomorrow",
    r"omg|oh my god|oh god|wtf|hiding|barricaded|locked in|please help|help (?:me|us)(?! (?:write|draft|find|with|understand|prepare|put|make|create|summarize|explain|think|figure|plan|get|compile|build|come|pick|choose|decide|respond|word|frame|craft)(?!\\S))|send help|need help|what (?:do|should) (?:i|we) do(?! (?:if|in case|when|in an?|during)(?!\S))"
    r"|(?:anyone|anybody|someone|somebody|you|u) know what to do(?! (?:if|in case|when|in an?|during|about|with|after|for)(?!\S))|asap|hurry",
    r"screaming|yelling|crying|bleeding|not breathing|not a drill|lockdown|running|ran|fleeing|ducking|panicking",
    r"(?:i|we) (?:can |could |just |still )?(?:hear|heard|see|saw)",
    r"not a (?:policy |real )?question|this is real|not a joke|not joking|for real|(?:at|in|outside) my (?:\S+ )?(?:school|house|home|work|job|office|building|street|block|door)",
    r"not moving|shelter in place|sheltering|evacuat\S*|taken over|took over|trapped|(?:\d+|one|two|three|four|five|several|people|someone|somebody) (?:\S+ )?(?:hit|down|wounded|injured)",
    r"pinned down|under fire|taking fire|being shot at|suspects? (?:fled|fleeing|at large|on the loose|still|is|ran)|"
    r"(?:receiving|getting|we have|there are|we got) (?:\S+ )?reports? of|ongoing|unfolding|underway|under way|on the (?:line|phone)",
    r"this (?:week|weekend)|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:this|tomorrow) (?:morning|afternoon|evening|night)",
]))

# word -> the (rule, part) patterns keyed on it: a message tries only the patterns its words
# can start, and compiles only those.
_INDEX: dict[str, list[tuple[int, int]]] = {}
for _r, _rule_ in enumerate(_RULES):
    for _p, _rule_part in enumerate(_rule_.parts):  # not `_part`: that would rebind the function above
        for _w in _rule_part.keys:
            _INDEX.setdefault(_w, []).append((_r, _p))
_THREAT_VERBS = frozenset("""shoot kill hurt come be do bring get stab murder find end die take jump never not
just go make probably always definitely never""".split())
_OBJECTS = frozenset("myself himself herself themselves themself yourself urself ourselves me him her them us you someone somebody".split())
_WILL = {"hell": ["he", "will"], "ill": ["i", "will"], "shell": ["she", "will"]}
_WINDOW = 10  # words either side of a weak signal that frame it
# The plainest urgency: it overrides even a message that opens as a question.
_NOW = _rx(r"right now|rn|just now|as we speak|in progress|(?:\d+|a few|few|couple|two|five|ten) (?:minutes|seconds|mins|min) ago"
           r"|minutes ago|seconds ago|omg|help (?:me|us)(?! (?:write|draft|find|with|understand|prepare|put|make|create|summarize|explain|think|figure|plan|get|compile|build|come|pick|choose|decide|respond|word|frame|craft)(?!\\S))|please help|send help|hiding|bleeding|not breathing|not a drill"
           r"|pinned down|under fire|taking fire|being shot at|suspects? (?:fled|fleeing|at large|on the loose)"
           r"|(?:out there|outside|here|in the house|in the building) (?:right )?now|still (?:out there|here|outside|inside|in the building)"
           r"|(?:people|someone|somebody) (?:are |is )?down|(?:\d+|two|three|four|five|several) (?:people )?(?:are )?(?:down|hit|shot|wounded)")
_PAST = _rx(r"when i was (?:a |\S+ )?\S+|years ago|(?:in|since|back in) (?:19|20)\d\d|used to|as a (?:teen|teenager|kid|child|young \S+)|back (?:in|when)"
            r"|survived|survivor|lost my \S+ to|(?:\d+|two|three|five|ten|many) years")
# Telling about an event, or asking what to say about it: only the plainest urgency outweighs
# these ("we had a shooting near city hall this morning, what should the mayor say").
_TOLD = _rx(r"(?:we|our city|our town|the city) (?:just )?had|press (?:conference|release|statement)|(?:a|our|my) statement"
            r"|remarks|talking points|speech|what should (?:the mayor|i|we) say|in the news|on the news|news today"
            r"|(?:write|draft|prepare) (?:a|an|the|my|our|some)"
            r"|every (?:night|day|weekend|week|summer|year)|all the time|constantly|keep (?:hearing|seeing|getting)"
            r"|what (?:can|should|could) (?:the city|we|our city|cities|i) do|how do we (?:stop|prevent|support|help|respond)"
            r"|last (?:year|month|week|summer|spring|fall|winter|decade)|years ago|(?:in|since) (?:19|20)\d\d|anniversary"
            r"|funeral|memorial service"
            # an exercise ("ran an active shooter drill this morning"; "not a drill" says now)
            r"|(?<!not a )drills?|tabletop|(?:training|tabletop) exercise|simulation"
            # an event that is over, and the city's response to it
            r"|over the weekend|this past (?:weekend|week)|(?:mon|tues|wednes|thurs|fri|satur|sun)day (?:night )?(?:shooting|shootings|attack)"
            r"|(?:yesterday|last night) (?:shooting|attack)|victims of|moment of silence|vigil|candlelight"
            r"|(?:reporter|reporters|journalist|media|press) (?:\S+ ){0,3}?(?:is |are |s )?asking|media (?:inquiry|inquiries|request)"
            r"|asking for (?:our|a|the mayor s|the city s) (?:response|comment|statement)")
_QUESTION_WORDS = 30
_TELEGRAPHIC = 6  # words: a message this short that names a danger and no policy reports it
_OPENING = _Lazy(
    r"(?:how (?:do|does|did|can|could|should|would|often|is|are|to|many|much)|what (?:is|are|does|did|should|was|were|the|a|an|kind|kinds|type|types|role)"
    r"|what do(?! (?:i|we)(?!\S))|when (?:was|were|did|is|are|will|does|do)|where (?:was|were|did|is|are)|who (?:was|were|shot|killed)|how (?:was|were)|which|why (?:do|does|did|is|are)|where (?:can|do) (?:i|we)|who (?:is|are|were|leads|runs|offers|should)"
    r"|should (?:our|the|we|cities|a city)|can(?! (?:i|you(?! (?:explain|summarize|pull|find|give))|u|someone|somebody|anyone|anybody|we get help)(?!\S))|do(?! (?:i|you)(?!\S))|does(?! (?:anyone|anybody|someone|somebody|you|u) know what (?:to do|i (?:should |can )?do|we (?:should |can )?do))|did(?! you(?!\S))|what happened|what happens|is it true)(?!\S)")


# Every word the grammar spells out: never "corrected".
_KNOWN = frozenset().union(
    *(p.words for r in _RULES + _TOPIC_RULES for p in r.parts),
    *(_spelled(rx.pattern) for rx in (_FRAME, _URGENT, _NOW, _PAST, _TOLD, _OPENING)))
# A typo is corrected to a danger or framing word, or to any word of the grammar's own
# (flasshed, tyylenol, railling), by first letter.
_BY_LETTER: dict[str, tuple[str, ...]] = {}
for _w in sorted(set(_TARGETS) | {w for w in _KNOWN if len(w) >= 4 and w.isalpha()}):
    _BY_LETTER[_w[0]] = _BY_LETTER.get(_w[0], ()) + (_w,)


def _analyse(cleaned: str):
    """(" " + the normalised words, the words, where each came from, the set of them, where
    each starts in the words without the leading space)."""
    words, origin = _normalise(cleaned)
    text = " " + " ".join(words)
    present = set(words)
    starts = []  # char offset -> word index
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    return text, words, origin, present, starts


def _word_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _span(m, starts: list[int]) -> tuple[int, int]:
    """The first and last word of a match in the spaced text: it starts at the space before
    its first word, which is where that word starts without the leading space."""
    return _word_at(starts, m.start()), _word_at(starts, max(m.start(), m.end() - 2))


def _spans(rx: _Lazy, text: str, starts: list[int]) -> list[tuple[int, int]]:
    return [_span(m, starts) for m in rx.finditer(text)]


def _near(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= b + _WINDOW and e >= a - _WINDOW for s, e in spans)


def _asked_as_question(text: str, words: list[str]) -> bool:
    """A short message that opens with a question about how things are done ("how should
    police respond to…", "what is the…") is framed as a whole, however far its words."""
    return len(words) <= _QUESTION_WORDS and _OPENING.match(text, 1) is not None


def _crisis_matches(text: str, words, present: set[str], starts, keyed: bool = True, first: bool = False):
    """(rule, first word, last word, framed) for every crisis rule that fires. `keyed`
    False tries every rule (the tests check that the keys never hide a match); `first`
    stops at the first unframed one (enough to say crisis)."""
    found = []
    spans: dict[str, list] = {}  # the framing expressions, each found once if needed

    def near(name: str, rx: _Lazy, a: int, b: int) -> bool:
        if name not in spans:
            spans[name] = _spans(rx, text, starts)
        return _near(spans[name], a, b)

    if keyed:
        tried = sorted({i for w in present for i in _INDEX.get(w, ())})
        at: dict[str, list[int]] = {}  # word -> where it is
        for i, w in enumerate(words):
            at.setdefault(w, []).append(i)
    else:
        tried = [(r, p) for r, rule in enumerate(_RULES) for p in range(len(rule.parts))]
    for r, p in tried:
        rule = _RULES[r]
        part = rule.parts[p]
        if keyed and part.anchored:  # tried only where one of its first words is
            match = part.pattern.compiled.match
            matches = [m for w in part.keys & present for i in at[w] if (m := match(text, starts[i])) is not None]
        else:
            matches = part.pattern.finditer(text)
        for m in matches:
            a, b = _span(m, starts)
            # A strong signal told of one's past ("when i was 16 i tried to kill myself") is
            # weighed like a weak one: framed unless something says now.
            if rule.strength in (NOW, NOW_ONLY):  # a danger named alone: only with something
                # saying now, or (events) in a few words with nothing framing them ("shooter downstairs")
                now = near("urgent", _URGENT, a, b) or (rule.strength == NOW and len(words) <= _TELEGRAPHIC)
                framed = (not now or near("frame", _FRAME, a, b) or near("told", _TOLD, a, b)
                          or _asked_as_question(text, words))
            else:
                weak = rule.strength == WEAK or near("past", _PAST, a, b)
                if not weak:
                    framed = False
                elif _asked_as_question(text, words) or near("told", _TOLD, a, b):
                    framed = not near("now", _NOW, a, b)  # yields only to the plainest urgency
                else:
                    framed = near("frame", _FRAME, a, b) and not near("urgent", _URGENT, a, b)
            found.append((rule, a, b, framed))
            if first and not framed:
                return found
    return found


@lru_cache(maxsize=1)
def _read(cleaned: str):
    """The analysis and the crisis matches of the last message read: the engine asks for its
    level and then, for a crisis, for the rest of it, and a long message is slow to read twice."""
    text, words, origin, present, starts = _analyse(cleaned)
    return origin, tuple(_crisis_matches(text, words, present, starts)), present, text


def assess(cleaned: str) -> Assessment:
    """The safety level of a cleaned message (lower-case words separated by single spaces)."""
    if not cleaned:
        return Assessment(None)
    _, found, present, text = _read(cleaned)
    crisis = [r.name for r, _, _, framed in found if not framed]
    if crisis:
        return Assessment(CRISIS, tuple(dict.fromkeys(crisis)))
    topic = [f"{r.name} (as policy)" for r, _, _, _ in found]
    for rule in _TOPIC_RULES:
        if rule.keys & present and rule.pattern.search(text):
            topic.append(rule.name)
    return Assessment(TOPIC, tuple(dict.fromkeys(topic))) if topic else Assessment(None)


def without_crisis(cleaned: str) -> str:
    """The message with the crisis's own words taken out, so the rest of it can still be
    answered after the safety text."""
    if not cleaned:
        return cleaned
    origin, found, _, _ = _read(cleaned)
    drop: set[int] = set()
    for _, a, b, framed in found:
        if not framed:
            drop.update(origin[a : b + 1])
    return " ".join(w for i, w in enumerate(cleaned.split()) if i not in drop)

