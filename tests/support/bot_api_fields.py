"""The fields of a Bot API call as PTB sends them: `application/x-www-form-urlencoded` bodies
whose non-string fields are JSON-encoded one by one, multipart bodies for uploads (the files
apart), JSON bodies, and the query string."""

import json
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request

from tests.support.fake_server import JSON

JSON_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "reply_markup",
        "offset",
        "limit",
        "timeout",
        "allowed_updates",
        "show_alert",
        "drop_pending_updates",
        "reply_parameters",
        "link_preview_options",
        "cache_time",
        "max_connections",
        "commands",
        "scope",
    }
)


async def read_fields(request: Request) -> tuple[JSON, dict[str, bytes]]:
    """The request's fields, JSON-decoded where PTB encoded them; uploaded files apart."""
    content_type = request.headers.get("content-type", "")
    raw: list[tuple[str, str]] = []
    files: dict[str, bytes] = {}
    if content_type.startswith("multipart/form-data"):
        async with request.form() as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[name] = await value.read()
                    raw.append((f"{name}_name", value.filename or ""))
                else:
                    raw.append((name, value))
    elif content_type.startswith("application/json"):
        body = await request.json()
        return dict(body), files
    else:
        raw = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    raw.extend(request.query_params.multi_items())
    params: JSON = {}
    for name, value in raw:
        params[name] = json.loads(value) if name in JSON_FIELDS and value else value
    return params, files
