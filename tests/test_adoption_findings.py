"""What a new repository meets first: with no sustainability scheme yet,
one finding says so, instead of one per application."""

from __future__ import annotations

from conftest import MakeRepo, app, of_code, run, show


def test_no_scheme_is_one_finding_not_one_per_application(make_repo: MakeRepo) -> None:
    files = {"architecture/sustainability.md": None}
    for i in range(5):
        files[f"applications/system-{i}.md"] = app(f"System {i}", assessed=None)
    findings = run(make_repo(files))
    assert len(of_code(findings, "EA183")) == 1, show(findings)
    assert of_code(findings, "EA181") == [], show(findings)
    assert of_code(findings, "EA182") == [], show(findings)


def test_with_a_scheme_each_unassessed_application_is_still_flagged(make_repo: MakeRepo) -> None:
    files = {f"applications/system-{i}.md": app(f"System {i}", assessed=None) for i in range(3)}
    findings = run(make_repo(files))
    assert sorted(f.path for f in of_code(findings, "EA181")) == [f"applications/system-{i}.md" for i in range(3)]
    assert of_code(findings, "EA183") == []


def test_a_council_that_never_merged_has_no_merger_matrix(make_repo: MakeRepo) -> None:
    """No application names an origin: no column of zeros, and the page says why."""
    import csv
    import io

    from click.testing import CliRunner
    from conftest import TODAY

    from generator.analysis import rationalise
    from generator.checks.validate import validate
    from generator.cli import main
    from generator.site.analysis_pages import _matrix

    root = make_repo({"applications/second.md": app("Second system")})
    report = rationalise(validate(root, today=TODAY, use_cache=False).catalog, TODAY)
    assert report.matrix.councils == [] and report.matrix.rows == []
    html = _matrix(report, lambda kind, id_: id_)
    assert "no merger to compare" in html and "<table" not in html
    args = ["report", "rationalisation", str(root), "--format", "csv", "--section", "matrix", "--today", "2026-06-01"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    assert len(rows) <= 1, rows  # the header at most: no row of zeros


def test_a_merged_council_still_has_its_matrix(make_repo: MakeRepo) -> None:
    from conftest import ORGANISATION, TODAY

    from generator.analysis import rationalise
    from generator.checks.validate import validate

    council = ORGANISATION.replace("type: service", "type: council").replace("Planning and Building Control", "North")
    root = make_repo({
        "architecture/organisations/north.md": council,
        "applications/second.md": app("Second system", extra="origin: north\n"),
    })
    report = rationalise(validate(root, today=TODAY, use_cache=False).catalog, TODAY)
    assert [c.id for c in report.matrix.councils] == ["north", ""]
    assert report.matrix.rows
