"""The App Home tab: a browsable index of what the assistant covers."""

from __future__ import annotations

from bot.knowledge import Knowledge, Resource

GROUPS = (("gun_safety", "Gun safety organizations"), ("law_enforcement", "Law enforcement organizations"),
          ("federal", "Federal Government Action"))


def _note(resource: Resource) -> str:
    """Where a link is not the item's own (the series page for Parts 1 and 3) or is material
    we chose rather than the page's, the answer's note says so here too."""
    return f"\n_{resource.url_note}_" if resource.url_note else ""


def home_view(knowledge: Knowledge) -> dict:
    res = knowledge.resources
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "The mayors' assistant"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "Answers on reducing gun violence from the U.S. Conference of Mayors' page "
            f"<{res['source_page'].url}|Reducing Gun Violence>: community violence intervention (CVI), "
            "the federal CVI webinars, gun safety and law enforcement organizations, their reports, "
            "federal action and responding to mass shootings.") if "source_page" in res else
            "Answers on reducing gun violence from a curated knowledge base."}},
        {"type": "divider"},
    ]
    webinars = [r for r in res.values() if r.kind == "webinar"]
    if webinars:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "CVI Webinar Series"}})
        blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": f"*<{r.url}|{r.name}>*\n{r.summary}{_note(r)}"}}
                   for r in webinars]
    for group, heading in GROUPS:
        members = [r for r in res.values() if r.group == group]
        if members:
            blocks.append({"type": "header", "text": {"type": "plain_text", "text": heading}})
            lines = "\n".join(f"• <{r.url}|{r.name}>{_note(r)}" for r in members)
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": lines}})
    blocks += [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "How to ask"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "• Send me a direct message (the Messages tab).\n"
            "• @mention me in a channel: I answer in a thread.\n"
            "• `/cvi [topic]`: the CVI webinars, e.g. `/cvi place-based`.\n"
            "• `/gunviolence <question>`: anything else, e.g. `/gunviolence who founded MAIG?`\n"
            "In an emergency call 911; for a crisis call or text 988.")}},
    ]
    return {"type": "home", "blocks": blocks[:100]}
