"""The command line as a person or another tool uses it: in process through bot.cli.main
(the `bot` fixture), and as a real `python -m bot` where the process itself is the point."""

import json

from conftest import run_bot


def test_ask_prints_readable_answer_with_links(bot):
    result = bot("ask", "who founded mayors against illegal guns?")
    assert result.returncode == 0
    assert "Mayors Against Illegal Guns" in result.stdout
    assert "Bloomberg" in result.stdout
    assert "https://mayors.everytown.org/who-we-are" in result.stdout


def test_ask_json_contract(bot):
    result = bot("ask", "--json", "what is the PERF report")
    data = json.loads(result.stdout)
    for key in ("question", "outcome", "matched", "intent", "score", "title", "text", "resources", "follow_ups", "suggestions"):
        assert key in data
    assert data["outcome"] == "answer" and data["matched"] is True and data["intent"] == "perf"
    assert 0 <= data["score"] <= 100
    assert {"id", "name", "kind", "url"} <= set(data["resources"][0])
    assert all(r["url"].startswith("https://") for r in data["resources"])
    assert {"intent", "title"} <= set(data["follow_ups"][0])


def test_ask_json_reads_stdin_one_object_per_line_in_order(bot):
    questions = ["what is cvi", "what's the weather", "shots fired downtown", "gifords law centre", "", "hello"]
    result = bot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["outcome"] for r in rows] == ["answer", "fallback", "safety", "answer", "answer", "answer"]
    assert rows[1]["matched"] is False and rows[1]["suggestions"]
    assert rows[2]["matched"] is True


def test_ask_reads_a_file_saved_with_windows_line_endings(bot):
    result = bot("ask", "--json", stdin="what is cvi\r\nwho founded maig\r\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["what is cvi", "who founded maig"]


def test_chat_answers_and_a_number_picks_a_choice(bot):
    result = bot("chat", stdin="who runs giffords\n1\nquit\n")
    assert result.returncode == 0
    out = result.stdout
    assert "Gabrielle Giffords" in out
    assert "Related:\n  1. Gun safety organizations" in out
    assert "Related: Gun safety" not in out  # listed once, numbered
    assert "The page lists five gun safety organizations" in out  # choice 1 answered
    assert out.rstrip().endswith("Goodbye.")


def test_bare_command_without_slack_tokens_is_the_terminal_chat():
    result = run_bot(stdin="what is cvi\n")
    assert result.returncode == 0
    assert "mayors' assistant" in result.stdout
    assert "community violence intervention" in result.stdout.lower()


def test_ask_does_not_import_slack():
    import subprocess
    import sys

    from conftest import ROOT

    code = "import sys; from bot.cli import main; main(['ask', 'hi']); assert 'slack_bolt' not in sys.modules, 'slack imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_eval_prints_rates_per_intent_and_sweep(bot):
    result = bot("eval")
    assert result.returncode == 0
    assert "in scope:" in result.stdout and "out of scope:" in result.stdout
    assert "precision" in result.stdout and "threshold sweep" in result.stdout


def test_eval_scores_a_keyed_file_with_its_conversations(tmp_path, bot):
    labelled = tmp_path / "keyed.yaml"
    labelled.write_text(
        "keys:\n  maig: [mayors against illegal guns, maig]\n  giffords: [giffords]\n"
        "questions:\n  - {q: who founded maig, any: [maig]}\n  - {q: how do I fix a pothole, none: true}\n"
        "  - {q: what is brady's phone number, gap: [giffords]}\n"
        "conversations:\n  - {turns: [\"tell me about Giffords\", \"who leads it?\"], want: [giffords, giffords]}\n")
    result = bot("eval", "--no-sweep", str(labelled))
    assert result.returncode == 0, result.stderr
    assert "in scope:     1/2 answered right" in result.stdout  # the gap names Brady, not Giffords
    assert "out of scope: 1/1 fell back" in result.stdout
    assert "conversations: first turns 1/1, later turns 1/1" in result.stdout


def test_eval_on_a_missing_file_is_a_clear_error(bot):
    result = bot("eval", "no/such/file.yaml")
    assert result.returncode == 2
    assert "cannot read the question file" in result.stderr


def test_terminal_chat_records_questions_and_did_you_mean_picks(tmp_path, bot):
    url = f"sqlite:///{tmp_path}/chat.db"
    result = bot("chat", stdin="community\n1\nwhen is trash pickup\n", env={"DATABASE_URL": url})
    assert result.returncode == 0
    data = json.loads(bot("report", "--json", env={"DATABASE_URL": url}).stdout)
    assert data["by_surface"] == {"terminal": 2}
    assert data["by_outcome"] == {"clarify": 1, "fallback": 1}
    assert data["unanswered"][0]["text"] == "when is trash pickup"
    from bot.store import Store

    with Store(url) as store:
        events = store.rows()[1]
    assert [(e["kind"], e["text"]) for e in events] == [("choose", "community")]


def test_ask_json_lines_with_a_conversation_carry_context_and_plain_lines_stay_alone():
    lines = "\n".join([
        json.dumps({"q": "what's PERF?", "conversation": "a"}),
        json.dumps({"q": "tell me about Giffords", "conversation": "b"}),
        json.dumps({"q": "any reports from them?", "conversation": "a"}),
        json.dumps({"q": "who leads it?", "conversation": "b"}),
        "any reports from them?",
    ]) + "\n"
    result = run_bot("ask", "--json", stdin=lines)
    assert result.returncode == 0, result.stderr
    first, other, a2, b2, plain = [json.loads(l) for l in result.stdout.splitlines()]
    assert first["context"] is None
    assert a2["context"]["resources"] == ["perf"] and "What Works, and What Can Be Done Now" in a2["text"]
    assert b2["context"]["resources"] == ["giffords"] and "Gabrielle Giffords" in b2["text"]
    assert plain["context"] is None and plain["title"] != a2["title"]  # alone, it is no follow-up


def test_chat_keeps_the_conversation():
    result = run_bot("chat", stdin="what does part 1 of the CVI webinars cover?\nand the one after it?\nquit\n")
    assert result.returncode == 0, result.stderr
    assert "(About Part 2: Place-based Approaches to CVI.)" in result.stdout
