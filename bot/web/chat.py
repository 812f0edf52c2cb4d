"""The web chat: one conversation per officer, through the same conversation layer as Telegram;
new messages arrive live (server-sent events)."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Final

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from bot.conversation.incoming import ChatUser, Incoming, IncomingFile, Press
from bot.web import transcript
from bot.web.hub import ChatEvent
from bot.web.pages import (
    checked_form,
    checked_upload,
    flash,
    id_param,
    me,
    render,
    render_fragment,
    see_other,
    upload_name,
    web_of,
)
from jobs.senders import Recipient
from locales import N_
from models import Channel, Officer
from services.messages import Action, Text
from services.people.web_auth import web_chat_id

logger = logging.getLogger(__name__)

MAX_TEXT: Final = 2000
MAX_FILE_BYTES: Final = 20 * 1024 * 1024  # what the Telegram adapter accepts too
FILE_TOO_BIG: Final = N_("This file is too big: I can read files of up to {limit} MB.")
PING_SECONDS: Final = 15.0


def chat_user(officer: Officer) -> ChatUser:
    """The officer as the conversation layer sees a web chat user."""
    assert officer.id is not None
    web_id = web_chat_id(officer.id)
    return ChatUser(
        channel=Channel.WEB,
        user_id=web_id,
        chat_id=web_id,
        display_name=officer.name,
        language_code=officer.locale,
    )


async def page(request: Request) -> Response:
    """The officer's chat, its latest messages first shown."""
    officer = await me(request)
    if officer is None or officer.id is None:
        return see_other("/login")
    messages = await web_of(request).runner.run(transcript.recent_messages, officer.id)
    return render(request, "chat.page.html", officer, messages=messages)


async def send(request: Request) -> Response:
    """The officer wrote something (signed in and CSRF checked before the body is read)."""
    officer = await me(request)
    if officer is None or officer.id is None:
        return see_other("/login")
    form = await checked_upload(request)
    text = " ".join(str(form.get("text", "")).split())[:MAX_TEXT]
    upload = form.get("file")
    file = None
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            name = upload_name(upload.filename)
        except HTTPException:
            await form.close()
            raise
        content = await upload.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            await form.close()
            flash(request, Text(FILE_TOO_BIG, {"limit": MAX_FILE_BYTES // (1024 * 1024)}))
            return see_other("/chat")
        file = IncomingFile(file_name=name, content=content, media_type=upload.content_type)
    await form.close()
    if text or file:
        web = web_of(request)
        shown = text if file is None else " ".join(("📎 " + file.file_name, text)).strip()
        message_id = await web.sender.said(officer.id, shown)
        incoming = Incoming(
            user=chat_user(officer), text=text or None, file=file, message_id=str(message_id)
        )
        await _answer(request, officer, incoming)
    return _done(request)


async def press(request: Request) -> Response:
    """The officer pressed a button under a message."""
    form = await checked_form(request)
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    try:
        action = Action(str(form.get("action", "")))
    except ValueError:
        return Response(status_code=400)
    token = str(form.get("token", ""))[:64]
    shown = id_param(str(form.get("message", "")))  # the message the button was under
    message = None if shown is None else str(shown)
    incoming = Incoming(user=chat_user(officer), press=Press(action, token), message_id=message)
    await _answer(request, officer, incoming)
    return _done(request)


async def events(request: Request) -> Response:
    """The officer's new and edited messages as they arrive (server-sent events)."""
    officer = await me(request)
    if officer is None or officer.id is None:
        return Response(status_code=401)
    web = web_of(request)
    officer_id = officer.id

    async def stream() -> AsyncIterator[str]:
        with web.hub.listen(officer_id) as queue:
            yield "retry: 2000\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), PING_SECONDS)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if event is None:
                    return
                yield _event(request, officer, event)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _event(request: Request, officer: Officer, event: ChatEvent) -> str:
    html = render_fragment(
        request,
        "_message.html",
        officer,
        message_id=event.message_id,
        payload=event.payload,
        from_officer=event.from_officer,
    )
    data = json.dumps({"id": event.message_id, "edit": event.is_edit, "html": html})
    return f"event: message\ndata: {data}\n\n"


async def _answer(request: Request, officer: Officer, incoming: Incoming) -> None:
    web = web_of(request)
    assert officer.id is not None
    replies = await web.conversation.handle(incoming)
    recipient = Recipient(
        officer_id=officer.id, chat_id=web_chat_id(officer.id), locale=officer.locale
    )
    for reply in replies:
        await web.sender.send(recipient, reply)


def _done(request: Request) -> Response:
    if request.headers.get("X-Requested-With") == "fetch":
        return Response(status_code=204)  # the page hears the answer on its event stream
    return see_other("/chat")


def routes() -> list[Route]:
    """The chat routes."""
    return [
        Route("/chat", page, methods=["GET"]),
        Route("/chat/send", send, methods=["POST"]),
        Route("/chat/press", press, methods=["POST"]),
        Route("/chat/events", events, methods=["GET"]),
    ]
