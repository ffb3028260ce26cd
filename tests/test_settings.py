"""One Settings for the whole process: every variable checked at start; a bad one stops
it with exit code 2 and a line naming it; a token Slack refuses is one clear line."""

import pytest

from bot.cli import main
from bot.settings import Settings, SettingsError
from fake_slack import FakeSlack, free_port

SLACK = {"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_SIGNING_SECRET": "s"}


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: no Slack variable, the store in tmp_path; set more with env(...)."""
    import os

    for name in list(os.environ):
        if name.startswith("SLACK_") or name in ("STORE_QUESTIONS", "RETENTION_DAYS", "USER_HASH_KEY", "LOG_LEVEL",
                                                 "HANDOFF_CHANNEL", "PORT", "HOST", "KNOWLEDGE_RELOAD_SECONDS",
                                                 "CONTEXT_MINUTES", "USER_HASH_SALT"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/a.db")

    def set_(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return set_


BAD = [
    ("STORE_QUESTIONS", "flase", "true or false"),
    ("STORE_QUESTIONS", "maybe", "true or false"),
    ("RETENTION_DAYS", "ninety", "whole number of days"),
    ("RETENTION_DAYS", "0", "whole number of days"),
    ("RETENTION_DAYS", "-5", "whole number of days"),
    ("KNOWLEDGE_RELOAD_SECONDS", "soon", "number of seconds"),
    ("KNOWLEDGE_RELOAD_SECONDS", "0", "number of seconds"),
    ("KNOWLEDGE_RELOAD_SECONDS", "nan", "number of seconds"),
    ("CONTEXT_MINUTES", "half an hour", "number of minutes"),
    ("CONTEXT_MINUTES", "2000", "number of minutes"),
    ("PORT", "http", "port number"),
    ("PORT", "70000", "port number"),
    ("DATABASE_URL", "mysql://u:pw@h/db", "sqlite:/// or postgresql://"),
    ("HANDOFF_CHANNEL", "#staff", "channel id"),
    ("LOG_LEVEL", "loud", "INFO, WARNING, ERROR"),
    ("LOG_LEVEL", "debug", "INFO, WARNING, ERROR"),  # Slack's libraries would log whole payloads
    ("USER_HASH_KEY", "short", "at least 16"),
    ("USER_HASH_SALT", "old-salt", "USER_HASH_KEY"),
    ("SLACK_API_URL", "slack.com/api", "http(s)://"),
    ("WORKER_THREADS", "0", "whole number from 1 to 512"),
    ("WORKER_THREADS", "many", "whole number from 1 to 512"),
    ("HTTP_WORKERS", "0", "whole number from 1 to 32"),
    ("HTTP_WORKERS", "auto", "whole number from 1 to 32"),
    ("SLACK_TIMEOUT_SECONDS", "-1", "number of seconds"),
    ("SLACK_RETRY_SECONDS", "forever", "number of seconds"),
    ("DATABASE_TIMEOUT_SECONDS", "0", "number of seconds"),
    ("INBOX_LEASE_SECONDS", "nan", "number of seconds"),
    ("ANSWER_WITHIN_MINUTES", "0", "number of minutes"),
]


@pytest.mark.parametrize("name, value, says", BAD, ids=[f"{n}={v}" for n, v, _ in BAD])
def test_a_bad_value_stops_every_start_with_exit_2_naming_the_variable(env, capsys, name, value, says):
    env(**{name: value})
    for argv in (["chat"], ["report"], ["serve", "--http"]):
        if argv[0] == "serve":
            env(**SLACK)
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"{name} must" in err or f"{name} is no longer" in err
        assert says in err and "Traceback" not in err
        assert "pw" not in err  # a password in DATABASE_URL is never shown


@pytest.mark.parametrize("value, expected", [("false", False), ("FALSE", False), ("0", False), ("no", False),
                                             ("off", False), ("true", True), ("1", True), ("Yes", True), ("on", True)])
def test_booleans_are_strict_and_say_what_they_mean(value, expected):
    assert Settings.from_env({"STORE_QUESTIONS": value}).store_questions is expected


def test_every_problem_is_listed_at_once():
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"STORE_QUESTIONS": "flase", "RETENTION_DAYS": "ninety", "PORT": "x"})
    assert len(caught.value.problems) == 3


def test_a_bot_token_without_its_partner_does_not_open_the_chat(env, capsys):
    env(SLACK_BOT_TOKEN="xoxb-secret-value")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "SLACK_APP_TOKEN is not set" in err and "Socket Mode" in err
    assert "xoxb-secret-value" not in err


def test_serve_with_nothing_set_explains_socket_mode_is_the_default(env, capsys):
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN is not set (Socket Mode needs it)" in err
    assert "SLACK_APP_TOKEN is not set (Socket Mode needs it)" in err and "App-Level Tokens" in err
    assert "Socket Mode is the default" in err and "SLACK_SIGNING_SECRET" not in err.split("\n")[1]


def test_missing_http_settings_name_each_variable_and_where_to_find_it(env, capsys):
    assert main(["serve", "--http"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "OAuth & Permissions" in err
    assert "SLACK_SIGNING_SECRET" in err and "Signing Secret" in err


def test_a_token_that_is_not_a_bot_token_is_named_not_shown(env, capsys):
    env(SLACK_BOT_TOKEN="xapp-wrong-kind-secret", SLACK_SIGNING_SECRET="s")
    assert main(["serve", "--http"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN must start with xoxb-" in err and "wrong-kind-secret" not in err


def test_a_token_slack_refuses_is_one_clear_line_and_exit_2(env, capsys):
    fake = FakeSlack()
    fake.refused_tokens.add("xoxb-revoked-token")
    try:
        env(SLACK_BOT_TOKEN="xoxb-revoked-token", SLACK_SIGNING_SECRET="s", SLACK_API_URL=f"{fake.url}/api/")
        assert main(["serve", "--http", "--port", str(free_port())]) == 2
    finally:
        fake.close()
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in err and "revoked-token" not in err


def test_no_network_at_start_is_one_clear_line_and_exit_2(env, capsys):
    env(SLACK_BOT_TOKEN="xoxb-t", SLACK_APP_TOKEN="xapp-t", SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith("Cannot start: cannot reach Slack at http://127.0.0.1:")


def test_a_port_in_use_or_a_host_that_is_no_address_here_is_one_clear_line_and_exit_2(env, capsys):
    import socket

    env(SLACK_BOT_TOKEN="xoxb-t", SLACK_SIGNING_SECRET="s", HOST="127.0.0.1")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--http", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith(f"Cannot start: cannot listen on HOST '127.0.0.1', PORT {port} (Address already in use)")
    env(SLACK_BOT_TOKEN="xoxb-t", SLACK_SIGNING_SECRET="s", HOST="not_a_host")
    assert main(["serve", "--http", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cannot listen on HOST 'not_a_host'" in err, err


def test_the_key_of_the_hashes_comes_from_outside_the_database():
    derived = Settings.from_env({"SLACK_SIGNING_SECRET": "s1"}).user_hash_key
    assert derived and derived == Settings.from_env({"SLACK_SIGNING_SECRET": "s1"}).user_hash_key
    assert derived != Settings.from_env({"SLACK_SIGNING_SECRET": "s2"}).user_hash_key
    own = Settings.from_env({"SLACK_SIGNING_SECRET": "s1", "USER_HASH_KEY": "k" * 32}).user_hash_key
    assert own not in (None, derived)
    assert Settings.from_env({}).user_hash_key is None  # the terminal: no user to hash


def test_the_default_database_is_in_the_project_folder_wherever_we_start(monkeypatch, tmp_path):
    from conftest import ROOT

    monkeypatch.chdir(tmp_path)
    url = Settings.from_env({}).database_url
    assert url == f"sqlite:///{ROOT / 'data' / 'assistant.db'}"
