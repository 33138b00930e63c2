"""Shared fixtures: the real data folder (skipped with a reason when absent), stores, seeded rng."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from spillwatch.cli._process import prepare
from spillwatch.config import find_shared_data

# The test processes (xdist's workers and the commands they start inherit this environment)
# run with the process settings of the ``spillwatch`` command.
prepare()

SHARED = find_shared_data(Path(__file__).resolve().parent)
SKIP_REASON = ("../shared/data (the real market data set) is not beside this clone; "
               "tests on real data are skipped")


#: A test whose call takes this long or longer carries the ``slow`` marker (pyproject's
#: definition of the marker); ``--slow-report`` lists those that do not.
SLOW_CALL_S = 2.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--skip-slow", action="store_true", help="skip tests marked slow")
    parser.addoption("--slow-report", action="store_true",
                     help=f"list the tests whose call took {SLOW_CALL_S:g} s or more without "
                          "the slow marker")


_UNMARKED = pytest.StashKey[list[tuple[float, str]]]()
_CONFIG: dict[str, pytest.Config] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_UNMARKED] = []
    _CONFIG["config"] = config


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # called in the controlling process under xdist too, each report with its keywords
    config = _CONFIG.get("config")
    if (config is None or not config.getoption("--slow-report") or report.when != "call"
            or report.duration < SLOW_CALL_S or "slow" in report.keywords):
        return
    config.stash[_UNMARKED].append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    if not config.getoption("--slow-report"):
        return
    found = sorted(config.stash[_UNMARKED], reverse=True)
    terminalreporter.section(f"calls of {SLOW_CALL_S:g} s or more without the slow marker")
    terminalreporter.line(f"{len(found)} test(s)")
    for took, nodeid in found:
        terminalreporter.line(f"{took:7.2f}s {nodeid}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Modules holding slow tests run first (each module's own order kept): on two processes
    # the long tests then overlap each other instead of leaving one process idle at the end
    # while the other finishes a 30-second test (longest-first scheduling).
    slow_modules = {item.path for item in items if "slow" in item.keywords}
    items.sort(key=lambda item: item.path not in slow_modules)
    for item in items:
        if "realdata" in item.keywords and SHARED is None:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
        if "slow" in item.keywords and config.getoption("--skip-slow"):
            item.add_marker(pytest.mark.skip(reason="--skip-slow given"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips the test with a clear reason when it is absent."""
    if SHARED is None:
        pytest.skip(SKIP_REASON)
    return SHARED


def _session_root(factory: pytest.TempPathFactory) -> Path:
    """A folder all test processes of this session share (the parent of each xdist worker's)."""
    base = factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def real_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding ../shared/data, imported once per test session.

    Tests that only read the real data open it (``open_source(real_db, read_only=True)`` or
    ``--db``) instead of importing the folder again; tests of the import itself use
    ``shared_data``.
    """
    import filelock

    from spillwatch.data.source import open_source

    path = tmp_path_factory.mktemp("real") / "shared.duckdb"
    if "PYTEST_XDIST_WORKER" not in os.environ:
        open_source(shared_data, db=path).close()
        return path
    # under pytest-xdist the workers' temporary folders share this session's parent: the
    # first worker imports the folder, the others copy its store (one import, not one each)
    root = _session_root(tmp_path_factory)
    master = root / "real-shared.duckdb"
    with filelock.FileLock(str(root / "real-shared.lock")):
        if not master.exists():
            partial = root / "real-shared.partial.duckdb"
            open_source(shared_data, db=partial).close()
            partial.replace(master)
    shutil.copyfile(master, path)
    return path


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = ("Debian's Chromium is not at /usr/bin/chromium (apt-get install chromium; "
                    ".ci/run installs it); the browser tests download no browser")


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium for one test module (playwright), launched as spillwatch's PDF export
    launches it; each test opens its own context or page and closes it.

    Not one per session: playwright's sync API leaves its event loop marked as running on the
    thread between calls, and a later test's ``asyncio.run`` then refuses to start.
    """
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    playwright = pytest.importorskip("playwright.sync_api")
    from spillwatch.report.pdf import CHROMIUM_ARGS

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


class OfflinePage:
    """A page in an offline browser context that records console errors, page errors and
    every request it made."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(offline=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def offline_page(chromium):
    """An :class:`OfflinePage` of the module's Chromium, closed after the test."""
    page = OfflinePage(chromium)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def offline_pages(chromium):
    """``offline_pages()``: a new :class:`OfflinePage` of the module's Chromium, kept to the
    module's end (a drawing that several tests of a module only read), then closed."""
    pages: list[OfflinePage] = []

    def make() -> OfflinePage:
        pages.append(OfflinePage(chromium))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()


@pytest.fixture(scope="session", autouse=True)
def _shared_store_run_in_background(request: pytest.FixtureRequest,
                                    tmp_path_factory: pytest.TempPathFactory):
    """Start the 30-second shared-store run at the first test of the first process to get there
    (see ``tests/service/_shared_store.py``) when its test is selected; join it at the end."""
    from service import _shared_store

    wanted = any(item.nodeid.endswith(_shared_store.TEST)
                 and item.get_closest_marker("skip") is None for item in request.session.items)
    thread = _shared_store.start_once(_session_root(tmp_path_factory)) if wanted else None
    yield
    if thread is not None:
        thread.join(timeout=300)


@pytest.fixture(scope="session")
def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder shared by every test process of this session."""
    return _session_root(tmp_path_factory)


@pytest.fixture(scope="session")
def ctx():
    """A report context on the demo market, shared by the modules that format its sections
    (tests/report, and the scenario section's test in tests/scenarios): its workspace memoises
    each analysis, so a section another module already built (the risk section's volatility
    fits, the scenario section's five presets) is not computed again."""
    from spillwatch.data.source import open_source
    from spillwatch.report.context import ReportContext
    from spillwatch.service.workspace import Workspace

    src = open_source("demo")
    yield ReportContext(Workspace(src))
    src.close()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20250409)


@pytest.fixture
def store():
    from spillwatch.store import Store

    s = Store()
    yield s
    s.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread; stops when the block ends."""

    def __init__(self, application, port: int | None = None) -> None:
        import uvicorn

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(application, host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 20 s")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server_cls() -> type[LiveServer]:
    """The class that serves an app on 127.0.0.1 in a thread (``with cls(app) as server``)."""
    return LiveServer


@dataclass(frozen=True)
class Monitored:
    """A store after one cycle of ``monitor --demo --once --json`` and what the cycle printed."""

    db: Path
    exit_code: int
    stdout: str
    output: str

    def copy(self, target: Path) -> Path:
        """The store copied to ``target`` (tests write to their copy, never to ``db``)."""
        shutil.copyfile(self.db, target)
        return target


@dataclass(frozen=True)
class Ran:
    """One command (its arguments) and what it gave: exit code, standard and error output."""

    args: list[str]
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def real_backtest(real_db: Path) -> Ran:
    """``backtest --db REAL --json`` on ../shared/data through ``spillwatch.cli.main``, run once
    per test process: the test of its scorecard (tests/alerts/backtest/test_backtest_realdata.py)
    and the every-command loop (tests/cli/test_every_command.py) read this run instead of each
    replaying 1990-2026 (the same command on the same read-only store, about 5 s of CPU each)."""
    import contextlib
    import io

    from spillwatch.cli import main

    args = ["backtest", "--db", str(real_db), "--json"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Ran(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def monitored_demo(tmp_path_factory: pytest.TempPathFactory) -> Monitored:
    """One ``monitor --demo --once --json`` cycle on a new store, run once per test process:
    the tests that read or silence its alerts copy the store instead of each running the
    cycle again (the same command on the same simulated market, a few seconds each)."""
    from typer.testing import CliRunner

    from spillwatch.cli import app

    db = tmp_path_factory.mktemp("monitored") / "s.duckdb"
    res = CliRunner().invoke(app, ["monitor", "--demo", "--db", str(db), "--once", "--json"])
    return Monitored(db, res.exit_code, res.stdout, res.output)
