"""The manifest, the listeners and the settings agree."""

import re

import yaml

from bot.slack.app import create_app
from bot.settings import Settings
from conftest import ROOT
from fake_slack import FakeSlack

MANIFEST = yaml.safe_load((ROOT / "app.yaml").read_text())


def test_every_manifest_command_and_event_has_a_listener_and_back(engine):
    fake = FakeSlack()
    try:
        app = create_app(engine, Settings(bot_token="xoxb-t", mode="http", signing_secret="s", api_url=f"{fake.url}/api/"))
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
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {"app_mentions:read", "chat:write", "commands", "im:history"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]


def test_settings_never_show_a_secret():
    settings = Settings(bot_token="xoxb-secret", mode="http", signing_secret="shh",
                        database_url="postgresql://u:pw-secret@h/db", user_hash_key=b"k" * 32)
    shown = repr(settings)
    assert "xoxb-secret" not in shown and "shh" not in shown and "pw-secret" not in shown and "kkkk" not in shown
