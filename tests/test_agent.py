"""Slack's agent surface: opening the app's Messages tab sets the suggested prompts (on
the channel, no thread_ts); a workspace without the feature, or a failing call, changes
nothing for the DM assistant. In process, signed requests, the fake Web API."""

import time

import pytest

from bot.manifest import MAX_PROMPTS, PROMPTS_TITLE, suggested_prompts
from bot.slack.app import create_app
from bot.slack.settings import Settings
from fake_slack import AppSender, FakeSlack, TrackingExecutor

TOKEN = "xoxb-agent-token"


@pytest.fixture
def slack(engine):
    fake = FakeSlack()
    settings = Settings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": f"{fake.url}/api/"},
                                 mode="http")
    listeners = TrackingExecutor()
    app = create_app(engine, settings, executor=listeners)  # no store: the Messages tab needs none
    yield AppSender(app, "s", fake)
    # Every listener done before the fake goes: a call still retrying (the 500 case) would
    # otherwise meet a closed port and log its error into a later test's caplog.
    listeners.idle(timeout=15)
    listeners.shutdown()
    fake.close()


def open_tab(slack, tab):
    return slack.event({"type": "app_home_opened", "user": "U0MAYOR", "channel": "D0DM", "tab": tab,
                        "event_ts": f"{time.time():.6f}"})


def test_the_messages_tab_gets_the_suggested_prompts(slack, engine):
    assert open_tab(slack, "messages")[0] == 200
    call = slack.fake.wait_for("assistant.threads.setSuggestedPrompts")[0]
    assert call["channel_id"] == "D0DM" and "thread_ts" not in call  # agent_view: no thread
    assert call["title"] == PROMPTS_TITLE
    assert call["prompts"] == suggested_prompts(engine.knowledge) and len(call["prompts"]) == MAX_PROMPTS
    assert slack.fake.tokens("assistant.threads.setSuggestedPrompts") == [TOKEN]
    assert slack.fake.recorded("views.publish") == []  # the Home tab is a different tab


def test_the_home_tab_still_gets_the_home_view(slack):
    open_tab(slack, "home")
    assert slack.fake.wait_for("views.publish")[0]["user_id"] == "U0MAYOR"
    assert slack.fake.recorded("assistant.threads.setSuggestedPrompts") == []


@pytest.mark.parametrize("failure", ["missing_scope", "feature_not_enabled", 500])
def test_an_error_setting_prompts_changes_nothing_for_the_dm(slack, failure):
    if failure == 500:
        slack.fake.fail_next[:] = [500, 500, 500]  # Slack down, retries and all
    else:
        slack.fake.errors["assistant.threads.setSuggestedPrompts"] = failure
    assert open_tab(slack, "messages")[0] == 200
    slack.fake.wait_for("assistant.threads.setSuggestedPrompts" if failure != 500 else "assistant.threads.setSuggestedPrompts (500)")
    slack.message("who founded mayors against illegal guns?")
    post = slack.fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "D0DM" and "Bloomberg" in post["text"]
