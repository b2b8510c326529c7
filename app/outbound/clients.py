"""The WeCom app client of a deployment, built once from the settings with the shared stores."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from app.outbound.store import SqlCallRecorder, SqlTokenStore
from app.settings import Settings
from bots.client.mp import MpClient
from bots.client.wecom import WeComClient


def wecom_client(settings: Settings, session_factory: sessionmaker[Session]) -> WeComClient:
    """Token shared through the database with every worker; every call's errcode recorded."""
    return WeComClient(
        corp_id=settings.wecom_corp_id, agent_id=settings.wecom_agent_id, secret=settings.wecom_secret,
        api_base=settings.wecom_api_base, token_store=SqlTokenStore(session_factory),
        recorder=SqlCallRecorder(session_factory),
    )


def mp_client(settings: Settings, session_factory: sessionmaker[Session]) -> MpClient:
    """The Official Account client, sharing the token store and call records with the WeCom one."""
    return MpClient(
        app_id=settings.mp_app_id, app_secret=settings.mp_app_secret, api_base=settings.mp_api_base,
        token_store=SqlTokenStore(session_factory), recorder=SqlCallRecorder(session_factory),
    )
