"""Load benchmark of the API's main read endpoints on 127.0.0.1 (bounded in count and time).

The server runs in a subprocess (uvicorn, the demo market, rate limits lifted so that the
endpoints are measured, not the limiter); 50 concurrent httpx clients read the cached views.
For every endpoint it prints p50 and p99 latency and, in the house format, the p99 of the cached
read (``ours``) against the cost of building the same view from scratch in-process
(``baseline``: what a read would cost without the per-data-version cache); ``ratio`` is
ours / baseline and ``peak_rss`` the server's.

    python benchmarks/bench_api.py [--clients 50] [--requests 2000] [--max-seconds 60]
                                   [--rate 4] [--processes 1]

By default each client polls at 4 requests a second (an open loop, like 50 dashboards);
``--rate 0`` sends back to back (a closed loop: throughput), where one Python client process is
the bottleneck long before the server (the CPU line shows both), so spread the clients with
``--processes 2``. Traffic goes to 127.0.0.1 only; the loop stops after --requests requests or
--max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ENDPOINTS = [
    "/api/series",
    "/api/panel",
    "/api/stress",
    "/api/signals",
    "/api/spillover",
    "/api/scenarios",
    "/api/figures/stress_gauge",
    "/api/figures/yield_dollar",
    "/api/figures/yield_curve",
    "/api/figures/crypto",
    "/api/figures/spillover_net",
]
TOKEN = "bench-token-0123456789abcdef"


def serve(port: int) -> None:
    """Child process: serve the demo app on 127.0.0.1:port as ``spillwatch serve`` does."""
    import logging

    from spillwatch.api.app import create_app
    from spillwatch.api.server import run_server

    logging.basicConfig(level=logging.WARNING)
    app = create_app("demo", token=TOKEN, read_limit=None, write_limit=None, warm=True)
    # the server `spillwatch serve` runs (its protocol, timeouts and socket), not uvicorn.run's
    # defaults: a socket bound without IPPROTO_TCP stalled every kept-alive request ~40 ms
    run_server(app, host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size of a process (VmHWM on Linux; current RSS elsewhere)."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


async def load(base: str, endpoints: list[str], clients: int, first: int, total: int,
               start_at: float, max_seconds: float, rate: float
               ) -> tuple[dict[str, list[float]], int]:
    """Run ``clients`` concurrent clients from ``start_at`` (wall clock) for ``total`` requests.

    With ``rate > 0`` each client sends ``rate`` requests a second on a fixed schedule (an
    open loop, like dashboards polling); with ``rate == 0`` each sends its next request as soon
    as the last one is answered (a closed loop: maximum throughput).
    """
    import httpx

    lat: dict[str, list[float]] = {e: [] for e in endpoints}
    errors = 0
    sent = 0
    deadline = start_at + max_seconds

    # each client is its own AsyncClient on one keep-alive connection: one pool of 50
    # connections is itself a bottleneck at this concurrency (encode/httpx#3215)
    async def worker(i: int) -> None:
        nonlocal errors, sent
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            await (await client.get(endpoints[i % len(endpoints)])).aread()  # connect first
            await asyncio.sleep(max(0.0, start_at - time.time()))
            j = i
            k = 0
            offset = (i / max(clients, 1)) / rate if rate > 0 else 0.0
            while True:
                if rate > 0:
                    k += 1
                    await asyncio.sleep(max(0.0, start_at + offset + k / rate - time.time()))
                if sent >= total or time.time() >= deadline:
                    break
                sent += 1
                path = endpoints[j % len(endpoints)]
                j += 1
                t0 = time.perf_counter()
                r = await client.get(path)
                await r.aread()
                dt_s = time.perf_counter() - t0
                if r.status_code != 200:
                    errors += 1
                    continue
                lat[path].append(dt_s)

    await asyncio.gather(*(worker(first + i) for i in range(clients)))
    return lat, errors


def load_process(args: tuple[str, list[str], int, int, int, float, float, float]
                 ) -> tuple[dict[str, list[float]], int, float]:
    """One client process (the clients are spread over processes so that the Python client,
    not the server, is not what is measured)."""
    import gc

    gc.collect()
    gc.disable()  # a bounded run: no collector pauses inside the measured requests
    try:
        t0 = time.process_time()
        lat, errors = asyncio.run(load(*args))
        return lat, errors, time.process_time() - t0
    finally:
        gc.enable()


def baseline_build_seconds() -> dict[str, float]:
    """Seconds to build each view from scratch (fresh context: no cache)."""
    from spillwatch.api import actions
    from spillwatch.api.views import Views
    from spillwatch.data.source import open_source

    src = open_source("demo")
    out: dict[str, float] = {}
    try:
        for path in ENDPOINTS:
            views = Views(src)  # a fresh cache and report context per endpoint
            name = path.rsplit("/", 1)[-1]
            t0 = time.perf_counter()
            if path.startswith("/api/figures/"):
                views.figure(name)
            elif name == "panel":
                views.get("panel:changes", lambda c: actions.panel_view(c, "changes"))
            elif name == "scenarios":
                views.get("data:presets", actions.presets_view)
            else:
                views.data(name)
            out[path] = time.perf_counter() - t0
    finally:
        src.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--max-seconds", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=4.0,
                    help="requests a second per client (0: back to back, a closed loop)")
    ap.add_argument("--processes", type=int, default=1,
                    help="client processes the clients are spread over")
    ap.add_argument("--only", nargs="*", help="endpoints to load (default: the main reads)")
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.only:
        ENDPOINTS[:] = args.only
    if args.serve:
        serve(args.serve)
        return 0

    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env=env)
    try:
        deadline = time.monotonic() + 120
        while True:  # wait until the server is up and every view is built (the warm-up)
            try:
                meta = httpx.get(f"{base}/api/meta", timeout=60)
                if meta.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                print("server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        unavailable = {k: v["reason"] for k, v in meta.json()["views"].items()
                       if not v["available"]}
        for path in list(ENDPOINTS):
            if httpx.get(base + path, timeout=60).status_code != 200:
                print(f"skip {path}: not available ({unavailable})", file=sys.stderr)
                ENDPOINTS.remove(path)
        import psutil

        server = psutil.Process(proc.pid)
        cpu0, own0 = sum(server.cpu_times()[:2]), time.process_time()
        import multiprocessing as mp

        nproc = max(1, min(args.processes, args.clients))
        per = [args.clients // nproc + (i < args.clients % nproc) for i in range(nproc)]
        start_at = time.time() + 2.0 + 0.5 * nproc
        jobs = [(base, list(ENDPOINTS), per[i], sum(per[:i]),
                 args.requests // nproc + (i < args.requests % nproc), start_at,
                 args.max_seconds, args.rate) for i in range(nproc)]
        with mp.get_context("spawn").Pool(nproc) as pool:
            parts = pool.map(load_process, jobs)
        wall = time.time() - start_at
        lat = {e: [x for p in parts for x in p[0][e]] for e in ENDPOINTS}
        errors = sum(p[1] for p in parts)
        cpu_server = sum(server.cpu_times()[:2]) - cpu0
        cpu_client = sum(p[2] for p in parts) + time.process_time() - own0
        rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    base_s = baseline_build_seconds()
    n = sum(len(v) for v in lat.values())
    pace = f"{args.rate:g} req/s each" if args.rate > 0 else "back to back"
    print(f"{n} requests ({errors} errors) from {args.clients} concurrent clients "
          f"({pace}; {args.processes} process(es)) in "
          f"{wall:.1f}s: {n / wall:.0f} req/s")
    print(f"CPU seconds: server {cpu_server:.2f}, clients {cpu_client:.2f} (2 cores shared; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"{'endpoint':32s} {'n':>5s} {'p50 ms':>8s} {'p99 ms':>8s}")
    every: list[float] = []
    for path, values in lat.items():
        if not values:
            continue
        every += values
        print(f"{path:32s} {len(values):5d} {1000 * pct(values, 50):8.1f} "
              f"{1000 * pct(values, 99):8.1f}")
    print(f"{'all':32s} {len(every):5d} {1000 * pct(every, 50):8.1f} "
          f"{1000 * pct(every, 99):8.1f}")
    for path, values in lat.items():
        if values:
            p99 = pct(values, 99)
            print(f"api{path.replace('/api', '').replace('/', '_')}_p99_at_{args.clients}: "
                  f"ours={p99:.4f}s baseline={base_s[path]:.4f}s "
                  f"ratio={p99 / base_s[path]:.3f}x peak_rss={rss:.0f}MB (server)")
    worst = max(pct(v, 99) for v in lat.values() if v)
    print(f"worst p99 {1000 * worst:.1f} ms: {'under' if worst < 0.1 else 'OVER'} 100 ms")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
