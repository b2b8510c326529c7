"""`jobmatrix emulator`: the WeCom / Official Account emulator in the foreground (owned by sandbox)."""

from __future__ import annotations

import typer

from app.cli import cli


def _pairs(values: list[str], option: str) -> dict[str, str]:
    """KEY=NAME items of a repeatable option."""
    pairs = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{option} takes KEY=NAME, got {value!r}")
        pairs[key] = name
    return pairs


def _errors(value: str) -> list[int | str]:
    """ "-1,45009,http:502" → [-1, 45009, "http:502"]."""
    items: list[int | str] = []
    for item in filter(None, (v.strip() for v in value.split(","))):
        items.append(item if item.startswith("http:") else int(item))
    return items


@cli.command("emulator")
def emulator_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8001, help="Port to listen on (0: any free port)."),
    corp_id: str = typer.Option("wwemulatorcorp0001", help="CorpID the emulated WeCom accepts."),
    agent_id: int = typer.Option(1000002, help="AgentID of the emulated app."),
    secret: str = typer.Option("emulator-app-secret", help="The app's corpsecret."),
    mp_app_id: str = typer.Option("wxemulatormp00001", help="Official Account appid."),
    mp_app_secret: str = typer.Option("emulator-mp-secret", help="Official Account secret."),
    text_overflow: str = typer.Option(
        "truncate", help="Text/markdown over 2048 bytes: truncate or error (45002)."
    ),
    response_code_ttl: int = typer.Option(72 * 3600, help="Seconds a card response_code stays valid."),
    token_ttl: int = typer.Option(7200, help="Seconds an access_token stays valid."),
    robot_per_minute: int = typer.Option(20, help="Webhook messages per robot per minute before 45009."),
    member_per_minute: int = typer.Option(30, help="App messages per member per minute before silent drops."),
    user: list[str] = typer.Option([], help="A member userid (repeatable)."),
    robot: list[str] = typer.Option([], help="A group robot as KEY=NAME (repeatable)."),
    follower: list[str] = typer.Option([], help="An Official Account follower openid (repeatable)."),
    error_rate: float = typer.Option(0.0, help="Share of API calls answered with an injected error."),
    errors: str = typer.Option("-1", help="Injected errors, comma-separated: errcodes or http:NNN."),
    latency_ms: float = typer.Option(0.0, help="Latency added to every API call."),
    drop_rate: float = typer.Option(0.0, help="Share of API calls whose connection is dropped."),
    seed: int = typer.Option(None, help="Seed of the fault injection (same seed, same faults)."),
) -> None:
    """Serve the emulated WeCom and Official Account APIs until Ctrl-C; control it under /_emulator/."""
    from sandbox.emulator import EmulatorConfig, EmulatorServer, FaultConfig

    if text_overflow not in ("truncate", "error"):
        raise typer.BadParameter("--text-overflow is truncate or error")
    faults = FaultConfig(
        error_rate=error_rate, errors=_errors(errors), latency_ms=latency_ms, drop_rate=drop_rate, seed=seed
    )
    config = EmulatorConfig(
        corp_id=corp_id,
        agent_id=agent_id,
        secret=secret,
        mp_app_id=mp_app_id,
        mp_app_secret=mp_app_secret,
        host=host,
        port=port,
        token_ttl=token_ttl,
        text_overflow=text_overflow,
        response_code_ttl=response_code_ttl,
        robot_per_minute=robot_per_minute,
        member_per_minute=member_per_minute,
        users=list(user),
        robots=_pairs(robot, "--robot"),
        followers=list(follower),
        faults=faults,
    )
    server = EmulatorServer(config).start()
    typer.echo(f"emulator listening at {server.base_url}")
    typer.echo(f"  WECOM_API_BASE={server.wecom_api_base}")
    typer.echo(f"  MP_API_BASE={server.mp_api_base}")
    typer.echo(f"  robot webhook: {server.wecom_api_base}webhook/send?key=KEY")
    typer.echo(f"  control and inspection: {server.control_base} (docs: {server.base_url}/_emulator/docs)")
    typer.echo(f"  corp_id={corp_id} agent_id={agent_id} mp_app_id={mp_app_id}")
    typer.echo("Press Ctrl-C to stop.")
    server.serve_forever()
