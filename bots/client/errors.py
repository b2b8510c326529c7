"""The two ways an outbound call can fail, as the dispatcher needs to tell them apart.

Both derive from wechatpy's `WeChatClientException`, so code written against wechatpy
(`except WeChatClientException`) keeps working and `errcode` / `errmsg` mean the same thing.
"""

from __future__ import annotations

from wechatpy.exceptions import WeChatClientException


class ApiError(WeChatClientException):
    """A WeCom / Official Account call that did not succeed.

    `parts_sent` counts the parts of a split message delivered before this failure (see
    limits.send_in_parts), so a caller can resume instead of resending from the start.
    """

    def __init__(self, errcode: int, errmsg: str, api: str) -> None:
        super().__init__(errcode, errmsg)
        self.api = api
        self.parts_sent = 0

    def __str__(self) -> str:
        return f"{self.api}: errcode {self.errcode}, {self.errmsg}"


class PermanentApiError(ApiError):
    """Retrying the same request will fail again (bad recipient, robot removed, no permission...)."""


class TransientApiError(ApiError):
    """The platform was busy, rate-limited or unreachable; try again after `retry_after` seconds."""

    def __init__(self, errcode: int, errmsg: str, api: str, *, retry_after: float) -> None:
        super().__init__(errcode, errmsg, api)
        self.retry_after = retry_after


class UncertainDeliveryError(ApiError):
    """The request may have been carried out and no answer confirmed it: the body was complete
    when the platform answered 5xx, or the answer never came (read timeout, connection closed).

    Raised, without a retry, only for sends WeCom has no duplicate check for (appchat/send,
    webhook/send): resending could post the message twice, so the caller decides (the
    dispatcher records "unknown" and asks the group's staff, docs/dispatcher.md).
    """
