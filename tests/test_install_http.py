"""The "Done when" of issue 12, end to end: the real app under gunicorn, installed by link.
A city opens /slack/install, Slack sends it back to /slack/oauth_redirect, and its people
are answered with its own token; a second city does the same on the running app, without
a restart. Over HTTP on 127.0.0.1, against the fake Web API."""

import re
import urllib.parse
import urllib.request

import pytest
from cryptography.fernet import Fernet

from fake_slack import FakeSlack, RunningApp

SECRET = "install-http-signing-secret"


@pytest.fixture(params=["sqlite", "postgresql"])
def running(request, tmp_path):
    fake = FakeSlack()
    env = {"SLACK_CLIENT_ID": fake.client_id, "SLACK_CLIENT_SECRET": fake.client_secret,
           "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    if request.param == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("fresh_postgres_url")
    app = RunningApp(fake, tmp_path, SECRET, token=None, env=env)
    yield app, fake
    app.stop()
    fake.close()


def install_in_a_browser(base: str, fake: FakeSlack, team: str) -> str:
    """What an admin of `team` does: open the install page, follow "Add to Slack" (Slack
    approves and redirects back with a code), the state cookie going back as a browser's would."""
    token = fake.install(f"code-{team}", team)
    with urllib.request.urlopen(f"{base}/slack/install", timeout=10) as page:
        html = page.read().decode()
        # Secure and HttpOnly: a browser sends it back only over https, which production has
        set_cookie = page.headers["Set-Cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie
    link = re.search(r'<a href="([^"]+)"><img alt="Add to Slack"', html).group(1).replace("&amp;", "&")
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["state"][0]
    # Slack's side: the admin approves; Slack redirects the browser back to us with a code.
    query = urllib.parse.urlencode({"code": f"code-{team}", "state": state})
    request = urllib.request.Request(f"{base}/slack/oauth_redirect?{query}",
                                     headers={"Cookie": set_cookie.split(";")[0]})  # the same browser
    with urllib.request.urlopen(request, timeout=10) as done:
        assert done.status == 200 and "Thank you!" in done.read().decode()
    return token


@pytest.mark.e2e
def test_two_cities_install_by_link_and_are_answered_with_their_own_tokens(running):
    app, fake = running
    north = install_in_a_browser(app.base, fake, "T0NORTH")
    app.sender.team = "T0NORTH"
    app.sender.message("who founded mayors against illegal guns?", channel="D0NORTH")
    assert "Bloomberg" in fake.wait_for("chat.postMessage")[0]["text"]
    south = install_in_a_browser(app.base, fake, "T0SOUTH")  # the same running process
    app.sender.team = "T0SOUTH"
    app.sender.message("what is cvi", channel="D0SOUTH")
    posts = fake.wait_for("chat.postMessage", 2)
    assert [p["channel"] for p in posts] == ["D0NORTH", "D0SOUTH"]
    assert fake.tokens("chat.postMessage") == [north, south]
    log = app.log.read_text()
    for secret in (north, south, fake.client_secret, SECRET):
        assert secret not in log
