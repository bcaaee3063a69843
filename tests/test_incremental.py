"""Incremental re-runs: a check whose inputs no edit touched keeps its
findings, and the result is always exactly what a run without the cache finds.

The property test edits a synthetic repository at random (values borrowed from
other files to make duplicates, references and cycles; invalid values; broken
YAML; moved lines; body text; files restored) and compares every cached run
with a run that reads everything again.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SCHEME, MakeRepo, app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import generate
from generator.catalog import loader
from generator.catalog.catalog import build_catalog
from generator.catalog.loader import Source, load
from generator.checks import incremental, replay
from generator.checks import validate as pipeline
from generator.checks.rules import CHECKS, REFERENCES, Check
from generator.models.model import ENTITY_KINDS, Kind

TODAY = date(2026, 11, 24)
EXAMPLE = Path(__file__).resolve().parents[1]


def rewrite(path: Path, **changes: Any) -> None:
    data, body = split(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(join(data, body), encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic repository with one of most cross-file findings in it."""
    root = tmp_path_factory.mktemp("synthetic") / "repo"
    generate(root, applications=60, capabilities=24, vendors=10, seed=3, proposals=24, decisions=12)
    apps = sorted((root / "applications").rglob("*.md"))
    caps = sorted((root / "capabilities").rglob("*.md"))
    first = split(apps[0].read_text(encoding="utf-8"))[0]["name"]
    rewrite(apps[1], name=first)  # EA150
    rewrite(apps[2], name=first.upper() + ".")  # EA160
    rewrite(apps[3], lifecycle="active", contract={"end": TODAY - timedelta(days=10)})  # EA170
    rewrite(apps[4], depends_on=[{"app": "no-such-app"}, {"app": apps[5].stem}])  # EA130
    rewrite(apps[5], lifecycle="retired", sustainability={"energy": "sunshine"})  # EA171
    rewrite(apps[6], disposition="migrate")  # EA172
    rewrite(apps[8], depends_on=[{"app": apps[8].stem}])  # EA141
    rewrite(caps[0], parent=caps[1].stem)
    rewrite(caps[1], parent=caps[0].stem)  # EA140
    rewrite(apps[9], dates={"live": TODAY - timedelta(days=5), "retire": TODAY - timedelta(days=9)})  # EA200
    rewrite(apps[10], lifecycle="active", dates={"phase_out": TODAY - timedelta(days=3)})  # EA202
    rewrite(
        apps[11], contract={"end": TODAY + timedelta(days=100)}, dates={"retire": TODAY + timedelta(days=300)}
    )  # EA204
    rewrite(apps[7], sustainability={"energy": "sunshine", "assessed": TODAY - timedelta(days=1000)})  # EA112, EA182
    vendor = sorted((root / "architecture" / "vendors").rglob("*.md"))[0].stem
    for i in (9, 10, 11):  # one product thrice from one origin: EA151 twice, one pair acknowledged
        rewrite(apps[i], vendor=vendor, product="Shared product", origin=None, lifecycle="active")
    rewrite(apps[11], distinct_from=[apps[9].stem])
    props = sorted((root / "proposals").rglob("*.md"))
    decs = sorted((root / "architecture/decisions").rglob("*.md"))
    both = {"name": "Both", "application": apps[9].stem, "hosting": "saas", "recommended": True}
    rewrite(props[0], options=[both, {"name": "Also", "recommended": True}])  # EA201, EA200
    rewrite(props[1], status="delivered", delivers=[], priorities=[])  # EA213, EA210
    rewrite(props[2], status="triage", needed_by=TODAY - timedelta(days=5))  # EA215
    rewrite(decs[0], status="accepted", review_by=TODAY - timedelta(days=10))  # EA222
    rewrite(decs[3], status="superseded")  # EA221
    rewrite(decs[2], status="accepted", supersedes=[decs[4].stem])
    rewrite(decs[4], status="accepted")  # EA220
    rewrite(decs[5], status="accepted", principles=["principle-07"])  # EA223 (a retired principle)
    return root


def hot_files(root: Path) -> list[str]:
    """Files with findings, which edits pick more often than the rest."""
    found = pipeline.validate(root, today=TODAY, use_cache=False).findings
    return sorted({f.path for f in found if not f.path.endswith("sustainability.md")})


def fresh_copy(base: Path, where: Path) -> Path:
    """A copy whose files are all older than the racy window, as after a pull."""
    root = where / "repo"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(base, root)
    old = 1_700_000_000_000_000_000
    for path in root.rglob("*.md"):
        os.utime(path, ns=(old, old))
    return root


def split(text: str) -> tuple[dict[str, Any], str]:
    """Frontmatter and body; a file an earlier edit broke reads as empty."""
    try:
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
    except (ValueError, yaml.YAMLError):
        return {}, ""
    return (data if isinstance(data, dict) else {}), body


def join(data: dict[str, Any], body: str, comments: int = 0) -> str:
    return "---\n" + "# note\n" * comments + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


FIELDS = {
    "applications": [
        "name",
        "aliases",
        "vendor",
        "product",
        "capabilities",
        "origin",
        "lifecycle",
        "disposition",
        "replaced_by",
        "depends_on",
        "distinct_from",
        "contract",
        "sustainability",
        "annual_cost",
        "dates",
    ],
    "capabilities": ["name", "parent", "owner"],
    "organisations": ["parent", "name"],
    "vendors": ["name"],
    "proposals": ["status", "priorities", "capabilities", "options", "principles", "decision", "delivers", "needed_by"],
    "decisions": ["status", "supersedes", "proposals", "principles", "review_by", "applications"],
    "principles": ["status", "name"],
    "priorities": ["parent", "name"],
}


def value_for(field: str, draw: Any, root: Path, files: list[Path]) -> Any:
    """A value for ``field``: often one borrowed from another file (to make
    duplicates, references and cycles), sometimes a wrong or odd one."""
    other = split(draw(st.sampled_from(files)).read_text(encoding="utf-8"))[0]
    ids = [p.stem for p in files]
    choices: list[Any] = [other.get(field), "no-such-id", 42, None]
    if field in ("name", "product"):
        choices += [str(other.get("name", "")).upper() + ".", "Civica APP", "CIVICA App."]
    if field in ("vendor", "replaced_by", "origin", "parent", "owner"):
        choices += [*ids[:8], draw(st.sampled_from(ids))]
    if field in ("capabilities", "distinct_from", "aliases"):
        choices += [[draw(st.sampled_from(ids))], ["Civica APP"], []]
    if field == "depends_on":
        choices += [[{"app": draw(st.sampled_from(ids)), "data": "records"}], [{"app": "no-such-app"}]]
    if field == "lifecycle":
        choices += ["active", "retired", "phase-out", "proposed", "gone"]
    if field == "disposition":
        choices += ["migrate", "eliminate", "invest"]
    if field == "contract":
        choices += [{"end": TODAY - timedelta(days=30)}, {"end": TODAY + timedelta(days=900)}]
    if field == "status":
        choices += ["approved", "delivered", "assessment", "triage", "superseded", "accepted", "agreed", "retired"]
    if field in ("priorities", "supersedes", "proposals", "principles", "delivers", "applications"):
        choices += [[draw(st.sampled_from(ids))], []]
    if field == "decision":
        choices += [draw(st.sampled_from(ids))]
    if field == "options":
        choices += [
            [{"name": "Reuse", "application": draw(st.sampled_from(ids)), "recommended": True}],
            [
                {"name": "New", "vendor": draw(st.sampled_from(ids)), "hosting": "saas", "recommended": True},
                {"name": "Both", "application": draw(st.sampled_from(ids)), "product": "X", "recommended": True},
            ],
        ]
    if field in ("needed_by", "review_by"):
        choices += [TODAY - timedelta(days=3), TODAY + timedelta(days=3)]
    if field == "dates":
        choices += [
            {"live": TODAY - timedelta(days=400), "retire": TODAY + timedelta(days=200)},
            {"phase_out": TODAY - timedelta(days=5)},
            {"live": TODAY + timedelta(days=90), "retire": TODAY + timedelta(days=10)},
        ]
    if field == "sustainability":
        choices += [{"assessed": TODAY - timedelta(days=900), "energy": "fossil"}, {"energy": "sunshine"}]
    return draw(st.sampled_from(choices))


@st.composite
def edits(draw: Any, root: Path) -> list[tuple[Path, str]]:
    """A few edits, as (file, new text) pairs, applied in order."""
    files = sorted(p for p in root.rglob("*.md"))
    hot = [root / rel for rel in hot_files(root)] or files
    out = []
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(files) | st.sampled_from(hot))
        data, body = split(path.read_text(encoding="utf-8"))
        folder = path.parent.name if path.parent.name in FIELDS else path.relative_to(root).parts[0]
        op = draw(st.sampled_from(["set", "set", "set", "drop", "body", "lines", "reorder", "break", "scheme"]))
        if op == "scheme":
            scheme = root / "architecture/sustainability.md"
            sdata, sbody = split(scheme.read_text(encoding="utf-8"))
            sdata["max_age_months"] = draw(st.sampled_from([6, 12, 24, 36]))
            out.append((scheme, join(sdata, sbody)))
            continue
        fields = FIELDS.get(folder, ["name"])
        if op == "set":
            field = draw(st.sampled_from(fields))
            data[field] = value_for(field, draw, root, files)
            data = {k: v for k, v in data.items() if v is not None}
            text = join(data, body)
        elif op == "drop":
            data.pop(draw(st.sampled_from(fields)), None)
            text = join(data, body)
        elif op == "body":
            text = join(data, body + "\nMore words.\n")
        elif op == "lines":
            text = join(data, body, comments=draw(st.integers(1, 3)))
        elif op == "reorder":  # every key to another line, nothing else changed
            text = join(dict(reversed(data.items())), body)
        else:
            text = "---\nname: [unclosed\n---\n"
        out.append((path, text))
    return out


@pytest.fixture
def no_reparse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation never reads a file again: key lines come from the parse
    that made the model, in this run, another process or an earlier run."""

    def reread(src: Source) -> None:
        raise AssertionError(f"{src.path} was parsed again")

    monkeypatch.setattr(Source, "doc", property(reread))


@pytest.mark.parametrize("backdate", [False, True], ids=["just-written", "older-than-racy-window"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cached_runs_match_a_full_run(
    base: Path, tmp_path: Path, data: st.DataObject, backdate: bool, no_reparse: None
) -> None:
    """Whatever is edited, a run that keeps findings finds exactly what a run
    without the cache finds: same codes, files, lines and messages; and none
    parses a file again to find a line."""
    root = fresh_copy(base, tmp_path)
    cache = tmp_path / "cache"
    os.environ["EA_CACHE_DIR"] = str(cache)
    shutil.rmtree(cache, ignore_errors=True)
    pipeline.validate(root, today=TODAY)
    stamp = 1_700_000_100_000_000_000
    for _round in range(data.draw(st.integers(1, 3))):
        for path, text in data.draw(edits(root)):
            path.write_text(text, encoding="utf-8")
            if backdate:
                stamp += 1_000_000_000
                os.utime(path, ns=(stamp, stamp))
        day = data.draw(st.sampled_from([TODAY, TODAY, TODAY + timedelta(days=400)]))
        replayed = replay.replay(root, day) if data.draw(st.booleans()) else None
        cached = pipeline.validate(root, today=day)
        full = pipeline.validate(root, today=day, use_cache=False)
        assert cached.findings == full.findings
        if replayed is not None:
            assert replayed.findings == full.findings
            assert replayed.checked == len(full.catalog.sources)


def test_lines_parsed_in_other_processes_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_reparse: None
) -> None:
    """Files parsed by worker processes send their key lines back packed; a
    cold run, a warm run and a re-run after edits find every line without
    parsing a file again, and find what a single-process run finds. On a
    repository as just imported, where most files have findings."""
    root = tmp_path / "repo"
    generate(root, applications=80, capabilities=24, vendors=10, seed=5, imported=True)
    old = 1_700_000_000_000_000_000
    for path in root.rglob("*.md"):
        os.utime(path, ns=(old, old))
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 3)
    expected = pipeline.validate(root, today=TODAY, use_cache=False).findings
    assert len({f.path for f in expected if f.line > 1}) > 60
    assert pipeline.validate(root, today=TODAY).findings == expected
    later = TODAY + timedelta(days=1)
    assert (
        pipeline.validate(root, today=later).findings == pipeline.validate(root, today=later, use_cache=False).findings
    )
    for i, path in enumerate(sorted((root / "applications").rglob("*.md"))[:10]):
        edit(path, "---\n", "---\n" + "# moved\n" * (i + 1), old + (i + 1) * 1_000_000_000)
    assert (
        pipeline.validate(root, today=TODAY).findings == pipeline.validate(root, today=TODAY, use_cache=False).findings
    )


# --- which checks run ----------------------------------------------------------------------------------------------


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the checks each run actually ran (reference pass included)."""
    names: list[str] = []

    def spy(check: Check) -> Check:
        @functools.wraps(check.run)
        def run(catalog: Any, today: date) -> Any:
            names.append(check.name)
            return check.run(catalog, today)

        return replace(check, run=run)

    monkeypatch.setattr(pipeline, "CHECKS", tuple(spy(c) for c in CHECKS))
    monkeypatch.setattr(pipeline, "REFERENCES", spy(REFERENCES))
    yield names


def edit(path: Path, old: str, new: str, stamp: int) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))


def first_app(root: Path) -> Path:
    return sorted((root / "applications").rglob("*.md"))[0]


def test_a_body_edit_runs_no_check(base: Path, tmp_path: Path, ran: list[str]) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    assert len(ran) == len(CHECKS) + 1
    ran.clear()
    edit(first_app(root), "synthetic application", "synthetic application, edited", 1_700_000_500_000_000_000)
    cached = pipeline.validate(root, today=TODAY).findings
    assert ran == []
    assert cached == pipeline.validate(root, today=TODAY, use_cache=False).findings


def test_a_rename_runs_only_the_checks_that_read_names(base: Path, tmp_path: Path, ran: list[str]) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    ran.clear()
    app = first_app(root)
    name = split(app.read_text(encoding="utf-8"))[0]["name"]
    edit(app, f"name: {name}", f"name: {name} renamed", 1_700_000_500_000_000_000)
    pipeline.validate(root, today=TODAY)
    assert sorted(ran) == ["check_duplicate_names", "check_hidden_characters", "check_near_duplicates"]


def test_another_day_reruns_the_date_rules(base: Path, tmp_path: Path, ran: list[str]) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    ran.clear()
    pipeline.validate(root, today=TODAY + timedelta(days=1))
    assert sorted(ran) == [
        "check_contract_cover",
        "check_decision_review",
        "check_lifecycle",
        "check_lifecycle_dates",
        "check_planned_dependencies",
        "check_proposal_progress",
        "check_sustainability",
    ]


def test_a_new_file_runs_everything(base: Path, tmp_path: Path, ran: list[str]) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    ran.clear()
    shutil.copy(first_app(root), root / "applications/copy-of-first.md")
    pipeline.validate(root, today=TODAY)
    assert len(ran) == len(CHECKS) + 1


def test_unchanged_findings_are_written_back_as_stored(base: Path, tmp_path: Path) -> None:
    """When every check keeps its findings and none moved, the memo's
    findings are written back as they were read; a rename or moved lines
    store them anew. Either way the next run finds what a full run finds."""
    root = fresh_copy(base, tmp_path)

    def planned() -> incremental.Plan:
        loaded = load(root)
        assert loaded.cache is not None
        return incremental.plan(loaded.cache.folder, loaded, TODAY)

    pipeline.validate(root, today=TODAY)
    app = first_app(root)
    edit(app, "synthetic application", "synthetic application, edited", 1_700_000_500_000_000_000)
    assert planned().stored is not None
    assert (
        pipeline.validate(root, today=TODAY).findings == pipeline.validate(root, today=TODAY, use_cache=False).findings
    )
    name = split(app.read_text(encoding="utf-8"))[0]["name"]
    edit(app, f"name: {name}", f"name: {name} renamed", 1_700_000_600_000_000_000)
    assert planned().stored is None
    pipeline.validate(root, today=TODAY)
    target = next(f for f in pipeline.validate(root, today=TODAY).findings if f.key is not None)
    edit(root / target.path, "---\n", "---\n# one\n", 1_700_000_700_000_000_000)
    assert planned().stored is None  # a kept finding moved
    for _ in range(2):
        assert (
            pipeline.validate(root, today=TODAY).findings
            == pipeline.validate(root, today=TODAY, use_cache=False).findings
        )


def test_kept_findings_follow_their_key_to_its_new_line(base: Path, tmp_path: Path, ran: list[str]) -> None:
    """A finding kept from the last run moves with its key when lines are
    added above it, although no check runs again."""
    root = fresh_copy(base, tmp_path)
    before = pipeline.validate(root, today=TODAY).findings
    target = next(f for f in before if f.key is not None)
    path = root / target.path
    ran.clear()
    edit(path, "---\n", "---\n# one\n# two\n", 1_700_000_500_000_000_000)
    after = pipeline.validate(root, today=TODAY).findings
    assert ran == []
    moved = [f for f in after if (f.code, f.path, f.message) == (target.code, target.path, target.message)]
    assert [f.line for f in moved] == [target.line + 2]
    assert after == pipeline.validate(root, today=TODAY, use_cache=False).findings


def test_edges_are_resolved_when_first_read_after_a_kept_run(base: Path, tmp_path: Path) -> None:
    """The site reads edges from a catalog whose reference findings were kept."""
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    kept = pipeline.validate(root, today=TODAY).catalog
    full = pipeline.validate(root, today=TODAY, use_cache=False).catalog
    for app_id in full.applications:
        assert kept.outgoing(Kind.APPLICATION, app_id) == full.outgoing(Kind.APPLICATION, app_id)
        assert kept.incoming(Kind.APPLICATION, app_id) == full.incoming(Kind.APPLICATION, app_id)


# --- the declarations are what the checks read ---------------------------------------------------------------------


class Recorder:
    """Stands in for a model and notes every field read from it."""

    def __init__(self, model: Any, kind: Kind, log: set[tuple[Kind, str]]) -> None:
        self._model, self._kind, self._log = model, kind, log

    def __getattr__(self, name: str) -> Any:
        self._log.add((self._kind, name))
        return getattr(self._model, name)


def recorded(root: Path, check: Check) -> set[tuple[Kind, str]]:
    loaded = load(root, use_cache=False)
    catalog, _ = build_catalog(loaded)
    log: set[tuple[Kind, str]] = set()
    for kind in ENTITY_KINDS:
        models = catalog.of(kind)
        for id_ in list(models):
            models[id_] = Recorder(models[id_], kind, log)
    if catalog.scheme is not None:
        catalog.scheme = Recorder(catalog.scheme, Kind.SCHEME, log)  # type: ignore[assignment]
    check.run(catalog, TODAY)
    return log


@pytest.mark.parametrize("check", [REFERENCES, *CHECKS], ids=lambda c: c.name)
def test_each_check_reads_only_what_it_declares(check: Check, base: Path, tmp_path: Path) -> None:
    """Were a check to read a field it does not declare, an edit of that field
    would wrongly keep its findings. Read on the example council and on the
    synthetic repository, with every model replaced by a recorder."""
    for root in (EXAMPLE, base):
        for kind, name in recorded(root, check):
            assert kind in check.reads, f"{check.name} reads {kind} '{name}' but declares no {kind} fields"
            fields = check.reads[kind]
            assert fields is None or name in fields, f"{check.name} reads {kind}.{name}, not declared"


def test_declarations_name_real_fields() -> None:
    from generator.models.model import MODELS as models

    for check in (REFERENCES, *CHECKS):
        for kind, fields in check.reads.items():
            for name in fields or ():
                assert name in models[kind].model_fields, f"{check.name}: {kind}.{name}"


def test_names_in_messages_carry_no_line_of_another_file() -> None:
    """A kept finding is moved only in its own file; a line of another file in
    its message would go stale when that file alone is edited."""
    source = (Path(pipeline.__file__).parent / "rules.py").read_text(encoding="utf-8")
    assert not re.search(r"_file\}:\{", source)


def test_an_edit_within_the_timestamp_granularity_is_not_missed(base: Path, tmp_path: Path) -> None:
    """Two writes of the same size within one tick of a coarse file-system
    clock leave the same stamp. A file written that recently is not trusted
    from the cache next time (as git treats racily clean files)."""
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    app = first_app(root)
    data, body = split(app.read_text(encoding="utf-8"))
    now = time.time_ns()
    for name in ("Alpha system", "Omega system"):  # the same length
        app.write_text(join({**data, "name": name}, body), encoding="utf-8")
        os.utime(app, ns=(now, now))
        cached = pipeline.validate(root, today=TODAY)
        assert cached.catalog.applications[app.stem].name == name
        assert cached.findings == pipeline.validate(root, today=TODAY, use_cache=False).findings


@pytest.mark.parametrize("check", [c for c in (REFERENCES, *CHECKS) if c.local], ids=lambda c: c.name)
def test_a_local_check_finds_about_each_entity_alone_what_it_finds_in_full(
    check: Check, base: Path, tmp_path: Path
) -> None:
    """What ``Check.local`` promises: run on one entity at a time, the check
    finds, in that entity's file, exactly what it finds there in a full run."""
    compared = 0
    for root in (EXAMPLE, base):
        loaded = load(root, use_cache=False)
        full = check.run(build_catalog(loaded)[0], TODAY)
        catalog = build_catalog(loaded)[0]
        kinds = [k for k in check.reads if k is not Kind.SCHEME]
        alone = []
        for (kind, id_), src in catalog.sources.items():
            if kind in kinds:
                only = {k: ({id_} if k is kind else set()) for k in kinds}
                alone += [f for f in check.run(catalog.subset(only), TODAY) if f.path == src.path]
        entity_paths = {src.path for (kind, _), src in catalog.sources.items() if kind in kinds}
        assert sorted(alone, key=repr) == sorted((f for f in full if f.path in entity_paths), key=repr)
        compared += len(alone)
    assert compared, f"{check.name} finds nothing in either repository: the comparison proves little"


def test_a_lifecycle_edit_runs_local_checks_on_that_application_alone(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    sizes: dict[str, int] = {}

    def spy(check: Check) -> Check:
        @functools.wraps(check.run)
        def run(catalog: Any, today: date) -> Any:
            sizes[check.name] = len(catalog.applications)
            return check.run(catalog, today)

        return replace(check, run=run)

    monkeypatch.setattr(pipeline, "CHECKS", tuple(spy(c) for c in CHECKS))
    app = first_app(root)
    lifecycle = split(app.read_text(encoding="utf-8"))[0]["lifecycle"]
    edit(app, f"lifecycle: {lifecycle}", "lifecycle: retired", 1_700_000_500_000_000_000)
    cached = pipeline.validate(root, today=TODAY).findings
    assert sizes == {
        "check_duplicate_products": 60,
        "check_lifecycle": 1,
        "check_retired_dependencies": 60,
        "check_gaps": 60,
        "check_sustainability": 1,
        "check_reuse": 60,  # which applications a proposal could reuse
        "check_lifecycle_dates": 1,
        "check_successors": 60,
        "check_planned_dependencies": 60,
        "check_milestones": 60,
    }
    assert cached == pipeline.validate(root, today=TODAY, use_cache=False).findings


# --- cases a review found -------------------------------------------------------------------------------------------

OLD = 1_700_000_000_000_000_000


def backdated(root: Path) -> Path:
    for path in root.rglob("*.md"):
        os.utime(path, ns=(OLD, OLD))
    return root


def put(root: Path, rel: str, text: str, stamp: int) -> None:
    (root / rel).write_text(text, encoding="utf-8")
    os.utime(root / rel, ns=(stamp, stamp))


def same_as_full(root: Path) -> bool:
    """Whether a replayed run (when the replay answers), then a cached run,
    find what a run without the cache finds."""
    full = pipeline.validate(root, today=TODAY, use_cache=False).findings
    replayed = replay.replay(root, TODAY)
    return (replayed is None or replayed.findings == full) and pipeline.validate(root, today=TODAY).findings == full


GREEN = SCHEME.replace(
    "bands:",
    """  - id: green
    name: Green
    fact: sustainability.green
    points: {"true": 4, "false": 0}
bands:""",
)


@pytest.mark.parametrize(("before", "after"), [("false", "0"), ("1", "1.0"), ("0", "0.0"), ("0.0", "-0.0")])
def test_values_python_calls_equal_are_different_edits(make_repo: MakeRepo, before: str, after: str) -> None:
    """``False == 0`` and ``1 == 1.0``, but the sustainability check scores
    the one and refuses the other, and quotes the value it refuses."""
    rel = "applications/uniform.md"
    text = app(extra="vendor: idox\nproduct: Uniform\n").replace(
        "energy: renewable", f"energy: renewable\n  green: {before}"
    )
    root = backdated(make_repo({rel: text, "architecture/sustainability.md": GREEN}))
    pipeline.validate(root, today=TODAY)
    put(root, rel, text.replace(f"green: {before}", f"green: {after}"), OLD + 10**9)
    assert same_as_full(root)


def test_the_order_of_a_criterions_points_is_an_edit(make_repo: MakeRepo) -> None:
    """Mappings compare equal in any order, but the EA112 hint lists the
    points in the order the scheme gives them."""
    rel = "applications/uniform.md"
    root = backdated(make_repo({rel: app(extra="vendor: idox\nproduct: Uniform\n").replace("renewable", "sunshine")}))
    pipeline.validate(root, today=TODAY)
    scheme = root / "architecture/sustainability.md"
    text = scheme.read_text(encoding="utf-8")
    assert "{renewable: 4, grid: 1}" in text
    put(
        root,
        "architecture/sustainability.md",
        text.replace("{renewable: 4, grid: 1}", "{grid: 1, renewable: 4}"),
        OLD + 10**9,
    )
    assert same_as_full(root)


def test_a_run_stopped_between_cache_and_memo_keeps_nothing_stale(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the parse cache is written and before the memo is: the
    memo's findings were made from another version of a just-written file,
    which the file's content hash tells."""
    rel = "applications/uniform.md"
    root = backdated(make_repo())
    good = (root / rel).read_text(encoding="utf-8")
    pipeline.validate(root, today=TODAY)
    put(root, rel, good.replace("owner: planning", "owner: no-such-unit"), time.time_ns())
    assert any(f.code == "EA130" for f in pipeline.validate(root, today=TODAY).findings)
    put(root, rel, good, time.time_ns())

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.incremental, "save", interrupted)
        with pytest.raises(KeyboardInterrupt):
            pipeline.validate(root, today=TODAY)
    assert same_as_full(root)
    assert same_as_full(root)


def test_lines_of_a_just_written_file_parsed_by_a_worker(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file parsed in another process has its key lines read again when a
    finding needs them, and kept for next time under the version they belong
    to: lines moved in a just-written file are not taken from the last run."""
    monkeypatch.setattr("generator.catalog.loader.PARALLEL_MIN_FILES", 10)
    root = fresh_copy(base, tmp_path)
    app = sorted((root / "applications").rglob("*.md"))[-1]
    rel = app.relative_to(root).as_posix()
    data, body = split(app.read_text(encoding="utf-8"))
    text = join({**data, "vendor": "no-such-vendor"}, body)
    put(root, rel, text, time.time_ns())
    first = [f for f in pipeline.validate(root, today=TODAY).findings if f.path == rel]
    assert [f.code for f in first] == ["EA130"]
    put(root, rel, text.replace("---\n", "---\n# one\n# two\n# three\n", 1), time.time_ns())
    assert same_as_full(root)


# --- replaying the last run ----------------------------------------------------------------------------------------


def test_an_edit_of_page_text_replays_the_last_run(base: Path, tmp_path: Path, ran: list[str]) -> None:
    """Page text, comments and a broken link added to a body: the findings
    are replayed (no check runs, no other file's model is read) and are
    exactly a full run's, the new link's EA132 at its line included."""
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    ran.clear()
    target = next(f for f in pipeline.validate(root, today=TODAY).findings if f.key is not None and f.line > 1)
    path = root / target.path
    edit(path, "---\n", "---\n# one\n# two\n", 1_700_000_500_000_000_000)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nSee [the plan](no-such-page.md).\n", encoding="utf-8")
    os.utime(path, ns=(1_700_000_600_000_000_000,) * 2)
    replayed = replay.replay(root, TODAY)
    assert replayed is not None
    assert ran == []
    full = pipeline.validate(root, today=TODAY, use_cache=False)
    assert replayed.findings == full.findings
    assert replayed.checked == len(full.catalog.sources)
    assert [f.line for f in replayed.findings if (f.code, f.path) == (target.code, target.path)] == [target.line + 2]
    link = [f for f in replayed.findings if f.code == "EA132" and f.path == target.path]
    assert [f.line for f in link] == [text.count("\n") + 2]
    # a full cached run after the replay keeps everything and agrees
    ran.clear()
    assert pipeline.validate(root, today=TODAY).findings == full.findings
    assert ran == []


@pytest.mark.parametrize(
    "change",
    ["value", "added", "removed", "another day", "no memo"],
)
def test_what_a_replay_cannot_vouch_for_runs_in_full(base: Path, tmp_path: Path, change: str) -> None:
    """A changed value, a file added or removed, another day or a missing
    memo: replaying declines, and the full run that follows finds what a run
    without the cache finds."""
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    app = first_app(root)
    day = TODAY
    if change == "value":
        edit(app, "lifecycle: ", "lifecycle: retired\nx_was: ", 1_700_000_500_000_000_000)
    elif change == "added":
        shutil.copy(app, root / "applications/copy-of-first.md")
    elif change == "removed":
        app.unlink()
    elif change == "another day":
        day = TODAY + timedelta(days=1)
    else:
        memo = loader.memo_dir(root.resolve()) / replay.MEMO
        memo.unlink()
    assert replay.replay(root, day) is None
    assert pipeline.validate(root, today=day).findings == pipeline.validate(root, today=day, use_cache=False).findings


def test_replaying_reads_only_the_edited_files_cache_shard(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fresh_copy(base, tmp_path)
    pipeline.validate(root, today=TODAY)
    app = first_app(root)
    edit(app, "synthetic application", "synthetic application, edited", 1_700_000_500_000_000_000)
    read: list[str] = []
    real = loader.load_private

    def spy(path: Path) -> Any:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "load_private", spy)
    monkeypatch.setattr(replay, "load_private", spy)
    assert replay.replay(root, TODAY) is not None
    shard = loader._shard(app.relative_to(root).as_posix())
    assert sorted(read) == sorted([replay.MEMO, f"documents-{shard:02d}.pickle"])


def test_replaying_imports_no_check(base: Path, tmp_path: Path) -> None:
    """The point of replaying is not loading what the checks need: in a
    fresh process, a replayed run imports none of them."""
    root = fresh_copy(base, tmp_path)
    cache = tmp_path / "cache"
    env = {**os.environ, "EA_CACHE_DIR": str(cache)}
    os.environ["EA_CACHE_DIR"] = str(cache)
    pipeline.validate(root, today=TODAY)
    edit(first_app(root), "synthetic application", "synthetic application, edited", 1_700_000_500_000_000_000)
    script = (
        "import sys, datetime; from pathlib import Path; from generator.checks.replay import replay; "
        f"r = replay(Path({str(root)!r}), datetime.date.fromisoformat({TODAY.isoformat()!r})); "
        "print(r is not None, sorted(m for m in sys.modules if m.startswith('generator.checks.')))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True ['generator.checks.replay']"


@pytest.mark.parametrize("fmt", ["json", "text", "github"])
def test_ea_validate_replays_what_a_full_run_reports(base: Path, tmp_path: Path, fmt: str) -> None:
    """Through the command: after a page-text edit, the report and exit
    status are a run without the cache's, byte for byte."""
    from click.testing import CliRunner

    from generator.cli import main

    root = fresh_copy(base, tmp_path)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    args = ["validate", str(root), "--today", TODAY.isoformat(), "--format", fmt]
    CliRunner().invoke(main, args)
    edit(first_app(root), "synthetic application", "synthetic application, edited", 1_700_000_500_000_000_000)
    assert replay.replay(root, TODAY) is not None  # what the command will do next
    edit(first_app(root), "edited", "edited twice", 1_700_000_600_000_000_000)
    cached = CliRunner().invoke(main, args)
    full = CliRunner().invoke(main, [*args, "--no-cache"])
    assert (cached.exit_code, cached.output) == (full.exit_code, full.output)
    assert full.exit_code == 1 and "EA1" in full.output


def test_a_cold_run_in_several_processes_writes_every_shard_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a cold run each process writes the cache shards of the files it
    parsed: the next run finds every file in the cache (parses none) and the
    same models, findings and lines as a single-process run."""
    root = tmp_path / "repo"
    generate(root, applications=60, capabilities=12, vendors=8, seed=7, imported=True)
    old = 1_700_000_000_000_000_000
    for path in root.rglob("*.md"):
        os.utime(path, ns=(old, old))
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 3)
    written: list[str] = []
    real = loader._write_private

    def spy(path: Path, data: bytes) -> str | None:
        written.append(path.name)
        return real(path, data)

    monkeypatch.setattr(loader, "_write_private", spy)  # seen in this process only: the workers are forks
    cold = pipeline.validate(root, today=TODAY).findings
    # this process wrote the shards it took, each once (the workers, taking
    # turns, the rest: how many each takes depends on the machine)
    mine = [n for n in written if n.startswith("documents-")]
    assert len(set(mine)) == len(mine)
    shards = sorted(p.name for p in loader.memo_dir(root.resolve()).glob("documents-*.pickle"))
    assert shards == [f"documents-{n:02d}.pickle" for n in range(32)]

    def parse(work: Any) -> Any:
        raise AssertionError(f"{work[2]} was parsed again")

    monkeypatch.setattr(loader, "parse_file", parse)
    again = load(root)
    assert all(src.model is not None or src.findings for src in again.sources)
    monkeypatch.undo()
    assert pipeline.validate(root, today=TODAY).findings == cold
    assert cold == pipeline.validate(root, today=TODAY, use_cache=False).findings


def test_a_cold_run_checks_in_a_forked_process_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run of a large repository runs the checks (all but the name
    comparison) in a forked process: what it finds is what a run in one
    process finds. With another thread running, it does not fork."""
    root = tmp_path / "repo"
    generate(root, applications=80, capabilities=24, vendors=10, seed=11, imported=True, proposals=12, decisions=6)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    alone = pipeline.validate(root, today=TODAY, use_cache=False).findings
    forks: list[bool] = []
    real = pipeline._fork_checks

    def spy(*args: Any) -> Any:
        started = real(*args)
        forks.append(started is not None)
        return started

    monkeypatch.setattr(pipeline, "_fork_checks", spy)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    assert pipeline.validate(root, today=TODAY, use_cache=False).findings == alone
    assert forks == [True]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert pipeline.validate(root, today=TODAY, use_cache=False).findings == alone
    finally:
        stop.set()
        other.join()
    assert forks == [True, False]


def _findings_in_worker(root: str) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in pipeline.validate(Path(root), today=TODAY, use_cache=False).findings]


def test_validation_inside_a_pool_worker_starts_no_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool's worker may not have children (``ea diff`` validates a revision
    in one): there, parsing and checking stay in the one process."""
    import multiprocessing

    root = tmp_path / "repo"
    generate(root, applications=40, capabilities=10, vendors=5, seed=13)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        inside = pool.apply(_findings_in_worker, (str(root),))
    assert inside == _findings_in_worker(str(root))


def test_page_text_read_again_is_split_as_the_parse_splits_it(make_repo: MakeRepo) -> None:
    """When the body-link memo lacks a page (lost, or written by another
    version), its page text is read again exactly as the parse splits the
    file: frontmatter closed by '...', a '---' line later in the text."""
    page = app("Uniform").replace("\n---\n", "\n...\n", 1) + "\nSee [the form](missing-form.md).\n\n---\n\nMore.\n"
    root = make_repo({"applications/uniform.md": page})
    for path in root.rglob("*.md"):  # older than the racy window, as after a pull
        os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)
    os.environ["EA_CACHE_DIR"] = str(root.parent / f"cache-{root.name}")
    first = pipeline.validate(root, today=TODAY).findings
    assert [f.code for f in first if f.path == "applications/uniform.md"].count("EA132") == 1
    (loader.memo_dir(root.resolve()) / "body-links.json").unlink()
    replayed = replay.replay(root, TODAY)
    assert replayed is not None and replayed.findings == first
    (loader.memo_dir(root.resolve()) / "body-links.json").unlink()
    assert pipeline.validate(root, today=TODAY).findings == first


def _killed(*args: Any) -> Any:
    """A worker process killed (for memory, say) before it could answer."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _small_repo(
    root: Path, seed: int, *, applications: int = 40, capabilities: int = 8, vendors: int = 5, imported: bool = True
) -> Path:
    """A synthetic repository whose files are old enough to be cached under
    their stamps (not racy)."""
    generate(root, applications=applications, capabilities=capabilities, vendors=vendors, seed=seed, imported=imported)
    for path in root.rglob("*.md"):
        os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)
    return root


@pytest.mark.parametrize("step", ["_parse_turns_in_worker", "_parse_chunk", "_checks_in_fork"])
def test_a_killed_worker_costs_time_never_a_hang_or_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A worker process that dies (the kernel's out-of-memory killer picks
    the largest) leaves its share to this process: the run finishes and
    finds what a run in one process finds."""
    root = _small_repo(tmp_path / "repo", seed=17, applications=60, capabilities=12, vendors=8)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    alone = pipeline.validate(root, today=TODAY, use_cache=False).findings
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pipeline if step == "_checks_in_fork" else loader, step, _killed)
    cached = step != "_parse_chunk"  # the chunked parse is the one without a cache
    assert pipeline.validate(root, today=TODAY, use_cache=cached).findings == alone
    monkeypatch.undo()
    assert pipeline.validate(root, today=TODAY).findings == alone  # and the cache it left is sound


@pytest.mark.parametrize("module", ["loader", "pipeline"])
def test_a_worker_killed_after_taking_its_first_turn_leaves_nothing_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    """Processes take shards to parse, and checks to run, in turn: one that
    dies after taking a turn (its shard or check not sent back) leaves that
    turn to this process, and nothing is lost or found twice."""
    root = _small_repo(tmp_path / "repo", seed=17, applications=60, capabilities=12, vendors=8)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    alone = pipeline.validate(root, today=TODAY, use_cache=False).findings
    parent = os.getpid()
    real = loader.claims

    def claims(items: list[Any], turn: Any) -> Any:
        for n, item in enumerate(real(items, turn)):
            if os.getpid() != parent and n == 1:
                _killed()  # has taken its second turn, and dies with it
            yield item

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(loader, "claims", claims)
    if module == "pipeline":  # the parse in one process: only the checks take turns
        monkeypatch.setattr(loader, "_parse_by_shard", lambda *args: None)
    assert pipeline.validate(root, today=TODAY).findings == alone
    monkeypatch.undo()
    assert pipeline.validate(root, today=TODAY).findings == alone  # and the cache it left is sound


def test_a_file_changed_between_listing_and_reading_is_read_again(base: Path, tmp_path: Path) -> None:
    """Another process or an editor may write a file after this run listed
    it and before it read it: the parse is not cached under the stamp listed
    (it belongs to older content), so the next run reads the file again and
    finds what a run without the cache finds."""
    root = fresh_copy(base, tmp_path)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    app_file = first_app(root)
    found = loader.discover(root)
    text = app_file.read_text(encoding="utf-8")
    app_file.write_text(text.replace("lifecycle: ", "lifecycle: retired\nx_old: ", 1), encoding="utf-8")
    os.utime(app_file, ns=(1_700_000_900_000_000_000,) * 2)  # old enough not to be racy by time
    loaded = load(root, discovery=found)
    listed = next(src for src in loaded.sources if src.path == app_file.relative_to(root).as_posix())
    assert listed.stamp is not None and listed.stamp[0] == "racy"
    assert same_as_full(root)


def test_the_cache_fingerprint_covers_every_module_that_reads_a_file() -> None:
    """A cached entry is what the parser and the models made of a file: a
    change to any module they import must make the cache stale, or a new
    reader would be trusted with an old reader's results."""
    import ast

    package = Path(loader.__file__).resolve().parents[1]
    reading = {"documents/document.py", "models/schema.py", "models/model.py"}
    imported: set[str] = set()
    for name in reading:
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator."):
                imported.add(node.module.removeprefix("generator.").replace(".", "/") + ".py")
    assert imported - {"__init__.py"} <= set(loader.SHAPING), imported - set(loader.SHAPING)


def test_work_meanwhile_is_done_once_while_workers_parse_and_never_on_a_warm_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load(meanwhile=...)`` (numpy's import, for ``validate``) runs in this
    process while the workers parse a cold cache, once; a warm load, which may
    need none of it, does not run it."""
    root = _small_repo(tmp_path / "repo", seed=3, imported=False)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    calls: list[int] = []
    cold = load(root, meanwhile=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]
    warm = load(root, meanwhile=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]
    assert [(s.path, s.model) for s in warm.sources] == [(s.path, s.model) for s in cold.sources]


def test_turns_give_each_item_once_across_processes_and_survive_a_killed_taker() -> None:
    """``loader.Turns``: every item goes to exactly one process; one killed
    while taking leaves no lock held, so the others take the rest."""
    import itertools
    import signal

    turns = loader.Turns(40)
    first = os.fork()
    if first == 0:  # takes one, then dies as the out-of-memory killer would kill it
        next(turns.take())
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(first, 0)
    read, write = os.pipe()
    second = os.fork()
    if second == 0:  # takes half of what is left, and says which
        taken = bytes(itertools.islice(turns.take(), 19))
        os.write(write, taken)
        os._exit(0)
    os.waitpid(second, 0)
    os.close(write)
    theirs = list(os.read(read, 100))
    os.close(read)
    mine = list(turns.take())  # would hang if a lock had been left held
    turns.close()
    assert len(theirs) == 19
    # the killed one's item is gone with it; every other item was taken once
    assert len(theirs + mine) == len(set(theirs + mine)) == 39
    assert set(theirs + mine) < set(range(40))
    assert list(loader.Turns(0).take()) == []
    with pytest.raises(ValueError):
        loader.Turns(loader.Turns.MAX + 1)


def _models(loaded: loader.Loaded) -> list[tuple[str, Any, list[Any]]]:
    return [(s.path, s.model, s.findings) for s in loaded.sources]


def test_two_threads_loading_cold_at_once_each_get_their_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker inherits what it parses through a module global while it is
    forked: two threads starting workers at once (made to meet there) must
    not hand one's files to the other's workers."""
    roots = [_small_repo(tmp_path / f"repo{n}", seed=n) for n in (1, 2)]
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    alone = [_models(load(root, use_cache=False, workers=1)) for root in roots]
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    meet = threading.Barrier(2, timeout=1)
    real = loader.workers_pool

    def pool() -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait()  # both threads here at once, unless one must wait its turn
        return real()

    monkeypatch.setattr(loader, "workers_pool", pool)
    got: dict[int, Any] = {}

    def run(n: int) -> None:
        try:
            got[n] = _models(load(roots[n], workers=3))
        except BaseException as exc:  # reported below
            got[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert got == {0: alone[0], 1: alone[1]}


def test_no_worker_processes_to_be_had_means_one_process_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Python without working semaphores refuses process pools with
    NotImplementedError; a container's process limit makes a later fork
    fail. Validation then runs in the processes there are."""
    root = _small_repo(tmp_path / "repo", seed=5)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    alone = pipeline.validate(root, today=TODAY, use_cache=False).findings
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 3)
    started: list[int] = []
    real = loader.workers_pool

    def second_fails() -> Any:
        started.append(1)
        if len(started) % 2 == 0:
            raise OSError(11, "Resource temporarily unavailable")
        return real()

    monkeypatch.setattr(loader, "workers_pool", second_fails)
    assert pipeline.validate(root, today=TODAY).findings == alone
    assert pipeline.validate(root, today=TODAY, use_cache=False).findings == alone

    def no_semaphores(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("This Python has no working sem_open")

    monkeypatch.setattr(loader, "workers_pool", real)
    monkeypatch.setattr(loader, "ProcessPoolExecutor", no_semaphores)
    shutil.rmtree(tmp_path / "cache")
    assert pipeline.validate(root, today=TODAY).findings == alone
    assert pipeline.validate(root, today=TODAY, use_cache=False).findings == alone


@pytest.mark.parametrize("swap", ["pipe", "link"])
def test_a_file_swapped_for_a_pipe_or_a_link_after_listing_is_not_read(tmp_path: Path, swap: str) -> None:
    """Between a run listing the files and reading them, one may become a
    named pipe (which would hold the run up for ever) or a link to a file
    outside the repository: neither is read; the file is reported (EA100)."""
    root = _small_repo(tmp_path / "repo", seed=9)
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    victim = first_app(root)
    found = loader.discover(root)
    victim.unlink()
    if swap == "pipe":
        os.mkfifo(victim)
    else:
        secret = tmp_path / "secret.md"
        secret.write_text("---\nname: Secret\n---\n", encoding="utf-8")
        victim.symlink_to(secret)
    done = threading.Event()
    result: list[Any] = []
    thread = threading.Thread(target=lambda: (result.append(load(root, discovery=found, workers=1)), done.set()))
    thread.daemon = True
    thread.start()
    assert done.wait(60), "the run waited on the pipe"
    rel = victim.relative_to(root).as_posix()
    src = next(s for s in result[0].sources if s.path == rel)
    assert src.model is None and [f.code for f in src.findings] == ["EA100"]
