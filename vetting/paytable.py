"""The local reference pay table (a TSV the bureau edits), read into plain data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_PAY_FILE = Path(__file__).resolve().parent / "data" / "reference_pay.tsv"
# Days and hours in a month of full-time work (21.75 paid days is the legal average; piece and
# day work in the county runs closer to 26 days, which keeps day rates from looking inflated).
DAYS_PER_MONTH = 26
HOURS_PER_MONTH = 174
DEFAULT_RATIO = 2.5


@dataclass(frozen=True)
class Rate:
    month: float
    day: float
    hour: float

    def per(self, unit: str) -> float | None:
        return {"month": self.month, "day": self.day, "hour": self.hour}.get(unit)


@dataclass(frozen=True)
class PayTable:
    rates: dict[str, Rate]
    ratio: float = DEFAULT_RATIO

    def reference(self, occupation: str | None, unit: str) -> float | None:
        """Reference pay for this occupation per unit (month/day/hour); the default row otherwise."""
        rate = self.rates.get(occupation or "") or self.rates.get("*")
        return rate.per(unit) if rate else None


def _rate(cells: list[str]) -> Rate:
    month = float(cells[0])
    day = float(cells[1]) if len(cells) > 1 and cells[1] else month / DAYS_PER_MONTH
    hour = float(cells[2]) if len(cells) > 2 and cells[2] else month / HOURS_PER_MONTH
    return Rate(month, day, hour)


def parse_pay_table(text: str, *, ratio: float = DEFAULT_RATIO) -> PayTable:
    """Rows `occupation<TAB>month[<TAB>day[<TAB>hour]]`; `#` starts a comment; `*` is the default."""
    rates = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, *cells = line.rstrip("\n").split("\t")
        try:
            rates[name.strip()] = _rate(cells)
        except (ValueError, IndexError) as exc:
            raise ValueError(f"reference pay line {number}: {line!r}") from exc
    return PayTable(rates, ratio)


def load_pay_table(path: Path = DEFAULT_PAY_FILE, *, ratio: float = DEFAULT_RATIO) -> PayTable:
    return parse_pay_table(path.read_text(encoding="utf-8"), ratio=ratio)
