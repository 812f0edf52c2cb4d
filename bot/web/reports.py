"""Report downloads: a plan's workbook, draft or chart for a period, for whoever may see it
(the chair and the admins the whole plan, an officer their own units' rows)."""

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.pages import locale_of, me, refuse, see_other, web_of
from reports.files import Kind, build_file
from reports.period import BadPeriod, parse_period
from services.errors import DomainError
from services.reporting.snapshots import snapshot_by_id


async def download(request: Request) -> Response:
    """GET /reports/{plan}/{kind}?period=2025-Q2: the file, as an attachment."""
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    web = web_of(request)
    try:
        kind = Kind(request.path_params["kind"])
        wanted = request.query_params.get("period")
        period = parse_period(wanted) if wanted else None
    except (ValueError, BadPeriod):
        return Response(status_code=404)
    try:
        snapshot = await web.runner.run(
            snapshot_by_id,
            web.clock,
            officer,
            int(request.path_params["plan"]),
            period=period,
            locale=locale_of(request, officer),
        )
    except DomainError as error:
        return refuse(request, officer, error)
    built = await asyncio.to_thread(build_file, kind, snapshot)
    return Response(
        built.content,
        media_type=built.media_type,
        headers={"Content-Disposition": f'attachment; filename="{built.name}"'},
    )


def routes() -> list[Route]:
    """The report routes."""
    return [Route("/reports/{plan:id}/{kind:str}", download, methods=["GET"])]
