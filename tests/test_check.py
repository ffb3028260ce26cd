"""`python -m bot check`: file:line, what is wrong and how to fix it; exit 1; nothing loaded."""

import pytest

from bot.knowledge import KnowledgeError, load
from conftest import FIXTURES

BROKEN = FIXTURES / "broken"


def test_shipped_knowledge_passes_with_a_count(bot):
    result = bot("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")
    assert "intents" in result.stdout and "resources" in result.stdout


@pytest.mark.parametrize(
    "case, line, words",
    [
        ("bad_yaml", 29, ["bad YAML", "indentation"]),
        ("unknown_field", 18, ["unknown field 'anwser'", "known fields"]),
        ("missing_field", 9, ["missing field 'url'", "add `url:`"]),
        ("duplicate_id", 27, ["duplicate intent id 'brady'", "first defined at", "rename one"]),
        ("unknown_reference", 26, ["unknown intent id 'atff'", "fix the spelling"]),
        ("not_https", 7, ["https://", "http://www.bradyunited.org/"]),
        ("too_few_examples", 18, ["3 examples", "5 to 10"]),
        ("confused_example", 22, ["matches 'atf' better", "reword it"]),
    ],
)
def test_each_broken_fixture_names_file_line_and_fix(case, line, words, bot):
    result = bot("--knowledge", str(BROKEN / case), "check")
    assert result.returncode == 1
    location = f"tests/fixtures/broken/{case}/kb.yaml:{line}:"
    reported = [l for l in (result.stdout + result.stderr).splitlines() if location in l]
    assert reported, f"no {location} in:\n{result.stdout}{result.stderr}"
    for word in words:
        assert word in reported[0]


def test_a_broken_file_loads_nothing():
    with pytest.raises(KnowledgeError) as caught:
        load(BROKEN / "not_https")
    assert caught.value.problems[0].line == 7


def test_assistant_refuses_to_start_on_broken_knowledge(bot):
    for command in (["ask", "what is brady"], ["chat"]):
        result = bot("--knowledge", str(BROKEN / "missing_field"), *command, stdin="brady\n")
        assert result.returncode == 1
        assert "nothing was loaded" in result.stderr
        assert "kb.yaml:9:" in result.stderr
        assert "Brady is named" not in result.stdout


def test_missing_folder_is_a_clear_error(bot):
    result = bot("--knowledge", "no/such/folder", "check")
    assert result.returncode == 1
    assert "no knowledge files" in result.stderr


def test_duplicate_yaml_key_is_reported_with_its_line(tmp_path):
    text = (FIXTURES / "valid" / "kb.yaml").read_text().replace("    title: Brady\n", "    title: Brady\n    title: Brady again\n")
    (tmp_path / "kb.yaml").write_text(text)
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    assert caught.value.problems[0].line == 18
    assert "duplicate key 'title'" in caught.value.problems[0].message


def test_synonym_that_loses_words_is_refused(tmp_path):
    text = (FIXTURES / "valid" / "kb.yaml").read_text() + "  part 1: [part i]\n"
    (tmp_path / "kb.yaml").write_text(text)
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    assert "'part i' loses words" in str(caught.value)


def test_one_broken_entry_is_reported_once_not_again_by_each_reference(bot):
    # The resource 'atf' lacks its url; the intent citing it is not blamed as well.
    result = bot("--knowledge", str(BROKEN / "missing_field"), "check")
    reported = [l for l in result.stderr.splitlines() if "kb.yaml:" in l]
    assert len(reported) == 1, reported


@pytest.fixture
def knowledge_copy(tmp_path):
    import shutil

    from bot.knowledge import DEFAULT_DIR

    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, root)
    return root


def test_renaming_an_id_the_code_relies_on_fails_check_and_the_start(knowledge_copy, bot):
    for path in (knowledge_copy / "intents").glob("*.yaml"):  # renamed everywhere, consistently
        path.write_text(path.read_text().replace("cvi_series", "cvi_webinar_series"))
    result = bot("--knowledge", str(knowledge_copy), "check")
    assert result.returncode == 1
    assert "no intent 'cvi_series'" in result.stdout + result.stderr and "/cvi" in result.stdout + result.stderr
    for command in (["chat"], ["ask", "what is cvi"]):
        assert bot("--knowledge", str(knowledge_copy), *command, stdin="").returncode == 1


def test_a_yaml_syntax_error_is_reported_first_and_alone(knowledge_copy, bot):
    path = knowledge_copy / "intents" / "webinars.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lines[22] = lines[22].replace("- id: cvi_series", "- id: cvi_series\n   broken: [unclosed")
    path.write_text("".join(lines))
    result = bot("--knowledge", str(knowledge_copy), "check")
    assert result.returncode == 1
    reported = [line.strip() for line in result.stderr.splitlines() if ".yaml:" in line]
    assert len(reported) == 1 and "webinars.yaml:" in reported[0] and "bad YAML" in reported[0], reported


def test_every_problem_check_reports_stops_the_start(knowledge_copy, bot):
    # A problem only `check`'s deeper lint finds: an example that belongs to another intent.
    path = knowledge_copy / "intents" / "organizations.yaml"
    text = path.read_text()
    marker = "    examples:\n"
    at = text.index(marker, text.index("id: brady")) + len(marker)
    path.write_text(text[:at] + "      - what does the bureau of alcohol tobacco firearms and explosives do\n" + text[at:])
    check = bot("--knowledge", str(knowledge_copy), "check")
    assert check.returncode == 1 and "matches 'atf' better" in check.stdout
    chat = bot("--knowledge", str(knowledge_copy), "chat", stdin="what is brady\n")
    assert chat.returncode == 1 and "matches 'atf' better" in chat.stderr
    assert "Brady" not in chat.stdout
