"""`jobmatrix qr export`: one poster per village of the example org, a PDF of the batch, and QRs that
decode to exactly the URL qrcode/create returned."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from app.cli import cli
from app.org.importer import import_org
from app.privacy import DataCipher, install_cipher
from app.settings import get_settings
from sandbox.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhongmu.yaml"
# The poster kept after the run, to look at (var/ is not committed; pytest's own tmp folders are
# rotated away quickly when several test runs share a machine).
ARTEFACT = ROOT / "var" / "test-artefacts" / "poster.png"


@pytest.fixture(scope="module")
def emulator():
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def cli_env(monkeypatch, data_key, emulator, database_url):
    cfg = emulator.config
    for name, value in {
        "JOBMATRIX_DATA_KEY": data_key,
        "JOBMATRIX_DATABASE_URL": database_url,
        "MP_APP_ID": cfg.mp_app_id,
        "MP_APP_SECRET": cfg.mp_app_secret,
        "MP_API_BASE": emulator.mp_api_base,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    install_cipher(DataCipher([data_key]))


@pytest.fixture
def example_org(db):
    import_org(session=db, source_text=EXAMPLE.read_text(encoding="utf-8"), filename=str(EXAMPLE))
    db.commit()


def emulated_codes(emulator) -> dict[str, str]:
    """scene → url of every code qrcode/create made."""
    return {code.scene: code.url for code in emulator.state.mp_assets.qrcodes.values()}


def test_posters_for_the_60_villages(example_org, cli_env, emulator, tmp_path):
    out = tmp_path / "posters"
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["qr", "export", "--out", str(out)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert seconds < 30, f"60 posters took {seconds:.1f} s (bench/posters.py: about 3 s)"
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 60 and (out / "posters-all.pdf").stat().st_size > 0

    ARTEFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTEFACT.write_bytes(pngs[0].read_bytes())  # a poster as a village head would print it
    kept, village_code = ARTEFACT, pngs[0].stem
    [decoded] = zxingcpp.read_barcodes(Image.open(kept))
    assert decoded.text == emulated_codes(emulator)[village_code]
    assert decoded.text.startswith("http://weixin.qq.com/q/")
    pdf = (out / "posters-all.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 60


def test_one_township_and_the_same_code_on_a_second_export(example_org, cli_env, emulator, tmp_path):
    first = CliRunner().invoke(cli, ["qr", "export", "--township", "zm-qnl", "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    names = sorted(p.stem for p in (tmp_path / "a").glob("*.png"))
    assert names and all(name.startswith("zm-qnl-") for name in names)
    assert (tmp_path / "a" / "posters-zm-qnl.pdf").exists()
    again = CliRunner().invoke(cli, ["qr", "export", "--township", "zm-qnl", "--out", str(tmp_path / "b")])
    assert again.exit_code == 0
    for name in names:  # permanent codes: the reprint carries the same code
        one = zxingcpp.read_barcodes(Image.open(tmp_path / "a" / f"{name}.png"))[0].text
        two = zxingcpp.read_barcodes(Image.open(io.BytesIO((tmp_path / "b" / f"{name}.png").read_bytes())))[0].text
        assert one == two


def test_unknown_township_and_missing_account_are_clear_errors(example_org, cli_env, tmp_path, monkeypatch):
    result = CliRunner().invoke(cli, ["qr", "export", "--township", "zm-nowhere", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "no township with code 'zm-nowhere'" in result.output
    monkeypatch.setenv("MP_APP_SECRET", "")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["qr", "export", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "MP_APP_ID and MP_APP_SECRET are needed" in result.output


def test_a_refused_code_is_reported_and_the_rest_still_written(example_org, cli_env, emulator, tmp_path):
    emulator.state.set_faults({"script": [0, 40053], "paths": ["mp/qrcode/create"]})
    try:
        result = CliRunner().invoke(cli, ["qr", "export", "--township", "zm-qnl", "--out", str(tmp_path)])
    finally:
        emulator.state.set_faults(None)
    assert result.exit_code == 1
    assert "not exported:" in result.output and "errcode 40053" in result.output
    assert len(list(tmp_path.glob("*.png"))) >= 1


def test_every_poster_encodes_the_url_its_qrcode_create_returned(example_org, db, emulator, tmp_path):
    from app.joins.export import export_posters
    from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient

    cfg, seen = emulator.config, []
    with MpClient(app_id=cfg.mp_app_id, app_secret=cfg.mp_app_secret, api_base=emulator.mp_api_base,
                  token_store=MemoryTokenStore(), recorder=MemoryCallRecorder()) as mp:
        report = export_posters(session=db, mp=mp, out_dir=tmp_path, township_code="zm-qnl",
                                progress=lambda done, total, code: seen.append((done, total, code)))
    assert [done for done, _, _ in seen] == list(range(1, len(report.pngs) + 1))
    for png in report.pngs:
        [code] = zxingcpp.read_barcodes(Image.open(png))
        assert code.text == report.urls[png.stem]
    scenes = {c.scene for c in emulator.state.mp_assets.qrcodes.values()}
    assert set(report.urls) <= scenes  # the scene of each code is its village's code
