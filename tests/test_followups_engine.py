"""Engine.may_lean_back: the surfaces read a conversation's context only when a message
could lean on it; it must never hide a follow-up the engine would have understood."""


from bot import context as ctx
from bot import evaluate as ev
from conftest import ROOT


def test_skipping_the_context_read_changes_no_answer(engine):
    conversations = [[t.question for t in conv] for conv in ev.load_conversations(ROOT / "tests" / "data" / "page_questions.yaml")]
    assert len(conversations) >= 40
    for turns in conversations:
        about = None
        for turn in turns:
            full = engine.ask(turn, context=about)
            read_if_needed = engine.ask(turn, context=about if engine.may_lean_back(turn) else None)
            assert full.to_dict() == read_if_needed.to_dict(), turn
            about = ctx.of(full) or about


def test_plain_questions_do_not_read_the_context(engine):
    assert not engine.may_lean_back("What is the Coalition to Stop Gun Violence?")
    assert not engine.may_lean_back("who founded Mayors Against Illegal Guns?")
    for follow_up in ("who leads it?", "and part 3?", "what about PERF?", "since when?", "and the one after it?"):
        assert engine.may_lean_back(follow_up), follow_up
