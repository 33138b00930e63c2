"""A fetch isolates failures and never loses a point silently: one bad answer or even a bug in one
group does not stop the others; rows without a time are quarantined; a killed fetch leaves its
run marked ``interrupted`` at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

from spillwatch.data.fetch import fetch
from spillwatch.data.providers._base import Batch, FetchRequest, spec_for
from spillwatch.data.providers.fred import FredProvider
from spillwatch.store import Store

from .conftest import payload

FRED_CSV = "/graph/fredgraph.csv"


class Broken:
    """A provider whose parser trips over a bug (a test double, not project code)."""

    name = "broken"
    url_env = "SPILLWATCH_BROKEN_URL"

    def default_series(self) -> list[str]:
        return ["broken:X"]

    def fetch(self, client, request: FetchRequest) -> Batch:
        raise KeyError("a field the parser forgot")


class NaTRows:
    """A provider whose batch holds points without a usable time."""

    name = "nat"
    url_env = "SPILLWATCH_NAT_URL"

    def default_series(self) -> list[str]:
        return ["nat:X"]

    def fetch(self, client, request: FetchRequest) -> Batch:
        obs = pd.DataFrame({"series_id": "nat:X",
                            "ts": pd.to_datetime(["2025-04-01", None, "2025-04-03", None]),
                            "value": [1.0, 2.0, 3.0, 4.0]})
        return Batch(obs, [spec_for("nat:X", positive=False)], "test://nat")


def _fred_csv(sid: str, cr: bool = False) -> bytes:
    text = payload("fred/fredgraph_DGS10.csv").decode().replace("DGS10", sid)
    return text.replace("\n", "\r").encode() if cr else text.encode()


def test_one_bad_answer_does_not_stop_the_others(httpserver, fast, store):
    def handler(request):
        from werkzeug import Response

        sid = request.args["id"]
        if sid == "DGS5":
            return Response("observation_date,DGS5\n2025-04-01,4.1\n2025-04-0", mimetype="text/csv")
        return Response(_fred_csv(sid, cr=sid == "DGS2"), mimetype="text/csv")

    httpserver.expect_request(FRED_CSV).respond_with_handler(handler)
    provs = {"fred": FredProvider(httpserver.url_for(""), min_interval=0.0), "broken": Broken()}
    res = fetch(store, series=["fred:DGS10", "fred:DGS2", "fred:DGS5", "broken:X",
                               "fred:DGS30"], end="2025-04-21", config=fast, providers=provs)
    assert not res.ok and set(res.errors) == {"fred:DGS5", "broken:X"}
    assert "truncated" in res.errors["fred:DGS5"]
    assert "internal error KeyError" in res.errors["broken:X"]
    assert res.outcomes[3].error_type == "InternalError"
    # CR line endings are read; DGS30 after the failures is fetched
    last = store.last_points()
    assert {"fred:DGS10", "fred:DGS2", "fred:DGS30"} <= set(last)
    assert len(store.observations(["fred:DGS2"])) == 14
    assert store.runs().iloc[0]["status"] == "partial"
    assert res.failure_lines[0].startswith("fred:DGS5: ")


def test_rows_without_a_time_are_quarantined_not_dropped(store, fast):
    res = fetch(store, series=["nat:X"], end="2025-04-21", config=fast,
                providers={"nat": NaTRows()})
    o = res.outcomes[0]
    assert (o.read, o.stored, o.quarantined) == (4, 2, 2)
    q = store.quarantine("nat:X")
    assert q["reason"].tolist() == ["missing or unparseable timestamp"] * 2
    assert (q["line"] < 0).all() and sorted(q["raw_value"]) == ["2.0", "4.0"]


CHILD = textwrap.dedent("""
    import sys
    from spillwatch.data._http import HttpConfig
    from spillwatch.data.fetch import fetch
    from spillwatch.data.providers.fred import FredProvider
    from spillwatch.store import Store

    store = Store(sys.argv[1])
    def on_unit(label, done, total):
        print("done", label, flush=True)
    cfg = HttpConfig(connect_timeout=5, read_timeout=60, deadline=120, retries=0)
    fetch(store, series=["fred:DGS10", "fred:DGS2"], end="2025-04-21", config=cfg,
          providers={"fred": FredProvider(sys.argv[2], min_interval=0.0)}, on_unit=on_unit)
    print("finished", flush=True)
""")


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_killed_fetch_is_marked_interrupted_at_the_next_start(httpserver, tmp_path, fast):
    release = threading.Event()

    def handler(request):
        from werkzeug import Response

        if request.args["id"] == "DGS2" and not release.is_set():
            release.wait(30)  # the second group hangs: the fetch is killed in the middle
        return Response(_fred_csv(request.args["id"]), mimetype="text/csv")

    httpserver.expect_request(FRED_CSV).respond_with_handler(handler)
    db = tmp_path / "s.duckdb"
    with subprocess.Popen([sys.executable, "-c", CHILD, str(db), httpserver.url_for("")],
                          stdout=subprocess.PIPE, text=True) as proc:
        line = proc.stdout.readline()
        assert line.startswith("done fred:DGS10"), line
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        release.set()
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        runs = store.runs()
        assert runs["status"].tolist() == ["running"]  # what the kill left
        assert len(store.observations(["fred:DGS10"])) == 14  # the finished group is kept
        res = fetch(store, series=["fred:DGS10"], end="2025-04-21", config=fast,
                    providers={"fred": FredProvider(httpserver.url_for(""), min_interval=0.0)})
        assert res.ok
        runs = store.runs().set_index("run_id")
        assert runs["status"].tolist() == ["ok", "interrupted"]
        assert "interrupted" in runs["message"].iloc[-1]
        assert runs["finished_at"].notna().all()


def test_a_stop_request_leaves_the_remaining_groups_unfetched(httpserver, fast, store):
    # the monitor's SIGTERM: a provider that never answers used to hold the stop for every
    # group after it (5 attempts x 30 s each); once asked to stop, no group starts
    httpserver.expect_request(FRED_CSV).respond_with_handler(
        lambda request: __import__("werkzeug").Response(_fred_csv(request.args["id"]),
                                                        mimetype="text/csv"))
    provs = {"fred": FredProvider(httpserver.url_for(""), min_interval=0.0)}
    asked: list[str] = []

    def should_stop() -> bool:
        return bool(asked)             # the SIGTERM arrives once the first group is done

    res = fetch(store, series=["fred:DGS10", "fred:DGS2", "fred:DGS30"], end="2025-04-21",
                config=fast, providers=provs, should_stop=should_stop,
                on_unit=lambda label, i, n: asked.append(label))
    assert [o.error for o in res.outcomes] == [None, "not fetched: stopping (SIGTERM)",
                                               "not fetched: stopping (SIGTERM)"]
    assert set(store.last_points()) == {"fred:DGS10"}
    assert len(httpserver.log) == 1
