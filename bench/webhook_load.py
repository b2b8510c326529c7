"""Load generators: wrk driven by a Lua script, or a plain asyncio fallback.

Both send each request of a pool exactly once and stop sending after `seconds`, then wait for
the requests still in flight; nothing is abandoned, so the stored count can be compared with
the number of answers exactly. Both run in two modes: as fast as the connections allow
(`rate=None`), or at a fixed rate on an absolute schedule (an open loop: a slow answer does not
delay the next request's slot).
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from bench.webhook_messages import Pool

# wrk waits this long after the sending window for the last answers before it stops.
DRAIN_SECONDS = 2
WRK_INSTALL_HINT = (
    "wrk not found; install it with `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`"
)


@dataclass(frozen=True)
class Result:
    issued: int  # requests sent
    answered: int  # responses received
    ok: int  # HTTP 200
    replied: int  # 200s carrying an encrypted passive reply
    seconds: float  # first request sent .. last answer received
    p50_ms: float
    p99_ms: float
    errors: int  # connect/read/write errors and timeouts

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0


# --- wrk ------------------------------------------------------------------------------------

# Each wrk thread runs its own Lua state: it loads every THREADS-th line of the pool so no two
# threads send the same message, and it paces and stops itself through delay(), which wrk calls
# once before every request it sends.
_LUA = r"""
local POOL, THREADS, ACTIVE, INTERVAL = %(pool)s, %(threads)d, %(active)f, %(interval)f
local STOPPED_MS = 3600 * 1000  -- an idle connection: longer than any run

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()  -- os.time() only has whole seconds
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC: comparable across threads
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local setup_count, all_threads = 0, {}
function setup(thread)
  thread:set("thread_index", setup_count)
  setup_count = setup_count + 1
  table.insert(all_threads, thread)
end

-- Per-thread counters are globals so done() can read them with thread:get().
issued, answered, ok, replied, first_sent, last_answer = 0, 0, 0, 0, 0, 0
local requests, next_request, started, next_slot = {}, 1, nil, 0

function init(args)
  local n = 0
  for line in io.lines(POOL) do
    if n %% THREADS == thread_index then
      local tab = line:find("\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", line:sub(1, tab - 1),
        {["Content-Type"] = "text/xml"}, line:sub(tab + 1))
    end
    n = n + 1
  end
end

function delay()
  local t = now()
  if started == nil then started, next_slot = t, t end
  if t - started >= ACTIVE or issued >= #requests then
    return STOPPED_MS
  end
  issued = issued + 1
  if first_sent == 0 then first_sent = t end
  if INTERVAL <= 0 then return 0 end
  local slot = next_slot
  next_slot = next_slot + INTERVAL
  return math.max(0, math.floor((slot - t) * 1000))
end

function request()
  -- wrk calls request() once before the run to check it; that call must not use up a message.
  if started == nil then return requests[1] end
  local r = requests[next_request]
  next_request = next_request + 1
  return r
end

function response(status, headers, body)
  answered = answered + 1
  last_answer = now()
  if status == 200 then
    ok = ok + 1
    if body:find("<Encrypt>", 1, true) then replied = replied + 1 end
  end
end

function done(summary, latency, requests)
  local totals = {issued = 0, answered = 0, ok = 0, replied = 0}
  local first, last = math.huge, 0
  for _, thread in ipairs(all_threads) do
    for key in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
    if thread:get("first_sent") > 0 then first = math.min(first, thread:get("first_sent")) end
    last = math.max(last, thread:get("last_answer"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"issued": %%d, "answered": %%d, "ok": %%d, "replied": %%d, "seconds": %%.6f, ' ..
    '"p50_us": %%d, "p99_us": %%d, "errors": %%d}\n',
    totals.issued, totals.answered, totals.ok, totals.replied, math.max(0, last - first),
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str, pool: Pool, *, seconds: float, threads: int, connections: int, rate: float | None
) -> Result:
    interval = threads / rate if rate else 0.0  # each thread keeps its own share of the schedule
    script = pool.path.with_suffix(".lua")
    script.write_text(
        _LUA
        % {"pool": json.dumps(str(pool.path)), "threads": threads, "active": seconds, "interval": interval}
    )
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        "--timeout=10s",
        f"--duration={math.ceil(seconds) + DRAIN_SECONDS}s",
        f"--script={script}",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            data = json.loads(line.removeprefix("BENCH_RESULT "))
            return Result(
                issued=data["issued"],
                answered=data["answered"],
                ok=data["ok"],
                replied=data["replied"],
                seconds=data["seconds"],
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                errors=data["errors"],
            )
    raise RuntimeError(
        f"wrk gave no result (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
    )


# --- asyncio fallback -------------------------------------------------------------------------

# httpx costs 2-3 ms of client CPU per request on this path (measured: ~300 req/s on one
# connection against ~1,700 with wrk), which would make the fallback measure itself. So the
# fallback speaks HTTP/1.1 keep-alive over asyncio streams directly: our servers always answer
# with a Content-Length, which is all it needs to read.


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def open(self) -> _Connection:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def reopen(self) -> None:
        """After an error the stream may hold half an answer; start over on a new socket."""
        self.close()
        await self.open()

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = next(
            (int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0
        )
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def _encode(host: str, target: str, body: str) -> bytes:
    payload = body.encode("utf-8")
    head = (
        f"POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode("latin-1") + payload


@dataclass
class _Tally:
    issued: int = 0
    answered: int = 0
    ok: int = 0
    replied: int = 0
    errors: int = 0
    first_sent: float = math.inf
    last_answer: float = 0.0

    def __post_init__(self) -> None:
        self.latencies: list[float] = []

    async def send(self, connection: _Connection, request: bytes) -> None:
        self.issued += 1
        sent = time.perf_counter()
        self.first_sent = min(self.first_sent, sent)
        try:
            status, body = await asyncio.wait_for(connection.exchange(request), timeout=10)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            self.errors += 1
            await connection.reopen()
            return
        self.last_answer = time.perf_counter()
        self.latencies.append(self.last_answer - sent)
        self.answered += 1
        if status == 200:
            self.ok += 1
            self.replied += b"<Encrypt>" in body


async def _closed_loop(
    connections: list[_Connection], requests: list[bytes], seconds: float, tally: _Tally
) -> None:
    """Each connection sends its next request as soon as its last one is answered."""
    stop = time.perf_counter() + seconds
    queue = iter(requests)

    async def worker(connection: _Connection) -> None:
        for request in queue:  # one shared iterator: each request is taken once
            if time.perf_counter() >= stop:
                return
            await tally.send(connection, request)

    await asyncio.gather(*(worker(connection) for connection in connections))


async def _open_loop(
    connections: list[_Connection], requests: list[bytes], seconds: float, rate: float, tally: _Tally
) -> None:
    """One request every 1/rate seconds on an absolute schedule, on whichever connection is free."""
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for connection in connections:
        idle.put_nowait(connection)

    async def one(request: bytes) -> None:
        connection = await idle.get()
        try:
            await tally.send(connection, request)
        finally:
            idle.put_nowait(connection)

    start = time.perf_counter()
    tasks = []
    for index, request in enumerate(requests):
        slot = start + index / rate
        if slot - start >= seconds:
            break
        await asyncio.sleep(max(0.0, slot - time.perf_counter()))
        tasks.append(asyncio.create_task(one(request)))
    await asyncio.gather(*tasks)


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop  # installed with uvicorn[standard]; about twice the plain loop's rate here
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def run_python(url: str, pool: Pool, *, seconds: float, connections: int, rate: float | None) -> Result:
    parsed = urlsplit(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    requests = [_encode(f"{host}:{port}", target, body) for target, body in pool.lines()]
    tally = _Tally()

    async def main() -> None:
        opened = [await _Connection(host, port).open() for _ in range(connections)]
        try:
            if rate:
                await _open_loop(opened, requests, seconds, rate, tally)
            else:
                await _closed_loop(opened, requests, seconds, tally)
        finally:
            for connection in opened:
                connection.close()

    loop = _new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    return Result(
        issued=tally.issued,
        answered=tally.answered,
        ok=tally.ok,
        replied=tally.replied,
        seconds=max(0.0, tally.last_answer - tally.first_sent),
        p50_ms=_percentile(tally.latencies, 0.50) * 1000,
        p99_ms=_percentile(tally.latencies, 0.99) * 1000,
        errors=tally.errors,
    )
