"""The command line through its real entry points: exit codes, messages, what gets written."""

import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace


from povertyplan import cli
from tests.builders import reference_sheets, set_info, write_workbook

from tests.paths import FIXTURES, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=300,
    )


def test_generate_py_writes_the_plan_and_says_where(tmp_path):
    done = run(ROOT / "inputs", "--output-dir", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx").exists()
    assert "Đã ghi:" in done.stdout and "Traceback" not in done.stderr


def test_check_prints_the_table_and_writes_nothing(tmp_path, capsys):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main(["--check", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "Khu phố 9  | 283   | 2                | 0,71" in out
    assert "Cộng" in out and "0,86" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_workbook_with_problems_exits_1_and_lists_them(tmp_path, capsys):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][7][2] = "hai trăm"
    workbook = write_workbook(tmp_path / "s.xlsx", sheets)
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert 'Sheet "Chỉ tiêu", dòng 8, cột "Số hộ": "hai trăm" không phải số nguyên.' in err
    assert "Tổng cộng: 1 lỗi" in err
    assert not list(tmp_path.glob("*.docx"))


def test_bad_command_line_exits_2_in_vietnamese():
    done = run("--khong-co")
    assert done.returncode == 2
    assert "Lệnh không hợp lệ" in done.stderr and "Traceback" not in done.stderr


def test_help_is_vietnamese():
    done = run("--help")
    assert done.returncode == 0 and "giảm nghèo" in done.stdout


def test_missing_workbook_exits_1_with_its_name(tmp_path, capsys):
    assert cli.main([str(tmp_path / "khong-co.xlsx")]) == 1
    assert "Không tìm thấy tệp" in capsys.readouterr().err


def test_folder_run_skips_excel_lock_files_and_reports_each_failure(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_workbook(inputs / "a.xlsx", reference_sheets())
    write_workbook(
        inputs / "b.xlsx",
        set_info(set_info(reference_sheets(), "Tên đơn vị hành chính", "Ngọc Trạo"), "Năm kế hoạch", "năm nay"),
    )
    (inputs / "~$a.xlsx").write_bytes(b"lock")
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main([str(inputs), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert [p.name for p in out.glob("*.docx")] == ["ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"]
    assert "1/2 sổ có lỗi: b.xlsx" in captured.err
    assert "~$a" not in captured.out + captured.err


def test_regenerating_keeps_the_previous_plan(tmp_path, capsys):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    first = (tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx").read_bytes()
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    kept = list(tmp_path.glob("ke-hoach-giam-ngheo-2023-phuong-bac-son.ban-cu-*.docx"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert "Bản trước được giữ lại" in capsys.readouterr().out


def test_template_option_uses_another_wording(tmp_path, capsys):
    template = tmp_path / "mau.md.j2"
    template.write_text(
        (
            "{% block trich_yeu %}Giảm nghèo {{ year }}{% endblock %}\n{% block noi_dung %}Toàn {{ level }} giảm "
            "{{ target.assigned }} hộ.\n\n[[bảng chỉ tiêu]]{% endblock %}"
        ),
        encoding="utf-8",
    )
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main([str(workbook), "-o", str(tmp_path), "--template", str(template)]) == 0
    import docx

    document = docx.Document(str(tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:3] == ["KẾ HOẠCH", "Giảm nghèo 2023", "Toàn phường giảm 7 hộ./."]


def test_unknown_template_variable_exits_1_without_writing(tmp_path, capsys):
    template = tmp_path / "mau.md.j2"
    template.write_text(
        "{% block trich_yeu %}{{ nam }}{% endblock %}{% block noi_dung %}x{% endblock %}", encoding="utf-8"
    )
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main([str(workbook), "-o", str(tmp_path), "--template", str(template)]) == 1
    assert "nam" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.docx"))


def test_output_folder_is_created_when_missing(tmp_path):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main([str(workbook), "-o", str(tmp_path / "ke-hoach" / "2023")]) == 0
    assert (tmp_path / "ke-hoach" / "2023" / "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx").exists()


def test_output_folder_that_cannot_be_created_is_explained(tmp_path, capsys):
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    (tmp_path / "tep").write_text("không phải thư mục")
    assert cli.main([str(workbook), "-o", str(tmp_path / "tep" / "con")]) == 1
    assert "Không tạo được thư mục" in capsys.readouterr().err


def test_the_run_says_only_the_last_review_list_is_kept(tmp_path, capsys, monkeypatch):
    from tests import reference_data

    workbook = write_workbook(
        tmp_path / "s.xlsx", reference_sheets(**{"Hộ gia đình": reference_data.register_sheet(survey=True)})
    )
    review = tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx"
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert (
        f"Đã ghi danh sách rà soát (tài liệu nội bộ, có dữ liệu cá nhân; chỉ giữ bản mới nhất): {review}"
        in capsys.readouterr().out
    )
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert f"chỉ giữ bản mới nhất, đã xóa 1 bản trước): {review}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.glob("*ra-soat*")] == [review.name]
    monkeypatch.setattr(
        cli.api, "remove_kept_copies", lambda path: (0, (path.with_name("cu.ban-cu-20240105-101500.xlsx"),))
    )
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert "Không xóa được bản rà soát cũ cu.ban-cu-20240105-101500.xlsx (tệp đang mở" in capsys.readouterr().out


def test_folder_run_takes_every_workbook_format_and_names_every_other_file(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    (inputs / "nam-truoc").mkdir(parents=True)
    for suffix in ("xls", "ods", "xlsm"):
        shutil.copy(FIXTURES / f"example-saved-by-libreoffice.{suffix}", inputs / f"so-lieu.{suffix}")
    write_workbook(inputs / "so-lieu.XLSX", reference_sheets())
    (inputs / "ghi-chu.csv").write_text("a,b\n")
    (inputs / "huong-dan.docx").write_bytes(b"PK")
    for quiet in ("~$so-lieu.xlsx", ".~lock.so-lieu.ods#", ".DS_Store"):
        (inputs / quiet).write_bytes(b"lock")
    assert cli.main(["--check", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert [line.removesuffix(":") for line in out.splitlines() if line.startswith("so-lieu")] == [
        "so-lieu.ods",
        "so-lieu.xls",
        "so-lieu.xlsm",
        "so-lieu.XLSX",
    ]
    assert 'Bỏ qua "ghi-chu.csv": không phải sổ số liệu (.xlsx, .xlsm, .xls, .ods).' in out
    assert out.count("ghi-chu.csv") == 1 and 'Bỏ qua "huong-dan.docx"' in out
    assert (
        f'Bỏ qua thư mục "nam-truoc": chương trình không đọc thư mục con. Chép sổ số liệu ra thẳng "{inputs}" nếu cần.'
        in out
    )
    assert "lock" not in out and "~$" not in out and "DS_Store" not in out
    assert "Xong: 4 sổ, không sổ nào có lỗi." in out


def test_folder_without_a_workbook_exits_1_after_naming_what_it_holds(tmp_path):
    (tmp_path / "so-lieu.csv").write_text("a,b\n")
    done = run(tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert 'Bỏ qua "so-lieu.csv"' in done.stdout
    assert (
        f'Không có sổ số liệu nào (.xlsx, .xlsm, .xls, .ods) trong "{tmp_path}". Chép sổ số liệu vào thư mục đó '
        "rồi chạy lại."
    ) in done.stderr


def test_empty_folder_exits_1_but_a_bad_command_line_stays_2(tmp_path):
    assert run(tmp_path).returncode == 1
    assert run(tmp_path, "--year", "2026").returncode == 2


def test_xlsb_in_the_folder_is_run_and_told_how_to_save_it(tmp_path, capsys):
    (tmp_path / "so-lieu.xlsb").write_bytes(b"PK")
    assert cli.main(["--check", str(tmp_path)]) == 1
    assert "so-lieu.xlsb:" in capsys.readouterr().out


def test_file_with_the_windows_hidden_attribute_is_passed_over_in_silence(tmp_path, monkeypatch):
    hidden, shown = tmp_path / "Thumbs.db", tmp_path / "ghi-chu.txt"
    hidden.write_bytes(b"x")
    shown.write_bytes(b"x")
    real_stat = Path.stat

    def stat(self, *args, **kwargs):
        result = real_stat(self, *args, **kwargs)
        return SimpleNamespace(
            st_file_attributes=2 if self == hidden else 0, st_mode=result.st_mode
        )  # FILE_ATTRIBUTE_HIDDEN

    monkeypatch.setattr(Path, "stat", stat)
    found = cli.find_workbooks([str(tmp_path)])
    assert found.workbooks == [] and [line.split(":")[0] for line in found.skipped] == ['Bỏ qua "ghi-chu.txt"']
