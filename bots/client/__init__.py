"""Outbound calls to WeCom, the Official Account and group robots, with token cache and errcode policy.

Public API: WeComClient (.message, .appchat), MpClient (.custom), RobotClient; errors
PermanentApiError / TransientApiError; ButtonCard for approval cards. See session.py for why this
is a thin layer over wechatpy rather than a subclass of its client.
"""

from .cards import ButtonCard, CardButton, CardField
from .clock import Clock, SystemClock
from .errors import ApiError, PermanentApiError, TransientApiError, UncertainDeliveryError
from .limits import BYTE_LIMITS, split_text
from .mp import MpClient
from .results import CardUpdateResult, ChatResult, Delivered, MessageResult
from .robot import RobotClient
from .tokens import CallRecorder, MemoryCallRecorder, MemoryTokenStore, TokenStore
from .wecom import WeComClient

__all__ = [
    "BYTE_LIMITS",
    "ApiError",
    "ButtonCard",
    "CallRecorder",
    "CardButton",
    "CardField",
    "CardUpdateResult",
    "ChatResult",
    "Clock",
    "Delivered",
    "MemoryCallRecorder",
    "MemoryTokenStore",
    "MessageResult",
    "MpClient",
    "PermanentApiError",
    "RobotClient",
    "SystemClock",
    "TokenStore",
    "TransientApiError",
    "UncertainDeliveryError",
    "WeComClient",
    "split_text",
]
