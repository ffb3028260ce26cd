"""Socket Mode end to end: apps.connections.open on the fake Web API hands out a
ws://127.0.0.1 address; a local WebSocket server stands in for Slack's, delivers an event
envelope, and the app acknowledges it and posts its answer through the fake Web API."""

import threading

from bot.slack.app import create_app
from bot.settings import Settings
from fake_slack import FakeSlack
from fake_socket import FakeSocketMode


def test_socket_mode_acknowledges_and_answers(engine):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    ws = FakeSocketMode()
    fake = FakeSlack(wss_url=ws.url)
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_APP_TOKEN": "xapp-t",
                                  "SLACK_API_URL": f"{fake.url}/api/"}, slack=True)
    assert settings.mode == "socket"
    app = create_app(engine, settings)
    handler = SocketModeHandler(app, settings.app_token)
    accepting = threading.Thread(target=ws.accept, daemon=True)
    accepting.start()
    try:
        handler.connect()
        assert ws.connected.wait(10)
        assert fake.recorded("apps.connections.open")
        ws.send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0APP"}})
        ws.send({"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False, "retry_attempt": 0,
                 "payload": {"type": "event_callback", "team_id": "T0TEAM", "event_id": "EvSOCK1", "event": {
                     "type": "app_mention", "channel": "C0CITY", "user": "U0MAYOR", "ts": "1700000100.000001",
                     "text": "<@U0BOT> what is part 3 of the cvi webinars about?"}}})
        ack = ws.receive()
        assert ack["envelope_id"] == "env-1"
        post = fake.wait_for("chat.postMessage")[0]
        assert post["thread_ts"] == "1700000100.000001"
        assert post["text"].startswith("Part 3: CVI in Practice")
    finally:
        # Stopping the client is the test's business, not what it checks; done quickly:
        client = handler.client
        client.auto_reconnect_enabled = False
        ws.close()  # Slack's end first: the client's blocked read returns now, not at its 3 s timeout,
        client.closed = True  # and its message loop, which waits up to 1 s for a message, ends at
        client.message_queue.put(None)  # this None (skipped as no message) instead.
        handler.close()
        fake.close()
