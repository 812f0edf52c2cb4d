"""A stand-in for the conversation layer, for channel adapter tests: it records what it is
handed and answers with whatever the test scripted (an echo by default)."""

from collections.abc import Awaitable, Callable

from bot.conversation.incoming import ChatUser, Incoming
from services.messages import Reply, Text

Script = Callable[[Incoming], Awaitable[list[Reply]]]


async def echo(incoming: Incoming) -> list[Reply]:
    """Say back what was written, or which button was pressed."""
    if incoming.press is not None:
        said = f"{incoming.press.action.value}:{incoming.press.token}"
    elif incoming.file is not None:
        said = f"file {incoming.file.file_name} ({len(incoming.file.content)} bytes)"
    else:
        said = incoming.text or ""
    return [Reply(lines=(Text("You said: {said}", {"said": said}),))]


class ScriptedConversation:
    """A `ConversationHandler` that records each `Incoming` and answers with `script`."""

    def __init__(self, script: Script = echo, *, locale: str = "vi") -> None:
        self.script = script
        self.locale = locale
        self.received: list[Incoming] = []
        self.locale_asked: list[ChatUser] = []

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Record `incoming`, answer as scripted."""
        self.received.append(incoming)
        return await self.script(incoming)

    async def locale_of(self, user: ChatUser) -> str:
        """Every chat user reads `locale`."""
        self.locale_asked.append(user)
        return self.locale
