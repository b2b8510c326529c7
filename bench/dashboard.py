"""The board's pages and APIs on a year of history: p50 / p95 / max per route (target p95 < 200 ms).

    .venv/bin/python bench/dashboard.py                       # SQLite in a temporary folder
    .venv/bin/python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/jm_x
    .venv/bin/python bench/dashboard.py --quick               # a small year, a smoke run

The year is written straight into the tables (a district of T townships × V villages, J jobs a
week each relayed to every township and every village's residents' group, some stewards late,
some posts a day late or never confirmed), not played through the relay: it measures reading
the figures, not producing them. `jobmatrix simulate` (issue 13, item 4) makes a year through the
real code paths; point --database-url at such a database with --keep-data to measure that one.
Routes are called in-process (Starlette's TestClient), so the times leave out the network.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func, insert, select

from app.db import make_engine, make_session_factory
from app.main import create_app
from app.migrate import upgrade
from app.org.models import ChatGroup, Node, Staff
from app.privacy import generate_key
from app.settings import load_settings
from relay.models import Delivery, Hop, Item

TOKEN = "bench-admin-token"


def build_year(session_factory, *, townships: int, villages: int, jobs_per_week: int, weeks: int, now: datetime,
               progress: Progress) -> None:
    rng = random.Random(13)
    with session_factory() as session:
        district = Node(code="bd", kind="district", name="基准区", overrides={})
        session.add(district)
        session.flush()
        town_ids, village_groups = [], []
        for t in range(townships):
            town = Node(code=f"bd-{t:02d}", kind="township", name=f"第{t + 1}镇", parent_id=district.id, overrides={})
            session.add(town)
            session.flush()
            town_ids.append(town.id)
            session.add(Staff(userid=f"bd_stew_{t}", name=f"管家{t + 1}", role="township_steward", node_id=town.id))
            for v in range(villages):
                village = Node(code=f"bd-{t:02d}-{v:02d}", kind="village", name=f"{t + 1}镇{v + 1}村",
                               parent_id=town.id, overrides={})
                session.add(village)
                session.flush()
                group = ChatGroup(node_id=village.id, purpose="residents", name="群众求职群", channel="robot",
                                  address=f"bd-rk-{t}-{v}")
                session.add(group)
                session.flush()
                village_groups.append(group.id)
        session.commit()
        start = now - timedelta(weeks=weeks)
        task = progress.add_task("writing the year", total=weeks * jobs_per_week)
        serial = 0
        for week in range(weeks):
            for _ in range(jobs_per_week):
                created = start + timedelta(weeks=week, hours=rng.randint(0, 160))
                job = Item(kind="job", status="done", origin_node_id=district.id, masked_text="招工", title="普工",
                           author_kind="employer", author_ref=f"emp{rng.randint(1, 1000)}", created_at=created,
                           closed_at=created + timedelta(days=rng.uniform(3, 20)))
                session.add(job)
                session.flush()
                hops = []
                for town_id in town_ids:
                    late = rng.random() < 0.1
                    hops.append({"item_id": job.id, "to_node_id": town_id, "tier": "township", "needs_approval": True,
                                 "text": "招工", "arrived_at": created,
                                 "decided_at": created + timedelta(minutes=31 if late else rng.randint(1, 29)),
                                 "decided_by": "timeout" if late else f"bd_stew_{town_ids.index(town_id)}",
                                 "status": "approved"})
                session.execute(insert(Hop), hops)
                rows = []
                for group_id in village_groups:
                    serial += 1
                    missed = rng.random() < 0.05
                    planned = created + timedelta(minutes=30)
                    rows.append({"item_id": job.id, "purpose": "relay", "channel": "robot", "target": f"t{serial}",
                                 "group_id": group_id, "payload": {"msgtype": "text"}, "dedupe_key": f"bd:{serial}",
                                 "status": "failed" if missed else "sent", "not_before": planned,
                                 "next_attempt_at": planned, "created_at": planned,
                                 "sent_at": None if missed else planned + timedelta(minutes=rng.randint(1, 600))})
                session.execute(insert(Delivery), rows)
                session.commit()
                progress.advance(task)


def measure(client: TestClient, routes: list[str], rounds: int, progress: Progress) -> list[tuple[str, list[float]]]:
    out = []
    task = progress.add_task("calling the routes", total=len(routes) * rounds)
    for route in routes:
        client.get(route)  # warm-up (first-call imports, caches)
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            answer = client.get(route)
            times.append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"{route} answered {answer.status_code}: {answer.text[:200]}")
            progress.advance(task)
        out.append((route, times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--villages", type=int, default=20, help="villages per township")
    parser.add_argument("--jobs-per-week", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 townships × 5 villages, 8 weeks, 5 rounds")
    parser.add_argument("--keep-data", action="store_true", help="measure the database as it is (no year written)")
    args = parser.parse_args()
    if args.quick:
        args.townships, args.villages, args.weeks, args.rounds = 5, 5, 8, 5
    console = Console()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        session_factory = make_session_factory(make_engine(url))
        now = datetime.now(UTC)
        with Progress(console=console) as progress:
            if not args.keep_data:
                build_year(session_factory, townships=args.townships, villages=args.villages,
                           jobs_per_week=args.jobs_per_week, weeks=args.weeks, now=now, progress=progress)
            with session_factory() as session:
                deliveries = session.scalar(select(func.count()).select_from(Delivery))
                town = session.scalar(select(Node.id).where(Node.kind == "township").order_by(Node.code).limit(1))
                village = session.scalar(select(Node.id).where(Node.parent_id == town).order_by(Node.code).limit(1))
                item_id = session.scalar(select(func.max(Item.id)))
            settings = load_settings(JOBMATRIX_DATABASE_URL=url, JOBMATRIX_DATA_KEY=generate_key(),
                                     JOBMATRIX_ADMIN_TOKEN=TOKEN)
            client = TestClient(create_app(settings, session_factory=session_factory))
            client.post("/board/login/token", data={"token": TOKEN}, follow_redirects=False)
            routes = ["/board", "/board/api/trends?grain=week&count=12", "/board/api/trends?grain=month&count=12",
                      "/board/api/drill", f"/board/api/drill?node={town}", f"/board/api/drill?node={village}",
                      "/board/api/table/idle", "/board/api/table/scoreboard", f"/board/api/item/J{item_id}",
                      "/board/export/drill.xlsx", "/board/report"]
            results = measure(client, routes, args.rounds, progress)
    table = Table(title=f"{deliveries} village posts, {args.townships}×{args.villages} villages, "
                        f"{args.rounds} calls each ({url.split(':')[0]})")
    for name in ("route", "p50 ms", "p95 ms", "max ms", "p95 < 200 ms"):
        table.add_column(name)
    for route, times in results:
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]
        table.add_row(route, f"{statistics.median(times):.0f}", f"{p95:.0f}", f"{max(times):.0f}",
                      "yes" if p95 < 200 else "NO")
    console.print(table)


if __name__ == "__main__":
    main()
