"""The terminal chat: the embedded default when no Slack tokens are set.

Type a question; a number picks one of the offered choices (a "Did you mean", a topic or
a related answer), as a button would in Slack. At a terminal, lines are edited with
readline (arrow keys, history); Ctrl-C or Ctrl-D leaves.
"""

from __future__ import annotations

from typing import TextIO

from bot import context as ctx
from bot.engine import Engine
from bot.render.text import render

PROMPT = "you> "
BYE = ("quit", "exit", "bye", "q")
PICK_MAX_DIGITS = 2  # "9" among three choices is a slip; "911" is a question


def _reader(stdin: TextIO, stdout: TextIO, interactive: bool):
    """A function returning the next line ("" at the end of input)."""
    if not interactive:
        return stdin.readline
    try:
        import readline  # noqa: F401  (importing it gives input() line editing and history)
    except ImportError:  # not on every platform; plain input() still works
        pass

    def read() -> str:
        try:
            return input(PROMPT) + "\n"
        except EOFError:
            return ""
    return read


def show(answer, stdout: TextIO) -> None:
    text = render(answer, numbered=True)
    if answer.outcome == "clarify" and answer.title.startswith("Did you mean"):
        text = text.replace("\nDid you mean:\n", "\nPick a number:\n", 1)  # "Did you mean" once, in the title
    stdout.write(text + "\n")
    stdout.flush()


def run(engine: Engine, stdin: TextIO, stdout: TextIO, recorder=None) -> int:
    interactive = stdin.isatty() and stdout.isatty()
    stdout.write(
        "The mayors' assistant: ask about reducing gun violence, e.g. \"What is CVI?\".\n"
        "A number picks a choice; 'quit' or Ctrl-D leaves.\n\n"
    )
    stdout.flush()
    read = _reader(stdin, stdout, interactive)
    offered: list = []
    last = None  # the previous answer, to know a pick from "Did you mean"
    about: ctx.Context | None = None  # what the conversation is about, for follow-ups
    while True:
        line = read()
        if not line:  # end of input
            stdout.write("\n" if interactive else "")
            return 0
        said = line.strip()
        if not said:
            continue
        if said.lower() in BYE:
            stdout.write("Goodbye.\n")
            return 0
        if said.isdigit() and offered and len(said) <= PICK_MAX_DIGITS:
            if not 1 <= int(said) <= len(offered):
                stdout.write(f"There {'is' if len(offered) == 1 else 'are'} {len(offered)} choice"
                             f"{'' if len(offered) == 1 else 's'}: pick a number from 1 to {len(offered)}, "
                             "or ask a question.\n\n")
                stdout.flush()
                continue
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
        show(answer, stdout)
