"""Run MkDocs in this process, strict, and turn what it reports into one
EaError that says what to correct."""

from __future__ import annotations

import json
import logging
import os
from calendar import timegm
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from generator.core.errors import EaError
from generator.site import fragments, mdext
from generator.site.search import take_over
from generator.core.util import atomic_write


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet_mkdocs(handler: logging.Handler) -> Any:
    """MkDocs' messages go to ``handler`` only, not the console."""
    logger = logging.getLogger("mkdocs")
    saved = logger.propagate, logger.level
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


@contextmanager
def _build_date(today: date | None) -> Any:
    """Dates MkDocs writes (the sitemap's) come from ``today``, so two builds
    are byte-identical."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if today is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(timegm(today.timetuple()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def run_mkdocs(
    config: dict[str, Any],
    *,
    config_path: Path,
    today: date | None = None,
    search: list[dict[str, Any]] | None = None,
    defer_blocks: bool = True,
) -> None:
    """Build the site ``config`` describes. Raises EaError when MkDocs refuses
    the configuration, warns about anything (strict), or fails. ``search``:
    the search index's entries, written instead of the theme's plugin
    indexing every built page (see ``generator.site.search``);
    ``defer_blocks``: hold one page's generated HTML at a time, not the whole
    site's (see ``generator.site.mdext``)."""
    from mkdocs.commands.build import build
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort

    collect = _Collect()
    with _quiet_mkdocs(collect), _build_date(today):
        cfg = MkDocsConfig(config_file_path=str(config_path))
        cfg.load_dict(config)
        errors, warnings = cfg.validate()
        problems = [f"{key}: {err}" for key, err in errors + warnings]
        if problems:
            origin = config_path.name if config_path.is_file() else "the built-in settings"
            raise EaError(f"MkDocs refused the configuration (from {origin}):\n  " + "\n  ".join(problems))
        if search is not None:
            take_over(cfg.plugins, search)
        if defer_blocks:
            mdext.install(cfg)
        fragments.install(cfg)
        try:
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
        except Abort as exc:
            found = "\n  ".join(collect.messages) or str(exc)
            raise EaError(f"MkDocs stopped the build (strict mode: every warning fails it):\n  {found}") from None
        except Exception as exc:
            detail = "\n  ".join([*collect.messages, f"{type(exc).__name__}: {exc}"])
            raise EaError(f"MkDocs failed while building:\n  {detail}") from exc
    if search is None:
        offline_search(Path(cfg.site_dir))


def offline_search(site_dir: Path) -> None:
    """``search/search_index.js``: the index as a script, which the theme
    loads instead of the JSON when the site is opened from the disk."""
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        atomic_write(site_dir / "search" / "search_index.js", f"var __index = {text};\n")
