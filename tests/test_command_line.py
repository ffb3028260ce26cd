"""The command line and the server as a person runs them: Ctrl-C, the home directory,
line editing, choices in the chat, --since, and the Makefile's set-up."""

import io
import os
import pty
import select
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.cli import main
from conftest import ROOT
from fake_slack import FakeSlack, free_port


def clean_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(tmp_path / "home"), DATABASE_URL=f"sqlite:///{tmp_path}/a.db", **extra)
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def read_until(fd, wanted: bytes, timeout: float = 30.0) -> bytes:
    """Bounded read from a pty until `wanted` shows."""
    out = b""
    deadline = time.monotonic() + timeout
    while wanted not in out:
        left = deadline - time.monotonic()
        assert left > 0, f"waited {timeout}s for {wanted!r}; got {out[-400:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def interruptible() -> None:
    """Ctrl-C reaches the child as at a keyboard, even when the tests themselves run as a
    background job (which starts with SIGINT ignored, and Python keeps it so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def in_a_terminal(tmp_path, *args):
    """`python -m bot ARGS` in a pseudo-terminal, as someone at a keyboard runs it."""
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], stdin=child_fd, stdout=child_fd,
                               stderr=child_fd, cwd=ROOT, env=clean_env(tmp_path, TERM="xterm"),
                               start_new_session=True, preexec_fn=interruptible)
    os.close(child_fd)
    return process, main_fd


def test_ctrl_c_in_the_chat_exits_quietly(tmp_path):
    process, fd = in_a_terminal(tmp_path)  # `make run` without Slack tokens
    try:
        read_until(fd, b"you> ")
        # What Ctrl-C at the keyboard sends; pressed again while nothing happens (bounded):
        # one that lands the instant readline starts waiting is missed, in CPython itself.
        for _ in range(60):
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                continue
        assert process.wait(timeout=10) == 130
        out = b""
        while select.select([fd], [], [], 0.5)[0]:  # what it printed on the way out (bounded: it has exited)
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        assert b"Traceback" not in out and b"KeyboardInterrupt" not in out
    finally:
        process.kill()
        process.wait(timeout=10)
        os.close(fd)


def test_arrow_keys_edit_the_line_in_the_chat(tmp_path):
    process, fd = in_a_terminal(tmp_path, "chat")
    try:
        read_until(fd, b"you> ")
        os.write(fd, b"what is ci\x1b[Dv\r")  # "ci", Left, "v": "cvi"
        out = read_until(fd, b"you> ")
        assert b"community violence intervention" in out.lower() and b"[D" not in out
        os.write(fd, b"\x1b[A\x1b[A\r")  # Up brings the question back from history
        assert b"community violence intervention" in read_until(fd, b"you> ").lower()
        os.write(fd, b"quit\r")
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
        process.wait(timeout=10)
        os.close(fd)


@pytest.mark.e2e
def test_ctrl_c_stops_the_http_server_quietly_and_nothing_lands_in_home(tmp_path):
    fake = FakeSlack()
    port = free_port()
    log = tmp_path / "serve.log"
    env = clean_env(tmp_path, SLACK_BOT_TOKEN="xoxb-t", SLACK_SIGNING_SECRET="s", SLACK_API_URL=f"{fake.url}/api/",
                    HOST="127.0.0.1")
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=interruptible)
    try:
        deadline = time.monotonic() + 30
        while True:  # bounded wait until it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/slack/events", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)  # gunicorn's graceful_timeout (10 s) bounds it
        except subprocess.TimeoutExpired:
            code = None
        assert code in (0, 130), log.read_text()
    finally:
        process.kill()
        process.wait(timeout=10)
        fake.close()
    assert "Traceback" not in log.read_text()
    assert list((tmp_path / "home").iterdir()) == []  # no ~/.gunicorn/ control socket


def chat(monkeypatch, capsys, typed: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["chat"]) == 0
    return capsys.readouterr().out


@pytest.fixture
def quiet_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("SLACK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/chat.db")


def test_the_chat_says_did_you_mean_once(quiet_env, monkeypatch, capsys):
    out = chat(monkeypatch, capsys, "community\n")
    assert out.count("Did you mean") == 1
    assert "  1. " in out and "  3. " in out


def test_an_out_of_range_number_is_a_slip_not_a_question(quiet_env, monkeypatch, capsys, tmp_path):
    out = chat(monkeypatch, capsys, "community\n9\n0\n2\n")
    assert out.count("pick a number from 1 to 3") == 2
    assert "Green spaces" in out  # 2 still picks
    from bot.store import Store

    with Store(f"sqlite:///{tmp_path}/chat.db") as store:
        questions, events = store.rows()
    assert [q["text"] for q in questions] == ["community"]  # 9 and 0 were not recorded as questions
    assert [e["kind"] for e in events] == ["choose"]


def test_a_number_without_choices_is_still_a_question(quiet_env, monkeypatch, capsys):
    out = chat(monkeypatch, capsys, "911\n")
    assert "911" in out and "pick a number" not in out


@pytest.mark.parametrize("since", ["99999999w", "0d", "876001h", "1000000000000000000000d"])
def test_since_out_of_bounds_is_a_clear_error(quiet_env, capsys, since):
    assert main(["report", "--since", since]) == 2
    err = capsys.readouterr().err
    assert "--since must be from 1h to 100 years" in err or "--since takes a number" in err


def test_makefile_checks_the_python_version_before_making_a_venv(tmp_path):
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.10.12'; exit 0; fi\n"
                          "exec " + sys.executable + " -c 'import sys; sys.exit(1)'\n")
    old_python.chmod(0o755)
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "-C", str(ROOT), "setup", f"PYTHON={old_python}", f"VENV={venv}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Python 3.11 or newer is needed" in result.stderr and "3.10.12" in result.stderr
    assert not venv.exists()


def test_makefile_says_plainly_when_the_python_asked_for_is_missing(tmp_path):
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "-C", str(ROOT), "setup", f"PYTHON={tmp_path / 'python3.99'}", f"VENV={venv}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "python3.99' is missing." in result.stderr
    assert "not found" not in result.stderr  # the shell's own words, once garbled into the sentence
    assert not venv.exists()


def test_a_failed_set_up_leaves_no_broken_venv(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("./no-such-package-1.0-py3-none-any.whl --hash=sha256:" + "0" * 64 + "\n")
    venv = tmp_path / "venv"
    # --without-pip: a venv whose pip install fails at once, as a broken one does, without the wait.
    result = subprocess.run(["make", "-C", str(ROOT), "setup", f"PYTHON={sys.executable}", f"VENV={venv}",
                             f"REQUIREMENTS={requirements}", "VENV_ARGS=--without-pip"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "set-up failed" in result.stderr
    assert not venv.exists()


@pytest.mark.e2e
def test_ctrl_c_stops_socket_mode_quietly(tmp_path):
    import threading

    from fake_socket import FakeSocketMode

    ws = FakeSocketMode()
    fake = FakeSlack(wss_url=ws.url)
    threading.Thread(target=ws.accept, daemon=True).start()
    log = tmp_path / "socket.log"
    env = clean_env(tmp_path, SLACK_BOT_TOKEN="xoxb-t", SLACK_APP_TOKEN="xapp-t", SLACK_API_URL=f"{fake.url}/api/")
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   preexec_fn=interruptible)
    try:
        assert ws.connected.wait(20), log.read_text()
        deadline = time.monotonic() + 20
        while "Starting to receive messages" not in log.read_text():  # bounded: connected and listening
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        process.kill()
        process.wait(timeout=10)
        ws.close()
        fake.close()
    assert "Traceback" not in log.read_text() and "KeyboardInterrupt" not in log.read_text()
