"""Edited knowledge serves without a restart; a broken edit leaves the last good knowledge
serving and logs its file:line problems; fixing the file brings the new knowledge in."""

import logging
import os
import shutil
import time

import pytest

from bot.knowledge import DEFAULT_DIR
from bot.reload import LiveEngine
from bot.settings import default_http_workers
from fake_slack import FakeSlack, RunningApp

MAIG = "intents/organizations.yaml"
OLD = "Mayors Against Illegal Guns (MAIG) was founded in 2006"
NEW = "MAIG (edited by a curator) was founded in 2006"


@pytest.fixture
def knowledge(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, root)
    return root


def edit(root, old, new):
    path = root / MAIG
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    stat = path.stat()  # a new mtime even within the same clock tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_good_edit_broken_edit_and_fix(knowledge, caplog):
    live = LiveEngine(knowledge)
    assert OLD in live.engine.ask("who founded maig").text
    assert live.check() is False  # nothing changed

    edit(knowledge, OLD, NEW)
    assert live.check() is True
    assert NEW in live.engine.ask("who founded maig").text

    with caplog.at_level(logging.WARNING, logger="bot.reload"):
        edit(knowledge, "    title: Brady\n", "    title: Brady\n    anwser: oops\n")
        assert live.check() is False
    assert NEW in live.engine.ask("who founded maig").text  # the last good knowledge still serves
    assert "organizations.yaml:" in caplog.text and "unknown field 'anwser'" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.reload"):
        assert live.check() is False
    assert caplog.text == ""  # the same broken state is reported once

    edit(knowledge, "    anwser: oops\n", "")
    assert live.check() is True
    assert NEW in live.engine.ask("who founded maig").text


@pytest.mark.e2e
def test_running_slack_app_serves_edits_without_restart(knowledge, tmp_path):
    fake = FakeSlack()
    app = RunningApp(fake, tmp_path, env={"KNOWLEDGE_RELOAD_SECONDS": "0.2"}, args=("--knowledge", str(knowledge)))

    def ask_maig() -> str:
        fake.clear()
        app.sender.message("who founded maig")
        return fake.wait_for("chat.postMessage")[0]["text"]

    try:
        assert OLD in ask_maig()
        edit(knowledge, OLD, NEW)
        deadline = time.monotonic() + 10
        while NEW not in ask_maig():  # bounded: the watcher checks every 0.2 s
            assert time.monotonic() < deadline, "the edit never served"
            time.sleep(0.2)
        # every worker process has it (each watches for itself) before the next edit
        while app.log.read_text().count("knowledge reloaded") < default_http_workers():
            assert time.monotonic() < deadline, "not every worker reloaded"
            time.sleep(0.05)
        edit(knowledge, "    title: Brady\n", "    title: Brady\n    anwser: oops\n")
        deadline = time.monotonic() + 10
        while "knowledge edit not loaded" not in app.log.read_text():  # bounded: the watcher saw the broken edit
            assert time.monotonic() < deadline, "the broken edit was never noticed"
            time.sleep(0.1)
        assert NEW in ask_maig()  # and the last good knowledge still serves
        assert "organizations.yaml:" in app.log.read_text()
    finally:
        app.stop()
        fake.close()


def test_an_edit_that_renames_an_id_the_code_relies_on_is_not_loaded(knowledge, caplog):
    live = LiveEngine(knowledge)
    for path in (knowledge / "intents").glob("*.yaml"):  # renamed consistently: the YAML alone is fine
        path.write_text(path.read_text().replace("cvi_series", "cvi_webinar_series"))
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with caplog.at_level(logging.WARNING, logger="bot.reload"):
        assert live.check() is False
    assert "cvi_series" in live.engine.knowledge.intents  # /cvi keeps working
    assert "no intent 'cvi_series'" in caplog.text
