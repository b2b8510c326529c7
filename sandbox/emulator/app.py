"""The emulator's ASGI application: API families + control routes, faults in front."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sandbox.emulator import (
    routes_appchat,
    routes_card,
    routes_control,
    routes_message,
    routes_mp,
    routes_robot,
    routes_token,
)
from sandbox.emulator.faults import FaultMiddleware, endpoint_name
from sandbox.emulator.state import EmulatorState


def create_asgi(state: EmulatorState) -> FaultMiddleware:
    """The app to serve: faults sit outside Starlette's middleware so they can reach the socket."""
    return FaultMiddleware(create_app(state), state)


def create_app(state: EmulatorState) -> FastAPI:
    app = FastAPI(title="JobMatrix WeCom/OA emulator", docs_url="/_emulator/docs", openapi_url="/_emulator/openapi.json")
    app.state.emulator = state
    for module in (routes_token, routes_message, routes_card, routes_appchat, routes_robot, routes_mp,
                   routes_control):
        app.include_router(module.router)

    @app.exception_handler(404)
    async def unknown_api(request: Request, exc: Exception) -> JSONResponse:
        # The real API answers unknown paths with a JSON errcode; our control routes keep HTTP 404.
        endpoint = endpoint_name(request.url.path)
        if endpoint is None:
            detail = getattr(exc, "detail", "not found")
            return JSONResponse({"detail": detail}, status_code=404)
        return JSONResponse(state.error_body(endpoint, 40058, ip="127.0.0.1", detail=f"unknown api {endpoint}"))

    return app
