"""`/metrics` (Prometheus text format) and `/readyz`; `/healthz` stays in main.py and stays cheap."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.concurrency import run_in_threadpool

from app.ops import callback_metrics
from app.ops.db_figures import DatabaseFigures
from app.ops.readiness import head_revision, readiness

router = APIRouter()


class _ThisProcess:
    """The callback figures of this process alone (single-worker mode)."""

    def collect(self):
        return callback_metrics.REGISTRY.collect()


def _scrape(app: FastAPI) -> bytes:
    registry = CollectorRegistry()
    if callback_metrics.multiprocess_dir():
        MultiProcessCollector(registry)  # every worker's files, added up
    else:
        registry.register(_ThisProcess())  # type: ignore[arg-type]
    registry.register(app.state.database_figures)
    return generate_latest(registry)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    body = await run_in_threadpool(_scrape, request.app)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    checks = await run_in_threadpool(readiness, state.session_factory, now=state.edge.clock(), head=state.ops_head)
    ready = all(check.ok for check in checks)
    body = {"ready": ready, "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JSONResponse(body, status_code=200 if ready else 503)


def install_ops(app: FastAPI) -> None:
    """The one hook in create_app: callback metrics middleware and the two routes."""
    app.state.ops_head = head_revision()
    app.state.database_figures = DatabaseFigures(app.state.session_factory, app.state.edge.clock)
    app.add_middleware(callback_metrics.CallbackMetrics)
    app.include_router(router)
