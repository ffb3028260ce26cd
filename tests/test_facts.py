"""Facts as knowledge: every fact quotes the page word for word (check holds it to the page),
and answers lead with the fact asked for, compare resources from their facts, and say
plainly what the page doesn't say."""

import json
import shutil

import pytest

from conftest import FIXTURES, ROOT, run_bot


def test_check_names_the_file_and_line_of_a_quote_that_is_not_on_the_page():
    result = run_bot("--knowledge", str(FIXTURES / "broken" / "quote_not_verbatim"), "check")
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "tests/fixtures/broken/quote_not_verbatim/kb.yaml:15: quote 'Brady emphasizes education, litigation and lobbying'" in out
    assert "not word for word in the source page" in out
    assert "kb.yaml:12" not in out  # the verbatim quote passes


def test_a_new_copy_of_the_page_shows_at_once_which_facts_changed(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    page = knowledge / "source" / "reducing-gun-violence.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Founded in 1974", "Founded in 1975"), encoding="utf-8")
    result = run_bot("--knowledge", str(knowledge), "check")
    assert result.returncode == 1
    changed = [l for l in (result.stdout + result.stderr).splitlines() if "not word for word" in l]
    assert len(changed) == 1 and "resources.yaml:" in changed[0] and "Founded in 1974" in changed[0]


def test_every_shipped_quote_stands_in_the_page(engine):
    page = engine.knowledge.page
    facts = [f for r in engine.knowledge.resources.values() for f in r.facts]
    assert len(facts) >= 50
    assert all(f.quote in page for f in facts)


@pytest.mark.parametrize("question, lead", [
    ("When was CSGV founded?", "The Coalition to Stop Gun Violence was founded in 1974"),
    ("who leads giffords", "led by former Congresswoman Gabrielle Giffords (as of 2021)"),
    ("Who is Brady named after?", "Brady is named for Jim and Sarah Brady"),
    ("What's PERF's latest report?", "As of 2021, PERF's most recent report is Reducing Gun Violence"),
    ("who founded MAIG", "founded in 2006 by then-New York City Mayor Michael Bloomberg"),
])
def test_a_question_for_one_fact_leads_with_it(engine, question, lead):
    answer = engine.ask(question)
    assert answer.outcome == "answer"
    first = answer.text.split("\n\n")[0]
    assert lead in first
    assert answer.fact is not None and answer.fact.quote in engine.knowledge.page


@pytest.mark.parametrize("question, expected", [
    ("Which group was started by two big-city mayors?", "maig"),
    ("Which org says gun violence should be rare and abnormal?", "csgv"),
    ("which gun safety group goes the litigation route?", "brady"),
    ("Which organization is led by a former congresswoman?", "giffords"),
    ("group of police execs from the biggest cities in the US and Canada", "mcca"),
    ("our north side has a ton of abandoned buildings. any resource on how dealing with them affects violence?", "cvi_webinar_part_2"),
    ("quick q: do you have anything on hosptial-based interventions?", "cvi_webinar_part_1"),
])
def test_a_resource_described_by_a_fact_of_the_page_is_found(engine, question, expected):
    answer = engine.ask(question)
    assert answer.outcome == "answer"
    assert [r.id for r in answer.resources][0] == expected


@pytest.mark.parametrize("question, expected", [
    ("compare brady and giffords", {"brady", "giffords"}),
    ("what's the difference between MCCA and PERF", {"mcca", "perf"}),
    ("which orgs were founded in the 1970s?", {"csgv", "perf"}),
    ("which orgs were founded before 1980", {"csgv", "perf"}),
    ("which webinar covers violence interrupters and which green spaces", {"cvi_webinar_part_1", "cvi_webinar_part_2"}),
])
def test_questions_about_several_resources_list_exactly_those(engine, question, expected):
    answer = engine.ask(question)
    assert answer.outcome == "answer"
    assert {r.id for r in answer.resources} == expected


def test_a_comparison_gives_each_resource_the_fact_that_fits():
    result = run_bot("ask", "--json", "which orgs were founded before 1980")
    answer = json.loads(result.stdout)
    assert [r["id"] for r in answer["resources"]] == ["csgv", "perf"]  # oldest first
    assert "1974" in answer["text"] and "1976" in answer["text"]


@pytest.mark.parametrize("question, resource", [
    ("What's Brady's phone number?", "brady"),
    ("who presents in Part 3", "cvi_webinar_part_3"),
    ("How many dollars did the Biden-Harris administration commit to CVI in April 2021?", "white_house"),
    ("When is the next CVI webinar?", "cvi_webinar_series"),
    ("When was Jim Brady shot?", "brady"),
])
def test_a_gap_says_the_page_does_not_say_then_what_it_does(engine, question, resource):
    answer = engine.ask(question)
    assert answer.outcome == "answer" and answer.gap is not None
    assert resource in [r.id for r in answer.resources]
    assert "doesn't say" in answer.text or "does not name" in answer.text


@pytest.mark.parametrize("question", [
    "What are the concealed carry permit requirements in Texas?",
    "Tell me about the Violence Policy Center",
    "What does the International Association of Chiefs of Police recommend on gun violence?",
    "How many people died from gun violence in the US last year?",
])
def test_what_the_page_does_not_cover_still_falls_back(engine, question):
    assert engine.ask(question).outcome == "fallback"


def test_2021_is_not_passed_off_as_now(engine):
    answer = engine.ask("What is the president doing about gun violence now?")
    assert answer.outcome == "answer"
    assert "as of 2021" in answer.text.lower() or "in april 2021" in answer.text.lower()


def test_related_material_is_labelled_as_ours_not_the_pages(engine):
    doj = engine.ask("What has the Department of Justice done?")
    assert "leads the CVI Webinar Series" not in doj.text
    assert "related material" in doj.text
    reports = engine.answer_intent("list_reports")
    assert "our inference" in reports.text
