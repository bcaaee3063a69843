"""Files the command line writes: normal permissions under any umask, links
and devices handled as a user means them, and unwritable targets reported
as exit status 2 with the file named, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo

from generator.cli import main
from generator.core.util import atomic_write


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_honours_the_umask(tmp_path: Path) -> None:
    for mask, expected in ((0o022, 0o644), (0o027, 0o640), (0o002, 0o664)):
        old = os.umask(mask)
        try:
            target = tmp_path / f"f{mask:o}.txt"
            atomic_write(target, "x")
        finally:
            os.umask(old)
        assert _mode(target) == expected, oct(mask)


def test_atomic_write_keeps_a_replaced_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "private.txt"
    target.write_text("old")
    target.chmod(0o600)
    atomic_write(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o600


def test_atomic_write_replaces_the_file_a_symlink_points_at(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink(), "the link itself was replaced by a file"
    assert real.read_text() == "new"


def test_atomic_write_streams_into_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writer
        try:
            atomic_write(fifo, "through the pipe")
        finally:
            os._exit(0)
    with open(fifo, encoding="utf-8") as fh:
        received = fh.read()
    os.waitpid(pid, 0)
    assert received == "through the pipe"
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"


def test_atomic_write_to_dev_stdout_does_not_replace_the_device(tmp_path: Path) -> None:
    before = os.lstat("/dev/stdout")
    with open(os.devnull, "wb") as null:  # point fd 1 at /dev/null while writing
        saved = os.dup(1)
        os.dup2(null.fileno(), 1)
        try:
            atomic_write(Path("/dev/stdout"), "discarded")
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    after = os.lstat("/dev/stdout")
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert Path(os.devnull).is_char_device(), "/dev/null was replaced by a regular file"


@pytest.mark.usefixtures("umask_027")
def test_commands_write_files_with_the_umasks_permissions(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({})
    runner = CliRunner()
    out = tmp_path / "out"
    register = tmp_path / "register.csv"
    register.write_text(
        "Application,Supplier,Service area,Capability,Status,Hosting\nCivica Pay,Civica,Finance,Payments,Live,SaaS\n"
    )
    cases = [
        ["validate", str(root), "--format", "json", "-o", str(out / "report.json")],
        ["export", "csv", str(root), "-o", str(out / "register.csv")],
        ["schema", "-o", str(out / "schemas")],
        ["import", "applications", str(register), "--root", str(root)],
        ["new", "application", "Brand New", "--root", str(root)],
    ]
    for args in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    written = [out / "report.json", out / "register.csv", *sorted((out / "schemas").iterdir())]
    written += [root / "applications" / "brand-new.md", root / "applications" / "civica-pay.md"]
    written.append(root / "architecture" / "vendors" / "civica.md")
    for path in written:
        assert _mode(path) == 0o640, path


def test_unwritable_output_is_exit_2_naming_the_file(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    runner = CliRunner()
    for args in (
        ["validate", str(root), "-o", str(blocker / "report.txt")],
        ["export", "json", str(root), "-o", str(blocker / "x.json")],
        ["build", str(root), "-d", str(blocker / "site")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert str(blocker) in result.output, result.output


def test_export_csv_counts_only_what_it_wrote(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({})
    target = tmp_path / "register.csv"
    result = CliRunner().invoke(main, ["export", "csv", str(root), "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert f"({len(rows) - 1} applications)" in result.output
    assert "vendors" not in result.output and "capabilities" not in result.output


def test_export_archimate_counts_no_milestones_it_does_not_write(make_repo: MakeRepo, tmp_path: Path) -> None:
    """Milestones are views in an exchange file, not elements: the summary
    counts only the kinds written as elements."""
    milestone = "---\nname: Old hall closes\ndate: 2027-06-30\n---\n"
    root = make_repo({"architecture/milestones/hall.md": milestone})
    target = tmp_path / "model.xml"
    result = CliRunner().invoke(main, ["export", "archimate", str(root), "-o", str(target), "--no-views"])
    assert result.exit_code == 0, result.output
    assert "milestone" not in result.output and "applications" in result.output
    assert "Old hall closes" not in target.read_text(encoding="utf-8")


def test_a_failed_stream_to_a_fifo_is_an_error_and_leaves_the_fifo(tmp_path: Path) -> None:
    """Writing into a pipe whose reader went away is an error; the FIFO is not
    replaced by a regular file as if the stream had been a failed rename."""
    import errno
    import os
    import stat as st
    import threading

    from generator.core.util import atomic_write

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as fh:
            fh.read(1)

    reader = threading.Thread(target=read_a_little)
    reader.start()
    try:
        atomic_write(fifo, b"x" * (4 << 20))  # more than a pipe holds: the reader leaves first
    except OSError as exc:
        assert exc.errno == errno.EPIPE
    else:
        raise AssertionError("a broken pipe must be an error")
    finally:
        reader.join()
    assert st.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced"


def test_private_files_are_owner_only_and_replace_a_link_not_its_target(tmp_path: Path) -> None:
    import os
    import stat as st

    from generator.core.util import atomic_write

    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "cache.pickle"
    link.symlink_to(victim)
    old = os.umask(0o002)
    try:
        atomic_write(link, b"data", private=True)
    finally:
        os.umask(old)
    assert victim.read_text() == "keep" and not link.is_symlink()
    assert st.S_IMODE(link.stat().st_mode) == 0o600
