"""One test (at least) per finding code in ``generator.core.findings.CODES``, each on
a small repository written into ``tmp_path``: the code, the repo-relative path
and the exact line. ``run`` also checks that every finding carries a fix."""

from __future__ import annotations

import os
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import SCHEME, TODAY, MakeRepo, app, expect_one, line_in, minimal_files, of_code, run, show

from generator.checks.validate import validate
from generator.core.findings import CODES, Severity
from generator.models.model import Kind

UNIFORM = "applications/uniform.md"


def test_the_minimal_repository_is_clean(make_repo: MakeRepo) -> None:
    assert run(make_repo()) == []


def test_every_code_has_a_test_here() -> None:
    tested = {name[5:10].upper() for name in globals() if name.startswith("test_ea")}
    assert set(CODES) <= tested, f"codes without a test: {sorted(set(CODES) - tested)}"


def test_codes_are_stable_and_severities_as_documented() -> None:
    warnings = {"EA107", "EA160", "EA161", "EA162", "EA170", "EA171", "EA172", "EA180", "EA181", "EA182", "EA183"}
    warnings |= {"EA232", "EA233", "EA234", "EA235", "EA236"}
    expected = [
        f"EA{n}"
        for n in (*range(100, 109), *range(110, 114), 120, 121, 122, 130, 131, 132, 133, 140, 141, 150, 151, 152)
    ]
    expected += [f"EA{n}" for n in (160, 161, 162, 170, 171, 172, 180, 181, 182, 183, 190)]
    expected += [f"EA{n}" for n in (200, 201, *range(210, 216), *range(220, 224))]
    warnings |= {f"EA{n}" for n in (*range(210, 216), *range(220, 224))}
    expected += [f"EA{n}" for n in range(230, 237)]
    assert list(CODES) == expected
    for code, entry in CODES.items():
        assert entry.severity is (Severity.WARNING if code in warnings else Severity.ERROR), code
        assert entry.title


# --- EA100 unreadable --------------------------------------------------------------------------------------------


def test_ea100_not_utf8_names_the_line_of_the_bad_byte(make_repo: MakeRepo) -> None:
    text = app(extra="product: Café system\n")
    root = make_repo({UNIFORM: text.encode("latin-1")})
    f = expect_one(run(root), "EA100", UNIFORM, line_in(text, "Café"))
    assert "UTF-8" in f.message


def test_ea100_bad_byte_in_a_crlf_file_counts_lines_correctly(make_repo: MakeRepo) -> None:
    text = app(extra="product: Café system\n")
    root = make_repo({UNIFORM: text.replace("\n", "\r\n").encode("latin-1")})
    expect_one(run(root), "EA100", UNIFORM, line_in(text, "Café"))


def test_ea100_nul_character(make_repo: MakeRepo) -> None:
    text = app(extra="product: a\x00b\n")
    root = make_repo({UNIFORM: text})
    expect_one(run(root), "EA100", UNIFORM, line_in(text, "product"))


def test_ea100_unreadable_file(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/locked.md": app("Locked system")})
    locked = root / "applications/locked.md"
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user (root) who can read a chmod 000 file")
        expect_one(run(root), "EA100", "applications/locked.md", 0)
    finally:
        locked.chmod(0o644)


def test_ea100_read_error(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as a chmod 000 file, for runs as root: the read itself fails."""
    root = make_repo({"applications/locked.md": app("Locked system")})

    from generator.catalog import loader

    real = loader.open_regular

    def refuse(path: str) -> object:
        if str(path).endswith("locked.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loader, "open_regular", refuse)
    f = expect_one(run(root), "EA100", "applications/locked.md", 0)
    assert "Permission denied" in f.message


# --- EA101-EA106 frontmatter and YAML ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("name: Uniform\n", id="no-opening-line"),
        pytest.param("", id="empty-file"),
        pytest.param("# Uniform\n\n---\nname: Uniform\n---\n", id="opening-line-not-first"),
    ],
)
def test_ea101_missing_frontmatter(make_repo: MakeRepo, text: str) -> None:
    expect_one(run(make_repo({UNIFORM: text})), "EA101", UNIFORM, 1)


def test_ea101_unclosed_frontmatter(make_repo: MakeRepo) -> None:
    text = "---\nname: Uniform\nowner: planning\n\nThe body, but no closing line.\n"
    f = expect_one(run(make_repo({UNIFORM: text})), "EA101", UNIFORM, 1)
    assert "closed" in f.message


def test_ea102_syntax_error_line(make_repo: MakeRepo) -> None:
    text = app(extra="product: Planning: the system\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA102", UNIFORM, line_in(text, "product"))


def test_ea102_control_character_line(make_repo: MakeRepo) -> None:
    text = app(extra="product: Uni\x07form\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA102", UNIFORM, line_in(text, "product"))


def test_ea102_bad_indentation_line(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  end: 2027-03-31\n   notice_months: 6\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA102", UNIFORM, line_in(text, "notice_months"))


def test_ea103_list_frontmatter(make_repo: MakeRepo) -> None:
    text = "---\n- name: Uniform\n- owner: planning\n---\n"
    f = expect_one(run(make_repo({UNIFORM: text})), "EA103", UNIFORM, 2)
    assert "list" in f.message


def test_ea103_scalar_frontmatter(make_repo: MakeRepo) -> None:
    text = "---\n\nJust a sentence.\n---\n"
    expect_one(run(make_repo({UNIFORM: text})), "EA103", UNIFORM, 3)


def test_ea104_duplicate_key_names_the_second_line(make_repo: MakeRepo) -> None:
    text = app(extra="name: Uniform again\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA104", UNIFORM, line_in(text, "Uniform again"))
    assert "line 2" in f.message  # where the first one is


def test_ea104_duplicate_nested_key(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  end: 2027-03-31\n  notice_months: 3\n  end: 2028-03-31\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA104", UNIFORM, line_in(text, "2028-03-31"))


def test_ea105_anchor_and_alias(make_repo: MakeRepo) -> None:
    text = app(extra="tags: &t [planning]\naliases: *t\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA105", UNIFORM, line_in(text, "&t"))
    text = app(extra="aliases: *t\n")  # an alias with no anchor is refused too
    expect_one(run(make_repo({UNIFORM: text})), "EA105", UNIFORM, line_in(text, "*t"))


def test_ea105_merge_key(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  <<: {end: 2027-03-31}\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA105", UNIFORM, line_in(text, "<<"))


def test_ea105_python_tag(make_repo: MakeRepo) -> None:
    text = app(extra="product: !!python/object/apply:os.system [echo hi]\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA105", UNIFORM, line_in(text, "python/object"))


def test_ea105_billion_laughs_returns_quickly(make_repo: MakeRepo) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, this = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{this}: &{this} [{','.join(['*' + prev] * 9)}]")
    text = "---\nname: Laughs\n" + "\n".join(levels) + "\n---\n"
    root = make_repo({UNIFORM: text})
    start = time.perf_counter()
    findings = run(root)
    assert time.perf_counter() - start < 2
    expect_one(findings, "EA105", UNIFORM, 3)


def test_ea106_file_over_a_million_bytes(make_repo: MakeRepo) -> None:
    text = app() + "x" * 1_000_001
    f = expect_one(run(make_repo({UNIFORM: text})), "EA106", UNIFORM, 0)
    assert "1,000,000" in f.message


def test_ea106_not_at_exactly_the_limit(make_repo: MakeRepo) -> None:
    head = app()
    root = make_repo({UNIFORM: head + "x" * (1_000_000 - len(head.encode()))})
    assert (root / UNIFORM).stat().st_size == 1_000_000
    assert run(root) == []


# --- EA107 symbolic links ----------------------------------------------------------------------------------------


def test_ea107_symlinked_file_is_not_followed(make_repo: MakeRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(app("Secret system", extra="unknown_field: 1\n"))
    root = make_repo()
    (root / "applications/secret.md").symlink_to(outside / "secret.md")
    findings = run(root)
    assert findings == of_code(findings, "EA107"), show(findings)
    expect_one(findings, "EA107", "applications/secret.md", 0)
    assert "secret" not in validate(root, today=TODAY, use_cache=False).catalog.applications


def test_ea107_symlinked_sub_folder_is_not_followed(make_repo: MakeRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.md").write_text("not even frontmatter\n")
    root = make_repo()
    (root / "applications/linked").symlink_to(outside, target_is_directory=True)
    findings = run(root)
    assert findings == of_code(findings, "EA107"), show(findings)
    expect_one(findings, "EA107", "applications/linked", 0)


def test_ea107_symlinked_kind_folder_is_not_followed(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo()
    (root / "capabilities").rename(tmp_path / "caps")
    (root / "capabilities").symlink_to(tmp_path / "caps", target_is_directory=True)
    result = validate(root, today=TODAY, use_cache=False)
    expect_one(result.findings, "EA107", "capabilities", 0)
    assert result.catalog.capabilities == {}


def test_ea107_symlinked_architecture_folder_is_not_followed(make_repo: MakeRepo, tmp_path: Path) -> None:
    """The vendors and organisations folders sit under architecture/: a link
    there must not pull another folder's files in either."""
    root = make_repo()
    (root / "architecture").rename(tmp_path / "elsewhere")
    (root / "architecture").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = validate(root, today=TODAY, use_cache=False)
    links = of_code(result.findings, "EA107")
    assert links and all(f.path.split("/")[0] == "architecture" for f in links), show(result.findings)
    assert result.catalog.vendors == {} and result.catalog.organisations == {}, "followed the architecture/ link"


# --- EA110-EA113 schema ------------------------------------------------------------------------------------------


def test_ea110_unknown_field_with_did_you_mean(make_repo: MakeRepo) -> None:
    text = app(extra="tagz: [planning]\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA110", UNIFORM, line_in(text, "tagz"))
    assert "tagz" in f.message
    assert "did you mean 'tags'" in f.hint


def test_ea110_unknown_nested_field(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  ends: 2027-03-31\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA110", UNIFORM, line_in(text, "ends:"))
    assert "contract.ends" in f.message
    assert "did you mean 'end'" in f.hint


def test_ea110_unknown_sustainability_fact(make_repo: MakeRepo) -> None:
    text = app(assessed=None, extra="sustainability:\n  energi: renewable\n  assessed: 2026-01-15\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA110", UNIFORM, line_in(text, "energi"))
    assert "did you mean 'energy'" in f.hint


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        pytest.param("product: 1.10\n", "product", id="product-1.10"),
        pytest.param("users: many\n", "users", id="users-text"),
        pytest.param("annual_cost: '£12,000'\n", "annual_cost", id="cost-text"),
        pytest.param("contract:\n  end: 31/03/2027\n", "end:", id="date-format"),
        pytest.param("tags: planning\n", "tags", id="list-expected"),
    ],
)
def test_ea111_wrong_type(make_repo: MakeRepo, extra: str, needle: str) -> None:
    text = app(extra=extra)
    expect_one(run(make_repo({UNIFORM: text})), "EA111", UNIFORM, line_in(text, needle))


def test_ea111_yaml_boolean_name(make_repo: MakeRepo) -> None:
    text = app("NO")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA111", UNIFORM, 2)
    assert "quotes" in f.hint


def test_ea111_quoted_yaml_words_are_text(make_repo: MakeRepo) -> None:
    root = make_repo({UNIFORM: app('"NO"', extra='product: "1.10"\n')})
    assert run(root) == []
    assert validate(root, today=TODAY, use_cache=False).catalog.applications["uniform"].product == "1.10"


def test_ea112_value_outside_enumeration(make_repo: MakeRepo) -> None:
    text = app(lifecycle="live")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA112", UNIFORM, line_in(text, "lifecycle"))
    assert "active" in f.hint and "retired" in f.hint


def test_ea112_sustainability_value_the_scheme_does_not_score(make_repo: MakeRepo) -> None:
    text = app(assessed=None, extra="sustainability:\n  energy: coal\n  assessed: 2026-01-15\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA112", UNIFORM, line_in(text, "coal"))
    assert "renewable" in f.hint


def test_ea113_missing_required_field(make_repo: MakeRepo) -> None:
    text = "---\nname: Uniform\ncapabilities: [planning-applications]\nlifecycle: active\nhosting: saas\n---\n"
    f = expect_one(run(make_repo({UNIFORM: text})), "EA113", UNIFORM, 1)
    assert "owner" in f.message


def test_ea113_missing_nested_field_points_at_its_mapping(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on:\n  - data: planning fees\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA113", UNIFORM, line_in(text, "planning fees"))
    assert "depends_on[0].app" in f.message


# --- EA120-EA122 ids ---------------------------------------------------------------------------------------------


def test_ea120_bad_id(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/Bad_Name.md": app("Bad name system")})
    f = expect_one(run(root), "EA120", "applications/Bad_Name.md", 1)
    assert "bad-name.md" in f.hint


@pytest.mark.parametrize("stem", ["con", "nul", "com1", "lpt9"])
def test_ea120_windows_device_name(make_repo: MakeRepo, stem: str) -> None:
    """Councils check repositories out on Windows, where ``con.md`` cannot be
    created (nor its page ``con.html``)."""
    root = make_repo({f"applications/{stem}.md": app("Device named system")})
    f = expect_one(run(root), "EA120", f"applications/{stem}.md", 1)
    assert "Windows" in f.message
    assert f"{stem}-1.md" in f.hint


def test_ea121_same_stem_in_two_sub_folders(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "applications/north/shared.md": app("Shared north"),
            "applications/south/shared.md": app("Common south"),
        }
    )
    f = expect_one(run(root), "EA121", "applications/south/shared.md", 1)
    assert "applications/north/shared.md" in f.message


def test_ea121_ids_that_differ_only_in_case(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/Foo.md": app("Foo upper"), "applications/foo.md": app("Another system")})
    findings = run(root)
    f = expect_one(findings, "EA121", "applications/foo.md", 1)
    assert "applications/Foo.md" in f.message
    expect_one(findings, "EA120", "applications/Foo.md", 1)


def test_ea121_same_id_in_different_kinds_is_fine(make_repo: MakeRepo) -> None:
    root = make_repo({"capabilities/uniform.md": "---\nname: Uniform things\n---\n"})
    assert of_code(run(root), "EA121") == []


def test_ea122_id_not_matching_the_stem(make_repo: MakeRepo) -> None:
    text = app(extra="id: uniform-north\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA122", UNIFORM, line_in(text, "id:"))
    assert "uniform-north" in f.message


def test_ea122_matching_id_is_fine(make_repo: MakeRepo) -> None:
    assert run(make_repo({UNIFORM: app(extra="id: uniform\n")})) == []


# --- EA130-EA131 references --------------------------------------------------------------------------------------


def test_ea130_missing_reference_names_the_nearest_id(make_repo: MakeRepo) -> None:
    text = app(extra="vendor: idoxx\n")
    root = make_repo(
        {
            UNIFORM: text,
            "architecture/vendors/civica.md": "---\nname: Civica\n---\n",
            "architecture/vendors/capita.md": "---\nname: Capita\n---\n",
        }
    )
    f = expect_one(run(root), "EA130", UNIFORM, line_in(text, "vendor"))
    assert "idoxx" in f.message
    assert f.hint.startswith("did you mean 'idox'")


def test_ea130_missing_reference_in_a_list(make_repo: MakeRepo) -> None:
    text = app().replace(
        "capabilities: [planning-applications]", "capabilities:\n  - planning-applications\n  - planning-enforcment"
    )
    f = expect_one(run(make_repo({UNIFORM: text})), "EA130", UNIFORM, line_in(text, "enforcment"))
    assert "planning-applications" in f.hint


def test_ea130_missing_dependency(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on:\n  - app: payments\n    data: fees\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA130", UNIFORM, line_in(text, "payments"))


def test_ea131_reference_to_the_wrong_kind(make_repo: MakeRepo) -> None:
    text = app(owner="planning-applications")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA131", UNIFORM, line_in(text, "owner"))
    assert "capability" in f.message and "organisation" in f.message


def test_ea132_a_body_link_that_leads_nowhere(make_repo: MakeRepo) -> None:
    text = app().replace("What the system does.", "Intro.\n\nSee [the old system](gone.md) and [ours](uniform.md).")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA132", UNIFORM, line_in(text, "gone.md"))
    assert "'gone.md'" in f.message


@pytest.mark.parametrize(
    ("deep", "needle"),
    [
        ("1. " * 1000 + "x", "1. 1. 1."),
        ("".join("    " * i + f"- level {i:03}\n" for i in range(300)), "level 020"),
        ("> " * 30 + "[a](uniform.md)", "> > >"),
    ],
)
def test_ea133_lists_nested_too_deeply(make_repo: MakeRepo, deep: str, needle: str) -> None:
    text = app().replace("What the system does.", "Intro.\n\n- fine\n    - nested\n\n" + deep)
    f = expect_one(run(make_repo({UNIFORM: text})), "EA133", UNIFORM, line_in(text, needle))
    assert "nested" in f.message and "Traceback" not in f.message


# --- EA140-EA141 cycles ------------------------------------------------------------------------------------------


def test_ea140_capability_parent_cycle(make_repo: MakeRepo) -> None:
    a = "---\nname: Alpha\nparent: beta\n---\n"
    b = "---\nname: Beta\nparent: alpha\n---\n"
    root = make_repo({"capabilities/alpha.md": a, "capabilities/beta.md": b})
    f = expect_one(run(root), "EA140", "capabilities/alpha.md", line_in(a, "parent"))
    assert "alpha -> beta -> alpha" in f.message


def test_ea140_capability_is_its_own_parent(make_repo: MakeRepo) -> None:
    text = "---\nname: Planning applications\nparent: planning-applications\n---\n"
    root = make_repo({"capabilities/planning-applications.md": text})
    expect_one(run(root), "EA140", "capabilities/planning-applications.md", 3)


def test_ea140_organisation_cycle(make_repo: MakeRepo) -> None:
    a = "---\nname: Place\ntype: directorate\nparent: planning\n---\n"
    p = "---\nname: Planning\ntype: service\nparent: place\n---\n"
    root = make_repo({"architecture/organisations/place.md": a, "architecture/organisations/planning.md": p})
    f = expect_one(run(root), "EA140", "architecture/organisations/place.md", line_in(a, "parent"))
    assert "place -> planning -> place" in f.message


def test_ea140_one_finding_per_cycle_even_with_a_tail(make_repo: MakeRepo) -> None:
    files = {
        "capabilities/a.md": "---\nname: A\nparent: b\n---\n",
        "capabilities/b.md": "---\nname: B\nparent: c\n---\n",
        "capabilities/c.md": "---\nname: C\nparent: a\n---\n",
        "capabilities/tail.md": "---\nname: Tail\nparent: b\n---\n",
    }
    f = expect_one(run(make_repo(files)), "EA140", "capabilities/a.md", 3)
    assert "a -> b -> c -> a" in f.message


def test_ea141_self_dependency(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on:\n  - idox-docs\n  - uniform\n")
    root = make_repo({UNIFORM: text, "applications/idox-docs.md": app("Document management")})
    expect_one(run(root), "EA141", UNIFORM, line_in(text, "- uniform"))


# --- EA150-EA160 duplicated systems ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Idox Uniform", "idox  uniform"),
        ("Idox Uniform", "ＩＤＯＸ Ｕｎｉｆｏｒｍ"),
        ("Idox Uniform", '"\\tIDOX UNIFORM "'),
    ],
    ids=["spaces", "full-width", "case-and-tab"],
)
def test_ea150_same_normalised_name(make_repo: MakeRepo, first: str, second: str) -> None:
    north, south = app(first), app(second)
    findings = run(make_repo({"applications/uniform-north.md": north, "applications/uniform-south.md": south}))
    f = expect_one(findings, "EA150", "applications/uniform-south.md", 2)
    assert "uniform-north" in f.message
    assert of_code(findings, "EA160") == []  # an exact duplicate is not also a near one


def test_ea150_alias_clash(make_repo: MakeRepo) -> None:
    text = app("Legacy planning system", extra="aliases:\n  - Planning back office\n  - UNIFORM\n")
    f = expect_one(run(make_repo({"applications/uniform-old.md": text})), "EA150", "applications/uniform-old.md", 9)
    assert line_in(text, "UNIFORM") == 9
    assert "'uniform'" in f.message


def test_ea150_own_alias_equal_to_own_name_is_fine(make_repo: MakeRepo) -> None:
    assert run(make_repo({UNIFORM: app(extra="vendor: idox\nproduct: Uniform\naliases: [uniform]\n")})) == []


def test_ea151_same_vendor_product_and_origin(make_repo: MakeRepo) -> None:
    text = app("Planning back office", extra="vendor: idox\nproduct: uniform\n")
    f = expect_one(run(make_repo({"applications/uniform-2.md": text})), "EA151", "applications/uniform-2.md", 8)
    assert line_in(text, "product") == 8
    assert "'uniform'" in f.message


def test_ea151_not_when_one_is_retired(make_repo: MakeRepo) -> None:
    text = app("Planning back office", lifecycle="retired", extra="vendor: idox\nproduct: Uniform\n")
    assert of_code(run(make_repo({"applications/uniform-2.md": text})), "EA151") == []


def test_ea151_not_when_origins_differ(make_repo: MakeRepo) -> None:
    council = "---\nname: {} Council\ntype: council\n---\n"
    files = {
        "architecture/organisations/north.md": council.format("North"),
        "architecture/organisations/south.md": council.format("South"),
        UNIFORM: app(extra="vendor: idox\nproduct: Uniform\norigin: north\n"),
        "applications/uniform-2.md": app(
            "Planning back office", extra="vendor: idox\nproduct: Uniform\norigin: south\n"
        ),
    }
    assert run(make_repo(files)) == []
    same = app("Planning back office", extra="vendor: idox\nproduct: Uniform\norigin: north\n")
    root = make_repo({**files, "applications/uniform-2.md": same})
    expect_one(run(root), "EA151", "applications/uniform-2.md", line_in(same, "product"))


def test_ea152_a_vendor_alias_that_is_another_vendors_name(make_repo: MakeRepo) -> None:
    text = "---\nname: Idox Group\naliases:\n  - Idox plc\n  - idox  # the short name\n---\n"
    f = expect_one(
        run(make_repo({"architecture/vendors/idox-group.md": text})),
        "EA152",
        "architecture/vendors/idox-group.md",
        line_in(text, "- idox  #"),
    )
    assert "the name of the vendor 'idox'" in f.message and "ea merge vendor idox-group idox" in f.hint


def test_ea152_two_vendors_with_one_alias(make_repo: MakeRepo) -> None:
    first = "---\nname: Civica\naliases: [Civica UK Ltd]\n---\n"
    second = "---\nname: Civica Pay Ltd\naliases: [Civica Payments, CIVICA UK LTD]\n---\n"
    root = make_repo({"architecture/vendors/civica.md": first, "architecture/vendors/civica-pay.md": second})
    f = expect_one(run(root), "EA152", "architecture/vendors/civica-pay.md", line_in(second, "aliases"))
    assert "an alias of the vendor 'civica'" in f.message


def test_ea161_near_duplicate_vendors_across_legal_words(make_repo: MakeRepo) -> None:
    files = {
        "architecture/vendors/idox-software-ltd.md": "---\nname: IDOX Software Ltd.\n---\n",
        "architecture/vendors/civica.md": "---\nname: Civica\n---\n",
        "architecture/vendors/civica-uk.md": "---\nname: Civica U.K. Limited\n---\n",
        "architecture/vendors/capita.md": "---\nname: Capita\n---\n",
        "architecture/vendors/capital.md": "---\nname: Capital & Regional\n---\n",
    }
    findings = of_code(run(make_repo(files)), "EA161")
    assert [(f.path, f.line) for f in findings] == [
        ("architecture/vendors/civica-uk.md", 2),
        ("architecture/vendors/idox-software-ltd.md", 2),
    ], show(findings)
    assert "ea merge vendor" in findings[0].hint


def test_ea161_fuzzy_and_through_aliases(make_repo: MakeRepo) -> None:
    text = "---\nname: Bartec\naliases: [Bartec Municipal Technologies]\n---\n"
    files = {
        "architecture/vendors/bartec.md": text,
        "architecture/vendors/bartec-municipal.md": "---\nname: Bartec Municipal Technologys Ltd\n---\n",
    }
    f = expect_one(run(make_repo(files)), "EA161", "architecture/vendors/bartec-municipal.md", 2)
    assert "'Bartec Municipal Technologies' (bartec)" in f.message, "found through the alias"
    assert of_code(run(make_repo({**files, "architecture/vendors/bartec-municipal.md": None})), "EA161") == []


def test_ea161_is_reported_once_per_vendor_however_many_look_alike(make_repo: MakeRepo) -> None:
    """Three hundred look-alike names are three hundred findings at most, not
    forty-five thousand pairs (a pull request must not flood CI)."""
    files = {
        f"architecture/vendors/civica-{i:03}.md": f"---\nname: Civica Pay Instance {i:03}\n---\n" for i in range(300)
    }
    findings = of_code(run(make_repo(files)), "EA161")
    assert len(findings) == 299 and len({f.path for f in findings}) == 299
    assert "architecture/vendors/civica-000.md" not in {f.path for f in findings}


@pytest.mark.parametrize("side", ["uniform", "uniform-2"])
def test_ea151_silenced_by_distinct_from_on_either_side(make_repo: MakeRepo, side: str) -> None:
    """Two instances of one product from one origin (a separate schools
    payroll on the same product, say) acknowledged by either file: no error,
    and the hint names the way to say so."""
    second = app("Schools planning back office", extra="vendor: idox\nproduct: Uniform\n")
    f = expect_one(run(make_repo({"applications/uniform-2.md": second})), "EA151", "applications/uniform-2.md", 8)
    assert "distinct_from: [uniform]" in f.hint
    other = "uniform-2" if side == "uniform" else "uniform"
    ack = f"distinct_from: [{other}]\n"
    files = {
        UNIFORM: app(extra="vendor: idox\nproduct: Uniform\n" + (ack if side == "uniform" else "")),
        "applications/uniform-2.md": app(
            "Schools planning back office",
            extra="vendor: idox\nproduct: Uniform\n" + (ack if side == "uniform-2" else ""),
        ),
    }
    assert run(make_repo(files)) == []


def test_ea151_distinct_from_acknowledges_only_the_pair_it_names(make_repo: MakeRepo) -> None:
    """A third instance is still reported, against the one it is not
    acknowledged with; and distinct_from never silences a same-name clash."""
    product = "vendor: idox\nproduct: Uniform\n"
    files = {
        "applications/uniform-2.md": app("Schools planning", extra=product + "distinct_from: [uniform]\n"),
        "applications/uniform-3.md": app("Highways planning", extra=product + "distinct_from: [uniform]\n"),
    }
    f = expect_one(run(make_repo(files)), "EA151", "applications/uniform-3.md", 8)
    assert "as 'uniform-2'" in f.message
    same_name = {"applications/uniform-2.md": app("Uniform", extra="distinct_from: [uniform]\n")}
    expect_one(run(make_repo(same_name)), "EA150", "applications/uniform-2.md", 2)


def test_ea160_near_duplicate_names(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"applications/civica-app.md": app("Civica APP"), "applications/civica-pay.md": app("CIVICA App.")}
    )
    f = expect_one(run(root), "EA160", "applications/civica-pay.md", 2)
    assert "distinct_from: [civica-app]" in f.hint


def test_ea162_name_with_a_zero_width_space_or_cyrillic_letter(make_repo: MakeRepo) -> None:
    passport = "\u041f\u0430\u0441\u043f\u043e\u0440\u0442"  # wholly Cyrillic: not a look-alike
    text = app("Idox\u200b Uniform", extra=f'aliases: ["\u0421ivica Pay", "{passport}"]\n')
    root = make_repo({"applications/uniform.md": text})
    hits = of_code(run(root), "EA162")
    assert [(f.path, f.line) for f in hits] == [(UNIFORM, 2), (UNIFORM, line_in(text, "aliases:"))]
    assert "U+200B zero width space" in hits[0].message and "U+0421 cyrillic capital letter es" in hits[1].message


def test_ea160_fuzzy_not_only_equal_letters(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "applications/revenues.md": app("Northgate Revenues"),
            "applications/revenue.md": app("Northgate Revenue"),
        }
    )
    expect_one(run(root), "EA160", "applications/revenues.md", 2)


@pytest.mark.parametrize("side", ["civica-app", "civica-pay"])
def test_ea160_silenced_by_distinct_from_on_either_side(make_repo: MakeRepo, side: str) -> None:
    other = "civica-pay" if side == "civica-app" else "civica-app"
    files = {"applications/civica-app.md": app("Civica APP"), "applications/civica-pay.md": app("CIVICA App.")}
    files[f"applications/{side}.md"] = app(
        "Civica APP" if side == "civica-app" else "CIVICA App.", extra=f"distinct_from: [{other}]\n"
    )
    assert run(make_repo(files)) == []


def test_ea160_not_for_instances_with_different_qualifiers(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"applications/u-north.md": app("Uniform (North)"), "applications/u-south.md": app("Uniform (South)")}
    )
    assert of_code(run(root), "EA160") == []


# --- EA170-EA172 lifecycle ---------------------------------------------------------------------------------------


def test_ea170_active_application_with_ended_contract(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  end: 2026-05-31\n  notice_months: 6\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA170", UNIFORM, line_in(text, "end:"))
    assert "2026-05-31" in f.message


def test_ea170_not_before_the_end_date(make_repo: MakeRepo) -> None:
    root = make_repo({UNIFORM: app(extra="contract:\n  end: 2026-05-31\n")})
    assert run(root, today=date(2026, 5, 31)) == []


def test_ea170_not_for_phase_out(make_repo: MakeRepo) -> None:
    text = app("Old planning", lifecycle="phase-out", extra="contract:\n  end: 2025-03-31\n")
    assert run(make_repo({"applications/old.md": text})) == []


def test_ea171_active_depends_on_retired(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on:\n  - {app: old-docs, data: documents}\n")
    root = make_repo({UNIFORM: text, "applications/old-docs.md": app("Old documents", lifecycle="retired")})
    f = expect_one(run(root), "EA171", UNIFORM, line_in(text, "old-docs"))
    assert "old-docs" in f.message


def test_ea171_not_for_a_retired_dependant(make_repo: MakeRepo) -> None:
    files = {
        "applications/old-a.md": app("Old A", lifecycle="retired", extra="depends_on: [old-b]\n"),
        "applications/old-b.md": app("Old B", lifecycle="retired"),
    }
    assert of_code(run(make_repo(files)), "EA171") == []


@pytest.mark.parametrize("disposition", ["migrate", "eliminate"])
def test_ea172_migrate_or_eliminate_without_replaced_by(make_repo: MakeRepo, disposition: str) -> None:
    text = app(extra=f"disposition: {disposition}\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA172", UNIFORM, line_in(text, "disposition"))


def test_ea172_not_with_replaced_by(make_repo: MakeRepo) -> None:
    files = {
        UNIFORM: app(extra="disposition: migrate\nreplaced_by: planning-cloud\n"),
        "applications/planning-cloud.md": app(
            "Planning cloud", lifecycle="proposed", extra="dates:\n  live: 2027-04-01\n"
        ),
    }
    assert run(make_repo(files)) == []


# --- EA180-EA183 gaps and sustainability -------------------------------------------------------------------------


def test_ea180_capability_with_no_active_application(make_repo: MakeRepo) -> None:
    cap = "---\nname: Building control\n---\n"
    files = {
        "capabilities/building-control.md": cap,
        "applications/bc.md": app("Building control system", lifecycle="proposed", capabilities="building-control"),
    }
    expect_one(run(make_repo(files)), "EA180", "capabilities/building-control.md", line_in(cap, "name"))


def test_ea180_parent_of_a_supported_capability_is_not_a_gap(make_repo: MakeRepo) -> None:
    files = {
        "capabilities/planning.md": "---\nname: Planning\n---\n",
        "capabilities/planning-applications.md": "---\nname: Planning applications\nparent: planning\n---\n",
    }
    assert run(make_repo(files)) == []


def test_ea181_missing_assessment(make_repo: MakeRepo) -> None:
    text = app(assessed=None)
    expect_one(run(make_repo({UNIFORM: text})), "EA181", UNIFORM, line_in(text, "name"))


def test_ea181_assessment_without_date(make_repo: MakeRepo) -> None:
    text = app(assessed=None, extra="sustainability:\n  energy: renewable\n")
    expect_one(run(make_repo({UNIFORM: text})), "EA181", UNIFORM, line_in(text, "sustainability"))


def test_ea181_not_for_retired(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/old.md": app("Old system", lifecycle="retired", assessed=None)})
    assert run(root) == []


def test_ea182_stale_assessment_with_scheme_max_age(make_repo: MakeRepo) -> None:
    scheme = SCHEME.replace("max_age_months: 24", "max_age_months: 12")
    stale = app(assessed="2025-05-31")
    f = expect_one(
        run(make_repo({"architecture/sustainability.md": scheme, UNIFORM: stale})),
        "EA182",
        UNIFORM,
        line_in(stale, "assessed"),
    )
    assert "12 months" in f.message
    assert run(make_repo({"architecture/sustainability.md": scheme, UNIFORM: app(assessed="2025-06-01")})) == []
    assert run(make_repo({UNIFORM: stale})) == []  # within the default scheme's 24 months


def test_ea183_no_scheme(make_repo: MakeRepo) -> None:
    findings = run(make_repo({"architecture/sustainability.md": None}))
    expect_one(findings, "EA183", "architecture/sustainability.md", 0)
    assert findings == of_code(findings, "EA183"), show(findings)


# --- EA230-EA236 the dated plan ---------------------------------------------------------------------------------

CLOUD = "applications/planning-cloud.md"
SCHEME_PATH = "architecture/sustainability.md"
MILESTONE = "architecture/milestones/county-hall-closes.md"


def test_ea230_dates_out_of_order(make_repo: MakeRepo) -> None:
    text = app(
        lifecycle="phase-out", extra="dates:\n  live: 2019-04-01\n  phase_out: 2026-01-01\n  retire: 2025-12-31\n"
    )
    f = expect_one(run(make_repo({UNIFORM: text})), "EA230", UNIFORM, line_in(text, "retire:"))
    assert "2025-12-31" in f.message and "2026-01-01" in f.message


def test_ea230_not_for_equal_dates_in_order(make_repo: MakeRepo) -> None:
    text = app(extra="dates:\n  live: 2019-04-01\n  phase_out: 2027-01-01\n  retire: 2027-01-01\n")
    assert of_code(run(make_repo({UNIFORM: text})), "EA230") == []


CARBON = """\
carbon:
  grid_kgco2e_per_kwh: 0.177
  grid_source: UK government GHG conversion factors 2025
  pue: {on-premises: 1.56, private-cloud: 1.4, iaas: 1.2, paas: 1.2, saas: 1.2}
  server_watts: 300
"""


def _scheme_with(block: str) -> str:
    return SCHEME.replace("bands:", block + "bands:", 1)


def test_a_complete_carbon_block_is_clean(make_repo: MakeRepo) -> None:
    assert run(make_repo({SCHEME_PATH: _scheme_with(CARBON)})) == []


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("grid_kgco2e_per_kwh: 0.177", "grid_kgco2e_per_kwh: -0.1"), "grid_kgco2e_per_kwh"),
        (("grid_kgco2e_per_kwh: 0.177", "grid_kgco2e_per_kwh: '0.177'"), "grid_kgco2e_per_kwh"),
        (("server_watts: 300", "server_watts: .nan"), "server_watts"),
        (("saas: 1.2}", "saas: 0.5}"), "pue:"),
        (("  server_watts: 300\n", ""), "carbon:"),
        (("iaas: 1.2, ", ""), "pue:"),
    ],
    ids=["negative", "quoted", "nan", "pue-below-one", "missing", "pue-missing-hosting"],
)
def test_ea231_carbon_factor(make_repo: MakeRepo, change: tuple[str, str], needle: str) -> None:
    text = _scheme_with(CARBON.replace(*change))
    expect_one(run(make_repo({SCHEME_PATH: text})), "EA231", SCHEME_PATH, line_in(text, needle))


def test_ea231_an_unknown_factor_is_an_unknown_field(make_repo: MakeRepo) -> None:
    text = _scheme_with(CARBON + "  grid_year: 2025\n")
    expect_one(run(make_repo({SCHEME_PATH: text})), "EA110", SCHEME_PATH, line_in(text, "grid_year"))


def test_ea232_lifecycle_disagrees_with_the_dates_today(make_repo: MakeRepo) -> None:
    text = app(extra="dates:\n  live: 2019-04-01\n  phase_out: 2026-03-01\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA232", UNIFORM, line_in(text, "lifecycle:"))
    assert "'phase-out'" in f.message


def test_ea232_not_when_the_date_is_still_to_come(make_repo: MakeRepo) -> None:
    text = app(extra="dates:\n  live: 2019-04-01\n  phase_out: 2026-06-02\n")
    assert run(make_repo({UNIFORM: text})) == []


def test_ea233_retires_before_its_successor_is_live(make_repo: MakeRepo) -> None:
    text = app(extra="replaced_by: planning-cloud\ndates:\n  retire: 2027-03-31\n")
    files = {
        UNIFORM: text,
        CLOUD: app("Planning cloud", lifecycle="proposed", extra="dates:\n  live: 2027-04-01\n"),
    }
    f = expect_one(run(make_repo(files)), "EA233", UNIFORM, line_in(text, "retire:"))
    assert "2027-04-01" in f.message


def test_ea233_proposed_successor_without_a_live_date(make_repo: MakeRepo) -> None:
    text = app(extra="replaced_by: planning-cloud\n")
    files = {UNIFORM: text, CLOUD: app("Planning cloud", lifecycle="proposed")}
    expect_one(run(make_repo(files)), "EA233", UNIFORM, line_in(text, "replaced_by"))


def test_ea233_not_when_the_successor_goes_live_first(make_repo: MakeRepo) -> None:
    files = {
        UNIFORM: app(extra="replaced_by: planning-cloud\ndates:\n  retire: 2027-04-01\n"),
        CLOUD: app("Planning cloud", lifecycle="proposed", extra="dates:\n  live: 2027-04-01\n"),
    }
    assert run(make_repo(files)) == []


def test_ea234_planned_retirement_after_the_contract_ends(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  end: 2027-03-31\ndates:\n  retire: 2027-06-30\n")
    f = expect_one(run(make_repo({UNIFORM: text})), "EA234", UNIFORM, line_in(text, "retire:"))
    assert "2027-03-31" in f.message and "2027-06-30" in f.message


def test_ea234_not_when_the_contract_covers_it(make_repo: MakeRepo) -> None:
    text = app(extra="contract:\n  end: 2027-06-30\ndates:\n  retire: 2027-06-30\n")
    assert run(make_repo({UNIFORM: text})) == []


def test_ea235_depends_on_one_the_plan_retires_first(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on:\n  - {app: old-docs, data: documents}\n")
    old = app("Old documents", extra="dates:\n  live: 2015-01-01\n  retire: 2027-01-31\n")
    f = expect_one(
        run(make_repo({UNIFORM: text, "applications/old-docs.md": old})), "EA235", UNIFORM, line_in(text, "old-docs")
    )
    assert "2027-01-31" in f.message


def test_ea235_not_when_the_dependant_retires_first(make_repo: MakeRepo) -> None:
    text = app(extra="depends_on: [old-docs]\ndates:\n  retire: 2027-01-30\n")
    old = app("Old documents", extra="dates:\n  retire: 2027-01-31\n")
    assert of_code(run(make_repo({UNIFORM: text, "applications/old-docs.md": old})), "EA235") == []


MILESTONE_TEXT = """\
---
name: County Hall data centre closes
date: 2028-03-31
closes_data_centre: true
retired: [old-docs]
live: [planning-cloud]
---
"""


def test_ea236_milestone_the_plan_breaks(make_repo: MakeRepo) -> None:
    files = {
        MILESTONE: MILESTONE_TEXT,
        "applications/old-docs.md": app("Old documents", extra="dates:\n  retire: 2028-04-01\n"),
        CLOUD: app("Planning cloud", lifecycle="proposed", extra="dates:\n  live: 2028-06-01\n"),
        "applications/server-app.md": app("Server app", extra="hosting: on-premises\n").replace(
            "hosting: saas\nhosting: on-premises\n", "hosting: on-premises\n"
        ),
    }
    found = of_code(run(make_repo(files)), "EA236")
    where = {(f.path, f.line, f.message.split("'")[1]) for f in found}
    assert where == {
        (MILESTONE, line_in(MILESTONE_TEXT, "retired:"), "old-docs"),
        (MILESTONE, line_in(MILESTONE_TEXT, "live:"), "planning-cloud"),
        (MILESTONE, line_in(MILESTONE_TEXT, "closes_data_centre"), "server-app"),
    }, show(found)
    assert any("2028-04-01" in f.message for f in found)


def test_ea236_not_when_the_plan_keeps_the_milestone(make_repo: MakeRepo) -> None:
    files = {
        MILESTONE: MILESTONE_TEXT,
        "applications/old-docs.md": app("Old documents", extra="dates:\n  retire: 2028-03-31\n"),
        CLOUD: app("Planning cloud", lifecycle="proposed", extra="dates:\n  live: 2028-03-31\n"),
    }
    assert run(make_repo(files)) == []


def test_milestone_references_are_checked(make_repo: MakeRepo) -> None:
    text = MILESTONE_TEXT.replace("[old-docs]", "[old-dox]").replace("live: [planning-cloud]\n", "")
    expect_one(run(make_repo({MILESTONE: text})), "EA130", MILESTONE, line_in(text, "old-dox"))


# --- file handling -----------------------------------------------------------------------------------------------


def test_crlf_and_bom_files_parse_with_correct_lines(make_repo: MakeRepo) -> None:
    text = app(extra="tagz: [planning]\n")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    expect_one(run(make_repo({UNIFORM: raw})), "EA110", UNIFORM, line_in(text, "tagz"))
    clean = {path: b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode() for path, body in minimal_files().items()}
    root = make_repo(clean, minimal=False)
    assert run(root) == []
    assert validate(root, today=TODAY, use_cache=False).catalog.applications["uniform"].name == "Uniform"


def test_sub_folders_are_allowed_and_do_not_change_the_id(make_repo: MakeRepo) -> None:
    root = make_repo({UNIFORM: None, "applications/planning/uniform.md": minimal_files()[UNIFORM]})
    result = validate(root, today=TODAY, use_cache=False)
    assert result.findings == []
    assert list(result.catalog.applications) == ["uniform"]
    assert result.catalog.source(Kind.APPLICATION, "uniform").path == "applications/planning/uniform.md"


@pytest.mark.parametrize(
    "name", ["README.md", "readme.md", "index.md", "sub/README.md", ".draft.md", ".hidden/notes.md", "notes.txt"]
)
def test_readme_and_hidden_files_in_a_kind_folder_are_ignored(make_repo: MakeRepo, name: str) -> None:
    root = make_repo({f"applications/{name}": "# Applications\n\nNotes for editors, not an entity.\n"})
    assert run(root) == []


def test_unicode_line_separators_do_not_shift_lines(make_repo: MakeRepo) -> None:
    """Editors, git and CI runners count lines by newlines only; characters
    YAML 1.1 also treats as line breaks (NEL, U+2028) must not move findings."""
    text = app(extra='product: "Planning\x85and\u2028building"\ntagz: [planning]\n')
    expect_one(run(make_repo({UNIFORM: text})), "EA110", UNIFORM, line_in(text, "tagz"))


def test_findings_are_sorted_by_path_then_line(make_repo: MakeRepo) -> None:
    files = {
        "applications/b.md": app("Bee", extra="tagz: 1\nusers: many\n"),
        "applications/a.md": app("Ay", extra="tagz: 1\n"),
    }
    findings = run(make_repo(files))
    keys = [(f.path, f.line) for f in findings]
    assert keys == sorted(keys)
    assert [f.path for f in findings] == ["applications/a.md", "applications/b.md", "applications/b.md"]


def test_cached_runs_report_the_same_findings(make_repo: MakeRepo) -> None:
    """The parse cache (in the private EA_CACHE_DIR) must not change a finding,
    including lines of cross-file findings after a cache hit, or miss an edit."""
    files = {
        UNIFORM: app(extra="vendor: idocs\ncontract:\n  end: 2026-01-31\n"),
        "applications/uniform-2.md": app("UNIFORM", extra="tagz: 1\n"),
        "applications/civica.md": app("Civica APP", extra="depends_on: [uniform]\n"),
        "applications/civica-2.md": app("CIVICA App."),
    }
    root = make_repo(files)
    cold = run(root)
    assert {f.code for f in cold} >= {"EA110", "EA130", "EA160", "EA170"}, show(cold)
    for _ in range(2):
        warm = validate(root, today=TODAY, use_cache=True).findings
        assert warm == cold
    moved = app("Another system", extra="\n\ntagz: 1\n")
    (root / "applications/uniform-2.md").write_text(moved)
    edited = validate(root, today=TODAY, use_cache=True).findings
    assert edited == run(root)
    assert [f.line for f in of_code(edited, "EA110")] == [line_in(moved, "tagz")]


# --- EA108 nesting, EA190 LGSL -----------------------------------------------------------------------------------


def test_ea108_deep_nesting_is_refused_at_its_line(make_repo: MakeRepo) -> None:
    """Nesting beyond the limit is one finding at the line where it gets too
    deep, not a crash (libyaml's composer recurses)."""
    text = "---\nname: Deep\nowner: planning\ntags:\n  " + "[" * 500 + "]" * 500 + "\n---\n"
    expect_one(run(make_repo({UNIFORM: text})), "EA108", UNIFORM, 5)


def test_ea108_ordinary_nesting_passes(make_repo: MakeRepo) -> None:
    """Sixty levels is far beyond real frontmatter but within the limit."""
    text = app(extra="notes: " + "[" * 60 + "]" * 60 + "\n")
    assert of_code(run(make_repo({UNIFORM: text})), "EA108") == []


def test_ea190_unknown_lgsl_code_via_the_cli(make_repo: MakeRepo, tmp_path: Path) -> None:
    """`ea validate --lgsl FILE` adds an error per code the list lacks, at the
    code's own line, and fails the run."""
    import json

    from click.testing import CliRunner

    from generator.cli import main

    cap = "---\nname: Planning applications\nowner: planning\nlgsl:\n  - 1111\n  - 4242\n---\n"
    root = make_repo({"capabilities/planning-applications.md": cap})
    services = tmp_path / "services.csv"
    services.write_text("\ufeffIdentifier,Label,Status\n1111,Planning applications,Live\n", encoding="utf-8")
    args = [str(root), "--format", "json", "--today", TODAY.isoformat(), "--no-cache"]
    result = CliRunner().invoke(main, ["validate", *args, "--lgsl", str(services)])
    assert result.exit_code == 1, result.output
    hits = [f for f in json.loads(result.output)["findings"] if f["code"] == "EA190"]
    assert [(f["path"], f["line"]) for f in hits] == [("capabilities/planning-applications.md", 6)]
    assert "4242" in hits[0]["message"]
    clean = CliRunner().invoke(main, ["validate", *args])
    assert clean.exit_code == 0, clean.output


def test_ea190_unreadable_lgsl_list_cannot_run(make_repo: MakeRepo, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    bad = tmp_path / "services.csv"
    bad.write_text("Code,Name\n1,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(make_repo()), "--lgsl", str(bad)])
    assert result.exit_code == 2, result.output


def test_ea190_list_named_in_the_repository_config(make_repo: MakeRepo) -> None:
    """`lgsl:` in ea.yml stands in for --lgsl; a bad setting names ea.yml and its line."""
    import json

    from click.testing import CliRunner

    from generator.cli import main

    cap = "---\nname: Planning applications\nowner: planning\nlgsl:\n  - 4242\n---\n"
    root = make_repo({"capabilities/planning-applications.md": cap})
    (root / "data").mkdir()
    (root / "data" / "lgsl.csv").write_text("Identifier,Label\n1111,Planning applications\n", encoding="utf-8")
    (root / "ea.yml").write_text("# settings for ea\nlgsl: data/lgsl.csv\n", encoding="utf-8")
    args = ["validate", str(root), "--format", "json", "--today", TODAY.isoformat(), "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert [f["line"] for f in json.loads(result.output)["findings"] if f["code"] == "EA190"] == [5]
    (root / "ea.yml").write_text("# settings for ea\nlgsl: data/missing.csv\n", encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "ea.yml:2" in result.output and "missing.csv" in result.output
    (root / "ea.yml").write_text("lgls: data/lgsl.csv\n", encoding="utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "ea.yml:1: unknown setting 'lgls'" in result.output


# --- EA200-EA223 governance: proposals, decisions, principles, priorities ----------------------------------------

PRIORITY = "architecture/priorities/homes.md"
PRINCIPLE = "architecture/principles/reuse-first.md"
PROPOSAL = "proposals/2026-001-planning-portal.md"
DECISION = "architecture/decisions/0001-planning-portal.md"


def proposal(status: str = "approved", extra: str = "", **fields: str) -> str:
    """A proposal that validates cleanly in ``governed()``; ``fields`` replace
    whole lines (``options=""`` drops the options)."""
    lines = {
        "name": "name: Planning portal",
        "requested_by": "requested_by: planning",
        "submitted": "submitted: 2026-01-10",
        "status": f"status: {status}",
        "needed_by": "needed_by: 2026-09-01",
        "priorities": "priorities: [homes]",
        "capabilities": "capabilities: [planning-applications]",
        "options": "options:\n  - name: Extend Uniform\n    application: uniform\n    recommended: true",
        "principles": "principles:\n  reuse-first: {meets: yes, note: Reuses Uniform}",
        "decision": "decision: 0001-planning-portal",
        "delivers": "delivers: [uniform]",
    }
    lines.update(fields)
    body = "\n".join(v for v in lines.values() if v)
    return f"---\n{body}\n{textwrap.dedent(extra)}---\nWhat the planning service asks for.\n"


def decision(status: str = "accepted", extra: str = "") -> str:
    return (
        f"---\nname: Extend Uniform for the planning portal\nstatus: {status}\ndate: 2026-03-01\n"
        f"deciders: Digital Group\nproposals: [2026-001-planning-portal]\nprinciples: [reuse-first]\n"
        f"review_by: 2027-03-01\n{textwrap.dedent(extra)}---\n## Context\nWhy.\n"
    )


def principle(status: str = "agreed", name: str = "Reuse first") -> str:
    return f"---\nname: {name}\nstatement: We reuse before we buy.\nstatus: {status}\n---\n"


def governed(**files: str | None) -> dict[str, str | None]:
    """The minimal repository's governance layer: one priority, one agreed
    principle, one approved proposal and its accepted decision; no findings."""
    base: dict[str, str | None] = {
        PRIORITY: "---\nname: Homes people need\nowner: planning\nfrom: 2025-04-01\nuntil: 2030-03-31\n---\n",
        PRINCIPLE: principle(),
        PROPOSAL: proposal(),
        DECISION: decision(),
    }
    return {**base, **files}


def test_the_governance_layer_alone_is_clean(make_repo: MakeRepo) -> None:
    assert run(make_repo(governed())) == []


def test_ea110_unknown_field_in_a_proposal_option(make_repo: MakeRepo) -> None:
    text = proposal(options="options:\n  - name: Extend Uniform\n    aplication: uniform")
    f = expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA110", PROPOSAL, line_in(text, "aplication"))
    assert "did you mean 'application'" in f.hint


def test_ea112_proposal_status_outside_the_allowed_values(make_repo: MakeRepo) -> None:
    text = proposal(status="approved-ish")
    f = expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA112", PROPOSAL, line_in(text, "status"))
    assert "triage" in f.hint


def test_ea113_proposal_without_capabilities(make_repo: MakeRepo) -> None:
    text = proposal(capabilities="")
    expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA113", PROPOSAL, 1)


def test_unquoted_yes_and_no_are_verdicts_not_booleans(make_repo: MakeRepo) -> None:
    text = proposal(principles="principles:\n  reuse-first: no")
    root = make_repo(governed(**{PROPOSAL: text}))
    result = validate(root, today=TODAY, use_cache=False)
    assert result.findings == []
    assert result.catalog.proposals["2026-001-planning-portal"].principles["reuse-first"].meets == "no"


def test_ea130_principle_key_in_a_proposal_names_the_nearest(make_repo: MakeRepo) -> None:
    text = proposal(principles="principles:\n  reuse-frist: {meets: yes}")
    f = expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA130", PROPOSAL, line_in(text, "reuse-frist"))
    assert "principle" in f.message and "did you mean 'reuse-first'" in f.hint


def test_ea130_option_application_names_the_field_and_nearest(make_repo: MakeRepo) -> None:
    text = proposal(options="options:\n  - name: Extend Uniform\n    application: uniformm")
    f = expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA130", PROPOSAL, line_in(text, "uniformm"))
    assert "'options[0].application'" in f.message and "'uniform'" in f.hint


def test_ea131_decision_superseding_a_proposal(make_repo: MakeRepo) -> None:
    text = decision(extra="supersedes: [2026-001-planning-portal]\n")
    f = expect_one(run(make_repo(governed(**{DECISION: text}))), "EA131", DECISION, line_in(text, "supersedes"))
    assert "must name a decision" in f.message and "is a proposal" in f.message


def test_ea140_priority_parent_cycle(make_repo: MakeRepo) -> None:
    a = "---\nname: A greener vale\nparent: net-zero\n---\n"
    b = "---\nname: Net zero by 2030\nparent: greener\n---\n"
    root = make_repo(governed(**{"architecture/priorities/greener.md": a, "architecture/priorities/net-zero.md": b}))
    f = expect_one(run(root), "EA140", "architecture/priorities/greener.md", line_in(a, "parent"))
    assert "greener -> net-zero -> greener" in f.message


def test_ea200_two_recommended_options(make_repo: MakeRepo) -> None:
    options = (
        "options:\n  - name: Extend Uniform\n    application: uniform\n    recommended: true\n"
        "  - name: Buy a portal\n    vendor: idox\n    product: Portal\n    recommended: true"
    )
    text = proposal(options=options)
    found = run(make_repo(governed(**{PROPOSAL: text})))
    lines = [i for i, line in enumerate(text.split("\n"), 1) if "recommended: true" in line]
    f = expect_one(found, "EA200", PROPOSAL, lines[1])
    assert "'Buy a portal'" in f.message and "'Extend Uniform'" in f.message


def test_ea201_option_reusing_an_application_with_new_solution_facts(make_repo: MakeRepo) -> None:
    text = proposal(options="options:\n  - name: Extend Uniform\n    application: uniform\n    hosting: saas")
    f = expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA201", PROPOSAL, line_in(text, "hosting"))
    assert "hosting" in f.message


def test_ea201_costs_are_allowed_on_a_reuse_option(make_repo: MakeRepo) -> None:
    options = "options:\n  - name: Extend Uniform\n    application: uniform\n    one_off_cost: 5000\n"
    options += "    annual_cost: 900"
    assert run(make_repo(governed(**{PROPOSAL: proposal(options=options)}))) == []


def test_ea210_proposal_serving_no_priority(make_repo: MakeRepo) -> None:
    text = proposal(priorities="")
    expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA210", PROPOSAL, line_in(text, "name: Planning portal"))


def test_ea210_not_asked_of_a_withdrawn_proposal(make_repo: MakeRepo) -> None:
    text = proposal(status="withdrawn", priorities="")
    assert of_code(run(make_repo(governed(**{PROPOSAL: text}))), "EA210") == []


def test_ea211_only_new_solutions_while_an_active_application_supports_a_capability_beneath(
    make_repo: MakeRepo,
) -> None:
    """The proposal is for the parent capability; Uniform supports the child."""
    parent = "---\nname: Planning\nowner: planning\n---\n"
    child = "---\nname: Planning applications\nowner: planning\nparent: planning\n---\n"
    options = "options:\n  - name: Buy a portal\n    vendor: idox\n    product: Portal\n    hosting: saas"
    text = proposal(options=options, capabilities="capabilities: [planning]")
    root = make_repo(
        governed(**{PROPOSAL: text, "capabilities/planning.md": parent, "capabilities/planning-applications.md": child})
    )
    f = expect_one(run(root), "EA211", PROPOSAL, line_in(text, "options:"))
    assert "uniform" in f.message


def test_ea211_not_when_the_only_system_is_to_be_eliminated(make_repo: MakeRepo) -> None:
    options = "options:\n  - name: Buy a portal\n    vendor: idox\n    product: Portal"
    files = governed(**{PROPOSAL: proposal(options=options)})
    files[UNIFORM] = app(extra="vendor: idox\nproduct: Uniform\ndisposition: eliminate\nreplaced_by: uniform\n")
    assert of_code(run(make_repo(files)), "EA211") == []


def test_ea212_approved_with_no_decision(make_repo: MakeRepo) -> None:
    text = proposal(decision="")
    files = governed(**{PROPOSAL: text, DECISION: decision().replace("proposals: [2026-001-planning-portal]\n", "")})
    expect_one(run(make_repo(files)), "EA212", PROPOSAL, line_in(text, "status"))


def test_ea212_a_decision_listing_the_proposal_is_its_record(make_repo: MakeRepo) -> None:
    assert run(make_repo(governed(**{PROPOSAL: proposal(decision="")}))) == []


def test_ea213_delivered_with_nothing_delivered(make_repo: MakeRepo) -> None:
    text = proposal(status="delivered", delivers="")
    expect_one(run(make_repo(governed(**{PROPOSAL: text}))), "EA213", PROPOSAL, line_in(text, "status"))


def test_ea214_agreed_principle_not_assessed(make_repo: MakeRepo) -> None:
    other = "architecture/principles/cloud-first.md"
    text = proposal(status="assessment")
    files = governed(**{PROPOSAL: text, other: principle(name="Cloud first")})
    files["architecture/principles/old.md"] = principle(status="retired", name="Old")
    files["architecture/principles/draft.md"] = principle(status="draft", name="Draft")
    f = expect_one(run(make_repo(files), today=date(2026, 8, 1)), "EA214", PROPOSAL, line_in(text, "principles:"))
    assert "cloud-first" in f.message and "old" not in f.message and "draft" not in f.message


def test_ea214_not_asked_in_triage(make_repo: MakeRepo) -> None:
    text = proposal(status="triage", principles="", decision="")
    files = governed(**{PROPOSAL: text, DECISION: None})
    assert run(make_repo(files), today=date(2026, 8, 1)) == []


def test_ea215_open_after_needed_by(make_repo: MakeRepo) -> None:
    text = proposal(status="triage", decision="")
    files = governed(**{PROPOSAL: text, DECISION: None})
    assert run(make_repo(files), today=date(2026, 9, 1)) == []  # the day itself
    expect_one(run(make_repo(files), today=date(2026, 9, 2)), "EA215", PROPOSAL, line_in(text, "needed_by"))


def test_ea220_superseded_decision_still_accepted(make_repo: MakeRepo) -> None:
    old = decision()
    new = decision(extra="supersedes: [0001-planning-portal]\n").replace("proposals: [2026-001-planning-portal]\n", "")
    files = governed(**{"architecture/decisions/0002-portal-on-notify.md": new})
    f = expect_one(run(make_repo(files)), "EA220", DECISION, line_in(old, "status"))
    assert "0002-portal-on-notify" in f.message
    files[DECISION] = decision(status="superseded")
    assert run(make_repo(files)) == []
    proposed = new.replace("status: accepted", "status: proposed")
    files = governed(**{"architecture/decisions/0002-portal-on-notify.md": proposed})
    assert of_code(run(make_repo(files)), "EA220") == [], "a proposed decision supersedes nothing yet"


def test_ea221_superseded_with_nothing_superseding_it(make_repo: MakeRepo) -> None:
    text = decision(status="superseded")
    expect_one(run(make_repo(governed(**{DECISION: text}))), "EA221", DECISION, line_in(text, "status"))


def test_ea222_decision_past_review_by(make_repo: MakeRepo) -> None:
    files = governed()
    assert run(make_repo(files), today=date(2027, 3, 1)) == []
    text = files[DECISION]
    assert text is not None
    expect_one(run(make_repo(files), today=date(2027, 3, 2)), "EA222", DECISION, line_in(text, "review_by"))
    files[DECISION] = decision(status="deprecated")
    assert of_code(run(make_repo(files), today=date(2027, 3, 2)), "EA222") == []


def test_ea223_accepted_decision_citing_a_retired_principle(make_repo: MakeRepo) -> None:
    text = decision()
    files = governed(**{PRINCIPLE: principle(status="retired")})
    expect_one(run(make_repo(files)), "EA223", DECISION, line_in(text, "principles"))


def test_ea111_priority_period_that_ends_before_it_starts(make_repo: MakeRepo) -> None:
    text = "---\nname: Homes people need\nfrom: 2030-04-01\nuntil: 2025-03-31\n---\n"
    f = expect_one(run(make_repo(governed(**{PRIORITY: text}))), "EA111", PRIORITY, line_in(text, "until"))
    assert "ends before it starts" in f.message and "2030-04-01" in f.message
