"""Every manifest `python -m bot manifest` prints is valid against Slack's published
schema (vendored in tests/data/slack/), and every command and event it subscribes to
reaches a listener of the app in that mode, and back."""

import json
import re

import pytest
import yaml
from cryptography.fernet import Fernet
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from slack_sdk.oauth.installation_store import Installation
from referencing.jsonschema import DRAFT7

from bot.manifest import build
from bot.slack.app import create_app
from bot.slack.settings import Settings
from bot.store import Recorder
from conftest import ROOT, run_bot
from fake_slack import AppSender, FakeSlack, TrackingExecutor

SCHEMAS = ROOT / "tests" / "data" / "slack"
PUBLIC = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"
URL = "https://assistant.example.org"
VARIANTS = {"socket": (), "http": ("--http", URL), "oauth": ("--http", URL, "--oauth")}


def validator() -> Draft7Validator:
    """Slack's top schema, its $refs to the versioned files resolved to our copies."""
    def load(name):
        return json.loads((SCHEMAS / name).read_text())

    registry = Registry().with_resources(
        (PUBLIC + name, Resource.from_contents(load(name), default_specification=DRAFT7))
        for name in ("manifest.schema.1.0.0.json", "manifest.schema.2.0.0.json"))
    return Draft7Validator(load("manifest.schema.json"), registry=registry)


def manifest(variant: str) -> dict:
    result = run_bot("manifest", *VARIANTS[variant])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_is_valid_against_slacks_schema(variant):
    errors = sorted(validator().iter_errors(manifest(variant)), key=str)
    assert errors == []


def _reasons(errors) -> list[str]:
    """Every message under Slack's oneOf of versions, flattened."""
    out = []
    for error in errors:
        out.append(error.message)
        out += _reasons(error.context)
    return out


@pytest.mark.parametrize("breaking, reason", [
    (lambda m: m["features"]["agent_view"]["suggested_prompts"].extend(m["features"]["agent_view"]["suggested_prompts"]),
     "is too long"),  # eight prompts: Slack allows four
    (lambda m: m["settings"].update(socket_mode_enabled="yes"), "'yes' is not of type 'boolean'"),
    (lambda m: m["features"]["agent_view"].update(prompts=[]), "Additional properties are not allowed"),
])
def test_the_schema_does_catch_a_broken_manifest(breaking, reason):
    broken = manifest("socket")
    breaking(broken)
    assert any(reason in r for r in _reasons(validator().iter_errors(broken)))


def test_socket_mode_is_app_yaml_as_it_is(engine):
    assert manifest("socket") == yaml.safe_load((ROOT / "app.yaml").read_text()) == build(engine.knowledge)


def test_http_mode_has_request_urls_and_no_socket_mode():
    m = manifest("http")
    settings = m["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == f"{URL}/slack/events"
    assert settings["interactivity"]["request_url"] == f"{URL}/slack/events"
    assert {c["url"] for c in m["features"]["slash_commands"]} == {f"{URL}/slack/events"}
    assert "redirect_urls" not in m["oauth_config"]


def test_oauth_has_the_redirect_url_org_installs_and_the_uninstall_events():
    m = manifest("oauth")
    assert m["oauth_config"]["redirect_urls"] == [f"{URL}/slack/oauth_redirect"]
    assert m["settings"]["socket_mode_enabled"] is False and m["settings"]["org_deploy_enabled"] is True
    assert {"app_uninstalled", "tokens_revoked"} <= set(m["settings"]["event_subscriptions"]["bot_events"])


def test_agent_view_offers_four_prompts_that_each_answer_their_topic(engine):
    view = manifest("socket")["features"]["agent_view"]
    assert view["agent_description"] and len(view["suggested_prompts"]) == 4
    for prompt in view["suggested_prompts"]:
        answer = engine.ask(prompt["message"])
        assert answer.outcome == "answer" and answer.title == prompt["title"], prompt


def test_oauth_without_an_address_is_refused_clearly():
    result = run_bot("manifest", "--oauth")
    assert result.returncode == 2 and "--oauth needs --http URL" in result.stderr and not result.stdout
    result = run_bot("manifest", "--http", "assistant.example.org")
    assert result.returncode == 2 and "public https address" in result.stderr
    result = run_bot("manifest", "--http", "http://assistant.example.org")  # Slack calls https:// only
    assert result.returncode == 2 and "public https address" in result.stderr and not result.stdout


def _app(engine, variant, tmp_path, fake, listeners):
    if variant == "oauth":
        env = {"SLACK_CLIENT_ID": fake.client_id, "SLACK_CLIENT_SECRET": fake.client_secret,
               "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    else:
        env = {"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_APP_TOKEN": "xapp-t"}
    settings = Settings.from_env({**env, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": f"{fake.url}/api/",
                                  "DATABASE_URL": f"sqlite:///{tmp_path}/{variant}.db"}, mode="http" if variant == "oauth" else variant)
    return create_app(engine, settings, Recorder.open(settings), executor=listeners)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_subscribed_event_and_command_reaches_a_listener_and_back(engine, tmp_path, variant):
    m = manifest(variant)
    fake = FakeSlack()
    listeners = TrackingExecutor()
    try:
        sender = AppSender(_app(engine, variant, tmp_path, fake, listeners), "s", fake)
        if variant == "oauth":
            token = fake.install("code", "T0TEAM")  # the workspace has installed the app
            sender.app.installation_store.save(Installation(app_id="A0APP", team_id="T0TEAM", bot_token=token,
                                                            bot_id="B0", bot_user_id="U0BOT1", user_id="U0INSTALLER"))
        events = m["settings"]["event_subscriptions"]["bot_events"]
        assert sender.event({"type": "reaction_added", "user": "U0MAYOR"})[0] == 404  # the check can fail
        # (the uninstall events last: app_uninstalled deletes the installation the others need)
        for name in events:  # Bolt answers 404 to a request no listener takes
            kind = "message" if name.startswith("message.") else name
            event = {"type": kind, "user": "U0MAYOR", "channel": "D0DM", "ts": "1.1", "text": "hi", "tab": "home"}
            if name == "message.im":
                event["channel_type"] = "im"
            if name == "tokens_revoked":
                event["tokens"] = {"oauth": ["U0SOMEONE"]}
            assert sender.event(event)[0] == 200, name
        for command in m["features"]["slash_commands"]:
            assert sender.command(command["command"], "")[0][0] == 200, command["command"]
    finally:
        listeners.idle(timeout=15)  # every listener done before Slack goes: none left calling a closed port
        listeners.shutdown()
        fake.close()
    # ...and back: every event and command the code listens to is in this mode's manifest.
    sources = "\n".join(p.read_text() for p in (ROOT / "bot" / "slack").rglob("*.py"))
    listened = set(re.findall(r'@app\.event\("([^"]+)"', sources))
    subscribed = {"message" if e.startswith("message.") else e for e in events}
    only_with_oauth = {"app_uninstalled", "tokens_revoked"}
    assert listened - (set() if variant == "oauth" else only_with_oauth) == subscribed
    assert set(re.findall(r'@app\.command\("([^"]+)"\)', sources)) == {c["command"] for c in m["features"]["slash_commands"]}
