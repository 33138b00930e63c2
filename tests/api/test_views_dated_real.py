"""The cache of past evenings' views, on a real store and real vintages (no stand-ins).

A store of the 10-year's H.15 prints of January 2024, imported by the project's own import; the
vintages are the project's (each print seen from the next business day's evening, as H.15 is
published), the dated views built by ``Views.dated`` as the API's ``?as_of=`` routes build them.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import httpx
from pydantic import BaseModel

from spillwatch.api.views import MAX_DATE_WAITERS, VINTAGES_KEPT, Views
from spillwatch.data.ingest import import_path
from spillwatch.data.source import open_source
from spillwatch.store import Store

#: FRED DGS10 (percent), 2024-01-02 .. 2024-01-19, as in ../shared/data/fred/DGS10.csv.
DGS10 = {"2024-01-02": 3.95, "2024-01-03": 3.91, "2024-01-04": 3.99, "2024-01-05": 4.05,
         "2024-01-08": 4.01, "2024-01-09": 4.02, "2024-01-10": 4.04, "2024-01-11": 3.98,
         "2024-01-12": 3.96, "2024-01-16": 4.07, "2024-01-17": 4.10, "2024-01-18": 4.14,
         "2024-01-19": 4.15}


def _write(folder, values: dict[str, float]) -> None:
    (folder / "fred").mkdir(exist_ok=True)
    lines = ["date,DGS10", *(f"{d},{v:.2f}" for d, v in values.items())]
    (folder / "fred" / "DGS10.csv").write_text("\n".join(lines) + "\n")


def _store(tmp_path) -> Store:
    _write(tmp_path, DGS10)
    store = Store(tmp_path / "s.duckdb")
    import_path(tmp_path, store)
    return store


class _Level(BaseModel):
    date: str
    ust10y: float


def _last_level(ctx) -> _Level:
    """A provider: the 10-year's last print the evening's data hold."""
    levels = ctx.workspace.panel(["ust10y"], transform="levels")
    return _Level(date=str(levels.index[-1].date()), ust10y=float(levels.iloc[-1, 0]))


def test_the_vintages_kept_are_the_last_four_asked_for_not_the_newest_dropped(tmp_path):
    """Of the past evenings' workspaces, the last VINTAGES_KEPT (4) asked for are kept and the
    least recently asked is let go. Dropping the one just built instead (``popitem(last=True)``)
    rebuilt the newest evening, for seconds on the real store, on every click of its page."""
    assert VINTAGES_KEPT == 4
    views = Views(open_source(_store(tmp_path)), refresh_s=3600.0)
    days = [dt.date(2024, 1, d) for d in (8, 9, 10, 11, 12)]
    got = [views.vintage(d) for d in days]
    # real vintages: each evening sees the 10-year up to the business day before (H.15 is out
    # the next day): Monday the 8th sees Friday the 5th's 4.05
    seen = [c.workspace.panel(["ust10y"], transform="levels") for c in got]
    rows = [(c.as_of, str(s.index[-1].date()), float(s.iloc[-1, 0]))
            for c, s in zip(got, seen, strict=True)]
    assert rows == [(dt.date(2024, 1, 8), "2024-01-05", 4.05),
                    (dt.date(2024, 1, 9), "2024-01-08", 4.01),
                    (dt.date(2024, 1, 10), "2024-01-09", 4.02),
                    (dt.date(2024, 1, 11), "2024-01-10", 4.04),
                    (dt.date(2024, 1, 12), "2024-01-11", 3.98)]
    assert views.vintage(days[4]) is got[4], "the newest evening was let go"
    assert views.vintage(days[1]) is got[1], "a kept evening was let go"
    assert views.vintage(days[2]) is got[2], "a kept evening was let go"
    again = views.vintage(days[0])                   # the oldest was let go: built anew
    assert again is not got[0] and again.as_of == days[0]
    # ... and building it let go the least recently asked of the four kept, the 11th
    assert views.vintage(days[3]) is not got[3]


def test_a_past_evening_s_view_is_rebuilt_when_a_print_is_revised(tmp_path):
    """A dated view (``?as_of=``) kept from older data is not served once the store's data
    changed: the evening of 2024-01-10 reads the 9th's 10-year print, 4.02; after a re-import
    revises that print to 4.12 the same request reads 4.12 (it kept answering 4.02)."""
    store = _store(tmp_path)
    views = Views(open_source(store), refresh_s=0.0)      # every read asks the store
    when = dt.date(2024, 1, 10)
    first = views.dated("level", _last_level, when)
    assert first.body == b'{"date":"2024-01-09","ust10y":4.02}'
    assert views.dated("level", _last_level, when) is first          # kept while unchanged
    _write(tmp_path, {**DGS10, "2024-01-09": 4.12})                  # the revised file
    import_path(tmp_path, store)
    again = views.dated("level", _last_level, when)
    assert again.body == b'{"date":"2024-01-09","ust10y":4.12}'
    assert again.version == views.data_version() != first.version


def _inside(views: Views, when: dt.date) -> int:
    """Requests of ``when`` inside ``Views.dated`` (read only, to know the waiters arrived)."""
    return views._date_inside.get(when, 0)


def _until(cond, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)


def test_a_date_s_build_takes_eight_waiters_and_the_ninth_is_told_busy(tmp_path, serve):
    """README: a date's other views, asked side by side, wait for its build, up to eight; one
    more is a 503 ``busy: …`` with ``Retry-After`` at once. With the build and 7 waiters inside,
    an HTTP request for that evening waits and is served (it was refused at 7: ``>=``); with
    the build and 8 waiters inside, the next is a 503 naming the eight."""
    from spillwatch.api.app import create_app
    from spillwatch.api.limits import RateLimit
    from spillwatch.api.schemas import ViewStatus

    assert MAX_DATE_WAITERS == 8
    high = RateLimit(per_second=10_000.0, burst=100_000)
    app = create_app(open_source(_store(tmp_path)), token="t" * 32, warm=False,
                     refresh_s=3600.0, read_limit=high, token_read_limit=high,
                     write_limit=high, token_write_limit=high)
    views = app.state.views
    when = dt.date(2024, 1, 10)
    key = "data:summary"                     # what GET /api/summary?as_of= builds
    building, release = threading.Event(), threading.Event()

    def slow(ctx):
        building.set()
        release.wait(30)
        return ViewStatus(available=True, reason=f"built on {ctx.as_of}")

    done: list[object] = []

    def ask():
        done.append(views.dated(key, slow, when))

    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        threads = [threading.Thread(target=ask)]
        threads[0].start()
        try:
            assert building.wait(30)
            for n in range(2, MAX_DATE_WAITERS + 1):         # 7 waiters beside the build
                t = threading.Thread(target=ask)
                t.start()
                threads.append(t)
                _until(lambda n=n: _inside(views, when) == n, f"waiter {n} did not arrive")
            answers: list[httpx.Response] = []
            ninth = threading.Thread(target=lambda: answers.append(
                http.get("/api/summary", params={"as_of": str(when)})))
            ninth.start()
            threads.append(ninth)
            _until(lambda: _inside(views, when) == MAX_DATE_WAITERS + 1 or answers,
                   "the 9th request did not arrive")
            assert not answers, answers[0].text            # waiting, not refused
            busy = http.get("/api/summary", params={"as_of": str(when)})
            assert busy.status_code == 503, busy.text
            retry = int(busy.headers["Retry-After"])
            assert retry >= 1
            assert busy.json()["detail"] == (f"busy: 8 requests already wait for the views of "
                                             f"{when}; retry in {retry} s")
        finally:
            release.set()
            for t in threads:
                t.join(30)
    assert len(done) == MAX_DATE_WAITERS and all(e is done[0] for e in done)   # built once
    assert answers[0].status_code == 200
    assert answers[0].json() == {"available": True, "pending": False,
                                 "reason": "built on 2024-01-10"}
    assert _inside(views, when) == 0
