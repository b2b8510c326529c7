"""docker-compose.yml, the Dockerfile and requirements.lock, checked without a Docker engine:
every command is a real CLI command with real options, the health checks hit real endpoints,
var/ is a volume and the image installs exactly the locked versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import httpx
import pytest
import typer
import yaml

from app.cli import cli

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
_DEFAULT = re.compile(r"\$\{[A-Z_]+:-([^}]*)\}")  # ${NAME:-default} as compose would expand it unset


def _expand(arg: str) -> str:
    return _DEFAULT.sub(lambda m: m.group(1), arg)


def _healthcheck_url(command: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/[a-z]+)", command).group(1)  # type: ignore[union-attr]


def test_compose_runs_postgres_a_one_shot_migration_web_workers_dispatchers_and_one_scheduler():
    assert set(SERVICES) == {"db", "migrate", "web", "dispatcher", "scheduler"}
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["migrate"]["restart"] == "no" and SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "dispatcher", "scheduler"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert SERVICES[name]["environment"]["JOBMATRIX_DATABASE_URL"].startswith("postgresql://")
        assert "jobmatrix-var:/srv/jobmatrix/var" in SERVICES[name]["volumes"]
    assert SERVICES["scheduler"]["deploy"]["replicas"] == 1
    assert int(_expand(str(SERVICES["dispatcher"]["deploy"]["replicas"]))) >= 2
    assert int(_expand(SERVICES["web"]["command"][-1])) > 1  # --workers N
    # The data key is required, never defaulted (a default would differ between hosts).
    assert ":?" in SERVICES["web"]["environment"]["JOBMATRIX_DATA_KEY"]


@pytest.mark.parametrize("service", ["migrate", "web", "dispatcher", "scheduler"])
def test_each_service_command_is_a_jobmatrix_command_with_valid_options(service):
    program, name, *args = [_expand(a) for a in SERVICES[service]["command"]]
    assert program == "jobmatrix"
    group = typer.main.get_command(cli)
    command = group.commands[name]  # type: ignore[attr-defined]
    command.make_context(name, list(args))  # raises on an unknown option or a bad value


def test_the_image_runs_a_real_command_and_keeps_var_on_a_volume():
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1)  # type: ignore[union-attr]
    program, name, *args = yaml.safe_load(cmd)
    assert program == "jobmatrix"
    typer.main.get_command(cli).commands[name].make_context(name, args)  # type: ignore[attr-defined]
    assert re.search(r'^VOLUME \["/srv/jobmatrix/var"\]$', DOCKERFILE, re.M)
    assert "WORKDIR /srv/jobmatrix" in DOCKERFILE


def test_health_checks_ask_an_endpoint_the_app_answers(make_server):
    image_check = re.search(r"^HEALTHCHECK .*?CMD (\[[^\n]*\])$", DOCKERFILE, re.M | re.S).group(1)  # type: ignore[union-attr]
    paths = {_healthcheck_url(" ".join(yaml.safe_load(image_check))),
             _healthcheck_url(" ".join(SERVICES["web"]["healthcheck"]["test"]))}
    assert paths == {"/healthz"}
    with make_server() as base:
        assert httpx.get(base + "/healthz").status_code == 200


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_image_installs_the_lock_and_the_lock_pins_every_dependency():
    assert "pip install --no-deps -r requirements.lock" in DOCKERFILE
    assert "pip install --no-deps ." in DOCKERFILE
    pins = _locked()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)  # type: ignore[union-attr]
        assert re.sub(r"[-_.]+", "-", name).lower() in pins, f"{name} is missing from requirements.lock: run make lock"
    assert "pytest" not in pins and "jobmatrix" not in pins  # runtime only


def test_the_database_image_matches_the_pg_dump_in_the_app_image():
    # Debian bookworm's postgresql-client is 15; pg_dump refuses a newer server.
    assert "python:3.11-slim-bookworm" in DOCKERFILE and "postgresql-client" in DOCKERFILE
    assert SERVICES["db"]["image"] == "postgres:15"

