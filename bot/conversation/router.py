"""The router: one turn in, the replies out. It picks the handler for what came (a press, a
file, a command, an answer to the bot's question, free text); the handlers are small functions
of the frozen `Turn` and ask `services` for everything that touches data."""

import base64

from bot.conversation import acting, commanding, lists, plan_import, presses, texts, waiting
from bot.conversation.commands import parse_command
from bot.conversation.context import Turn
from bot.conversation.incoming import IncomingFile
from bot.conversation.messages import NO_TASK
from models import Role
from services.conversing.flows import Flow
from services.conversing.replied import tasks_replied_to
from services.messages import Reply, say
from services.tracking import queries


def route(turn: Turn) -> list[Reply]:
    """Answer the turn."""
    incoming = turn.incoming
    if incoming.press is not None:
        return presses.on_press(turn, incoming.press)
    if incoming.file is not None:
        return on_file(turn, incoming.file)
    command = parse_command(turn.text)
    if command is not None:
        return commanding.on_command(turn, command.name, command.arg)
    if not turn.text:
        return lists.help_lines(turn)
    if turn.waiting is not None:
        return waiting.on_waiting(turn, turn.waiting)
    return texts.on_text(turn)


def on_file(turn: Turn, file: IncomingFile) -> list[Reply]:
    """A plan file from an admin (not in reply to anything) is previewed for import — a second
    one while a preview waits replaces it; any other file is evidence for the task it replies
    to, or for the one the sender picks."""
    free = turn.waiting is None or turn.waiting.flow is Flow.IMPORT
    if turn.actor.role is Role.ADMIN and turn.reply_to is None and free:
        return [plan_import.preview_plan(turn, file)]
    if turn.reply_to is not None:
        targets = tasks_replied_to(
            turn.session, turn.clock, turn.actor, channel=turn.via, message_id=turn.reply_to
        )
    else:
        targets = [item.occurrence_id for item in queries.items(turn.session, turn.actor)]
    if not targets:
        return [say(NO_TASK)]
    if len(targets) == 1:
        return acting.evidence(turn, targets[0], file.file_name, file.content, file.media_type)
    stored: dict[str, object] = {
        "name": file.file_name,
        "media_type": file.media_type,
        "content": base64.b64encode(file.content).decode("ascii"),
    }
    return [acting.ask_which(turn, targets, None, file=stored)]
