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
