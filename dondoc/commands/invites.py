"""`dondoc invite NAME`: a one-time, expiring invite for an officer, as a Telegram deep link and a
short code (for Zalo and the web chat, which have no deep links).

The deep link needs the bot's username, which the settings do not hold: `--bot-username` gives
it; without it, and with DONDOC_TELEGRAM_TOKEN set, the command asks Telegram (`getMe`) once;
with neither, only the code is printed.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    import httpx

    from dondoc.invocation import Cli
    from dondoc.settings import Settings


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc invite NAME`."""
    t = cli.t

    @app.command("invite", help=t(N_("Invite the officer called NAME to the bot (one-time).")))
    def invite(
        name: Annotated[str, typer.Argument(help=t(N_("The officer's full name.")))],
        bot_username: Annotated[
            str | None,
            typer.Option(
                "--bot-username",
                help=t(N_("The Telegram bot's username (default: asked from Telegram).")),
            ),
        ] = None,
        days: Annotated[
            int, typer.Option("--days", min=1, max=60, help=t(N_("Valid for this many days.")))
        ] = 7,
        org: str | None = cli.org_option(),
    ) -> None:
        from datetime import timedelta

        from services.people.invites import create_invite

        username = bot_username or _username_from_telegram(cli)
        with cli.session() as session:
            card = create_invite(
                session,
                cli.clock,
                cli.office(session, cli.organization(session, org)),
                name,
                lifetime=timedelta(days=days),
            )
        cli.say(
            N_("Invitation for {name}, valid until {date}:"),
            name=card.officer,
            date=card.expires_at.astimezone(cli.clock.zone).date(),
        )
        if username:
            cli.say(N_("Telegram: {link}"), link=card.deep_link(username))
        else:
            cli.say(N_("(No Telegram link: give --bot-username or set DONDOC_TELEGRAM_TOKEN.)"))
        cli.say(N_("Or send this code to the bot: {code}"), code=card.code)
        cli.say(N_("Web sign-in: {link}"), link=web_invite_link(cli.settings, card.token))


def web_invite_link(settings: "Settings", token: str) -> str:
    """The address that signs the invited officer in to the web pages of this dondoc (from
    DONDOC_PUBLIC_URL, else this machine's web address)."""
    if settings.public_url:
        return f"{settings.public_url.rstrip('/')}/login/invite/{token}"
    host = f"[{settings.web_host}]" if ":" in settings.web_host else settings.web_host
    return f"http://{host}:{settings.web_port}/login/invite/{token}"


def _username_from_telegram(cli: "Cli") -> str | None:
    settings = cli.settings
    if settings.telegram_token is None:
        return None
    import httpx

    try:
        return bot_username(settings.telegram_base_url, settings.telegram_token.get_secret_value())
    except (httpx.HTTPError, ValueError):
        cli.fail(N_("Telegram did not tell the bot's name: give --bot-username."), code=2)


def bot_username(
    base_url: str, token: str, *, transport: "httpx.BaseTransport | None" = None
) -> str:
    """The bot's username, from Telegram's getMe (`ValueError` when the answer has none)."""
    import httpx

    with httpx.Client(transport=transport, timeout=10) as client:
        answer = client.get(f"{base_url}{token}/getMe").json()
    username = answer.get("result", {}).get("username") if answer.get("ok") else None
    if not isinstance(username, str) or not username:
        raise ValueError("getMe gave no username")
    return username
