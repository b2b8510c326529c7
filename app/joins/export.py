"""`jobmatrix qr export`: a poster per village with the Official Account's code for its scene.

Each village's code is a permanent string-scene QR (qrcode/create QR_LIMIT_STR_SCENE, scene_str =
the village's code, which the webhook's scan handler binds by). Permanent codes of the same scene
are the same code, so exporting again reprints the same posters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.joins.posters import PdfBatch, PosterText, png_bytes, render_poster
from app.org.models import Node
from app.org.schema import DEFAULT_GROUP_NAMES
from app.org.service import get_group, get_node_by_code, list_villages
from bots.client import ApiError, MpClient

Progress = Callable[[int, int, str], None]


class ExportError(Exception):
    """Nothing can be exported (unknown township, no villages): the message says why."""


@dataclass
class ExportReport:
    pngs: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    urls: dict[str, str] = field(default_factory=dict)  # village code → the URL its QR encodes
    failures: list[tuple[str, str]] = field(default_factory=list)  # (village code, why)
    seconds: float = 0.0


def villages_to_export(*, session: Session, township_code: str | None) -> list[Node]:
    if township_code is None:
        villages = list_villages(session=session)
    else:
        township = get_node_by_code(session=session, code=township_code)
        if township is None or township.kind != "township":
            raise ExportError(f"no township with code {township_code!r} (see the org file's township codes)")
        villages = [v for v in list_villages(session=session) if v.parent_id == township.id]
    if not villages:
        raise ExportError("no villages to export: import the org file first (jobmatrix org import FILE)")
    return villages


def poster_text(*, session: Session, village: Node) -> PosterText:
    group = get_group(session=session, node_id=village.id, purpose="residents")
    township = village.parent
    district = township.parent if township is not None else None
    return PosterText(
        village_name=village.name,
        group_name=group.name if group else village.name + DEFAULT_GROUP_NAMES["residents"],
        township_name=township.name if township else "",
        district_name=district.name if district else "",
    )


def export_posters(
    *, session: Session, mp: MpClient, out_dir: Path, township_code: str | None = None, progress: Progress | None = None
) -> ExportReport:
    """PNG per village and one PDF of them all in `out_dir`; a village whose code cannot be made is
    reported in `failures` and left out, the others are still written."""
    started = time.perf_counter()
    villages = villages_to_export(session=session, township_code=township_code)
    out_dir.mkdir(parents=True, exist_ok=True)
    report, batch = ExportReport(), PdfBatch()
    for done, village in enumerate(villages, start=1):
        try:
            url = mp.qrcode.create(scene=village.code)["url"]
        except ApiError as err:
            report.failures.append((village.code, f"qrcode/create errcode {err.errcode}: {err.errmsg}"))
        else:
            png = png_bytes(render_poster(poster_text(session=session, village=village), url))
            path = out_dir / f"{village.code}.png"
            path.write_bytes(png)
            batch.add(png)
            report.pngs.append(path)
            report.urls[village.code] = url
        if progress is not None:
            progress(done, len(villages), village.code)
    if batch.pages:
        report.pdf = out_dir / f"posters-{township_code or 'all'}.pdf"
        batch.save(report.pdf)
    report.seconds = time.perf_counter() - started
    return report
