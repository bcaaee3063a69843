"""`ea serve`: the site is served, an edit to the content rebuilds it, an
edit with errors keeps the last good site up, and stopping cleans up."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeRepo

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(check: Callable[[], bool], seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    port = free_port()
    url = f"http://127.0.0.1:{port}/applications/uniform.html"
    env = dict(os.environ, TMPDIR=str(tmp_path))  # the served copy lives here, so cleanup can be checked
    cmd = [sys.executable, "-m", "generator", "serve", str(root), "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "<h1>Uniform</h1>" in (fetch(url) or "")), "the site was not served"
        page = root / "applications/uniform.md"
        page.write_text(page.read_text(encoding="utf-8").replace("name: Uniform", "name: Uniform North"))
        assert wait_for(lambda: "<h1>Uniform North</h1>" in (fetch(url) or "")), "no rebuild after an edit"
        (root / "applications/bad.md").write_text("---\nname: Bad\n---\n", encoding="utf-8")
        time.sleep(2)
        assert "<h1>Uniform North</h1>" in (fetch(url) or "")  # still the last good site
        assert not (root / "site").exists()  # the published folder is not touched
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "Rebuild stopped by validation errors" in output, output
    assert not any(p.name.startswith("ea-serve-") for p in tmp_path.iterdir()), "the served copy was left behind"
