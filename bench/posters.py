"""Time `jobmatrix qr export` for the example org's 60 villages (target of issue 9: under 30 s).

Run: .venv/bin/python bench/posters.py [--rounds N]
A migrated SQLite database in a temporary folder, the example org imported, the emulator on
loopback for qrcode/create; the posters go to the temporary folder. Prints the export's total and
where the time goes (code creation over HTTP, drawing + PNG, the PDF).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import make_engine, make_session_factory  # noqa: E402
from app.joins import export, posters  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.org.importer import import_org  # noqa: E402
from app.privacy import cipher_from_settings, generate_key, install_cipher  # noqa: E402
from bots.client import MemoryCallRecorder, MemoryTokenStore, MpClient  # noqa: E402
from sandbox.emulator import EmulatorServer  # noqa: E402

TARGET_SECONDS = 30.0


def timed(fn, spent: dict[str, float], key: str):
    """`fn`, adding the seconds spent in it to spent[key] (a plain function, so it binds as a method)."""

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - started

    return wrapper


def one_round(session, mp, out: Path) -> dict[str, float]:
    spent: dict[str, float] = {}
    originals = (export.render_poster, posters.PdfBatch.add, posters.PdfBatch.save, mp.qrcode.create)
    export.render_poster = timed(originals[0], spent, "draw")
    posters.PdfBatch.add = timed(originals[1], spent, "pdf pages")  # type: ignore[method-assign]
    posters.PdfBatch.save = timed(originals[2], spent, "pdf write")  # type: ignore[method-assign]
    mp.qrcode.create = timed(originals[3], spent, "qrcode/create")  # type: ignore[method-assign]
    try:
        report = export.export_posters(session=session, mp=mp, out_dir=out)
    finally:
        export.render_poster, posters.PdfBatch.add, posters.PdfBatch.save, mp.qrcode.create = originals
    assert len(report.pngs) == 60 and not report.failures, report.failures
    return {"total": report.seconds, **spent}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmulatorServer() as emu:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        install_cipher(cipher_from_settings(generate_key()))
        factory = make_session_factory(make_engine(url))
        source = (ROOT / "examples" / "zhongmu.yaml").read_text(encoding="utf-8")
        cfg = emu.config
        with factory() as session, MpClient(app_id=cfg.mp_app_id, app_secret=cfg.mp_app_secret,
                                            api_base=emu.mp_api_base, token_store=MemoryTokenStore(),
                                            recorder=MemoryCallRecorder()) as mp:
            import_org(session=session, source_text=source, filename="zhongmu.yaml")
            session.commit()
            rounds = [one_round(session, mp, Path(tmp) / f"posters{n}") for n in range(args.rounds)]
    print(f"qr export, 60 villages, {args.rounds} rounds (median seconds)")
    for key in rounds[0]:
        print(f"  {key:<14} {statistics.median(r[key] for r in rounds):6.2f}")
    total = statistics.median(r["total"] for r in rounds)
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
