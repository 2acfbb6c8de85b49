"""Output faults are the user's to fix: a file another program holds, a folder that refuses writing,
a full disk each get a message naming the file or folder, the program and what to do (exit 1, never
"Lỗi chương trình"); the plan and its review list are written as a set, never one without the other."""

import errno
import os
import tempfile
from pathlib import Path

import pytest

from povertyplan import cli
from povertyplan.errors import OutputProblem
from povertyplan.write import files as output
from tests.survey_builders import household, survey_workbook

PLAN = "ke-hoach-giam-ngheo-2023-phuong-thu.docx"
REVIEW = "ke-hoach-giam-ngheo-2023-phuong-thu-ra-soat.xlsx"


@pytest.fixture
def permissions_bind(tmp_path):
    """Skip unless a read-only folder stops this user (it does not stop root, as in CI, nor Windows)."""
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o555)
    try:
        (probe / "x").write_bytes(b"")
    except PermissionError:
        return
    finally:
        probe.chmod(0o755)
    pytest.skip("a read-only folder does not stop this user (root)")


@pytest.fixture
def written(tmp_path, capsys):
    """A workbook whose plan and review list are already in `out`: (workbook, out, their bytes)."""
    workbook = survey_workbook(tmp_path, [household("H1", income=5_000_000), household("H2")])
    out = tmp_path / "out"
    assert cli.main([str(workbook), "-o", str(out)]) == 0
    capsys.readouterr()
    return workbook, out, {name: (out / name).read_bytes() for name in (PLAN, REVIEW)}


def run(workbook, out, capsys) -> str:
    """Run the workbook again into `out`; expect exit 1 and return standard error."""
    assert cli.main([str(workbook), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "Lỗi chương trình" not in error and "Traceback" not in error
    return error


def assert_previous_set_stays(out: Path, before: dict[str, bytes], extra: tuple[str, ...] = ()) -> None:
    """Nothing replaced, nothing kept aside, no temporary file left: the folder is as it was."""
    assert sorted(path.name for path in out.iterdir()) == sorted([*before, *extra])
    assert {name: (out / name).read_bytes() for name in before} == before


@pytest.mark.parametrize(
    ("lock", "program"),
    [
        ("~$" + PLAN[2:], "Word"),
        (".~lock." + PLAN + "#", "LibreOffice"),
        ("~$" + REVIEW, "Excel"),
        (".~lock." + REVIEW + "#", "LibreOffice"),
    ],
    ids=["plan-in-word", "plan-in-libreoffice", "review-in-excel", "review-in-libreoffice"],
)
def test_a_file_open_in_a_program_is_named_with_the_program_and_the_set_stays(written, capsys, lock, program):
    workbook, out, before = written
    (out / lock).write_bytes(b"lock file the program keeps beside an open file")
    error = run(workbook, out, capsys)
    name = PLAN if PLAN[2:] in lock else REVIEW
    assert f'Lỗi: Tệp "{name}" đang mở trong {program} nên chưa được thay bằng bản mới' in error
    assert f"Đóng tệp trong {program} rồi chạy lại" in error and f'xóa tệp ẩn "{lock}" trong thư mục "{out}"' in error
    assert_previous_set_stays(out, before, extra=(lock,))


def test_a_review_list_windows_will_not_rename_is_named_with_excel_and_the_plan_is_put_back(
    written, capsys, monkeypatch
):
    """On Windows an open file cannot be renamed: the plan, already moved aside, comes back."""
    workbook, out, before = written
    real_replace = os.replace

    def replace(source, target):
        if Path(source).name == REVIEW:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    error = run(workbook, out, capsys)
    assert f'Lỗi: Không thay được tệp "{REVIEW}" trong thư mục "{out}": tệp đang mở trong Excel.' in error
    assert_previous_set_stays(out, before)


def test_when_the_second_file_cannot_be_moved_in_the_first_is_taken_back(written, capsys, monkeypatch):
    workbook, out, before = written
    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == REVIEW and ".~tao-" in str(source):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    error = run(workbook, out, capsys)
    assert f'Lỗi: Không ghi được "{REVIEW}" (Input/output error).' in error
    assert_previous_set_stays(out, before)


def test_a_full_disk_while_writing_the_review_list_leaves_the_previous_pair(written, capsys, monkeypatch):
    workbook, out, before = written
    real_fdopen = os.fdopen
    opened = []

    class FillsUp:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            self.stream.write(data[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exception):
            self.stream.close()

    def fdopen(handle, mode):
        opened.append(handle)
        stream = real_fdopen(handle, mode)
        return FillsUp(stream) if len(opened) == 2 else stream  # the plan fits, the review list does not

    monkeypatch.setattr(os, "fdopen", fdopen)
    error = run(workbook, out, capsys)
    assert (
        f'Lỗi: Ổ đĩa chứa thư mục "{out}" đã đầy, không ghi được "{REVIEW}". Chưa tệp nào được ghi, các tệp cũ '
        "vẫn giữ nguyên."
    ) in error
    assert "--output-dir" in error
    assert_previous_set_stays(out, before)


def test_a_folder_that_refuses_new_files_is_named_and_nothing_is_written(written, capsys, monkeypatch):
    """Simulated: tests may run as root, whom permissions do not stop (the real case follows)."""
    workbook, out, before = written

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    error = run(workbook, out, capsys)
    assert (
        f'Lỗi: Thư mục "{out}" không cho phép ghi tệp' in error
        and "Chọn thư mục khác bằng tùy chọn --output-dir" in error
    )
    assert_previous_set_stays(out, before)


def test_a_read_only_folder_is_named_and_nothing_is_written(written, capsys, permissions_bind):
    workbook, out, before = written
    out.chmod(0o555)
    try:
        error = run(workbook, out, capsys)
    finally:
        out.chmod(0o755)
    assert f'Lỗi: Thư mục "{out}" không cho phép ghi tệp' in error
    assert_previous_set_stays(out, before)


def test_an_output_folder_that_cannot_be_created_names_the_folder_that_refused(tmp_path, capsys, monkeypatch):
    workbook = survey_workbook(tmp_path, [household("H1")])
    locked = tmp_path / "locked"
    locked.mkdir()

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    error = run(workbook, locked / "ke-hoach", capsys)
    assert f'Lỗi: Không tạo được thư mục "{locked / "ke-hoach"}": thư mục "{locked}" không cho phép ghi.' in error


def test_an_output_folder_inside_a_read_only_folder_is_explained(tmp_path, capsys, permissions_bind):
    workbook = survey_workbook(tmp_path, [household("H1")])
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        error = run(workbook, locked / "ke-hoach", capsys)
    finally:
        locked.chmod(0o755)
    assert f'thư mục "{locked}" không cho phép ghi' in error
    assert not (locked / "ke-hoach").exists()


def test_a_full_disk_when_creating_the_output_folder_is_explained(tmp_path, capsys, monkeypatch):
    workbook = survey_workbook(tmp_path, [household("H1")])

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "mkdir", full)
    error = run(workbook, tmp_path / "ke-hoach", capsys)
    assert f'Lỗi: Ổ đĩa đã đầy, không tạo được thư mục "{tmp_path / "ke-hoach"}".' in error


def test_a_full_disk_in_a_batch_fails_each_workbook_with_the_message_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    first = survey_workbook(tmp_path, [household("H1")], name="a.xlsx")
    second = survey_workbook(tmp_path, [household("H1")], level="Xã", name="b.xlsx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    assert cli.main([str(first), str(second), "-o", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert "2/2 sổ có lỗi: a.xlsx, b.xlsx" in error and error.count("đã đầy") == 4  # each in its run and in the summary
    assert "Lỗi chương trình" not in error


# -- the set, file by file ---------------------------------------------------------------------------


def test_a_set_replaces_every_file_and_keeps_each_previous_one_under_one_time_stamp(tmp_path):
    names = [tmp_path / "k.docx", tmp_path / "k-ra-soat.xlsx", tmp_path / "k.pdf"]
    output.write_set([(path, b"old " + path.suffix.encode()) for path in names])
    kept = output.write_set([(path, b"new " + path.suffix.encode()) for path in names])
    assert [path.read_bytes() for path in names] == [b"new .docx", b"new .xlsx", b"new .pdf"]
    assert [path.read_bytes() for path in kept] == [b"old .docx", b"old .xlsx", b"old .pdf"]
    assert len({path.name.split(".ban-cu-")[1].split(".")[0] for path in kept}) == 1


def test_a_file_given_no_new_content_is_only_moved_aside(tmp_path):
    plan, stale = tmp_path / "k.docx", tmp_path / "k.pdf"
    output.write_set([(plan, b"old plan"), (stale, b"old pdf")])
    kept = output.write_set([(plan, b"new plan"), (stale, None)])
    assert plan.read_bytes() == b"new plan" and not stale.exists()
    assert kept[1].read_bytes() == b"old pdf" and kept[1].name.startswith("k.ban-cu-")


def test_a_failure_at_the_last_move_undoes_the_moves_before_it(tmp_path, monkeypatch):
    names = [tmp_path / "k.docx", tmp_path / "k-ra-soat.xlsx", tmp_path / "k.pdf"]
    output.write_set([(path, b"old") for path in names])
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == names[2] and ".~tao-" in str(source):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(OutputProblem, match='Không ghi được "k.pdf"'):
        output.write_set([(path, b"new") for path in names])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in names)
    assert all(path.read_bytes() == b"old" for path in names)


def test_ctrl_c_while_moving_leaves_the_previous_set(tmp_path, monkeypatch):
    names = [tmp_path / "k.docx", tmp_path / "k-ra-soat.xlsx"]
    output.write_set([(path, b"old") for path in names])
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == names[1] and ".~tao-" in str(source):
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        output.write_set([(path, b"new") for path in names])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in names)
    assert all(path.read_bytes() == b"old" for path in names)


def test_the_blank_workbook_in_a_folder_that_refuses_writing_is_explained(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert cli.main(["--new-workbook", str(tmp_path / "so.xlsx"), "--year", "2026"]) == 1
    assert f'Thư mục "{tmp_path}" không cho phép ghi tệp' in capsys.readouterr().err
