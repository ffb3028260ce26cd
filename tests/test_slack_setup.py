"""The manifest, the listeners and the settings agree, and a missing setting is a clear
message naming each variable and where to find it."""

import re
from pathlib import Path

import yaml

from bot.slack.app import create_app
from bot.slack.settings import Settings
from conftest import ROOT, run_bot
from fake_slack import FakeSlack

MANIFEST = yaml.safe_load((ROOT / "app.yaml").read_text())


def test_every_manifest_command_and_event_has_a_listener_and_back(engine):
    fake = FakeSlack()
    try:
        app = create_app(engine, Settings("xoxb-t", "http", signing_secret="s", api_url=f"{fake.url}/api/"))
    finally:
        fake.close()
    sources = "\n".join(p.read_text() for p in (ROOT / "bot" / "slack" / "listeners").glob("*.py"))
    listened_commands = set(re.findall(r'@app\.command\("([^"]+)"\)', sources))
    listened_events = set(re.findall(r'@app\.event\("([^"]+)"', sources))
    manifest_commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    manifest_events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert listened_commands == manifest_commands
    # message.im arrives as a "message" event with channel_type "im"
    assert {"message" if e.startswith("message.") else e for e in manifest_events} == listened_events
    assert len(app._listeners) >= len(listened_commands) + len(listened_events)


def test_manifest_is_importable_as_it_is():
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert all(c["description"] and c["usage_hint"] for c in features["slash_commands"])
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {"app_mentions:read", "assistant:write", "chat:write",
                                                             "commands", "im:history"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]


def test_missing_settings_name_each_variable_and_where_to_find_it():
    result = run_bot("serve", "--http")
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "OAuth & Permissions" in result.stderr
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Signing Secret" in result.stderr
    result = run_bot("serve", "--socket", env={"SLACK_BOT_TOKEN": "xoxb-secret-value"})
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "App-Level Tokens" in result.stderr
    assert "SLACK_BOT_TOKEN:" not in result.stderr and "xoxb-secret-value" not in result.stderr


def test_bad_numbers_in_settings_name_the_variable():
    for env in ({"KNOWLEDGE_RELOAD_SECONDS": "soon"}, {"PORT": "http"}, {"KNOWLEDGE_RELOAD_SECONDS": "0"}):
        result = run_bot("serve", "--http", env={"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_SIGNING_SECRET": "s", **env})
        name = next(iter(env))
        assert result.returncode == 1
        assert f"{name} must be a positive number" in result.stderr and "Traceback" not in result.stderr


def test_settings_never_show_a_secret():
    settings = Settings("xoxb-secret", "http", signing_secret="shh")
    assert "xoxb-secret" not in repr(settings) and "shh" not in repr(settings)
