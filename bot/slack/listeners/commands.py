"""/cvi [topic] and /gunviolence <question>: ephemeral replies with a Share button."""

from __future__ import annotations

from bot import contract
from bot.render.blocks import render
from bot.slack import listeners
from bot.slack.conversation import command_conversation
from bot.slack.values import context, fitted


def register(app, deps) -> None:
    def answer_command(command, respond, answer) -> None:
        text = f"{command['command']} {command.get('text') or ''}".strip()
        qid = deps.recorder.question("command", text, answer, team_id=command.get("team_id"),
                                     channel_id=command.get("channel_id"), user_id=command.get("user_id"))
        where = context(q=qid, t=command.get("text") or text, c=command.get("channel_id"))
        respond(response_type="ephemeral",
                **render(fitted(answer), shareable=True, context=where, handoff=bool(deps.handoff(command.get("team_id")))))

    @app.command("/cvi")
    @listeners.guarded("/cvi")
    def cvi(ack, command, respond):
        ack()
        engine = deps.live.engine
        topic = (command.get("text") or "").strip()
        if not topic:
            answer = engine.answer_intent(contract.CVI_MENU, "/cvi")
        else:
            answer = engine.ask(topic, within=engine.intents_citing("webinar"))
        deps.recorder.remember(command_conversation(command), answer)
        answer_command(command, respond, answer)

    @app.command("/gunviolence")
    @listeners.guarded("/gunviolence")
    def gunviolence(ack, command, respond):
        ack()
        engine = deps.live.engine
        question = (command.get("text") or "").strip()
        conversation = command_conversation(command)  # one asker's commands in one channel
        if question:
            answer = engine.ask(question, context=deps.recorder.context(conversation) if engine.may_lean_back(question) else None)
        else:
            answer = engine.answer_intent(contract.HELP, "/gunviolence")
        deps.recorder.remember(conversation, answer)
        answer_command(command, respond, answer)
