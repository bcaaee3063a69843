"""``ea serve``: build into a private temporary folder, serve it on this
machine with live reload, and rebuild on every change to the content or the
settings. A rebuild that fails keeps the last good site up."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

from generator.core import report
from generator.core.errors import EaError
from generator.models.model import ENTITY_KINDS, FOLDERS
from generator.site.build import build_site
from generator.site.render import esc


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    title: str | None = None,
    repo_url: str | None = None,
    say: Callable[[str], None] = _say,
) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM); the temporary folder is
    removed on the way out. Nothing is written into the repository."""
    from mkdocs.livereload import LiveReloadServer

    root = Path(root).resolve()
    folder = Path(tempfile.mkdtemp(prefix="ea-serve-"))
    site, work = folder / "site", folder / "work"

    def rebuild() -> None:
        try:
            result = build_site(root, site_dir=site, work_dir=work, title=title, repo_url=repo_url)
        except EaError as exc:
            say(f"Rebuild stopped: {exc}\nStill serving the last good site.")
            return
        if result.site_dir is None:
            say(
                report.render_text(result.findings, result.checked)
                + "Rebuild stopped by validation errors: still serving the last good site."
            )
            return
        say(f"Rebuilt {result.pages} pages in {result.seconds:.1f} s.")

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    server = None
    try:
        rebuild()
        if not (site / "index.html").is_file():
            _placeholder(site)
        server = _server_class(LiveReloadServer, host)(builder=rebuild, host=host, port=port, root=str(site))
        for path in watched(root):
            server.watch(str(path))
        say(f"Serving on http://{host}:{port}/ (Ctrl+C to stop).")
        server.serve()
    except KeyboardInterrupt:
        say("Stopping.")
    finally:
        if server is not None:
            with contextlib.suppress(Exception):
                server.shutdown()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(folder, ignore_errors=True)


LOCAL_NAMES = ("localhost",)


def host_allowed(header: str, bound: str) -> bool:
    """Whether a request's Host header names this server: ``localhost``, an
    address written as digits (IPv4 or ``[IPv6]``) or the host it was started
    on. A page on another site that points its own name at 127.0.0.1 (DNS
    rebinding) sends that name, and is refused."""
    host = header.strip().lower()
    if host.startswith("["):
        name = host[1 : host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    if not name:
        return False
    if name in LOCAL_NAMES or name.endswith(".localhost") or name == bound.strip("[]").lower():
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _server_class(base: type[Any], bound: str) -> type[Any]:
    """MkDocs' live-reload server, refusing requests for other host names
    and reporting an address it cannot listen on as an error, not a traceback."""

    class Server(base):  # type: ignore[misc, valid-type]
        def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if not host_allowed(environ.get("HTTP_HOST", ""), bound):
                start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
                return [b"This address is not served here: open the site at http://127.0.0.1 or localhost.\n"]
            return super().serve_request(environ, start_response)  # type: ignore[no-any-return]

        def server_bind(self) -> None:
            try:
                super().server_bind()
            except OSError as exc:
                host, port = self.server_address[:2]
                busy = exc.errno == errno.EADDRINUSE
                hint = " (another program is using it: choose another port with --dev-addr)" if busy else ""
                raise EaError(f"Cannot serve on {host}:{port}: {exc.strerror or exc}{hint}") from None

    return Server


def watched(root: Path) -> list[Path]:
    """The content folders (each kind's top folder), the settings and the
    council's docs folder (logos): what a rebuild reads."""
    tops = {FOLDERS[kind].split("/", 1)[0] for kind in ENTITY_KINDS}
    paths = [root / top for top in sorted(tops)] + [root / "mkdocs.yml", root / "docs"]
    return [p for p in paths if p.exists()]


def _placeholder(site: Path) -> None:
    """A page to serve until the first good build (it looks like a built site,
    so that build may replace it)."""
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    message = esc("The site could not be built yet: correct the problems shown where ea serve runs.")
    (site / "index.html").write_text(
        f'<!doctype html><html lang="en-GB"><title>Not built yet</title><p>{message}</p></html>', encoding="utf-8"
    )
