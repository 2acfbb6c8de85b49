"""Nothing lost: the input is only read, a previous plan is kept, a failed run writes nothing."""

import hashlib
import os
import stat
import sys
from pathlib import Path

import docx
import pytest

from povertyplan import api
from povertyplan import cli
from povertyplan.write import files as output
from tests.builders import reference_sheets, set_info, write_workbook

PLAN = "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"


def digest(path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def damaged(tmp_path, name: str, change) -> "Path":
    sheets = reference_sheets()
    change(sheets)
    return write_workbook(tmp_path / name, sheets)


def plan_text(path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@pytest.mark.parametrize("check", [False, True], ids=["generate", "check"])
def test_input_is_byte_for_byte_unchanged_whether_it_passes_or_fails(tmp_path, capsys, check):
    good = write_workbook(tmp_path / "a.xlsx", reference_sheets())
    bad = damaged(tmp_path, "b.xlsx", lambda s: s["Chỉ tiêu"][3].__setitem__(2, "=SUM(A1:A2)"))
    before = {path: digest(path) for path in (good, bad)}
    out = tmp_path / "out"
    assert cli.main([str(good), str(bad), "-o", str(out)] + (["--check"] if check else [])) == 1
    assert {path: digest(path) for path in (good, bad)} == before


def test_a_run_with_errors_writes_nothing_at_all(tmp_path, capsys):
    bad = damaged(tmp_path, "b.xlsx", lambda s: s["Hộ gia đình"][3].__setitem__(2, "Khu phố 99"))
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main([str(bad), "-o", str(out)]) == 1
    assert list(out.iterdir()) == []
    assert "Chưa tạo kế hoạch: sửa các lỗi trên rồi chạy lại." in capsys.readouterr().err


def test_regenerating_keeps_every_previous_plan(tmp_path, capsys):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    out = tmp_path / "out"
    versions = []
    for signer in ("Nguyễn Văn Trường", "Lê Văn Tám", "Trần Thị Bảy"):
        write_workbook(workbook, set_info(reference_sheets(), "Người ký", signer))
        assert cli.main([str(workbook), "-o", str(out)]) == 0
        versions.append((out / PLAN).read_bytes())
    kept = sorted(out.glob("ke-hoach-giam-ngheo-2023-phuong-bac-son.ban-cu-*.docx"))
    assert len(kept) == 2
    assert {path.read_bytes() for path in kept} == set(versions[:2])
    assert "Trần Thị Bảy" in plan_text(out / PLAN)


def test_a_writer_that_fails_midway_leaves_the_previous_plan_and_no_temporary_file(tmp_path, capsys, monkeypatch):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    out = tmp_path / "out"
    assert cli.main([str(workbook), "-o", str(out)]) == 0
    previous = (out / PLAN).read_bytes()

    class FullDisk:
        """A file on a disk that fills up after a few bytes."""

        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            self.stream.write(b"PK half a plan")
            raise OSError(28, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exception):
            self.stream.close()

    opened = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda handle, mode: FullDisk(opened(handle, mode)))
    assert cli.main([str(workbook), "-o", str(out)]) == 1
    assert f'Lỗi: Ổ đĩa chứa thư mục "{out}" đã đầy, không ghi được "{PLAN}".' in capsys.readouterr().err
    assert sorted(path.name for path in out.iterdir()) == [PLAN]
    assert (out / PLAN).read_bytes() == previous


def test_plan_open_in_word_is_not_replaced_and_the_user_is_asked_to_close_it(tmp_path, capsys):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    out = tmp_path / "out"
    assert cli.main([str(workbook), "-o", str(out)]) == 0
    previous = (out / PLAN).read_bytes()
    (out / ("~$" + PLAN[2:])).write_bytes(b"owner file Word keeps beside an open document")
    assert cli.main([str(workbook), "-o", str(out)]) == 1
    assert f'Lỗi: Tệp "{PLAN}" đang mở trong Word nên chưa được thay bằng bản mới' in capsys.readouterr().err
    assert (out / PLAN).read_bytes() == previous
    assert not list(out.glob("*.ban-cu-*"))


def test_plan_locked_at_rename_is_explained_and_the_previous_plan_restored(tmp_path, capsys, monkeypatch):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    out = tmp_path / "out"
    assert cli.main([str(workbook), "-o", str(out)]) == 0
    previous = (out / PLAN).read_bytes()
    real_replace = os.replace

    def replace(source, target):
        if str(source).endswith(".docx") and ".~tao-" in str(source):
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    assert cli.main([str(workbook), "-o", str(out)]) == 1
    assert (
        f'Lỗi: Không thay được tệp "{PLAN}" trong thư mục "{out}": tệp đang mở trong Word.' in capsys.readouterr().err
    )
    assert sorted(path.name for path in out.iterdir()) == [PLAN]
    assert (out / PLAN).read_bytes() == previous


def test_one_bad_workbook_does_not_stop_the_others(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_workbook(inputs / "a.xlsx", reference_sheets())
    (inputs / "b.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    write_workbook(
        inputs / "c.xlsx",
        set_info(set_info(reference_sheets(), "Tên đơn vị hành chính", "Ngọc Trạo"), "Loại đơn vị hành chính", "Xã"),
    )
    out = tmp_path / "out"
    assert cli.main([str(inputs), "-o", str(out)]) == 1
    assert sorted(path.name for path in out.glob("*.docx")) == [PLAN, "ke-hoach-giam-ngheo-2023-xa-ngoc-trao.docx"]
    assert "1/3 sổ có lỗi: b.xlsx" in capsys.readouterr().err


def test_a_bug_in_one_workbook_is_reported_without_data_and_the_others_still_run(tmp_path, capsys, monkeypatch):
    first = write_workbook(tmp_path / "a.xlsx", reference_sheets())
    second = write_workbook(tmp_path / "b.xlsx", reference_sheets())
    real_check = api.check

    def check(path):
        if path == first:
            raise KeyError("Nguyễn Văn Trường")  # an exception whose text holds personal data
        return real_check(path)

    monkeypatch.setattr(api, "check", check)
    assert cli.main(["--check", str(first), str(second)]) == 1
    captured = capsys.readouterr()
    assert "Lỗi chương trình (không phải lỗi của sổ số liệu): KeyError tại" in captured.err
    assert "Nguyễn Văn Trường" not in captured.err and "Traceback" not in captured.err
    assert "Sổ số liệu hợp lệ." in captured.out  # the second workbook was still checked


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_plan_gets_ordinary_file_permissions_not_the_temporary_files(tmp_path):
    result = api.generate(write_workbook(tmp_path / "s.xlsx", reference_sheets()), tmp_path / "out")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(result.output.stat().st_mode) == 0o666 & ~mask


def test_workbook_text_is_data_never_template_code_or_markup(tmp_path):
    sheets = reference_sheets()
    set_info(sheets, "Phong trào thi đua", "{{ 7*7 }} **đậm** [[bảng chỉ tiêu]] {% if true %}x{% endif %} \\")
    sheets["Phân công"][1][2] = "{{ 7*7 }} Chủ tịch MTTQ"
    text = plan_text(api.generate(write_workbook(tmp_path / "s.xlsx", sheets), tmp_path / "out").output)
    assert "{{ 7*7 }} **đậm** [[bảng chỉ tiêu]] {% if true %}x{% endif %} \\" in text
    assert "{{ 7*7 }} Chủ tịch MTTQ" in text and "49" not in text.split("phong trào thi đua")[-1][:40]


def test_characters_word_cannot_hold_are_removed_never_crash_the_writer(tmp_path):
    sheets = reference_sheets()
    set_info(sheets, "Phong trào thi đua", "Thi đua\u0085 vì\u200b người _x0001_nghèo\ufdd0 \U0001f600")
    result = api.generate(write_workbook(tmp_path / "s.xlsx", sheets), tmp_path / "out")
    text = plan_text(result.output)
    assert "Thi đua vì người nghèo\ufdd0 \U0001f600" in text
    assert any(problem.code == "text_repaired" for problem in result.warnings)
