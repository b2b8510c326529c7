"""The FastAPI application: built from one Settings object, with injectable clock and database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.dashboard.board_views import router as board_router
from app.dashboard.membership import router as membership_router
from app.dashboard.views import router as dashboard_router
from app.db import make_engine, make_session_factory
from app.home import router as home_router
from app.inbound.edge import Edge
from app.inbound.receivers import build_receivers
from app.inbound.views import router as inbound_router
from app.joins.worker import join_worker
from app.ops.views import install_ops
from app.privacy import cipher_from_settings, install_cipher
from app.settings import Settings, get_settings
from app.training.views import router as training_router
from relay.rules import DeadlinePolicy
from vetting.views import router as vetting_router


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _warm_up() -> None:
    """Load the tokenizer and the name model now, not on the first resident's message (jieba
    takes about a second): WeCom gives a callback 5 seconds."""
    from templates_msg import ner
    from templates_msg.understand import understand

    ner.warm_up()
    understand("会开叉车 想找仓库的活")


def create_app(
    settings: Settings | None = None,
    *,
    session_factory: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> FastAPI:
    settings = settings or get_settings()
    install_cipher(cipher_from_settings(settings.data_key))
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    app = FastAPI(title="JobMatrix", version="0.1.0")
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.edge = Edge.for_database(
        dialect=session_factory.kw["bind"].dialect.name,
        receivers=build_receivers(settings),
        session_factory=session_factory,
        clock=clock,
        max_skew_seconds=settings.callback_max_skew_seconds,
        policy=DeadlinePolicy(timezone=settings.timezone),
        rejection_sample=settings.rejected_sample_per_hour,
    )
    app.state.join_worker = join_worker(settings, session_factory, clock)
    if app.state.join_worker is not None:
        app.state.edge.after_accept = app.state.join_worker.notice
    app.include_router(inbound_router)
    app.include_router(dashboard_router)
    app.include_router(board_router)
    app.include_router(membership_router)
    app.include_router(vetting_router)
    install_ops(app)
    app.include_router(training_router)
    app.include_router(home_router)
    _warm_up()

    @app.get("/healthz")
    def healthz() -> dict:
        with session_factory() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app
