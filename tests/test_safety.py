"""The safety answer: 911 and 988 first whenever a message speaks of an emergency or a
crisis, whatever else it says, and never because of a fuzzy score."""

import pytest

from bot import safety


@pytest.mark.parametrize(
    "message",
    [
        "shots fired near city hall",
        "there is an active shooter at the high school",
        "someone has a gun outside my office",
        "my neighbor is threatening to kill his wife",
        "i want to kill myself",
        "a friend is talking about suicide",
        "a kid just got shot on 5th street",
        "this is an emergency",
        "staffer having a mental health crisis",
    ],
)
def test_emergency_gets_911_and_988_first(engine, message):
    answer = engine.ask(message)
    assert answer.outcome == "safety" and answer.matched
    assert answer.text.startswith(safety.TEXT)
    assert "911" in answer.text and "988" in answer.text


def test_safety_is_not_suppressed_by_a_confident_answer(engine):
    answer = engine.ask("active shooter right now - what is the major cities chiefs association?")
    assert answer.outcome == "safety"
    assert answer.text.startswith(safety.TEXT)
    assert "Major Cities Chiefs Association" in answer.text  # the rest is still answered, after
    assert answer.resources and answer.resources[0].id == "mcca"


@pytest.mark.parametrize(
    "message",
    ["how should a city respond to a mass shooting", "what does the coalition to stop gun violence do", "shooting statistics report", "hospital-based violence intervention"],
)
def test_policy_questions_are_not_emergencies(engine, message):
    assert engine.ask(message).outcome != "safety"
