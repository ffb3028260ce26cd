"""The curated knowledge: load every knowledge/*.yaml, check it, and report problems as
file:line. Loading is all-or-nothing: one problem and nothing is returned, so the
assistant never runs half-loaded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.text import clean, tokens

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "knowledge"

KINDS = ("organization", "webinar", "report", "federal_action", "resource")
# The kinds of fact a resource can carry. Each fact quotes the page sentence it comes from.
FACT_KINDS = (
    "what", "founded", "founders", "named_for", "led_by", "part_of", "members", "focus",
    "methods", "goal", "principle", "published", "compares", "partners", "announced",
    "topics", "organizers", "presenters", "materials", "statistics", "history", "since",
)
# The source page the facts quote, kept beside the knowledge so `check` can hold every
# quote to it; a new copy of the page shows at once which facts no longer stand.
PAGE_DIR = "source"
MIN_EXAMPLES, MAX_EXAMPLES = 5, 10
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Fact:
    kind: str  # one of FACT_KINDS
    says: str  # one sentence that answers a question for this fact, faithful to the quote
    quote: str  # the page's own words, verbatim
    value: tuple[str, ...] = ()  # years, names, topics: what filters and comparisons read
    year: int | None = None  # the value when it is a year ("founded: 1974")
    line: int = 0  # where the fact stands in its file

    @property
    def text(self) -> str:
        return f"{self.says} {self.quote} {' '.join(self.value)}"


@dataclass(frozen=True)
class Resource:
    id: str
    kind: str
    name: str
    summary: str
    url: str
    source: str
    group: str | None = None
    part_of: str | None = None
    url_note: str | None = None
    facts: tuple[Fact, ...] = ()
    aliases: tuple[str, ...] = ()  # other names people use: acronyms, "part 2", "Jim Brady"

    def facts_of(self, kind: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.kind == kind)


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    examples: tuple[str, ...]
    answer: str
    resources: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    topic: bool = False  # offered when we have no answer
    smalltalk: bool = False  # matched on the whole message, not its content words
    file: str = ""
    example_lines: tuple[int, ...] = ()


@dataclass
class Knowledge:
    resources: dict[str, Resource] = field(default_factory=dict)
    intents: dict[str, Intent] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    page: str = ""  # the source page's text, white space folded
    page_dir: str = ""  # where it is, for messages

    def summary(self) -> str:
        examples = sum(len(i.examples) for i in self.intents.values())
        return (
            f"{len(self.intents)} intents, {examples} example questions, "
            f"{len(self.resources)} resources, {len(self.synonyms)} synonym groups "
            f"from {len(self.files)} files"
        )


# --- YAML that remembers where each key and item stood ----------------------------------


class _Map(dict):
    line: int = 0
    key_lines: dict


class _Seq(list):
    line: int = 0
    item_lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_map(loader, node):
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key '{key}' (first at line {result.key_lines[key]}); keep one",
                problem_mark=key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader, node):
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


# --- Field schemas ----------------------------------------------------------------------

_FILE_KEYS = {"version", "resources", "intents", "synonyms"}
_RESOURCE_FIELDS = {
    "id": True, "kind": True, "name": True, "summary": True, "url": True, "source": True,
    "group": False, "part_of": False, "url_note": False, "facts": False, "aliases": False,
}
_FACT_FIELDS = {"kind": True, "says": True, "quote": True, "value": False}
_INTENT_FIELDS = {
    "id": True, "title": True, "examples": True, "answer": True, "resources": False,
    "follow_ups": False, "topic": False, "smalltalk": False,
}


class _Reader:
    """Collects problems while turning one file's YAML into Resources and Intents."""

    def __init__(self, path: Path):
        relative = os.path.relpath(path)
        self.name = str(path) if relative.startswith("..") else relative
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def read(self) -> _Map | None:
        try:
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=_Loader)
        except UnicodeDecodeError as exc:
            self.problem(1, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")
            return None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = exc.problem or "invalid YAML"
            if exc.context and "duplicate" not in what:
                what = f"{exc.context}, {what}"
            self.problem(mark.line + 1 if mark else 1, f"bad YAML: {what}; check indentation and quoting")
            return None
        if data is None:
            self.problem(1, "the file is empty; add `resources:`, `intents:` or `synonyms:`, or delete it")
            return None
        if not isinstance(data, _Map):
            self.problem(1, "expected a mapping with `resources:`, `intents:` or `synonyms:` at the top")
            return None
        for key in data:
            if key not in _FILE_KEYS:
                self.problem(data.key_lines[key], f"unknown top-level key '{key}'; use one of {sorted(_FILE_KEYS)}")
        if "version" in data and data["version"] != 1:
            self.problem(data.key_lines["version"], f"version {data['version']!r} is not supported; use `version: 1`")
        return data

    def entries(self, data: _Map, key: str, schema: dict[str, bool]) -> list[tuple[_Map, bool]]:
        """Each entry of the list, and whether its fields are all known and present."""
        items = data.get(key)
        if items is None:
            return []
        if not isinstance(items, _Seq):
            self.problem(data.key_lines[key], f"`{key}` must be a list of entries starting with `- id:`")
            return []
        good = []
        for item, line in zip(items, items.item_lines, strict=False):
            if not isinstance(item, _Map):
                self.problem(line, f"each entry of `{key}` must be a mapping starting with `- id:`")
                continue
            ok = True
            for name in item:
                if name not in schema:
                    known = ", ".join(schema)
                    self.problem(item.key_lines[name], f"unknown field '{name}'; known fields: {known}")
                    ok = False
            for name, required in schema.items():
                if required and name not in item:
                    self.problem(item.line, f"missing field '{name}' in {key[:-1]} '{item.get('id', '?')}'; add `{name}:`")
                    ok = False
            good.append((item, ok))
        return good

    def text(self, item: _Map, name: str) -> str | None:
        value = item.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(item.key_lines[name], f"'{name}' must be non-empty text")
            return None
        return value.strip()

    def id_list(self, item: _Map, name: str, what: str = "ids, like [maig, brady]") -> tuple[tuple[str, int], ...]:
        value = item.get(name)
        if value is None:
            return ()
        if not isinstance(value, _Seq) or not all(isinstance(v, str) for v in value):
            self.problem(item.key_lines[name], f"'{name}' must be a list of {what}")
            return ()
        return tuple(zip(value, value.item_lines, strict=False))

    def flag(self, item: _Map, name: str) -> bool:
        value = item.get(name, False)
        if not isinstance(value, bool):
            self.problem(item.key_lines[name], f"'{name}' must be true or false")
            return False
        return value


def _check_url(reader: _Reader, item: _Map, name: str) -> str | None:
    url = reader.text(item, name)
    if url is not None and not re.match(r"^https://[^\s/]+\.[^\s]+$", url):
        reader.problem(item.key_lines[name], f"'{name}' must be an https:// address, got {url!r}")
        return None
    return url


def load(root: Path | str = DEFAULT_DIR) -> Knowledge:
    """Load and check the knowledge under root; raise KnowledgeError listing every problem."""
    root = Path(root)
    files = sorted(p for p in root.rglob("*.yaml") if p.is_file()) if root.is_dir() else []
    if not files:
        raise KnowledgeError([Problem(str(root), 0, "no knowledge files (*.yaml) found here; check the path")])
    problems: list[Problem] = []
    knowledge = Knowledge(files=[str(f) for f in files])
    pages = sorted((root / PAGE_DIR).glob("*.txt")) if (root / PAGE_DIR).is_dir() else []
    knowledge.page = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in pages)
    knowledge.page_dir = os.path.relpath(root / PAGE_DIR)
    # (kind, id) -> (file, line): an intent may share its id with the resource it is about.
    where: dict[tuple[str, str], tuple[str, int]] = {}
    refs: list[tuple[_Reader, int, str, str, str]] = []  # (reader, line, owner, field, id)

    def claim(reader: _Reader, kind: str, item_id: object, line: int) -> bool:
        if not isinstance(item_id, str) or not _ID.match(item_id):
            reader.problem(line, f"id {item_id!r} must be lower_snake_case (letters, digits, _)")
            return False
        if (kind, item_id) in where:
            first_file, first_line = where[kind, item_id]
            reader.problem(line, f"duplicate {kind} id '{item_id}' (first defined at {first_file}:{first_line}); rename one")
            return False
        where[kind, item_id] = (reader.name, line)
        return True

    unreadable: list[Problem] = []  # files that do not parse: reported alone, before their follow-on problems
    for path in files:
        reader = _Reader(path)
        data = reader.read()
        if data is None:
            unreadable.extend(reader.problems)
        else:
            for kind, schema, read in (("resource", _RESOURCE_FIELDS, _read_resource), ("intent", _INTENT_FIELDS, _read_intent)):
                for item, ok in reader.entries(data, f"{kind}s", schema):
                    if ok:
                        read(reader, item, knowledge, claim, refs)
                    elif "id" in item:  # declared, though broken: references to it are fine
                        claim(reader, kind, item["id"], item.key_lines["id"])
            _read_synonyms(reader, data, knowledge)
        problems.extend(reader.problems)
    if unreadable:
        raise KnowledgeError(unreadable)

    for reader, line, owner, name, ref in refs:
        # Against every declared id, so one broken entry is reported once, not again by
        # each reference to it.
        kind = "resource" if name in ("resources", "part_of") else "intent"
        if (kind, ref) not in where:
            problems.append(Problem(reader.name, line, f"'{owner}' {name} refers to unknown {kind} id '{ref}'; define it or fix the spelling"))
    if not knowledge.intents and not problems:
        problems.append(Problem(str(root), 0, "no intents defined; add an `intents:` list"))
    if problems:
        raise KnowledgeError(problems)
    return knowledge


def _read_resource(reader, item, knowledge, claim, refs) -> None:
    if not claim(reader, "resource", item["id"], item.key_lines["id"]):
        return
    kind = reader.text(item, "kind")
    if kind is not None and kind not in KINDS:
        reader.problem(item.key_lines["kind"], f"kind '{kind}' is unknown; use one of {', '.join(KINDS)}")
        kind = None
    fields = {n: reader.text(item, n) for n in ("name", "summary", "group", "part_of", "url_note")}
    url, source = _check_url(reader, item, "url"), _check_url(reader, item, "source")
    if kind is None or url is None or source is None or fields["name"] is None or fields["summary"] is None:
        return
    if fields["part_of"]:
        refs.append((reader, item.key_lines["part_of"], item["id"], "part_of", fields["part_of"]))
    facts = _read_facts(reader, item, knowledge.page, knowledge.page_dir)
    aliases = tuple(a for a, _ in reader.id_list(item, "aliases", "phrases, like [maig, everytown mayors]"))
    knowledge.resources[item["id"]] = Resource(id=item["id"], kind=kind, url=url, source=source, facts=facts,
                                               aliases=aliases, **fields)


def _read_facts(reader: _Reader, item: _Map, page: str, page_dir: str) -> tuple[Fact, ...]:
    """The resource's facts, each quote held to the page word for word (white space folded:
    the page's copy has double spaces and line breaks that carry nothing)."""
    entries = reader.entries(item, "facts", _FACT_FIELDS)
    facts = []
    for fact, ok in entries:
        if not ok:
            continue
        kind, says, quote = reader.text(fact, "kind"), reader.text(fact, "says"), reader.text(fact, "quote")
        if kind is not None and kind not in FACT_KINDS:
            reader.problem(fact.key_lines["kind"], f"fact kind '{kind}' is unknown; use one of {', '.join(FACT_KINDS)}")
            continue
        if kind is None or says is None or quote is None:
            continue
        if not page:
            reader.problem(fact.key_lines["quote"], f"no source page to check this quote against; put the page's text in {page_dir}/*.txt")
            continue
        if " ".join(quote.split()) not in page:
            reader.problem(fact.key_lines["quote"], (
                f"quote {_clip(quote)!r} is not word for word in the source page; copy the sentence from "
                f"{page_dir}/ exactly, or drop the fact if the page no longer says it"))
            continue
        raw = fact.get("value")
        values = raw if isinstance(raw, list) else [] if raw is None else [raw]
        if not all(isinstance(v, (str, int)) for v in values):
            reader.problem(fact.key_lines["value"], "'value' must be a year, a word or a list of them, like [education, litigation]")
            continue
        years = [v for v in values if isinstance(v, int) and 1800 <= v <= 2100]
        facts.append(Fact(kind, says, " ".join(quote.split()), tuple(str(v) for v in values),
                          years[0] if len(years) == 1 else None, fact.line))
    return tuple(facts)


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_intent(reader, item, knowledge, claim, refs) -> None:
    intent_id = item["id"]
    if not claim(reader, "intent", intent_id, item.key_lines["id"]):
        return
    title, answer = reader.text(item, "title"), reader.text(item, "answer")
    examples = item["examples"]
    if not isinstance(examples, _Seq) or not all(isinstance(e, str) and e.strip() for e in examples):
        reader.problem(item.key_lines["examples"], "'examples' must be a list of questions")
        return
    if not MIN_EXAMPLES <= len(examples) <= MAX_EXAMPLES:
        reader.problem(
            item.key_lines["examples"],
            f"intent '{intent_id}' has {len(examples)} examples; give {MIN_EXAMPLES} to {MAX_EXAMPLES} deliberately different ones",
        )
    resources, follow_ups = reader.id_list(item, "resources"), reader.id_list(item, "follow_ups")
    smalltalk = reader.flag(item, "smalltalk")
    if not resources and not smalltalk:
        reader.problem(item.line, f"intent '{intent_id}' cites no resources; add `resources: [...]` so the answer says where it came from")
    for ref, ref_line in resources:
        refs.append((reader, ref_line, intent_id, "resources", ref))
    for ref, ref_line in follow_ups:
        refs.append((reader, ref_line, intent_id, "follow_ups", ref))
    if title is None or answer is None:
        return
    knowledge.intents[intent_id] = Intent(
        id=intent_id,
        title=title,
        examples=tuple(e.strip() for e in examples),
        answer=" ".join(answer.split()),
        resources=tuple(r for r, _ in resources),
        follow_ups=tuple(f for f, _ in follow_ups),
        topic=reader.flag(item, "topic"),
        smalltalk=smalltalk,
        file=reader.name,
        example_lines=tuple(examples.item_lines),
    )


def _read_synonyms(reader: _Reader, data: _Map, knowledge: Knowledge) -> None:
    table = data.get("synonyms")
    if table is None:
        return
    if not isinstance(table, _Map):
        reader.problem(data.key_lines["synonyms"], "`synonyms` must map a term to a list of phrases, like `cvi: [community violence intervention]`")
        return
    for term, variants in table.items():
        line = table.key_lines[term]
        if not isinstance(term, str) or not isinstance(variants, _Seq) or not all(isinstance(v, str) for v in variants):
            reader.problem(line, f"synonym '{term}' must be a list of phrases, like `{term}: [phrase one, phrase two]`")
            continue
        if term in knowledge.synonyms:
            reader.problem(line, f"synonym term '{term}' is defined twice; merge the lists")
            continue
        for phrase, phrase_line in zip([term, *variants], [line, *variants.item_lines], strict=False):
            words = clean(phrase).split()
            if len(tokens(" ".join(words))) != len(words) or not words:
                reader.problem(phrase_line, f"synonym phrase '{phrase}' loses words when cleaned (single letters and punctuation are dropped); spell it out")
        knowledge.synonyms[term] = list(variants)
