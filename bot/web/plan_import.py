"""The office's import page: upload a plan, read its preview with the flagged rows, then store
or cancel it. The use cases (`services.importing.pending`) refuse anyone but an admin and keep
the previewed file in the database; these handlers only render."""

import logging

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.forms import office_page, submit
from bot.web.pages import (
    checked_upload,
    flash,
    me,
    refuse,
    render,
    see_other,
    upload_name,
    web_of,
)
from locales import N_
from models import Officer
from plans.flags import flag_sentences
from plans.readers import MAX_FILE_BYTES
from plans.readers.errors import PlanFileError
from services.errors import AdminOnly, DomainError
from services.importing.imports import ImportOutcome
from services.importing.labels import deadline_summary, revision_notice, stored_notice
from services.importing.pending import Preview, cancel_pending, confirm_pending, preview
from services.messages import Text
from services.people.organizations import office_of

logger = logging.getLogger(__name__)

PAGE = "/admin/import"


async def import_page(request: Request) -> Response:
    """The upload form."""
    shown = await office_page(request, office_of)
    if isinstance(shown, Response):
        return shown
    officer, _ = shown
    return render(request, "import.page.html", officer, preview=None)


async def upload(request: Request) -> Response:
    """Read the uploaded plan and show what was understood (CSRF checked before the file is
    read); the file waits in the database for the admin's answer."""
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    form = await checked_upload(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        await form.close()
        flash(request, Text(N_("Please choose a plan file.")))
        return see_other(PAGE)
    try:
        file_name = upload_name(file.filename)
        content = await file.read(MAX_FILE_BYTES + 1)
    finally:
        await form.close()
    web = web_of(request)
    try:
        shown: Preview = await web.runner.run(
            preview, web.clock, officer, file_name=file_name, content=content
        )
    except AdminOnly as refused:
        return refuse(request, officer, refused)
    except (PlanFileError, DomainError) as error:
        flash(request, Text(error.msgid, dict(error.params)))
        return see_other(PAGE)
    return render(
        request,
        "import.page.html",
        officer,
        preview=shown,
        revision=revision_notice(shown),
        flag_sentences=flag_sentences,
        deadline_summary=deadline_summary,
    )


async def confirm(request: Request) -> Response:
    """Store the previewed plan and assign its tasks, then show the dashboard."""
    return await submit(request, _confirm, back=PAGE)


async def _confirm(request: Request, officer: Officer, form: FormData) -> Text | Response:
    web = web_of(request)
    try:
        outcome: ImportOutcome = await web.runner.run(
            confirm_pending, web.clock, officer, request.path_params["key"]
        )
    except PlanFileError as error:
        return Text(error.msgid, dict(error.params))
    logger.info("plan %s imported from the web by officer %s", outcome.plan.id, officer.id)
    flash(request, stored_notice(outcome))
    return see_other("/dashboard")


async def cancel(request: Request) -> Response:
    """Forget the previewed plan."""
    return await submit(request, _cancel, back=PAGE)


async def _cancel(request: Request, officer: Officer, form: FormData) -> None:
    web = web_of(request)
    await web.runner.run(cancel_pending, web.clock, officer, request.path_params["key"])


def routes() -> list[Route]:
    """The import page's routes."""
    return [
        Route(PAGE, import_page, methods=["GET"]),
        Route(PAGE, upload, methods=["POST"]),
        Route(PAGE + "/{key:id}", confirm, methods=["POST"]),
        Route(PAGE + "/{key:id}/cancel", cancel, methods=["POST"]),
    ]
