"""The Zalo channel as `dondoc run` assembles it: the client, the store, the inbox, and either
the webhook route (for the web app to mount) or polling.

    zalo = build_zalo(token=…, base_url=…, webhook_url=…, secret=…, runner=…, clock=…,
                      conversation=…, locale_of=…)
    web_app = build_web_app(..., extra_routes=zalo.routes())
    async with zalo.running() as sender:          # the dispatcher's Sender for Zalo
        ...
"""

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from starlette.routing import BaseRoute

from bot.conversation.incoming import ConversationHandler
from bot.zalo.client import DEFAULT_BASE_URL, MAX_SEND_RATE, ZaloClient
from bot.zalo.inbox import Inbox, LocaleOf
from bot.zalo.runner import POLL_TIMEOUT, running
from bot.zalo.sender import ZaloSender
from bot.zalo.store import ZaloStore
from bot.zalo.webhook import webhook_route
from jobs.runner import JobRunner
from services.clock import Clock


@dataclass(frozen=True, slots=True)
class ZaloChannel:
    """What the composition root mounts and runs for Zalo."""

    inbox: Inbox
    webhook_url: str | None = None
    secret: str | None = None

    def routes(self) -> list[BaseRoute]:
        """The webhook route when a webhook URL is configured; none when polling."""
        if self.webhook_url is None or self.secret is None:
            return []
        return [webhook_route(self.inbox, webhook_url=self.webhook_url, secret=self.secret)]

    def running(
        self, *, poll_timeout: float = POLL_TIMEOUT
    ) -> AbstractAsyncContextManager[ZaloSender]:
        """Receive updates until the block ends; the block gets the dispatcher's `Sender`."""
        return running(
            self.inbox, webhook_url=self.webhook_url, secret=self.secret, poll_timeout=poll_timeout
        )


def build_zalo(
    *,
    token: str,
    runner: JobRunner,
    clock: Clock,
    conversation: ConversationHandler,
    locale_of: LocaleOf,
    base_url: str = DEFAULT_BASE_URL,
    webhook_url: str | None = None,
    secret: str | None = None,
    max_send_rate: float = MAX_SEND_RATE,
    files_url: str | None = None,
) -> ZaloChannel:
    """The Zalo channel for the bot `token` on `base_url`, answering through `conversation`;
    with `webhook_url` (and its `secret`) updates come to the web app instead of being polled.
    It sends at most `max_send_rate` messages a second; files are linked on `files_url` (the
    web pages' public address) when there is one, else named."""
    if webhook_url is not None and not secret:
        raise ValueError("a Zalo webhook needs its secret token")
    inbox = Inbox(
        client=ZaloClient(token, base_url=base_url, max_send_rate=max_send_rate),
        store=ZaloStore(runner, clock),
        conversation=conversation,
        locale_of=locale_of,
        files_url=files_url,
    )
    return ZaloChannel(inbox=inbox, webhook_url=webhook_url, secret=secret)
