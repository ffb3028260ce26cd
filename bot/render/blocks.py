"""An Answer as Slack Block Kit, with a plain-text fallback beside it.

Limits kept: 3,000 characters a section, 50 blocks a message, 25 elements an actions
block, 75 characters a button label, 2,000 a button value.
"""

from __future__ import annotations

import json

from bot.answer import Answer, Choice
from bot.slack.values import BadValue, ButtonValue

SECTION_MAX, BLOCKS_MAX, LABEL_MAX, VALUE_MAX = 3000, 50, 75, 2000
SOURCE_NAME = "Reducing Gun Violence, U.S. Conference of Mayors"
SOURCE_URL = "https://www.usmayors.org/issues/gun-violence/"  # the page; other sources are named as such

# action_ids: Bolt listeners match these prefixes (bot/slack/listeners/actions.py).
# PICK is a follow-up or a topic; CHOOSE is a "Did you mean" choice, which curators learn from.
PICK, CHOOSE, NONE_OF_THESE, FEEDBACK, SHARE, HANDOFF = "pick", "choose", "none_of_these", "feedback", "share", "handoff"
ASK = "ask"  # a follow-up question about a resource ("Who founded it?"), asked as if typed


def button_value(**fields) -> str:
    """A button's value in the one protocol the listeners read (bot/slack/values.py): the
    question cut to fit before it is encoded, so the value always fits and parses. A field
    that is not of its form is left off rather than sent to be refused."""
    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        return ButtonValue(**fields).encode(VALUE_MAX)
    except (BadValue, TypeError):
        kept = {k: v for k, v in fields.items() if k in ("i", "t", "why")}
        return ButtonValue(**kept).encode(VALUE_MAX)


def read_value(value: str | None) -> dict:
    """The fields of a button's value; a plain string (older messages) is an intent id."""
    if value and value.startswith("{"):
        try:
            data = json.loads(value)
            return data if isinstance(data, dict) else {}
        except ValueError:
            return {}
    return {"i": value} if value else {}


def escape(text: str) -> str:
    """User text repeated in a message: no @channel, no disguised <link|label>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, SECTION_MAX)}}


def _sections(text: str, limit: int = SECTION_MAX) -> list[dict]:
    """A text longer than one section allows, in several, each ended at a paragraph, a line
    or, failing those, a word: never cut in the middle of a word."""
    chunks: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        end = max(window.rfind("\n\n"), window.rfind("\n"))
        if end < limit // 2:
            end = window.rfind(" ")
        if end <= 0:
            end = limit
        chunks.append(text[:end].rstrip())
        text = text[end:].lstrip()
    chunks.append(text)
    return [_section(chunk) for chunk in chunks if chunk]


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {"type": "button", "text": {"type": "plain_text", "text": _cut(label, LABEL_MAX), "emoji": True},
              "action_id": action_id, "value": _cut(value, VALUE_MAX)}
    if style:
        button["style"] = style
    return button


def _picks(choices: tuple[Choice, ...], kind: str = PICK, context: dict | None = None) -> list[dict]:
    return [button(c.title, f"{ASK}:{n}", button_value(i=c.intent, t=c.ask)) if c.ask else
            button(c.title, f"{kind}:{n}", button_value(i=c.intent, **(context or {}))) for n, c in enumerate(choices)]


def plain_text(answer: Answer) -> str:
    """The notification and screen-reader text: title, answer, and each link."""
    lines = [f"{answer.title}: {answer.text}"]
    lines += [f"{r.name}: {r.url}" for r in answer.resources]
    lines += [f"- {c.title}" for c in answer.suggestions]
    return _cut("\n".join(lines), 3000)


def render(answer: Answer, shareable: bool = False, shared_by: str | None = None,
           context: dict | None = None, handoff: bool = False) -> dict:
    """Keyword arguments for chat.postMessage / respond: text, blocks, no unfurling.
    `context` (question id q, text t, channel c, message ts) rides on the buttons that
    need it; `handoff` offers "Ask a person" on a fallback."""
    context = context or {}
    blocks: list[dict] = _sections(f"*{answer.title}*\n{answer.text}")
    for r in answer.resources[:10]:
        note = f"\n_{r.url_note}_" if r.url_note else ""
        blocks.append(_section(f"*<{r.url}|{r.name}>*\n{r.summary}{note}"))
    if answer.resources:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"Source: <{answer.source}|{SOURCE_NAME if answer.source == SOURCE_URL else 'the linked document'}>"}]})
    if shared_by:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"Shared by <@{shared_by}> · asked: “{escape(_cut(answer.question, 300))}”"}]})
    elements: list[dict] = []
    if answer.outcome == "clarify":
        elements += _picks(answer.suggestions, CHOOSE, {"q": context.get("q"), "t": context.get("t")})
        elements.append(button("None of these", NONE_OF_THESE, button_value(**context)))
    elif answer.outcome == "fallback":
        elements += _picks(answer.suggestions)
        if handoff:
            elements.append(button("Ask a person", HANDOFF, button_value(why="fallback", **context)))
    else:
        elements += _picks(answer.follow_ups[:5])
    if answer.outcome in ("answer", "safety") and answer.intent:
        vote = button_value(i=answer.intent, **context)
        elements += [button("👍", f"{FEEDBACK}:up", vote), button("👎", f"{FEEDBACK}:down", vote)]
    if shareable:
        intent = answer.intent if answer.outcome == "answer" else None
        elements.append(button("Share in channel", SHARE, button_value(i=intent, t=answer.question), "primary"))
    if elements:
        blocks.append({"type": "actions", "elements": elements[:25]})
    return {"text": plain_text(answer), "blocks": blocks[:BLOCKS_MAX], "unfurl_links": False, "unfurl_media": False}
