"""The command line: python -m bot [chat|ask|check|eval|report|bench|serve].

With no command: serve on Slack when Slack tokens are set, else chat in the terminal.
Slack is imported only by `serve`, so `ask` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from bot.knowledge import DEFAULT_DIR, KnowledgeError, Problem
from bot.settings import Settings, SettingsError

_SAFETY_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety.yaml"


def _engine(args, full: bool = False):
    """The engine, or exit 1 listing the knowledge's problems. `full`: every problem
    `check` reports stops it (the long-running starts: chat and serve)."""
    from bot import contract
    from bot.engine import Engine

    try:
        engine = Engine.from_dir(args.knowledge)
    except KnowledgeError as exc:
        _refuse(args.knowledge, exc.problems)
    problems = contract.problems(engine.knowledge, str(args.knowledge))
    if full and not problems:
        from bot.validate import lint

        problems = lint(engine)
    if problems:
        _refuse(args.knowledge, problems)
    return engine


def _refuse(where, problems: list[Problem]):
    print(f"The knowledge in {where} has problems; nothing was loaded:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print("Fix them (python -m bot check lists them again) and start again.", file=sys.stderr)
    raise SystemExit(1)


def _asked(line: str) -> tuple[str, str | None]:
    """A line of `ask` input: a plain question, or a JSON object {"q": …, "conversation": ID}
    whose lines with the same ID are one conversation, in order."""
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(data, dict) and isinstance(data.get("q"), str):
            conversation = data.get("conversation")
            return data["q"], None if conversation is None else str(conversation)
    return line, None


def cmd_ask(args) -> int:
    from bot import context as ctx

    engine = _engine(args)
    lines: Iterable[str]
    if args.question:
        lines = [" ".join(args.question)]
    else:  # one question a line from standard input, answered as it arrives
        lines = (line.rstrip("\r\n") for line in sys.stdin)
    conversations: dict[str, ctx.Context] = {}
    if not args.json:
        from bot.render.text import render
    for n, line in enumerate(lines):
        question, conversation = _asked(line)
        answer = engine.ask(question, context=conversations.get(conversation) if conversation else None)
        if conversation is not None:
            conversations[conversation] = ctx.of(answer) or conversations.get(conversation)  # type: ignore[assignment]
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(("\n" if n else "") + render(answer), end="", flush=True)
    return 0


def cmd_check(args) -> int:
    from bot import contract
    from bot.engine import Engine
    from bot.validate import lint

    try:
        engine = Engine.from_dir(args.knowledge)
    except KnowledgeError as exc:  # malformed: file:line, and nothing else is checked
        _refuse(args.knowledge, exc.problems)
    problems = contract.problems(engine.knowledge, str(args.knowledge)) + lint(engine)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.knowledge}", file=sys.stderr)
        return 1
    print(f"ok: {engine.knowledge.summary()}")
    return 0


def cmd_eval(args) -> int:
    from bot import evaluate

    engine = _engine(args)
    try:
        sets = [(path, evaluate.load_cases(path)) for path in args.file]
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path, cases in sets:
        report = evaluate.evaluate(engine, cases)
        grid = None if args.no_sweep else evaluate.sweep(engine, cases)
        print(f"== {path}")
        print(evaluate.format_report(report, grid, show_misses=args.misses))
        conversations = evaluate.load_conversations(path)
        if conversations:
            first, first_n, later, later_n, misses = evaluate.evaluate_conversations(engine, conversations)
            print(f"\nconversations: first turns {first}/{first_n}, later turns {later}/{later_n}")
            for miss in misses[: args.misses]:
                print(f"  {miss}")
        print()
    return _eval_safety(engine, args)


def _eval_safety(engine, args) -> int:
    """Safety recall and false alarms on the labelled crisis / topic file, after the questions."""
    from bot import evaluate_safety

    try:
        crisis, topic = evaluate_safety.load(args.safety)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = evaluate_safety.evaluate(engine, crisis, topic)
    print("\n" + evaluate_safety.format_report(report, args.safety, show_misses=args.misses))
    return 0


def cmd_chat(args) -> int:
    import logging

    from bot.chat import run
    from bot.store import Recorder

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    engine = _engine(args, full=True)
    recorder = Recorder.open(args.settings)
    try:
        return run(engine, sys.stdin, sys.stdout, recorder)
    finally:
        recorder.close()


def cmd_report(args) -> int:
    from bot import report
    from bot.store import Store, describe, exists

    try:
        since = report.parse_since(args.since)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    settings = args.settings
    try:
        if not exists(settings.database_url):
            print(f"No question store at {_shown(settings.database_url)} yet: nothing was recorded there. "
                  "The assistant creates it on its first start; check DATABASE_URL.", file=sys.stderr)
            return 1
        store = Store(settings.database_url, settings.user_hash_key)
    except Exception as exc:
        print(f"cannot open the question store ({describe(exc)}); check DATABASE_URL", file=sys.stderr)
        return 1
    engine = _engine(args)
    with store:
        questions, events = store.rows(since, team_id=args.team)
    result = report.build(engine, questions, events, since, team=args.team)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(report.table(result), end="")
    return 0


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_handoff(args) -> int:
    """Each workspace's own hand-off channel, set by whoever runs the app (not by any
    member in Slack): where "Ask a person" posts that workspace's questions."""
    import re

    from bot.store import Store, describe

    if args.team and not re.fullmatch(r"[TE][A-Z0-9]{2,31}", args.team):
        print(f"{args.team!r} is not a workspace id (T…): see Slack → the workspace's settings, or `report --json`",
              file=sys.stderr)
        return 2
    if args.channel and not re.fullmatch(r"[CG][A-Z0-9]{2,31}", args.channel):
        print(f"{args.channel!r} is not a channel id (C…): in Slack, the channel's details, at the bottom", file=sys.stderr)
        return 2
    settings = args.settings
    try:
        store = Store(settings.database_url, settings.user_hash_key)
    except Exception as exc:
        print(f"cannot open the store ({describe(exc)}); check DATABASE_URL", file=sys.stderr)
        return 1
    with store:
        if args.team and (args.channel or args.clear):
            store.set_handoff_channel(args.team, None if args.clear else args.channel)
            print(f"{args.team}: " + ("no hand-off channel; \"Ask a person\" is not offered there" if args.clear else
                                      f"\"Ask a person\" posts to {args.channel}; invite the app to that channel"))
            return 0
        rows = [w for w in store.workspace_rows() if not args.team or w["team_id"] == args.team]
    for w in rows:
        print(f"{w['team_id']}\t{w['handoff_channel'] or '-'}" + (f"\t(org {w['enterprise_id']})" if w["enterprise_id"] else ""))
    if not rows:
        print("no workspace has been served yet" if not args.team else f"{args.team}: no hand-off channel")
    return 0


def cmd_bench(args) -> int:
    from bot.bench import run

    return run(_engine(args), quick=args.quick)


def cmd_serve(args) -> int:
    settings = args.settings
    shared_metrics = _metrics_across_workers(settings)
    from bot.ops import configure_logging
    from bot.slack.serve import serve

    configure_logging(settings.log_format, settings.log_level)
    try:
        return serve(_engine(args, full=True), settings)
    finally:
        if shared_metrics:
            import shutil

            shutil.rmtree(shared_metrics, ignore_errors=True)


def _metrics_across_workers(settings) -> str | None:
    """With several HTTP worker processes, /metrics must add up all of them: prometheus-client
    keeps each process's figures in files of one folder (PROMETHEUS_MULTIPROC_DIR), read at
    each scrape. It is chosen before prometheus-client is first imported. A folder the
    operator set is used as it is; otherwise a new one, removed at exit (returned)."""
    import os

    if settings.mode != "http" or settings.http_workers < 2 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    if "prometheus_client" in sys.modules:  # too late to choose: each worker reports its own
        return None
    import tempfile

    folder = tempfile.mkdtemp(prefix="assistant-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    return folder


def cmd_manifest(args) -> int:
    from bot.manifest import main

    return main(_engine(args).knowledge, args.http, args.oauth, sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The mayors' assistant on reducing gun violence.")
    parser.add_argument("--knowledge", default=str(DEFAULT_DIR), help="knowledge folder (default: %(default)s)")
    sub = parser.add_subparsers(dest="command")

    ask = sub.add_parser("ask", help="answer one question, or one per line from standard input")
    ask.add_argument("question", nargs="*", help="the question; omit it to read questions from standard input")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(func=cmd_ask)

    sub.add_parser("chat", help="a conversation in the terminal").set_defaults(func=cmd_chat)
    sub.add_parser("check", help="validate the knowledge files; exit 1 on any problem").set_defaults(func=cmd_check)

    ev = sub.add_parser("eval", help="score labelled question files (default: tests/data/questions.yaml and page_questions.yaml)")
    ev.add_argument("file", nargs="*", default=None)
    ev.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    ev.add_argument("--misses", type=int, default=40, help="how many misses to list (default: %(default)s)")
    ev.add_argument("--safety", metavar="FILE", default=str(_SAFETY_FILE),
                    help="labelled crisis/topic messages for safety recall and false alarms (default: tests/data/safety.yaml)")
    ev.set_defaults(func=cmd_eval)

    rep = sub.add_parser("report", help="for curators: volume, feedback, unanswered questions and proposals")
    rep.add_argument("--since", default=None, help="how far back: 24h, 7d, 2w (default: everything kept)")
    rep.add_argument("--json", action="store_true", help="print one JSON object")
    rep.add_argument("--team", default=None, metavar="T…", help="one workspace only (its team id)")
    rep.set_defaults(func=cmd_report)

    hand = sub.add_parser("handoff", help="each workspace's hand-off channel: list, set (TEAM CHANNEL) or --clear")
    hand.add_argument("team", nargs="?", default=None, help="the workspace's team id (T…)")
    hand.add_argument("channel", nargs="?", default=None, help="the channel id (C…) where its questions go")
    hand.add_argument("--clear", action="store_true", help="no hand-off channel for this workspace")
    hand.set_defaults(func=cmd_handoff)

    bench = sub.add_parser("bench", help="print speed figures")
    bench.add_argument("--quick", action="store_true", help="smaller synthetic sizes, for a smoke run")
    bench.set_defaults(func=cmd_bench)

    man = sub.add_parser("manifest", help="print the Slack app manifest (JSON) for Socket Mode, HTTP or install by link")
    man.add_argument("--http", metavar="URL", default=None, help="the app's public address: HTTP mode's Request URLs")
    man.add_argument("--oauth", action="store_true", help="install by link in many workspaces (needs --http)")
    man.set_defaults(func=cmd_manifest)

    serve = sub.add_parser("serve", help="run the Slack app: Socket Mode (the default when SLACK_APP_TOKEN is set) or HTTP")
    group = serve.add_mutually_exclusive_group()
    group.add_argument("--socket", dest="mode", action="store_const", const="socket")
    group.add_argument("--http", dest="mode", action="store_const", const="http")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    serve.set_defaults(func=cmd_serve, mode=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C, in any mode: no traceback
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # pressed again while leaving: still quiet
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ask ... | head`
        return 0


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    serving = args.command == "serve"
    try:
        if args.command is None:  # Slack when any Slack variable is set (and then it must be complete)
            args.mode, args.port = None, None
            serving = Settings.from_env().slack_configured
        args.settings = Settings.from_env(mode=args.mode if serving else None, port=args.port if serving else None,
                                          slack=serving)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command is None:
        return cmd_serve(args) if serving else cmd_chat(args)
    if args.command == "eval" and not args.file:
        from bot.evaluate import DEFAULT_FILES

        args.file = list(DEFAULT_FILES)
    return args.func(args)
