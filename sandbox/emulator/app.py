"""The emulator's ASGI application: API families + control routes, faults in front."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sandbox.emulator import (
    routes_appchat,
    routes_card,
    routes_control,
    routes_control_groups,
    routes_groupchat,
    routes_message,
    routes_mp,
    routes_mp_assets,
    routes_mp_template,
    routes_msg_template,
    routes_oauth,
    routes_robot,
    routes_token,
)
from sandbox.emulator.faults import FaultMiddleware, endpoint_name
from sandbox.emulator.state import EmulatorState


def create_asgi(state: EmulatorState) -> FaultMiddleware:
    """The app to serve: faults sit outside Starlette's middleware so they can reach the socket."""
    return FaultMiddleware(create_app(state), state)


def create_app(state: EmulatorState) -> FastAPI:
    app = FastAPI(
        title="JobMatrix WeCom/OA emulator", docs_url="/_emulator/docs", openapi_url="/_emulator/openapi.json"
    )
    app.state.emulator = state
    for module in (
        routes_token,
        routes_message,
        routes_card,
        routes_appchat,
        routes_robot,
        routes_mp,
        routes_mp_template,
        routes_msg_template,
        routes_mp_assets,
        routes_groupchat,
        routes_control,
        routes_control_groups,
        routes_oauth,
    ):
        app.include_router(module.router)

    async def unknown_api(request: Request, exc: Exception) -> JSONResponse:
        # The real API answers unknown paths and wrong methods with a JSON errcode (40058 covers
        # "GET where POST is required", D-90313); our control routes keep their HTTP status.
        endpoint = endpoint_name(request.url.path)
        status = getattr(exc, "status_code", 404)
        if endpoint is None:
            return JSONResponse({"detail": getattr(exc, "detail", "not found")}, status_code=status)
        state.record_call(endpoint, 40058)
        return JSONResponse(
            state.error_body(endpoint, 40058, ip="127.0.0.1", detail=f"invalid request to {endpoint}")
        )

    app.add_exception_handler(404, unknown_api)
    app.add_exception_handler(405, unknown_api)

    return app
