"""The terminal chat: the embedded default when no Slack tokens are set.

Type a question; a number picks one of the offered choices (a "Did you mean", a topic or
a related answer), as a button would in Slack.
"""

from __future__ import annotations

from typing import TextIO

from bot import context as ctx
from bot.engine import Engine
from bot.render.text import render

PROMPT = "you> "
BYE = ("quit", "exit", "bye", "q")


def run(engine: Engine, stdin: TextIO, stdout: TextIO, recorder=None) -> int:
    interactive = stdin.isatty()
    stdout.write(
        "The mayors' assistant: ask about reducing gun violence, e.g. \"What is CVI?\".\n"
        "A number picks a choice; 'quit' or Ctrl-D leaves.\n\n"
    )
    offered: list = []
    last = None  # the previous answer, to know a pick from "Did you mean"
    about: ctx.Context | None = None  # what the conversation is about, for follow-ups
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:  # end of input
            stdout.write("\n" if interactive else "")
            return 0
        said = line.strip()
        if not said:
            continue
        if said.lower() in BYE:
            stdout.write("Goodbye.\n")
            return 0
        if said.isdigit() and 1 <= int(said) <= len(offered):
            chosen = offered[int(said) - 1]
            answer = engine.ask(chosen.ask, context=about) if chosen.ask else engine.answer_intent(chosen.intent)
            if recorder is not None and last is not None and last.outcome == "clarify":
                recorder.event("choose", intent=answer.intent, text=last.question)
        else:
            answer = engine.ask(said, context=about)
            if recorder is not None:
                recorder.question("terminal", said, answer)
        about = ctx.of(answer) or about
        offered = list(answer.suggestions or answer.follow_ups)
        last = answer
        stdout.write(render(answer, numbered=True) + "\n")
        stdout.flush()
