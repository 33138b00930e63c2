"""``spillwatch serve`` starts the app and prints the token once; ``spillwatch report --pdf``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_prints_the_token_on_first_start_only(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SPILLWATCH_TOKEN"}
    env["SPILLWATCH_TOKEN_FILE"] = str(tmp_path / "token")
    port = _free_port()
    outputs = []
    for _ in range(2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "spillwatch", "serve", "--demo", "--port", str(port),
             "--log-level", "warning", "--trusted-host", "dash.example.org"], env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None, proc.stderr.read()
                    assert time.monotonic() < deadline, "serve did not start in 60 s"
                    time.sleep(0.2)
            assert page.status_code == 200 and "spillwatch" in page.text
            # the server's own configuration: no banner, nosniff, trusted hosts only
            assert "server" not in page.headers
            assert page.headers["x-content-type-options"] == "nosniff"
            url = f"http://127.0.0.1:{port}/api/alerts/silences"
            assert httpx.get(url, headers={"Host": "dash.example.org"}).status_code == 200
            assert httpx.get(url, headers={"Host": "evil.example"}).status_code == 400
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=30)
        outputs.append(err)
    token = (tmp_path / "token").read_text().strip()
    assert re.search(rf"write token \(new, kept in .*\): {re.escape(token)}", outputs[0])
    assert f"#token={token}" in outputs[0]
    assert token not in outputs[1] and "write token: kept in" in outputs[1]
    assert "answering Host: localhost, 127.0.0.1, ::1, dash.example.org" in outputs[0]


def test_serve_refuses_bad_server_settings(monkeypatch):
    from spillwatch.cli import app

    monkeypatch.setenv("SPILLWATCH_TOKEN", "e" * 24)  # never write a token file here
    monkeypatch.setenv("SPILLWATCH_RATE_READ", "fast")
    res = CliRunner().invoke(app, ["serve", "--demo"])
    assert res.exit_code == 2
    assert "SPILLWATCH_RATE_READ" in res.output and "error" in res.output
    monkeypatch.delenv("SPILLWATCH_RATE_READ")
    res = CliRunner().invoke(app, ["serve", "--demo", "--forwarded-allow-ips", "proxy.lan"])
    assert res.exit_code == 2 and "trusted proxy" in res.output


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not at "
                    "/usr/bin/chromium (apt-get install chromium); --pdf needs it")
def test_pdf_without_playwright_uses_chromium_print_to_pdf(tmp_path):
    # the path taken where Playwright (a dev dependency) is not installed
    from spillwatch.report.pdf import _print_cli, find_chromium

    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><h1>spillwatch</h1><p>PDF check</p></body>"
                    "</html>", encoding="utf-8")
    out = tmp_path / "page.pdf"
    _print_cli(find_chromium(), page, out, 60)
    assert out.read_bytes().startswith(b"%PDF-")


def test_serve_on_a_port_in_use_or_out_of_range_is_a_clear_error(tmp_path):
    # uvicorn binds in its loop and exits: a port in use ended with a traceback, status 134
    import socket

    from spillwatch.cli import app

    env = {"SPILLWATCH_TOKEN": "t" * 32, "SPILLWATCH_TOKEN_FILE": str(tmp_path / "token")}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(app, ["serve", "--demo", "--port", str(port)], env=env)
    assert res.exit_code == 2, res.output
    assert f"error: cannot listen on 127.0.0.1:{port}" in res.output
    assert "another server listens on that port" in res.output
    assert "dashboard" not in res.output          # refused before anything is opened
    res = CliRunner().invoke(app, ["serve", "--demo", "--port", "99999"], env=env)
    assert res.exit_code == 2 and "error: --port must be 0-65535; got 99999" in res.output


def test_a_chromium_path_that_is_no_file_is_an_error(tmp_path, monkeypatch):
    # `SPILLWATCH_CHROMIUM=/nonexistent/chrome report --pdf` printed with /usr/bin/chromium,
    # exit 0: the path the user gave was passed over without a word
    from typer.testing import CliRunner

    from spillwatch.cli import app

    bad = tmp_path / "nochrome"
    res = CliRunner().invoke(app, ["report", "--demo", "--out", str(tmp_path / "r"), "--pdf"],
                             env={"SPILLWATCH_CHROMIUM": str(bad)})
    assert res.exit_code == 2
    assert f"error: SPILLWATCH_CHROMIUM {bad}: no such file" in res.stderr
    assert not (tmp_path / "r").exists()         # stopped before the report was built


def test_the_chromium_option_wins_over_a_stale_variable(tmp_path, monkeypatch):
    from spillwatch.report.pdf import find_chromium

    monkeypatch.setenv("SPILLWATCH_CHROMIUM", str(tmp_path / "old-chrome"))
    real = tmp_path / "chrome"
    real.write_text("#!/bin/sh\n")
    assert find_chromium(real) == real


def test_alerts_rules_json_lists_the_rules_the_api_lists(http, monkeypatch):
    import json

    from spillwatch.cli import app

    monkeypatch.delenv("SPILLWATCH_RULES", raising=False)
    res = CliRunner().invoke(app, ["alerts", "rules", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)       # `alerts rules` had no --json: only the TOML text
    api = [{k: v for k, v in r.items() if k != "source"}
           for r in http.get("/api/alerts/rules").json()["rules"] if r["source"] == "file"]
    assert doc["rules"] == api and len(api) >= 10
    assert doc["receivers"] == [{"name": "console", "type": "console"}]
    crisis = next(r for r in doc["rules"] if r["name"] == "stress_crisis")
    assert crisis["severity"] == "critical" and crisis["repeat_interval_seconds"] == 43200
