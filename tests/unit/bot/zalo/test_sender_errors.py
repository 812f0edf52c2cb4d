"""Zalo errors mapped to the outbox's retry rules."""

import logging

import pytest

from bot.zalo.client import ZaloApiError, ZaloNetworkError
from bot.zalo.sender import send_error
from jobs.senders import PermanentSendError, TransientSendError


def test_rate_limits_are_retried_with_their_wait() -> None:
    mapped = send_error(7, ZaloApiError("sendMessage", 429, "Quota exceeded", retry_after=30))
    assert isinstance(mapped, TransientSendError)
    assert mapped.retry_after == 30


@pytest.mark.parametrize("code", [500, 502, 503, 403])
def test_server_errors_are_retried(code: int) -> None:
    assert isinstance(send_error(7, ZaloApiError("sendMessage", code, "x")), TransientSendError)


def test_timeouts_are_retried() -> None:
    assert isinstance(
        send_error(7, ZaloNetworkError("sendMessage: timed out")), TransientSendError
    )


@pytest.mark.parametrize("code", [400, 404])
def test_refusals_give_the_chat_up(code: int) -> None:
    assert isinstance(send_error(7, ZaloApiError("sendMessage", code, "x")), PermanentSendError)


def test_a_rejected_token_is_the_bot_s_fault_not_the_chat_s(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.zalo.sender"):
        mapped = send_error(7, ZaloApiError("sendMessage", 401, "Unauthorized"))
    assert isinstance(mapped, TransientSendError)
    assert "DONDOC_ZALO_TOKEN" in caplog.text
