"""The WeCom self-built app client: one app (corp id + agent id + secret), all its API families.

client = WeComClient(corp_id=..., agent_id=1000002, secret=..., api_base=settings.wecom_api_base,
                     token_store=store, recorder=recorder)
client.message.send_text(touser=["zhangsan"], content="...")
client.appchat.send_markdown(chatid="...", content="...")
"""

from __future__ import annotations

import random

import httpx

from .appchat import AppChatApi
from .clock import Clock, SystemClock
from .group_msgs import GroupMsgApi
from .groupchat import GroupChatApi
from .message import MessageApi
from .session import ApiSession, OwnedHttp
from .token import FetchedToken, TokenProvider
from .tokens import CallRecorder, TokenStore


class WeComClient(OwnedHttp):
    def __init__(
        self,
        *,
        corp_id: str,
        agent_id: int,
        secret: str,
        api_base: str,
        token_store: TokenStore,
        recorder: CallRecorder,
        clock: Clock | None = None,
        http: httpx.Client | None = None,
        timeout: float = 10.0,
        rng: random.Random | None = None,
    ) -> None:
        clock = clock or SystemClock()
        # Tokens are per app, i.e. per secret (§2.1); the agent id names the secret's app.
        self.app_key = f"wecom:{corp_id}:{agent_id}"
        self._corp_id = corp_id
        self._secret = secret
        self.session = ApiSession(
            api_base=api_base,
            app_key=self.app_key,
            token_kind="wecom",
            tokens=None,
            recorder=recorder,
            clock=clock,
            http=self._init_http(http, timeout),
            rng=rng,
        )
        self.tokens = TokenProvider(
            app_key=self.app_key, fetch=self._fetch_token, store=token_store, clock=clock
        )
        self.session.tokens = self.tokens
        self.message = MessageApi(self.session, agent_id=agent_id)
        self.appchat = AppChatApi(self.session)
        self.group_msgs = GroupMsgApi(self.session)  # 企业群发 into customer groups (§2.7)
        self.groupchat = GroupChatApi(self.session)

    def _fetch_token(self) -> FetchedToken:
        """gettoken (§2.1); retried on -1 like any call, 40001/40013 are permanent."""
        answer = self.session.call(
            "GET",
            "gettoken",
            params={"corpid": self._corp_id, "corpsecret": self._secret},
            authenticated=False,
        )
        return FetchedToken(token=answer["access_token"], expires_in=int(answer.get("expires_in", 7200)))
