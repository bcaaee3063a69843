"""The sustainability scheme is content like any other: mistakes in it are
reported at their line, and the example council's scheme covers what a UK
council asks of a system's climate position."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeRepo, line_in, mercia_vale_only, of_code, run, show

from generator.checks.validate import validate

ROOT = Path(__file__).resolve().parents[1]
PATH = "architecture/sustainability.md"

BAD = """\
---
name: Bad scheme
max_age_months: 0
criteria:
  - id: hosting
    name: Hosting
    fact: hosting
    weight: 0
    points: {saas: 4}
  - id: energy
    name: Energy
    fact: energy
    points: {renewable: 4}
  - id: both
    name: Both
    fact: users
    points: {a: 1}
    at_most: [{value: 1, points: 2}]
  - id: negative
    name: Negative
    fact: sustainability.energy
    points: {a: -1}
bands:
  - {rating: A, min_score: 80}
  - {rating: B, min_score: 120}
---
"""


@pytest.mark.parametrize(
    ("needle", "code", "words"),
    [
        ("max_age_months: 0", "EA111", "greater than 0"),
        ("weight: 0", "EA111", "greater than 0"),
        ("fact: energy", "EA112", "'energy'"),
        ("- id: both", "EA111", "either 'points' or 'at_most'"),
        ("points: {a: -1}", "EA111", "greater than or equal to 0"),
        ("min_score: 120", "EA111", "less than or equal to 100"),
    ],
)
def test_scheme_errors_name_their_line(make_repo: MakeRepo, needle: str, code: str, words: str) -> None:
    findings = [f for f in run(make_repo({PATH: BAD})) if f.path == PATH]
    line = line_in(BAD, needle)
    hits = [f for f in findings if f.line == line and f.code == code]
    assert len(hits) == 1 and words in hits[0].message, show(findings)


def test_scheme_needs_a_band_from_zero(make_repo: MakeRepo) -> None:
    scheme = BAD.split("bands:")[0].replace("max_age_months: 0", "max_age_months: 12")
    scheme = scheme.replace("weight: 0", "weight: 1").replace("fact: energy", "fact: sustainability.energy")
    scheme = scheme.replace("    points: {a: 1}\n", "").replace("{a: -1}", "{a: 1}")
    scheme += "bands:\n  - {rating: A, min_score: 50}\n---\n"
    findings = of_code(run(make_repo({PATH: scheme})), "EA111")
    assert [f.path for f in findings] == [PATH] and "min_score 0" in findings[0].message, show(findings)


@mercia_vale_only
def test_example_scheme_covers_the_council_questions() -> None:
    result = validate(ROOT, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error" and f.path == PATH]
    scheme = result.catalog.scheme
    assert scheme is not None
    facts = {c.fact for c in scheme.criteria}
    assert {
        "hosting",
        "sustainability.energy",
        "sustainability.own_data_centre",
        "sustainability.hardware",
        "sustainability.data_footprint",
        "vendor.carbon_reduction_plan",
        "vendor.net_zero_target",
    } <= facts
    assert [b.rating for b in sorted(scheme.bands, key=lambda b: -b.min_score)] == ["A", "B", "C", "D", "E"]
    assert all(c.description for c in scheme.criteria) and all(b.meaning for b in scheme.bands)
    body = (ROOT / PATH).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for phrase in ("Cloud First", "Carbon Reduction Plan", "data centre", "net zero"):
        assert phrase in body
