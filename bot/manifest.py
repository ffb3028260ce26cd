"""`python -m bot manifest [--http URL] [--oauth]`: the Slack app manifest for each way of running.

- no option: Socket Mode, one workspace; exactly `app.yaml` (a test keeps them equal);
- `--http URL`: HTTP mode, every Request URL at URL/slack/events, Socket Mode off;
- `--http URL --oauth`: install by link in many workspaces: the redirect URL
  URL/slack/oauth_redirect, org-wide installs on Enterprise Grid, and the uninstall and
  revocation events, which delete a workspace's tokens and data.

Scopes, events and suggested prompts are defined here once, for the manifest and the app.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml

APP_YAML = Path(__file__).resolve().parent.parent / "app.yaml"
BOT_SCOPES = ("app_mentions:read", "assistant:write", "chat:write", "commands", "im:history")
BOT_EVENTS = ("app_home_opened", "app_mention", "message.im")
OAUTH_EVENTS = ("app_uninstalled", "tokens_revoked")  # install by link: what an uninstall deletes
AGENT_DESCRIPTION = ("Answers mayors and city staff on reducing gun violence from the U.S. Conference of Mayors' "
                     "curated resources: community violence intervention, the CVI webinars, organizations, "
                     "reports and federal action. In an emergency call 911; for a crisis call or text 988.")
PROMPTS_TITLE = "Ask about reducing gun violence"
MAX_PROMPTS = 4  # Slack's limit for agent_view and for assistant.threads.setSuggestedPrompts


def suggested_prompts(knowledge) -> list[dict]:
    """Up to four prompts, one per topic the knowledge offers (intents marked `topic`), in
    its order: the topic's title, and its first example question as the message."""
    topics = [i for i in knowledge.intents.values() if i.topic and i.examples]
    return [{"title": i.title, "message": i.examples[0]} for i in topics[:MAX_PROMPTS]]


def build(knowledge, http_url: str | None = None, oauth: bool = False) -> dict:
    if oauth and not http_url:
        raise ValueError("--oauth needs --http URL: Slack sends installers back to URL/slack/oauth_redirect")
    manifest = copy.deepcopy(yaml.safe_load(APP_YAML.read_text()))
    features, settings = manifest["features"], manifest["settings"]
    features["agent_view"] = {"agent_description": AGENT_DESCRIPTION, "suggested_prompts": suggested_prompts(knowledge)}
    manifest["oauth_config"]["scopes"]["bot"] = list(BOT_SCOPES)
    settings["event_subscriptions"]["bot_events"] = list(BOT_EVENTS) + (list(OAUTH_EVENTS) if oauth else [])
    settings["socket_mode_enabled"] = http_url is None
    if http_url:
        base = http_url.rstrip("/")
        if not base.startswith("https://") or len(base) <= len("https://"):
            # Slack sends its requests only to https:// Request URLs
            raise ValueError(f"--http takes the app's public https address, like https://assistant.example.org; "
                             f"got {http_url!r}")
        settings["event_subscriptions"]["request_url"] = f"{base}/slack/events"
        settings["interactivity"]["request_url"] = f"{base}/slack/events"
        for command in features["slash_commands"]:
            command["url"] = f"{base}/slack/events"
    if oauth:
        manifest["oauth_config"]["redirect_urls"] = [f"{base}/slack/oauth_redirect"]
        settings["org_deploy_enabled"] = True  # an Enterprise Grid org can install it for all its workspaces
    return manifest


def main(knowledge, http_url: str | None, oauth: bool, out) -> int:
    try:
        manifest = build(knowledge, http_url, oauth)
    except ValueError as exc:
        print(exc, file=__import__("sys").stderr)
        return 2
    out.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return 0
