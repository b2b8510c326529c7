"""Inbound webhook benchmark: the full callback path next to a bare decrypt-and-reply endpoint.

    python bench/webhook.py [--duration SECONDS] [--quick] [--python-load]

Starts two uvicorn servers (one worker each, own processes) on loopback: the real app on a
migrated SQLite database in a temporary directory, and a bare FastAPI endpoint that only
verifies, decrypts and seals a reply (bench/webhook_apps.py). A real HTTP load generator (wrk,
or a plain asyncio fallback) then runs three phases, every request a distinct signed and
encrypted text message from a known village head:

  1. bare endpoint, as fast as it answers;
  2. full path (verify, decrypt, dedupe, store, encrypted reply), as fast as it answers;
  3. full path at half of its own maximum rate, for p50/p99 latency.

It prints a table with the targets of issue 2 (reported, not asserted) and the number of
messages stored, which equals the successful requests when none was a dedupe hit. Exit 0.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Run as `python bench/webhook.py` from anywhere: the repository root holds app/, bench/, tests/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench import webhook_load as load  # noqa: E402
from bench.webhook_messages import Pool, sealed_request, write_pool  # noqa: E402
from bench.webhook_servers import (  # noqa: E402
    KNOWN_SENDER,
    Server,
    prepare_database,
    serve,
    server_environment,
    stored_counts,
)
from tests.support.callbacks import open_xml_reply  # noqa: E402

TARGET_RATIO = 0.40
TARGET_P99_MS = 20.0
SAMPLE_TEXT = "会开叉车 有证5年 想在中牟找仓库的活 电话13800138000"
UNKNOWN_SENDER = "bench-stranger"
WARMUP_REQUESTS = 20
# Pools hold more requests than a phase can send at these rates; a run that empties one says so.
BARE_CEILING_PER_SECOND = 6000
POOL_HEADROOM = 1.5


@dataclass(frozen=True)
class Options:
    seconds: float
    threads: int
    connections: int
    python_load: bool


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase (default 10)")
    parser.add_argument("--quick", action="store_true", help="2 s phases, for smoke runs")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument(
        "--python-load", action="store_true", help="use the asyncio generator even if wrk is installed"
    )
    args = parser.parse_args(argv)
    return Options(2.0 if args.quick else args.duration, args.threads, args.connections, args.python_load)


def choose_sender(server: Server) -> tuple[str, int, str]:
    """(sender, messages stored, note): the known village head, unless the full path cannot answer
    its text yet; then an unknown sender (who gets the join guide), and a note that says why."""
    target, body = sealed_request(KNOWN_SENDER, SAMPLE_TEXT)
    response = httpx.post(
        f"{server.url}{target}", content=body, headers={"Content-Type": "text/xml"}, timeout=10
    )
    if response.status_code == 200:
        return KNOWN_SENDER, 1, ""
    log_lines = [line for line in server.log.read_text().splitlines() if line.strip()]
    cause = log_lines[-1].strip() if log_lines else response.text[:200]
    return (
        UNKNOWN_SENDER,
        0,
        (
            f"the full path answered {response.status_code} to a known sender's text ({cause}); "
            "measured with an unknown sender instead, whose texts get the join guide"
        ),
    )


def server_errors(server: Server) -> str:
    """The server log's last error line, so a failed request in the table has a cause next to it."""
    lines = [line.strip() for line in server.log.read_text().splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "Exception" in line]
    return f"{server.name} server log: {len(errors)} error lines, last: {errors[-1][:200]}" if errors else ""


def warm_up(server: Server, sender: str) -> tuple[int, str]:
    """A few sequential requests (imports, connection pools, SQLite pages); (successes, first reply)."""
    ok, first_reply = 0, ""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(WARMUP_REQUESTS):
            target, body = sealed_request(sender, SAMPLE_TEXT)
            response = client.post(target, content=body, headers={"Content-Type": "text/xml"})
            if response.status_code != 200:
                raise RuntimeError(f"{server.name} answered {response.status_code}: {response.text[:300]}")
            ok += 1
            if not first_reply and response.text:
                first_reply = open_xml_reply(response.text).get("Content", "")
    return ok, first_reply


def make_runner(options: Options) -> tuple[Callable[..., load.Result], str]:
    """The load generator to use and how to describe it."""
    if load.wrk_available() and not options.python_load:

        def run(url: str, pool: Pool, rate: float | None) -> load.Result:
            return load.run_wrk(
                url,
                pool,
                seconds=options.seconds,
                threads=options.threads,
                connections=options.connections,
                rate=rate,
            )

        return run, f"wrk ({options.threads} threads, {options.connections} connections)"

    def run_fallback(url: str, pool: Pool, rate: float | None) -> load.Result:
        return load.run_python(url, pool, seconds=options.seconds, connections=options.connections, rate=rate)

    why = "requested with --python-load" if options.python_load else load.WRK_INSTALL_HINT
    return run_fallback, (
        f"asyncio FALLBACK ({options.connections} connections; {why}). "
        "One Python process: on a small machine it can cap the bare rate, making the ratio look better than it is."
    )


@dataclass(frozen=True)
class Phase:
    label: str
    result: load.Result
    pool: Pool

    @property
    def exhausted(self) -> bool:
        return self.result.issued >= self.pool.size * 0.98


def run_phase(
    label: str, run, server: Server, workdir: Path, sender: str, size: int, rate: float | None = None
) -> Phase:
    pool = write_pool(workdir / f"{label.split()[0]}-{int(rate or 0)}.pool", size, sender)
    print(f"  {label}: {pool.size} requests ready, running ...", flush=True)
    return Phase(label, run(f"{server.url}/wecom/callback", pool, rate), pool)


def _mark(met: bool) -> str:
    return "met" if met else "NOT met"


def print_report(
    bare: Phase,
    full: Phase,
    paced: Phase,
    *,
    stored: int,
    full_ok: int,
    rejected: int,
    generator: str,
    notes: list[str],
) -> None:
    print()
    print(f"{'endpoint':<34}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'ok':>9}{'errors':>8}")
    for phase in (bare, full, paced):
        r = phase.result
        print(
            f"{phase.label:<34}{r.rate:>12.1f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.ok:>9}{r.answered - r.ok + r.errors:>8}"
        )
    ratio = full.result.rate / bare.result.rate if bare.result.rate else 0.0
    print()
    print(f"ratio full/bare: {ratio:.0%}  (target >= {TARGET_RATIO:.0%}: {_mark(ratio >= TARGET_RATIO)})")
    print(
        f"full path p99 at {paced.result.rate:.0f}/s (half of max): {paced.result.p99_ms:.2f} ms  "
        f"(target < {TARGET_P99_MS:.0f} ms: {_mark(paced.result.p99_ms < TARGET_P99_MS)})"
    )
    # A request wrk gave up on (timeout) may still have been stored, hence `unanswered`.
    unanswered = sum(phase.result.issued - phase.result.answered for phase in (full, paced))
    dedupe_hits = max(0, full_ok - stored)
    print(
        f"stored={stored} successful={full_ok} unanswered={unanswered} rejected={rejected} "
        f"(full path incl. warm-up; dedupe hits: {dedupe_hits})"
    )
    replies = full.result.replied + paced.result.replied
    print(f"encrypted replies from the full path: {replies} of {full.result.ok + paced.result.ok}")
    print(f"load generator: {generator}")
    for note in notes:
        print(f"note: {note}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    run, generator = make_runner(options)
    print(f"webhook benchmark: {options.seconds:g} s per phase, load generator: {generator}")

    with tempfile.TemporaryDirectory(prefix="jobmatrix-bench-") as tmp:
        workdir = Path(tmp)
        env = server_environment(workdir)
        prepare_database(env)
        with (
            serve("full", "full_app", env, workdir) as full_server,
            serve("bare", "bare_app", env, workdir) as bare_server,
        ):
            sender, full_ok, sender_note = choose_sender(full_server)
            notes = [sender_note] if sender_note else []
            warm_up(bare_server, sender)
            warmed, sample_reply = warm_up(full_server, sender)
            full_ok += warmed
            print(f"  sender {sender!r}; full path replies e.g. {sample_reply[:60]!r}")

            bare = run_phase(
                "bare (verify+decrypt+reply)",
                run,
                bare_server,
                workdir,
                sender,
                size=int(BARE_CEILING_PER_SECOND * options.seconds),
            )
            # The full path cannot outrun the bare one, which bounds the pool it needs.
            full_size = int(max(bare.result.rate, 100) * options.seconds * POOL_HEADROOM)
            full = run_phase("full path, max", run, full_server, workdir, sender, size=full_size)
            half = full.result.rate / 2
            paced = run_phase(
                f"full path @ half max ({half:.0f}/s)",
                run,
                full_server,
                workdir,
                sender,
                size=math.ceil(half * options.seconds * POOL_HEADROOM) + 10,
                rate=half,
            )
            notes += [line for line in (server_errors(full_server), server_errors(bare_server)) if line]

        full_ok += full.result.ok + paced.result.ok
        stored, rejected = stored_counts(env)

    notes += [
        f"{phase.label}: the request pool ran out; the rate is a lower bound"
        for phase in (bare, full, paced)
        if phase.exhausted
    ]
    print_report(
        bare, full, paced, stored=stored, full_ok=full_ok, rejected=rejected, generator=generator, notes=notes
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
