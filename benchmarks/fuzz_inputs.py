"""Fuzz every input parser at scale and print the counts (issue 19: bad input never escapes).

    python benchmarks/fuzz_inputs.py [--csv 20000] [--payloads 2000] [--workers 2] [--seed 0]

Cases come from tests/fuzz/cases.py: ``--csv`` mutated CSV files through the importer (as a file
or inside its shared-data folder: generic, FRED, crypto, MOF weekly, auctions, interventions), and
``--payloads`` mutated recorded payloads through each provider parser (FRED CSV and JSON,
Treasury, TIC, Binance, CoinGecko, Fiscal Data auctions, MOF weekly, MOF JGB, MOF interventions),
each result stored through the one ingest path. Every case must end as ``ok`` (stored, the
accounting closed and the store grew by what was reported) or ``own_error`` (a spillwatch error);
``unhandled`` (a raw exception), ``accounting`` (counts that do not close) and ``hang`` (a case
over ``--timeout`` seconds) are failures, listed with their seeds to replay. Exit code 1 on any.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz.cases import PROVIDER_CASES, Outcome, run_csv_case, run_provider_case, scratch
from spillwatch.store import Store


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang()


def _work(job: tuple[str, list[int], float]) -> list[tuple[str, int, str, str]]:
    """Run one chunk of cases in a worker with its own store; return (what, seed, kind, detail)."""
    what, seeds, timeout = job
    signal.signal(signal.SIGALRM, _alarm)
    store, workdir = Store(), scratch()
    case = next((c for c in PROVIDER_CASES if c.name == what), None)
    out = []
    for seed in seeds:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            o = (run_csv_case(seed, store, workdir) if case is None
                 else run_provider_case(case, seed, store))
        except _Hang:
            o = Outcome("hang", f"over {timeout:g} s")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out.append((what, seed, o.kind, o.detail))
    store.close()
    shutil.rmtree(workdir, ignore_errors=True)     # one folder a chunk was left behind
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=int, default=20_000)
    ap.add_argument("--payloads", type=int, default=2_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--chunk", type=int, default=250)
    args = ap.parse_args()

    jobs: list[tuple[str, list[int], float]] = []
    targets = [("csv", args.csv)] + [(c.name, args.payloads) for c in PROVIDER_CASES]
    for what, n in targets:
        seeds = list(range(args.seed, args.seed + n))
        for i in range(0, n, args.chunk):
            jobs.append((what, seeds[i:i + args.chunk], args.timeout))
    t0 = time.perf_counter()
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[tuple[str, int, str, str]] = []
    with mp.get_context("fork").Pool(args.workers) as pool:
        for chunk in pool.imap_unordered(_work, jobs):
            for what, seed, kind, detail in chunk:
                counts[what][kind] += 1
                if kind in ("unhandled", "accounting", "hang"):
                    failures.append((what, seed, kind, detail))
    seconds = time.perf_counter() - t0
    kinds = ("ok", "own_error", "unhandled", "accounting", "hang")
    print(f"{'input':<12} {'cases':>7} " + " ".join(f"{k:>10}" for k in kinds))
    total: collections.Counter[str] = collections.Counter()
    for what, _ in targets:
        c = counts[what]
        total.update(c)
        print(f"{what:<12} {sum(c.values()):>7} " + " ".join(f"{c[k]:>10}" for k in kinds))
    print(f"{'all':<12} {sum(total.values()):>7} " + " ".join(f"{total[k]:>10}" for k in kinds))
    print(f"fuzz_inputs: {sum(total.values())} cases in {seconds:.0f}s with {args.workers} "
          f"worker(s): unhandled={total['unhandled']} hangs={total['hang']} "
          f"accounting_failures={total['accounting']}")
    for what, seed, kind, detail in failures[:20]:
        last = detail.strip().splitlines()[-1][:300] if detail.strip() else "(no detail)"
        print(f"FAILED {what} seed={seed} {kind}: {last}")
        # a case runs in its chunk's store, after the chunk's earlier seeds
        first = args.seed + (seed - args.seed) // args.chunk * args.chunk
        fn = "run_csv_case(s, store, scratch())" if what == "csv" else \
            f"run_provider_case(<the {what!r} case>, s, store)"
        print(f"  replay (tests/fuzz/cases.py): one Store(), then {fn} for s in "
              f"range({first}, {seed + 1})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
