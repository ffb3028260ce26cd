"""What the code relies on in the knowledge, declared once and checked by `check` and at
every start: renaming an intent the code names is a problem reported before anyone asks.
"""

from __future__ import annotations

from bot.knowledge import Knowledge, Problem

CVI_MENU = "cvi_series"  # `/cvi` with no topic
HELP = "help"  # `/gunviolence` with no question; a message with nothing to match (bot/engine.py)

REQUIRED_INTENTS = {
    CVI_MENU: "`/cvi` with no topic answers with it",
    HELP: "`/gunviolence` with no question, and a message with nothing to match, answer with it",
}


def problems(knowledge: Knowledge, root: str) -> list[Problem]:
    """Each way the knowledge under `root` breaks what the code relies on."""
    found = []
    for intent_id, why in REQUIRED_INTENTS.items():
        if intent_id not in knowledge.intents:
            found.append(Problem(root, 0, f"no intent '{intent_id}': {why}; define it (or keep the id when renaming)"))
    if not any(i.topic for i in knowledge.intents.values()):
        found.append(Problem(root, 0, "no intent has `topic: true`: a fallback offers the topics; mark a few"))
    if not any(r.kind == "webinar" for r in knowledge.resources.values()):
        found.append(Problem(root, 0, "no resource of kind `webinar`: `/cvi <topic>` answers only from intents citing one"))
    return found
