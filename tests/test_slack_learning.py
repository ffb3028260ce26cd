"""Learning from use: questions, feedback, picks and hand-off travel as signed requests to
the app (in process, through the same WSGI handler as under gunicorn), which records
them; `python -m bot report` then shows them. Two end-to-end tests keep the real server."""

import json

import pytest

from bot.cli import main
from bot.slack.values import ButtonValue
from fake_slack import FakeSlack, InProcessApp, RunningApp

STAFF = "C0STAFF"


@pytest.fixture(scope="module")
def app(engine):
    fake = FakeSlack()
    running = InProcessApp(engine, fake, env={"HANDOFF_CHANNEL": STAFF})
    yield running
    running.close()
    fake.close()


@pytest.fixture
def fake(app):
    app.idle()
    app.fake.clear()
    return app.fake


@pytest.fixture
def report(app, monkeypatch, capsys):
    def run(*args) -> dict:
        app.idle()  # every listener has written what it records
        monkeypatch.setenv("DATABASE_URL", app.settings.database_url)
        capsys.readouterr()
        assert main(["report", "--json", *args]) == 0
        return json.loads(capsys.readouterr().out)
    return run


def buttons(message) -> dict:
    """The buttons of a posted message, by label."""
    return {e["text"]["text"]: e for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]}


def click(app, button, ephemeral=False) -> dict:
    """Click a button as Slack would, with the app's own action_id and value; its reply."""
    (status, _), url = app.sender.click(button["action_id"], button["value"], ephemeral=ephemeral)
    assert status == 200
    return app.fake.wait_for(url.split(str(app.fake.port))[1])[0]


def test_a_fallback_in_slack_shows_up_in_the_report_with_a_proposal(app, fake, report):
    for wording in ("Does Medicaid reimburse HVIP?", "hvip medicaid reimbursement rules"):
        app.sender.message(wording)
    fake.wait_for("chat.postMessage", 2)
    data = report()
    group = next(u for u in data["unanswered"] if "medicaid" in u["text"])
    assert group["count"] == 2
    proposal = next(p for p in data["proposals"] if any("medicaid" in q for q in p["questions"]))
    assert proposal["intent"] == "cvi_models" and "examples:" in proposal["yaml"]


def test_votes_show_per_intent_and_a_thumbs_down_asks_what_was_wrong(app, fake, report):
    app.sender.message("what does the coalition to stop gun violence do")
    post = fake.wait_for("chat.postMessage")[0]
    assert click(app, buttons(post)["👍"])["text"] == "Thanks, noted."
    reply = click(app, buttons(post)["👎"])
    assert reply["response_type"] == "ephemeral"
    assert "Ask a person" in buttons(reply)  # HANDOFF_CHANNEL is set
    modal = fake.wait_for("views.open")[0]
    assert modal["trigger_id"].startswith("1.2.") and modal["view"]["callback_id"] == "feedback_comment"
    status, _ = app.sender.submit_view("feedback_comment", modal["view"]["private_metadata"],
                                       {"comment": {"comment": {"type": "plain_text_input", "value": "Wanted the founding year"}}})
    assert status == 200
    votes = next(f for f in report()["feedback"] if f["intent"] == "csgv")
    assert votes == {"intent": "csgv", "up": 1, "down": 1, "comments": ["Wanted the founding year"]}


def test_repeated_did_you_mean_picks_become_a_proposal(app, fake, report):
    for _ in range(2):
        fake.clear()
        app.sender.message("community")
        post = fake.wait_for("chat.postMessage")[0]
        choice = next(b for b in buttons(post).values() if b["action_id"].startswith("choose:"))
        picked = ButtonValue.decode(choice["value"]).i
        assert click(app, choice)["replace_original"] is True
    data = report()
    proposal = next(p for p in data["proposals"] if p["why"].startswith("picked 2 times"))
    assert proposal["intent"] == picked and proposal["questions"] == ["community"]


def test_none_of_these_counts_as_unanswered(app, fake, report):
    app.sender.message("mayors")
    post = fake.wait_for("chat.postMessage")[0]
    assert "I don't have an answer" in click(app, buttons(post)["None of these"])["text"]
    assert any(u["text"] == "mayors" for u in report()["unanswered"])


def test_ask_a_person_posts_to_the_staff_channel_and_tells_the_asker(app, fake):
    app.sender.message("<!here> when does the <b>pool</b> open & close?")
    post = fake.wait_for("chat.postMessage")[0]
    reply = click(app, buttons(post)["Ask a person"])
    assert f"<#{STAFF}>" in reply["text"] and "follow up" in reply["text"] and reply["response_type"] == "ephemeral"
    handed = [p for p in fake.recorded("chat.postMessage") if p["channel"] == STAFF][0]
    assert "<@U0MAYOR>" in handed["text"]
    assert "&lt;!here&gt;" in handed["text"] and "<!here>" not in handed["text"]  # no ping through the hand-off
    assert "https://city.slack.com/archives/D0DM/p" in handed["text"]  # a link to the conversation
    assert fake.recorded("chat.getPermalink")


def test_the_dm_channel_of_a_question_is_stored_hashed(app, fake):
    app.sender.message("who founded maig")
    fake.wait_for("chat.postMessage")
    app.idle()
    questions, _ = app.recorder.store.rows()
    assert questions and all("D0DM" != q["channel_id"] and "U0MAYOR" != q["user_hash"] for q in questions)


def test_a_failed_write_still_delivers_the_answer(engine, caplog):
    fake = FakeSlack()
    broken = InProcessApp(engine, fake, env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    try:
        broken.sender.message("who is brady named for")
        assert "Jim and Sarah Brady" in fake.wait_for("chat.postMessage")[0]["text"]
        assert "answering without recording" in caplog.text
    finally:
        broken.close()
        fake.close()


def test_two_instances_on_one_database_reply_once(engine, tmp_path):
    # Behind a load balancer, Slack's redelivery can reach another instance than the first.
    fake = FakeSlack()
    shared = {"DATABASE_URL": f"sqlite:///{tmp_path}/shared.db"}
    first, second = InProcessApp(engine, fake, env=shared), InProcessApp(engine, fake, env=shared)
    try:
        event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0MAYOR",
                 "ts": "1700000900.000001", "text": "what does the atf do"}
        assert first.sender.event(event, event_id="EvLB1")[0] == 200
        assert second.sender.event(event, event_id="EvLB1", headers={"X-Slack-Retry-Num": "1"})[0] == 200
        first.idle()
        second.idle()
        assert len(fake.recorded("chat.postMessage")) == 1
    finally:
        first.close()
        second.close()
        fake.close()


@pytest.mark.e2e
def test_the_same_round_trip_on_postgresql_by_setting_one_variable(tmp_path, fresh_postgres_url, monkeypatch, capsys):
    fake = FakeSlack()
    app = RunningApp(fake, tmp_path, env={"DATABASE_URL": fresh_postgres_url})
    try:
        app.sender.message("when does the skating rink open")
        app.sender.message("what is the brady campaign")
        fake.wait_for("chat.postMessage", 2)
    finally:
        app.stop()  # the answers are out; the writes before them are done
        fake.close()
    monkeypatch.setenv("DATABASE_URL", fresh_postgres_url)
    assert main(["report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_outcome"] == {"fallback": 1, "answer": 1}
    assert data["unanswered"][0]["text"] == "when does the skating rink open" and data["unanswered"][0]["count"] == 1
    assert data["proposals"][0]["kind"] == "new_intent"


@pytest.mark.e2e
def test_a_failed_write_under_the_real_server_still_delivers_the_answer(tmp_path):
    fake = FakeSlack()
    broken = RunningApp(fake, tmp_path, env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    try:
        broken.sender.message("who is brady named for")
        assert "Jim and Sarah Brady" in fake.wait_for("chat.postMessage")[0]["text"]
        assert "answering without recording" in broken.log.read_text()
    finally:
        broken.stop()
        fake.close()
