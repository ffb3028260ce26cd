"""`python -m bot check`: file:line, what is wrong and how to fix it; exit 1; nothing loaded."""

import pytest

from bot.knowledge import KnowledgeError, load
from conftest import FIXTURES, run_bot

BROKEN = FIXTURES / "broken"


def test_shipped_knowledge_passes_with_a_count():
    result = run_bot("check")
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
def test_each_broken_fixture_names_file_line_and_fix(case, line, words):
    result = run_bot("--knowledge", str(BROKEN / case), "check")
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


def test_assistant_refuses_to_start_on_broken_knowledge():
    for command in (["ask", "what is brady"], ["chat"]):
        result = run_bot("--knowledge", str(BROKEN / "missing_field"), *command, stdin="brady\n")
        assert result.returncode == 1
        assert "nothing was loaded" in result.stderr
        assert "kb.yaml:9:" in result.stderr
        assert "Brady is named" not in result.stdout


def test_missing_folder_is_a_clear_error():
    result = run_bot("--knowledge", "no/such/folder", "check")
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


def test_one_broken_entry_is_reported_once_not_again_by_each_reference():
    # The resource 'atf' lacks its url; the intent citing it is not blamed as well.
    result = run_bot("--knowledge", str(BROKEN / "missing_field"), "check")
    reported = [l for l in result.stderr.splitlines() if "kb.yaml:" in l]
    assert len(reported) == 1, reported
