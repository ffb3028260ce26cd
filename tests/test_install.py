"""Install by link, in process: the real Bolt app (OAuth settings, slack_sdk's SQLAlchemy
stores, our encrypted wrapper) gets signed requests through `app.dispatch` and the OAuth
pages through Bolt's flow, and talks to the fake Slack Web API on 127.0.0.1. On SQLite and
on PostgreSQL."""

import logging
import re
from pathlib import Path
import urllib.parse

import pytest
from cryptography.fernet import Fernet
from slack_bolt.request import BoltRequest
from sqlalchemy import create_engine, inspect, text

from bot.slack.app import create_app
from bot.slack.settings import Settings
from bot.store import Recorder, Store
from conftest import run_bot
from fake_slack import AppSender, FakeSlack, TrackingExecutor, eventually

SECRET = "install-signing-secret"
KEY = Fernet.generate_key().decode()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/assistant.db"
    return request.getfixturevalue("fresh_postgres_url")


class City:
    """One running app in OAuth mode and what a test needs around it."""

    def __init__(self, engine, url):
        self.fake = FakeSlack()
        self.settings = Settings.from_env({
            "SLACK_CLIENT_ID": self.fake.client_id, "SLACK_CLIENT_SECRET": self.fake.client_secret,
            "SLACK_SIGNING_SECRET": SECRET, "TOKEN_ENCRYPTION_KEY": KEY, "SLACK_API_URL": f"{self.fake.url}/api/",
            "DATABASE_URL": url}, mode="http")
        assert self.settings.oauth
        self.recorder = Recorder.open(self.settings)
        self.listeners = TrackingExecutor()
        self.app = create_app(engine, self.settings, self.recorder, executor=self.listeners)
        self.sender = AppSender(self.app, SECRET, self.fake)
        self.installations = self.app.installation_store

    def install_page(self):
        return self.app.oauth_flow.handle_installation(BoltRequest(body="", query="", headers={}))

    def redirect(self, query: dict, cookie: str | None):
        headers = {"cookie": cookie} if cookie else {}
        return self.app.oauth_flow.handle_callback(BoltRequest(body="", query=urllib.parse.urlencode(query), headers=headers))

    def install(self, team, enterprise=None, expires_in=None) -> str:
        """A full "Add to Slack": the page, Slack's redirect back with a code; the bot token."""
        token = self.fake.install(f"code-{team or enterprise}", team, enterprise, expires_in)
        page = self.install_page()
        state, cookie = _state_and_cookie(page)
        done = self.redirect({"code": f"code-{team or enterprise}", "state": state}, cookie)
        assert done.status == 200, done.body
        return token

    def dm(self, text, team, channel="D0DM", **envelope):
        self.sender.team, self.sender.envelope = team, envelope
        return self.sender.message(text, channel=channel)

    def close(self):
        # Every listener done first: one still writing when the store closes leaves its
        # connection to be collected (a ResourceWarning in a later test), one still calling
        # Slack meets a closed port.
        self.listeners.idle(timeout=15)
        self.listeners.shutdown()
        self.fake.close()
        self.recorder.close()


def _state_and_cookie(page):
    cookie = page.headers["set-cookie"][0]
    state = re.search(r"state=([^&\"]+)", page.body).group(1)
    return state, cookie.split(";")[0]


@pytest.fixture
def city(engine, url):
    c = City(engine, url)
    yield c
    c.close()


def test_the_install_page_links_to_slack_with_a_state_kept_in_a_cookie(city):
    page = city.install_page()
    assert page.status == 200 and "text/html" in page.headers["content-type"][0]
    link = re.search(r'<a href="([^"]+)"><img alt="Add to Slack"', page.body).group(1).replace("&amp;", "&")
    assert link.startswith("https://slack.com/oauth/v2/authorize?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["client_id"] == [city.fake.client_id]
    assert set(query["scope"][0].split(",")) == {"app_mentions:read", "assistant:write", "chat:write", "commands",
                                                 "im:history"}
    cookie = page.headers["set-cookie"][0]
    assert cookie.startswith(f"slack-app-oauth-state={query['state'][0]};")
    assert "HttpOnly" in cookie and "Secure" in cookie


def test_oauth_round_trip_stores_the_installation_and_refuses_a_replayed_state(city):
    token = city.fake.install("code-1", "T0NORTH")
    state, cookie = _state_and_cookie(city.install_page())
    done = city.redirect({"code": "code-1", "state": state}, cookie)
    assert done.status == 200 and "Thank you!" in done.body
    exchange = city.fake.recorded("oauth.v2.access")
    assert [e["code"] for e in exchange] == ["code-1"]
    installed = city.installations.find_installation(enterprise_id=None, team_id="T0NORTH")
    assert installed.bot_token == token and installed.team_name == "City T0NORTH"
    # The same state again (a replayed or shared link): refused, and no second exchange.
    again = city.redirect({"code": "code-1", "state": state}, cookie)
    assert again.status == 401 and len(city.fake.recorded("oauth.v2.access")) == 1


def test_a_redirect_without_the_browsers_cookie_or_with_a_bad_code_installs_nothing(city):
    city.fake.install("code-2", "T0EAST")
    state, _ = _state_and_cookie(city.install_page())
    assert city.redirect({"code": "code-2", "state": state}, None).status == 400  # another browser
    state, cookie = _state_and_cookie(city.install_page())
    assert city.redirect({"code": "made-up", "state": state}, cookie).status == 401
    assert city.redirect({"error": "access_denied", "state": state}, cookie).status == 200  # the person said no
    assert city.installations.find_installation(enterprise_id=None, team_id="T0EAST") is None


def test_two_workspaces_are_answered_each_with_its_own_token(city):
    north = city.install("T0NORTH")
    south = city.install("T0SOUTH")
    city.dm("who founded mayors against illegal guns?", "T0NORTH", channel="D0NORTH")
    city.fake.wait_for("chat.postMessage")
    city.dm("what is cvi", "T0SOUTH", channel="D0SOUTH")
    posts = city.fake.wait_for("chat.postMessage", 2)
    tokens = dict(zip([p["channel"] for p in posts], city.fake.tokens("chat.postMessage"), strict=True))
    assert tokens == {"D0NORTH": north, "D0SOUTH": south}
    assert "Bloomberg" in posts[0]["text"]


def test_a_workspace_that_never_installed_gets_no_answer(city):
    city.install("T0NORTH")
    city.dm("what is cvi", "T0STRANGER")  # Bolt finds no installation: nothing runs
    city.listeners.idle()  # and had anything started, it would have finished by now
    assert city.fake.recorded("chat.postMessage") == [] and city.recorder.store.rows() == ([], [])


def test_an_expiring_token_is_rotated_with_its_refresh_token(city):
    first = city.install("T0WEST", expires_in=60)  # within Bolt's two hours: rotate now
    city.dm("what is cvi", "T0WEST")
    city.fake.wait_for("chat.postMessage")
    refresh = [c for c in city.fake.recorded("oauth.v2.access") if c.get("grant_type") == "refresh_token"]
    assert len(refresh) == 1 and refresh[0]["refresh_token"].startswith("xoxe-1-refresh-")
    rotated = city.fake.tokens("chat.postMessage")[0]
    assert rotated.startswith("xoxe.xoxb-1-") and len(rotated) > 150 and rotated != first
    stored = city.installations.find_installation(enterprise_id=None, team_id="T0WEST")
    assert stored.bot_token == rotated and stored.bot_refresh_token != refresh[0]["refresh_token"]
    city.fake.revoke(first)  # the old token is dead at Slack; the app no longer uses it


def test_an_org_wide_install_answers_every_workspace_of_the_org(city):
    token = city.install(None, enterprise="E0GRID")
    installed = city.installations.find_installation(enterprise_id="E0GRID", team_id=None, is_enterprise_install=True)
    assert installed.is_enterprise_install and installed.bot_token == token
    org = {"enterprise_id": "E0GRID", "is_enterprise_install": True,
           "authorizations": [{"enterprise_id": "E0GRID", "team_id": None, "user_id": "U0BOT1",
                               "is_bot": True, "is_enterprise_install": True}]}
    city.dm("what is cvi", "T0BRANCH", channel="D0BRANCH", **org)
    post = city.fake.wait_for("chat.postMessage")[0]
    assert post["channel"] == "D0BRANCH" and city.fake.tokens("chat.postMessage") == [token]


def _seed(city, team, channel):
    """What a workspace leaves behind: a question, a 👎 with a comment, a hand-off channel."""
    city.dm("what is cvi", team, channel=channel)
    eventually(lambda: city.recorder.store.rows(team_id=team)[0], what=f"{team}'s question")
    qid = city.recorder.store.rows(team_id=team)[0][0]["id"]
    city.sender.team = team
    city.sender.click("feedback:down", f'{{"i":"cvi_definition","q":{qid}}}')
    eventually(lambda: city.recorder.store.rows(team_id=team)[1], what=f"{team}'s feedback")
    city.recorder.store.set_handoff_channel(team, f"C0STAFF{team}")


@pytest.mark.parametrize("how", ["app_uninstalled", "tokens_revoked"])
def test_uninstall_deletes_that_workspaces_tokens_and_data_and_no_others(city, how):
    city.install("T0NORTH")
    south = city.install("T0SOUTH")
    _seed(city, "T0NORTH", "D0NORTH")
    _seed(city, "T0SOUTH", "D0SOUTH")
    city.sender.team, city.sender.envelope = "T0NORTH", {}
    event = {"type": how, "event_ts": "1700000000.1"}
    if how == "tokens_revoked":
        event["tokens"] = {"bot": ["U0BOT1"]}
    assert city.sender.event(event)[0] == 200
    eventually(lambda: city.installations.find_installation(enterprise_id=None, team_id="T0NORTH") is None,
               what="the tokens to go")
    eventually(lambda: not city.recorder.store.rows(team_id="T0NORTH")[0], what="the questions to go")
    store = city.recorder.store
    assert store.rows(team_id="T0NORTH") == ([], [])
    assert store.handoff_channel("T0NORTH") is None
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM handled WHERE team_id = 'T0NORTH'")).scalar() == 0
    # The other city keeps everything, and is still answered with its token.
    questions, events = store.rows(team_id="T0SOUTH")
    assert len(questions) == 1 and [e["kind"] for e in events] == ["down"]
    assert store.handoff_channel("T0SOUTH") == "C0STAFFT0SOUTH"
    assert city.installations.find_installation(enterprise_id=None, team_id="T0SOUTH").bot_token == south
    city.fake.clear()
    city.dm("what is brady", "T0NORTH")  # gone: no answer there any more
    city.dm("what is brady", "T0SOUTH", channel="D0SOUTH2")
    city.fake.wait_for("chat.postMessage")
    assert city.fake.tokens("chat.postMessage") == [south]


def test_an_org_wide_uninstall_deletes_the_orgs_tokens_and_every_workspaces_data(city):
    city.install(None, enterprise="E0GRID")
    city.install("T0ALONE")
    org = {"enterprise_id": "E0GRID", "authorizations": [{"enterprise_id": "E0GRID", "team_id": None,
                                                         "is_bot": True, "is_enterprise_install": True}]}
    city.dm("what is cvi", "T0BRANCH1", channel="D1", **org)
    city.dm("what is brady", "T0BRANCH2", channel="D2", **org)
    city.dm("what is cvi", "T0ALONE", channel="D3")
    eventually(lambda: len(city.recorder.store.rows()[0]) == 3, what="three questions")
    city.sender.team, city.sender.envelope = "T0BRANCH1", org
    city.sender.event({"type": "app_uninstalled", "event_ts": "1.1"})
    eventually(lambda: [q["team_id"] for q in city.recorder.store.rows()[0]] == ["T0ALONE"], what="the org's data to go")
    assert city.installations.find_installation(enterprise_id="E0GRID", team_id=None, is_enterprise_install=True) is None
    assert city.installations.find_installation(enterprise_id=None, team_id="T0ALONE") is not None


def test_no_token_is_in_the_database_in_clear(city, url):
    first = city.install("T0NORTH", expires_in=60)
    city.dm("what is cvi", "T0NORTH")
    city.fake.wait_for("chat.postMessage")
    rotated = city.fake.tokens("chat.postMessage")[0]
    stored = city.installations.find_installation(enterprise_id=None, team_id="T0NORTH")
    assert stored.bot_token == rotated  # readable through the store, with the key...
    secrets = [first, rotated, stored.bot_refresh_token, "xoxb-", "xoxe-"]
    if url.startswith("sqlite"):  # ...and nowhere in the file itself, nor its write-ahead log
        city.recorder.store.engine.dispose()
        path = url[len("sqlite:///"):]
        raw = b"".join(Path(p).read_bytes() for p in (path, path + "-wal") if Path(p).exists())
        assert b"T0NORTH" in raw  # the installation is there
    else:  # every text column of every table, as the server holds it
        engine = create_engine(city.recorder.store.url)
        with engine.connect() as conn:
            raw = "".join(str(row) for table in inspect(engine).get_table_names()
                          for row in conn.execute(text(f'SELECT * FROM "{table}"'))).encode()
        engine.dispose()
        assert b"T0NORTH" in raw
    for secret in secrets:
        assert secret.encode() not in raw


def test_oauth_mode_refuses_to_start_without_a_key_and_says_how_to_make_one():
    env = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret-value", "SLACK_SIGNING_SECRET": "s"}
    result = run_bot("serve", env=env)
    assert result.returncode == 2
    assert "TOKEN_ENCRYPTION_KEY" in result.stderr and "Fernet.generate_key()" in result.stderr
    assert "client-secret-value" not in result.stderr
    result = run_bot("serve", env={**env, "TOKEN_ENCRYPTION_KEY": "not-a-key-at-all"})
    assert result.returncode == 2
    assert "TOKEN_ENCRYPTION_KEY is not a Fernet key" in result.stderr and "not-a-key-at-all" not in result.stderr
    assert "Traceback" not in result.stderr
    result = run_bot("serve", "--socket", env={**env, "TOKEN_ENCRYPTION_KEY": KEY})
    assert result.returncode == 2 and "needs HTTP mode" in result.stderr
    result = run_bot("serve", env={**env, "TOKEN_ENCRYPTION_KEY": KEY, "SLACK_BOT_TOKEN": "xoxb-one-workspace"})
    assert result.returncode == 2 and "set one of them" in result.stderr and "xoxb-one-workspace" not in result.stderr


def test_a_replaced_key_still_reads_tokens_kept_with_the_old_one(engine, url):
    city = City(engine, url)
    try:
        token = city.install("T0NORTH")
    finally:
        city.close()
    newer = Fernet.generate_key().decode()
    from bot.slack.oauth import EncryptedInstallationStore, WideTokenStore, check_key

    with Store(url) as store:
        inner = WideTokenStore(client_id="111.222", engine=store.engine)
        assert EncryptedInstallationStore(inner, check_key(f"{newer},{KEY}")).find_bot(
            enterprise_id=None, team_id="T0NORTH").bot_token == token
        assert EncryptedInstallationStore(inner, check_key(newer)).find_bot(enterprise_id=None, team_id="T0NORTH") is None


def _buttons(message) -> dict:
    return {e["text"]["text"]: e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]}


def test_handoff_channel_of_one_workspace_is_not_used_for_many_and_says_so(engine, tmp_path, caplog):
    fake = FakeSlack()
    env = {"SLACK_CLIENT_ID": fake.client_id, "SLACK_CLIENT_SECRET": fake.client_secret, "SLACK_SIGNING_SECRET": SECRET,
           "TOKEN_ENCRYPTION_KEY": KEY, "SLACK_API_URL": f"{fake.url}/api/", "HANDOFF_CHANNEL": "C0ONECITY",
           "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"}
    settings = Settings.from_env(env, mode="http")
    recorder = Recorder.open(settings)
    listeners = TrackingExecutor()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.slack"):
            app = create_app(engine, settings, recorder, executor=listeners)
        assert "HANDOFF_CHANNEL is not used when the app is installed by link" in caplog.text
        fake.install("code-T0NORTH", "T0NORTH")
        city_page = app.oauth_flow.handle_installation(BoltRequest(body="", query="", headers={}))
        state, cookie = _state_and_cookie(city_page)
        app.oauth_flow.handle_callback(BoltRequest(body="", query=f"code=code-T0NORTH&state={state}",
                                                   headers={"cookie": cookie}))
        sender = AppSender(app, SECRET, fake)
        sender.team = "T0NORTH"
        sender.message("when is trash pickup on my street")
        assert "Ask a person" not in _buttons(fake.wait_for("chat.postMessage")[0])  # not C0ONECITY of another city
    finally:
        listeners.idle(timeout=15)
        listeners.shutdown()
        recorder.close()
        fake.close()


def test_each_workspace_hands_off_to_its_own_channel_set_by_the_operator(city, url, bot):
    north = city.install("T0NORTH")
    city.install("T0SOUTH")
    result = bot("handoff", "T0NORTH", "C0NORTHSTAFF", env={"DATABASE_URL": url})
    assert result.returncode == 0 and "C0NORTHSTAFF" in result.stdout
    listed = bot("handoff", env={"DATABASE_URL": url}).stdout
    assert "T0NORTH\tC0NORTHSTAFF" in listed
    assert bot("handoff", "T0NORTH", "#general", env={"DATABASE_URL": url}).returncode == 2  # ids only
    city.dm("when is trash pickup on my street", "T0NORTH", channel="D0NORTH")
    city.dm("when is trash pickup on my street", "T0SOUTH", channel="D0SOUTH")
    posts = {p["channel"]: p for p in city.fake.wait_for("chat.postMessage", 2)}
    assert "Ask a person" in _buttons(posts["D0NORTH"])
    assert "Ask a person" not in _buttons(posts["D0SOUTH"])  # none set there: not offered
    city.fake.clear()
    city.sender.team = "T0NORTH"
    _, response_url = city.sender.click("handoff", _buttons(posts["D0NORTH"])["Ask a person"]["value"])
    handed = city.fake.wait_for("chat.postMessage")[0]
    assert handed["channel"] == "C0NORTHSTAFF" and "trash pickup" in handed["text"]
    assert city.fake.tokens("chat.postMessage") == [north]  # posted with that workspace's own token
    assert bot("handoff", "T0NORTH", "--clear", env={"DATABASE_URL": url}).returncode == 0
    assert city.recorder.store.handoff_channel("T0NORTH") is None


def test_no_token_or_secret_reaches_the_log_even_at_debug(city, caplog):
    with caplog.at_level(logging.DEBUG):
        first = city.install("T0NORTH", expires_in=60)
        city.dm("what is cvi", "T0NORTH")
        city.fake.wait_for("chat.postMessage")
        city.sender.team, city.sender.envelope = "T0NORTH", {}
        city.sender.event({"type": "app_uninstalled", "event_ts": "1.1"})
        eventually(lambda: city.installations.find_installation(enterprise_id=None, team_id="T0NORTH") is None,
                   what="the uninstall")
    assert "oauth.v2.access" in caplog.text or "T0NORTH" in caplog.text  # the log was written, at DEBUG
    rotated = city.fake.tokens("chat.postMessage")[0]
    for secret in (first, rotated, "xoxe-1-refresh", city.fake.client_secret, KEY, SECRET):
        assert secret not in caplog.text, secret[:12]


def test_install_by_link_will_not_start_without_its_database(monkeypatch, capsys):
    from bot.cli import main

    for name, value in {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "client-secret", "SLACK_SIGNING_SECRET": SECRET,
                        "TOKEN_ENCRYPTION_KEY": KEY, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["serve"])
    assert "keeps the workspaces' tokens in the database" in str(stopped.value) and "DATABASE_URL" in str(stopped.value)
