"""What a careless or hostile caller cannot do to a shared server: leak its folders, hold its
worker threads with one-off builds, or ask for a Monte Carlo of a minute and gigabytes."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from spillwatch.api import actions
from spillwatch.api.views import MAX_ONE_OFF_BUILDS

TOKEN = "costs-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def store_server(tmp_path_factory, serve):
    """A server on a store file in a folder of its own (the demo written into it)."""
    from spillwatch.api.app import create_app
    from spillwatch.data.source import open_source

    folder = tmp_path_factory.mktemp("desk_private_folder")
    path = folder / "book.duckdb"
    open_source("demo", db=str(path)).close()
    src = open_source(str(path), read_only=True)
    application = create_app(src, token=TOKEN)
    with serve(application) as url:
        yield url, application, str(folder)
    src.close()


def test_no_answer_names_the_server_s_folders(store_server):
    """A 404 for an unknown own series said "no series 'csv:NOPE' in store /srv/.../x.duckdb";
    /api/meta gave the whole path as its source; a dated 409 too."""
    url, _, folder = store_server
    with httpx.Client(base_url=url, timeout=60) as c:
        meta = c.get("/api/meta")
        assert meta.status_code == 200
        assert meta.json()["source"].startswith("store book.duckdb")
        answers = [meta,
                   c.get("/api/series/csv:NOPE"),
                   c.get("/api/spillover", params={"assets": "btc,csv:NOPE"}),
                   c.get("/api/risk", params={"as_of": "2016-03-01"}),
                   c.post("/api/scenarios", headers=AUTH, json={
                       "preset": "japan-10pct", "paths": 200,
                       "portfolio": [{"asset": "csv:NOPE", "weight": 1.0}]})]
    for r in answers[1:]:
        assert r.status_code in (404, 409), (r.request.url, r.text)
        assert "book.duckdb" in r.text or r.status_code == 409, r.text
    for r in answers:
        assert folder not in r.text and "desk_private_folder" not in r.text, r.text


def test_a_book_with_an_unknown_own_series_is_refused_before_the_stream(http, auth):
    """The stream answered 200, then an error event: the check did not look the series up."""
    r = http.post("/api/scenarios", params={"stream": "true"}, headers=auth, json={
        "preset": "japan-10pct", "paths": 200,
        "portfolio": [{"asset": "csv:NOPE", "weight": 1.0}]})
    assert r.status_code == 409, r.text
    assert "csv:NOPE" in r.json()["detail"]


def test_a_long_query_string_is_refused_and_a_repeated_key_is_named(http):
    """A 60 KB query string was parsed and its keys counted pairwise (20 s of CPU per request
    of 12,000 repeats)."""
    r = http.get("/api/stress?" + "days=1&" * 700)
    assert r.status_code == 414 and "query string over 4096 bytes" in r.text
    r = http.get("/api/stress?" + "days=1&" * 300)
    assert r.status_code == 400 and "days given more than once" in r.text


@pytest.mark.slow
def test_one_off_builds_beyond_the_slots_are_busy_not_queued(store_server):
    """60 dated reads without a token held every worker thread for 188 s; now the builds past
    MAX_ONE_OFF_BUILDS are refused at once with Retry-After, and the cached views answer."""
    url, application, _ = store_server
    views = application.state.views
    holds = [views.one_off_slot(f"held {i}") for i in range(MAX_ONE_OFF_BUILDS)]
    for h in holds:
        h.__enter__()
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            for path in ("/api/demand?as_of=2024-06-28", "/api/stress?days=33"):
                r = c.get(path)
                assert r.status_code == 503, (path, r.text)
                assert r.json()["detail"].startswith("busy:")
                assert int(r.headers["Retry-After"]) > 0
                # the time said is the header's: when a slot is expected to free for it
                assert f"retry in {r.headers['Retry-After']} s" in r.json()["detail"]
            assert c.get("/api/alerts/rules").status_code == 200
    finally:
        for h in holds:
            h.__exit__(None, None, None)
    with httpx.Client(base_url=url, timeout=120) as c:
        assert c.get("/api/stress?days=33").status_code == 200


@pytest.mark.slow
def test_a_monte_carlo_past_the_budget_is_refused_with_what_fits(http, auth):
    """20,000 paths over 2,620 days took 65 s and 2 GB of the server for one request."""
    r = http.post("/api/scenarios", headers=auth, json={
        "preset": "japan-10pct", "paths": 20_000, "horizon": 2_620})
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail.startswith("20,000 paths over 2,620 business days is 52,400,000 path-days")
    assert f"({actions.MAX_PATH_DAYS:,}: 1,984 paths over 2,620 days)" in detail
    # within it: the same days at fewer paths run
    r = http.post("/api/scenarios", headers=auth, json={
        "preset": "japan-10pct", "paths": 1_000, "horizon": 2_620, "alone": False},
        timeout=300)   # a real run: past the client's 30 s on a loaded machine
    assert r.status_code == 200, r.text[:300]


def test_scenarios_past_the_runs_at_once_are_busy(store_server):
    """Each token holder's request ran at once beside the others (50 allowed by the write
    burst), each a core and up to 2 GB; past MAX_RUNS a run is refused with Retry-After,
    the stream before its 200."""
    url, application, _ = store_server
    runner = application.state.runner
    body = {"preset": "japan-10pct", "paths": 300, "seed": 99, "alone": False}
    with httpx.Client(base_url=url, timeout=120) as c:
        with contextlib.ExitStack() as stack:
            for _ in range(actions.MAX_RUNS):
                stack.enter_context(runner.slot())
            for params in ({}, {"stream": "true"}):
                r = c.post("/api/scenarios", headers=AUTH, json=body, params=params)
                assert r.status_code == 503, r.text
                assert r.json()["detail"].startswith("busy:") and r.headers["Retry-After"]
        assert c.post("/api/scenarios", headers=AUTH, json=body).status_code == 200


@pytest.mark.slow
def test_a_date_s_views_asked_side_by_side_all_answer(store_server):
    """The slots bound the dates built at once, not one date's views: a client asking five
    views of one evening side by side got 503s for all but two."""
    from concurrent.futures import ThreadPoolExecutor

    url, _, _ = store_server
    paths = [f"/api/{name}?as_of=2024-06-27" for name in
             ("stress", "signals", "demand", "spillover", "risk")]

    def get(path: str) -> int:
        with httpx.Client(base_url=url, timeout=300) as c:
            return c.get(path).status_code

    with ThreadPoolExecutor(len(paths)) as pool:
        codes = list(pool.map(get, paths))
    assert 503 not in codes and codes.count(200) >= 3, dict(zip(paths, codes, strict=True))


def test_a_kept_result_streams_while_runs_are_busy_and_a_zero_book_is_refused_first(
        store_server):
    """The stream refused a kept result as busy (the plain request served it); the busy
    answer said "retry in a minute" with Retry-After: 5; a book of zero lines opened a
    stream, then said "the portfolio is empty"."""
    url, application, _ = store_server
    runner = application.state.runner
    body = {"preset": "japan-intervention", "paths": 300, "seed": 5, "alone": False}
    with httpx.Client(base_url=url, timeout=120) as c:
        assert c.post("/api/scenarios", headers=AUTH, json=body).status_code == 200
        with contextlib.ExitStack() as stack:
            for _ in range(actions.MAX_RUNS):
                stack.enter_context(runner.slot())
            r = c.post("/api/scenarios", headers=AUTH, json=body, params={"stream": "true"})
            assert r.status_code == 200 and '"event": "result"' in r.text
            r = c.post("/api/scenarios", headers=AUTH, json={**body, "seed": 6})
            assert r.status_code == 503 and r.headers["Retry-After"] == "60"
        for params in ({}, {"stream": "true"}):
            r = c.post("/api/scenarios", headers=AUTH, params=params, json={
                **body, "portfolio": [{"asset": "btc", "weight": 0.0}]})
            assert r.status_code == 409 and "every line is zero" in r.text, r.text
