import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def engine():
    from bot.engine import Engine

    return Engine.from_dir()


def run_bot(*args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` as a user runs it, from the checkout, with no Slack tokens."""
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    clean_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=clean_env, timeout=timeout,
    )
