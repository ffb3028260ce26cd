"""/cvi [topic] and /gunviolence <question>: ephemeral replies with a Share button."""

from __future__ import annotations

from bot.render.blocks import render


def register(app, live) -> None:
    @app.command("/cvi")
    def cvi(ack, command, respond):
        ack()
        engine = live.engine
        topic = (command.get("text") or "").strip()
        if not topic:
            answer = engine.answer_intent("cvi_series", "/cvi")
        else:
            answer = engine.ask(topic, within=engine.intents_citing("webinar"))
        respond(response_type="ephemeral", **render(answer, shareable=True))

    @app.command("/gunviolence")
    def gunviolence(ack, command, respond):
        ack()
        question = (command.get("text") or "").strip()
        engine = live.engine
        answer = engine.ask(question) if question else engine.answer_intent("help", "/gunviolence")
        respond(response_type="ephemeral", **render(answer, shareable=True))
