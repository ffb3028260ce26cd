"""The crisis model: a second reader beside the signal grammar, kept as plain data that the
committed script and data reproduce, catching what no signal names without alarming on
ordinary or policy questions."""

import json

from bot.crisis_model import MODEL_FILE, CrisisModel, features
from bot.text import clean
from conftest import ROOT, run_bot


def test_the_shipped_weights_are_what_the_committed_script_makes_from_the_committed_data(tmp_path):
    import subprocess
    import sys

    made = tmp_path / "crisis_model.json"  # never over the shipped file: a killed run would leave it changed
    result = subprocess.run([sys.executable, "scripts/train_crisis_model.py", "--out", str(made)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "cross-validated threshold" in result.stdout and "cross-validated over_topic" in result.stdout
    assert made.read_text(encoding="utf-8") == MODEL_FILE.read_text(encoding="utf-8")  # deterministic, and current


def test_the_model_is_plain_data():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"bias", "threshold", "over_topic", "weights"}
    assert all(isinstance(k, str) and isinstance(v, float) for k, v in data["weights"].items())


def test_a_crisis_no_signal_names_is_caught_and_says_the_model_fired(engine):
    answer = engine.ask("i keep thinking everyone at work would be fine if i just disappeared for good tonight")
    assert answer.outcome == "safety"
    assert any(s.startswith("crisis model") for s in answer.safety.signals)


def test_ordinary_and_policy_questions_are_not_alarmed(engine):
    for question in ("what are best practices for a city's firearm buyback event", "Is MAIG affiliated with Everytown?",
                     "and the one from 1974?", "which webinar covers hospital-based interventions",
                     "and the one after it?", "and the other one", "the one before it"):  # short follow-ups
        assert engine.ask(question).outcome != "safety", question


def test_a_missing_model_leaves_the_grammar_alone(tmp_path):
    assert CrisisModel.load(tmp_path / "none.json") is None
    assert features(clean("Shots fired!"))[:2] == ["w:shots", "w:fired"]


def test_ask_json_names_the_model_among_the_signals():
    result = run_bot("ask", "--json", "i keep thinking everyone at work would be fine if i just disappeared for good tonight")
    answer = json.loads(result.stdout)
    assert answer["outcome"] == "safety" and answer["safety"]["level"] == "crisis"
    assert any(s.startswith("crisis model") for s in answer["safety"]["signals"])


def test_an_ordinary_work_message_about_oneself_is_not_alarmed(engine):
    # The model once read any message about oneself as a crisis (four of these at 1.00).
    for message in ("dentist at 2 so i'm offline till 4, back after",
                    "flat tire on the interstate, running 30 min behind for the budget meeting, sorry everyone",
                    "we won the award!!! :tada: :tada: thanks team for all the late nights",
                    "my toddler has the flu so i'm working from home today, camera off",
                    "i'm beat, heading home early with a headache. will check email tonight"):
        assert engine.ask(message).outcome != "safety", message


def test_a_quiet_goodbye_at_work_is_still_caught_by_the_model(engine):
    answer = engine.ask("left my badge and keys on my desk with a note for whoever finds them. "
                        "i won't be coming back after tonight")
    assert answer.outcome == "safety"
    assert any(s.startswith("crisis model") for s in answer.safety.signals)
