"""The contrast check behind ``ea build``'s warning about a council's colours,
on the theme's real palette style sheet: teal (the theme's) fails, the
product's ``custom`` teal and indigo (the default) pass, in both schemes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeRepo

from generator.site.palette import contrast, palette_problems, parse_colour


def test_contrast_matches_the_wcag_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # the theme's teal on white, as axe-core measured it
    assert contrast("#009485", "#ffffff") == pytest.approx(3.76, abs=0.01)


def test_translucent_and_hsl_colours_are_laid_over_the_ground() -> None:
    assert parse_colour("#00000080", (1.0, 1.0, 1.0)) == pytest.approx((0.498, 0.498, 0.498), abs=0.01)
    assert parse_colour("hsla(0, 0%, 100%, 1)") == pytest.approx((1.0, 1.0, 1.0))
    assert parse_colour("rebeccapurple") is None


def test_the_themes_teal_fails_in_light_and_on_the_header() -> None:
    problems = palette_problems(
        {"palette": [{"scheme": "default", "primary": "teal"}, {"scheme": "slate", "primary": "teal"}]}
    )
    assert any("light" in p and "links" in p and "3.7" in p for p in problems), problems
    assert any("site title" in p for p in problems), problems


@pytest.mark.parametrize("primary", ["custom", "indigo"])
def test_the_shipped_palettes_pass_in_both_schemes(primary: str) -> None:
    theme = {"palette": [{"scheme": "default", "primary": primary}, {"scheme": "slate", "primary": primary}]}
    assert palette_problems(theme) == []


def test_an_unknown_colour_name_is_not_reported() -> None:
    assert palette_problems({"palette": {"primary": "council-green"}}) == []


def test_the_example_councils_palette_passes() -> None:
    from pathlib import Path

    from generator.site.config import read_settings

    settings = read_settings(Path(__file__).resolve().parents[1])
    assert settings.theme["palette"], "the example council sets its colours"
    assert palette_problems(settings.theme) == []


def test_ea_build_warns_about_a_councils_colours_that_fail(make_repo: MakeRepo, tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from generator.cli import main

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    teal = "site_name: Test\ntheme:\n  palette:\n    - scheme: default\n      primary: teal\n"
    root = make_repo({"mkdocs.yml": teal})
    result = CliRunner().invoke(main, ["build", str(root), "-d", str(tmp_path / "site"), "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "Warning: mkdocs.yml: the light colour scheme with primary colour 'teal'" in result.output
    fine = make_repo({"mkdocs.yml": teal.replace("teal", "custom")})
    result = CliRunner().invoke(main, ["build", str(fine), "-d", str(tmp_path / "site2"), "--today", "2026-06-01"])
    assert result.exit_code == 0 and "Warning: mkdocs.yml" not in result.output
