"""The labelled set in tests/data (written apart from the knowledge's own examples):
at least 95% of in-scope questions answered with the right intent, at least 95% of
out-of-scope questions falling back."""

from bot import evaluate


def test_labelled_set_is_big_enough():
    cases = evaluate.load_cases(evaluate.DEFAULT_FILES[0])
    assert len(cases) >= 200
    assert sum(not c.accepted for c in cases) >= 50


def test_in_scope_accuracy_and_out_of_scope_rejection(engine):
    report = evaluate.evaluate(engine, evaluate.load_cases(evaluate.DEFAULT_FILES[0]))
    misses = "\n".join(f"{c.question!r} -> {said}" for c, said in report.misses)
    assert report.accuracy >= 0.95, misses
    assert report.rejection >= 0.95, misses


def test_no_labelled_question_copies_a_knowledge_example(engine):
    from bot.text import clean

    examples = {clean(e) for i in engine.knowledge.intents.values() for e in i.examples}
    copied = [c.question for c in evaluate.load_cases(evaluate.DEFAULT_FILES[0]) if clean(c.question) in examples]
    assert copied == []
