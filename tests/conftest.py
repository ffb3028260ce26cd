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
    # The terminal chat records what it is asked: never into the checkout's own data/.
    clean_env["DATABASE_URL"] = "sqlite:///:memory:"
    clean_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=clean_env, timeout=timeout,
    )


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def bot(monkeypatch, capsys, tmp_path):
    """`python -m bot ARGS` in process (bot.cli.main), for what a subprocess would add
    nothing to: a clean environment without Slack variables, the store in tmp_path,
    `stdin` as standard input. Returns .returncode, .stdout, .stderr like run_bot."""
    import io

    from bot.cli import main

    for name in list(os.environ):
        if name.startswith("SLACK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")

    def run(*args: str, stdin: str = "", env: dict | None = None) -> Result:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return run


POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database on the PostgreSQL server at 127.0.0.1:5432, dropped afterwards.
    In CI the server must be there; elsewhere its absence skips these tests."""
    import uuid

    from sqlalchemy import create_engine, text

    from bot.store import database_url

    name = f"assistant_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(database_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_SERVER}: {type(exc).__name__}")
    yield POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def fresh_postgres_url(postgres_url):
    """The test database emptied, as an app finds it on first start."""
    from sqlalchemy import create_engine, text

    from bot.store import database_url

    engine = create_engine(database_url(postgres_url))
    with engine.begin() as conn:
        # Every table, ours and the installation store's, whatever later schemas add.
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres_url


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: the real app under its server, in a subprocess (-m 'not e2e' skips them)")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The store's URL, once on SQLite (a file in the test's folder) and once on a fresh
    PostgreSQL database: every test that takes it runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/assistant.db"
    return request.getfixturevalue("fresh_postgres_url")
