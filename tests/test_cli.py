"""The command line through its real entry points: exit codes, messages, what gets written."""
import subprocess
import sys
from pathlib import Path


from povertyplan import cli
from tests.builders import reference_sheets, set_info, write_workbook

from tests.paths import ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *map(str, args)], capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=300)


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
    write_workbook(inputs / "b.xlsx", set_info(set_info(reference_sheets(), "Tên đơn vị hành chính", "Ngọc Trạo"), "Năm kế hoạch", "năm nay"))
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
    template.write_text("{% block trich_yeu %}Giảm nghèo {{ year }}{% endblock %}\n{% block noi_dung %}Toàn {{ level }} giảm {{ target.assigned }} hộ.\n\n[[bảng chỉ tiêu]]{% endblock %}", encoding="utf-8")
    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    assert cli.main([str(workbook), "-o", str(tmp_path), "--template", str(template)]) == 0
    import docx

    document = docx.Document(str(tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:3] == ["KẾ HOẠCH", "Giảm nghèo 2023", "Toàn phường giảm 7 hộ./."]


def test_unknown_template_variable_exits_1_without_writing(tmp_path, capsys):
    template = tmp_path / "mau.md.j2"
    template.write_text("{% block trich_yeu %}{{ nam }}{% endblock %}{% block noi_dung %}x{% endblock %}", encoding="utf-8")
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

    workbook = write_workbook(tmp_path / "s.xlsx", reference_sheets(**{"Hộ gia đình": reference_data.register_sheet(survey=True)}))
    review = tmp_path / "ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx"
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert f"Đã ghi danh sách rà soát (tài liệu nội bộ, có dữ liệu cá nhân; chỉ giữ bản mới nhất): {review}" in capsys.readouterr().out
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert f"chỉ giữ bản mới nhất, đã xóa 1 bản trước): {review}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.glob("*ra-soat*")] == [review.name]
    monkeypatch.setattr(cli.api, "remove_kept_copies", lambda path: (0, (path.with_name("cu.ban-cu-20240105-101500.xlsx"),)))
    assert cli.main([str(workbook), "-o", str(tmp_path)]) == 0
    assert "Không xóa được bản rà soát cũ cu.ban-cu-20240105-101500.xlsx (tệp đang mở" in capsys.readouterr().out
