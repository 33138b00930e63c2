"""The server's shutdown waits for the warm-up's view and starts no other one.

The warm-up is a daemon thread: left inside DuckDB when ``serve`` returned, the interpreter's
exit could abort the process (exit 134) instead of the clean stop SIGTERM asks for.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import httpx
import pytest

from spillwatch.api.app import create_app
from spillwatch.api.views import DATA, FIGURES, Views


def _serve_and_stop(demo_source, token, live_server_cls, *, forced: bool
                    ) -> tuple[Views, threading.Thread]:
    """Serve the demo with its warm-up, stop the server while the warm-up runs (``forced``: as
    a second SIGINT does) and return the views and the warm-up's thread once it stopped."""
    app = create_app(demo_source, token=token, warm=True)
    views = app.state.views
    with live_server_cls(app) as server:
        assert httpx.get(f"{server.url}/api/meta", timeout=30).status_code == 200
        thread = views._warming
        assert thread is not None and thread.is_alive()    # the warm-up under way
        if forced:
            server.server.force_exit = True               # what a second SIGINT sets
    server.thread.join(120)
    assert not server.thread.is_alive()
    return views, thread


@pytest.mark.slow      # the shutdown waits for the view under way (the headline: 3-11 s)
def test_shutdown_ends_the_warm_up_before_it_returns(demo_source, token, live_server_cls):
    views, thread = _serve_and_stop(demo_source, token, live_server_cls, forced=False)
    # the lifespan's shutdown has returned: the thread ended, and early (views left unbuilt)
    assert not thread.is_alive()
    built = [k for k in (*(f"data:{n}" for n in DATA), *(f"figure:{n}" for n in FIGURES))
             if views.cached(k) is not None]
    assert len(built) < len(DATA) + len(FIGURES)
    # nothing starts it again once stopped: the views read pending, none is built
    status = views.status()
    assert views._warming is thread
    assert sum(v.pending for v in status.values()) == len(DATA) + len(FIGURES) - len(built)


def test_stop_without_a_warm_up_returns_at_once(demo_source):
    views = Views(demo_source, background=True)
    assert views.stop() is True
    views.warm_in_background()
    assert views._warming is None


@pytest.mark.slow      # the shutdown waits for the view under way
def test_a_forced_shutdown_also_ends_the_warm_up(demo_source, token, live_server_cls):
    """Ctrl-C twice (uvicorn's "CTRL+C to force quit") skips the lifespan's shutdown and
    cancels it: the warm-up went on inside DuckDB after ``serve`` had closed the store, and
    the process could abort (exit 134) after "stopped cleanly"."""
    views, thread = _serve_and_stop(demo_source, token, live_server_cls, forced=True)
    assert not thread.is_alive()
    assert views._stopping.is_set()


@pytest.mark.slow      # the first view of the demo is built before the warm-up is held
def test_stop_says_when_the_view_under_way_outlasts_its_wait(demo_source, caplog):
    """``stop`` returns False (and says so in the log) while the warm-up's view is still being
    built after ``timeout_s``, and True once the thread has ended."""
    entered, release = threading.Event(), threading.Event()

    def held_scrub(body: bytes) -> bytes:      # the warm-up's view held inside its build
        entered.set()
        release.wait(60)
        return body

    views = Views(demo_source, background=True, scrub=held_scrub)
    views.warm_in_background()
    assert entered.wait(120)
    try:
        with caplog.at_level(logging.WARNING, logger="spillwatch.api.views"):
            assert views.stop(timeout_s=0.05) is False
        assert "a view was still being built after 0 s; stopping without it" in caplog.text
        assert views._warming is not None and views._warming.is_alive()
    finally:
        release.set()
    assert views.stop() is True
    assert not views._warming.is_alive()


@pytest.mark.slow      # the first view of the demo is built before the warm-up is held
def test_a_source_the_app_opened_is_closed_only_once_the_warm_up_has_ended():
    """The lifespan's shutdown stops the warm-up first and closes the source it opened after:
    the view under way when the stop came ends with its store still open (closed under a
    thread inside DuckDB, the process could abort)."""
    app = create_app("demo", warm=True)
    views, src = app.state.views, app.state.source
    scrub = views.scrub
    entered, release, open_at_end = threading.Event(), threading.Event(), []

    def held_scrub(body: bytes) -> bytes:       # the view under way, held until the stop
        entered.set()
        release.wait(60)
        try:                                     # the demo's store, in memory
            open_at_end.append(src.store.count() > 0)
        except Exception:                        # closed (an AssertionError today)
            open_at_end.append(False)
        return scrub(body) if scrub is not None else body

    views.scrub = held_scrub

    def release_at_stop() -> None:
        views._stopping.wait(120)
        release.set()

    async def serve_until_held() -> None:
        async with app.router.lifespan_context(app):
            assert await asyncio.to_thread(entered.wait, 120)

    threading.Thread(target=release_at_stop, daemon=True).start()
    asyncio.run(serve_until_held())
    assert open_at_end == [True]
    assert views._warming is not None and not views._warming.is_alive()
