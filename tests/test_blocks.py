"""Every answer the knowledge can give renders inside Slack's Block Kit limits, with a
plain-text fallback and working links."""

import json

from bot.render.blocks import read_value, render
from bot.render.home import home_view


def check_message(message):
    assert message["text"] and len(message["text"]) <= 3000
    assert 1 <= len(message["blocks"]) <= 50
    for block in message["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)), "action_ids must be unique in a message"
            for e in block["elements"]:
                assert len(e["text"]["text"]) <= 75 and len(e["value"]) <= 2000


def test_every_intent_renders_within_limits(engine):
    long_question = "x" * 5000
    for intent in engine.knowledge.intents:
        answer = engine.answer_intent(intent, long_question)
        for message in (render(answer), render(answer, shareable=True, context={"q": 1, "t": long_question, "c": "C1", "ts": "1.2"}),
                        render(answer, shared_by="U1")):
            check_message(message)
            assert message["unfurl_links"] is False and message["unfurl_media"] is False
        for resource in answer.resources:
            assert f"<{resource.url}|{resource.name}>" in json.dumps(render(answer)["blocks"])


def test_clarify_and_fallback_render_within_limits(engine):
    for question in ("mayors", "when is trash pickup"):
        message = render(engine.ask(question), context={"q": 7, "t": question}, handoff=True)
        check_message(message)
        values = [read_value(e["value"]) for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert all(v.get("t") == question for v in values if "t" in v)


def test_home_view_within_limits(engine):
    view = home_view(engine.knowledge)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    for block in view["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_home_says_which_links_are_not_the_pages_own(engine):
    text = json.dumps(home_view(engine.knowledge))
    assert "No address of its own" in text  # Parts 1 and 3 link the series page, and say so
    assert "Related material we linked" in text  # the White House and DOJ links are ours, not the page's


def test_a_long_answer_is_shown_whole_in_several_sections_never_cut_mid_word(engine):
    from dataclasses import replace

    overview = engine.ask("give me an overview of the page")
    assert len(overview.title) < 80  # a title, not a list of every name (it was 417 characters)
    # twice as long as a section allows, lines and one unbroken paragraph
    long = replace(overview, text=overview.text + "\n\n" + " ".join(overview.text.split()))
    sections = [b["text"]["text"] for b in render(long)["blocks"] if b["type"] == "section"]
    lead = f"*{long.title}*\n{long.text}"
    shown = sections[: len(sections) - len(long.resources[:10])]  # the answer's own, before the resources'
    assert len(lead) > 3000 and len(shown) >= 2
    assert all(len(s) <= 3000 for s in sections)
    assert " ".join(shown).split() == lead.split()  # every word of it, none cut
