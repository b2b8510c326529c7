"""Fan-out benchmark: one job to N appchat groups through the dispatcher, next to a bare loop of the
same HTTP calls (same client, same concurrency, no database), against the emulator.

    python bench/fanout.py                 # 5,000 groups on PostgreSQL (database jm_bench, recreated)
    python bench/fanout.py --sqlite --groups 2000

The emulator runs in its own process so it does not share the GIL with the dispatcher. Appchat
groups (one per village) rather than robots: a robot takes 20 messages a minute (§2.5).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from app.db import make_engine, make_session_factory  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.outbound.store import SqlTokenStore  # noqa: E402
from relay.channels import ChannelConfig, Channels  # noqa: E402
from relay.dispatcher import Dispatcher, DispatcherConfig  # noqa: E402
from sandbox.emulator import EmulatorConfig, EmulatorServer  # noqa: E402
from tests.relay.dispatch_helpers import MEMBERS, make_org, queue  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/jm_bench"


def _serve(port_queue: multiprocessing.Queue) -> None:
    server = EmulatorServer(EmulatorConfig(users=[*MEMBERS, "officer01"])).start()
    port_queue.put(server.port)
    while True:
        time.sleep(3600)


def _fresh_database(sqlite: bool, folder: str) -> str:
    if sqlite:
        return f"sqlite:///{folder}/bench.db"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS jm_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE jm_bench"))
    admin.dispose()
    return PG_BENCH


def _channels(base: str, factory, concurrency: int) -> Channels:
    cfg = EmulatorConfig()
    return Channels(ChannelConfig(corp_id=cfg.corp_id, agent_id=cfg.agent_id, secret=cfg.secret,
                                  wecom_api_base=base, max_connections=concurrency * 2),
                    token_store=SqlTokenStore(factory))


def _bare_loop(channels: Channels, chats: list[str], concurrency: int) -> float:
    """The same appchat/send calls on the same client and thread count, no database."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda c: channels.wecom.appchat.send_text(chatid=c, content=f"bare → {c}"), chats))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()
    ports: multiprocessing.Queue = multiprocessing.Queue()
    emulator = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    emulator.start()
    base = f"http://127.0.0.1:{ports.get(timeout=30)}/cgi-bin/"
    with tempfile.TemporaryDirectory() as folder:
        url = _fresh_database(args.sqlite, folder)
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        channels = _channels(base, factory, args.concurrency)
        with factory() as session:
            groups = make_org(session, villages=args.groups)
        chats = [c for c in groups if c.startswith("chat")]
        with ThreadPoolExecutor(16) as pool:  # appchat/create first: the emulator enforces 86008
            list(pool.map(lambda c: channels.wecom.appchat.create(name=c, userlist=MEMBERS, chatid=c), chats))
        bare = _bare_loop(channels, chats, args.concurrency)
        with factory() as session:
            started = time.perf_counter()
            queue(session, [dict(channel="appchat", target=c, group_id=groups[c], item_id=groups["__item__"],
                                 payload={"msgtype": "text", "content": f"J1 招聘叉车工 → {c}"}) for c in chats])
            enqueue = time.perf_counter() - started
        config = DispatcherConfig(concurrency=args.concurrency, journal_dir=f"{folder}/journal")
        stats = Dispatcher(session_factory=factory, channels=channels, config=config).run(until_idle=True)
        channels.close()
        engine.dispose()
    emulator.kill()
    _report(args, bare, stats.seconds, stats.sent, enqueue)


def _report(args: argparse.Namespace, bare: float, dispatched: float, sent: int, enqueue: float) -> None:
    n = args.groups
    db = "SQLite" if args.sqlite else "PostgreSQL"
    rows = [("bare loop (client only)", n, bare, n / bare),
            (f"dispatcher ({db})", sent, dispatched, sent / dispatched)]
    print(f"\nfan-out of one job to {n} appchat groups, {args.concurrency} threads, emulator in its own process")
    print(f"{'':28}{'sends':>8}{'seconds':>10}{'per second':>12}")
    for name, count, seconds, rate in rows:
        print(f"{name:28}{count:>8}{seconds:>10.2f}{rate:>12.0f}")
    print(f"{'dispatcher / bare loop':28}{'':>8}{'':>10}{rows[1][3] / rows[0][3]:>11.0%}")
    print(f"(writing the {n} outbox rows took {enqueue:.2f} s, not counted)")
    ok = sent == n and rows[1][3] >= 0.5 * rows[0][3] and dispatched < 60
    print("targets (≥50% of bare loop, all sent, <60 s):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
