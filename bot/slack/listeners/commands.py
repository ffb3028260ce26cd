"""/cvi [topic] and /gunviolence <question>: ephemeral replies with a Share button."""

from __future__ import annotations

from bot.render.blocks import render


def register(app, engine) -> None:
    webinar_intents = engine.intents_citing("webinar")

    @app.command("/cvi")
    def cvi(ack, command, respond):
        ack()
        topic = (command.get("text") or "").strip()
        if not topic:
            answer = engine.answer_intent("cvi_series", "/cvi")
        else:
            answer = engine.ask(topic, within=webinar_intents)
        respond(response_type="ephemeral", **render(answer, shareable=True))

    @app.command("/gunviolence")
    def gunviolence(ack, command, respond):
        ack()
        question = (command.get("text") or "").strip()
        answer = engine.ask(question) if question else engine.answer_intent("help", "/gunviolence")
        respond(response_type="ephemeral", **render(answer, shareable=True))
