"""`--new-workbook`: the blank standard workbook, with guidance, drop-downs and input messages."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from povertyplan import api
from povertyplan import cli
from povertyplan.contract import schema
from povertyplan.compose.blank import GUIDE_SHEET, UNITS_NAME
from tests.builders import plan_of
from povertyplan.errors import OutputProblem, UsageError, WorkbookInvalid
from povertyplan.contract.standards import standard_for
from povertyplan.validate.workbook import read_workbook
from tests import reference_data
from tests.builders import reference_sheets, write_workbook
from tests.make_example import fill_blank

from tests.paths import ROOT

TABLES = (schema.UNITS, schema.REGISTER, schema.ASSIGNMENTS, schema.RECIPIENTS)


@pytest.fixture(scope="module")
def blank_path(tmp_path_factory) -> Path:
    return api.new_workbook(tmp_path_factory.mktemp("blank") / "so-lieu-2023.xlsx", 2023)


@pytest.fixture(scope="module")
def book(blank_path):
    return openpyxl.load_workbook(blank_path)


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def rules_at(sheet, cell: str) -> list:
    return [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]


def rule_at(sheet, cell: str):
    [rule] = rules_at(sheet, cell)
    return rule


def column_of(sheet, header: str) -> str:
    return next(cell.column_letter for cell in sheet[1] if cell.value == header)


def test_guide_comes_first_then_the_sheets_of_the_contract(book):
    assert book.sheetnames == [GUIDE_SHEET, *(spec.name for spec in schema.SHEETS)]


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_table_sheets_have_the_canonical_headers_in_row_one_frozen(book, spec):
    sheet = book[spec.name]
    expected = [c.name for c in spec.columns if not c.key.startswith(schema.INDICATOR_PREFIX)]
    found = headers(sheet)
    assert [h for h in found if h in expected] == expected
    assert sheet.freeze_panes == "A2"


def test_register_has_the_indicators_of_the_years_standard_in_decree_order(book):
    names = [i.name for i in standard_for(2023).indicators]
    found = headers(book[schema.REGISTER.name])
    start = found.index(names[0])
    assert found[start : start + 12] == names


def test_general_information_lists_every_label_with_the_year_filled(book):
    sheet = book[schema.INFO.name]
    labels = [sheet.cell(row, 1).value for row in range(2, sheet.max_row + 1)]
    assert set(labels) == {item.label for item in schema.INFO_ITEMS}
    assert labels.count("Căn cứ") == 3
    year_row = labels.index("Năm kế hoạch") + 2
    assert sheet.cell(year_row, 2).value == 2023
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_every_column_shows_an_input_message(book, spec):
    sheet = book[spec.name]
    for cell in sheet[1]:
        rule = rule_at(sheet, f"{cell.column_letter}2")
        assert rule.showInputMessage and rule.prompt and rule.promptTitle, cell.value


def test_every_general_information_value_shows_an_input_message(book):
    sheet = book[schema.INFO.name]
    for row in range(2, sheet.max_row + 1):
        assert rule_at(sheet, f"B{row}").prompt, sheet.cell(row, 1).value


def info_rule(book, label):
    sheet = book[schema.INFO.name]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
    return rule_at(sheet, f"B{row}")


@pytest.mark.parametrize(
    "label, choices",
    [
        ("Loại đơn vị hành chính", '"Xã,Phường,Thị trấn,Đặc khu"'),
        ("Chức vụ người ký", '"Chủ tịch,Phó Chủ tịch,Quyền Chủ tịch"'),
        ("Giai đoạn chuẩn nghèo", '"2022 - 2025,2026 - 2030"'),
    ],
)
def test_general_information_choices_are_drop_downs(book, label, choices):
    rule = info_rule(book, label)
    assert (rule.type, rule.formula1, rule.showErrorMessage) == ("list", choices, True)


@pytest.mark.parametrize(
    "header, choices",
    [
        ("Phân loại", '"Hộ nghèo,Hộ cận nghèo"'),
        ("Khu vực", '"Thành thị,Nông thôn"'),
        ("Bảo hiểm y tế", '"x"'),
        ("Đăng ký thoát nghèo", '"x"'),
    ],
)
def test_register_choices_are_drop_downs(book, header, choices):
    sheet = book[schema.REGISTER.name]
    rule = rule_at(sheet, f"{column_of(sheet, header)}2")
    assert (rule.type, rule.formula1, rule.showErrorMessage) == ("list", choices, True)


def test_units_typed_in_the_targets_sheet_are_offered_in_the_register_and_assignments(book):
    assert book.defined_names[UNITS_NAME].attr_text == "'Chỉ tiêu'!$B$2:$B$301"
    register, assignments = book[schema.REGISTER.name], book[schema.ASSIGNMENTS.name]
    strict = rule_at(register, f"{column_of(register, 'Đơn vị')}2")
    loose = rule_at(assignments, f"{column_of(assignments, 'Phụ trách địa bàn')}2")
    assert (strict.type, strict.formula1, strict.showErrorMessage) == ("list", UNITS_NAME, True)
    assert (loose.type, loose.formula1, bool(loose.showErrorMessage)) == (
        "list",
        UNITS_NAME,
        False,
    )  # "Khu phố 9 + 4" must stay typable


@pytest.mark.parametrize(
    "sheet_name, header, minimum",
    [
        ("Chỉ tiêu", "Số hộ", "1"),
        ("Chỉ tiêu", "Hộ nghèo đầu năm", "0"),
        ("Chỉ tiêu", "Chỉ tiêu giảm hộ nghèo", "0"),
        ("Chỉ tiêu", "Chỉ tiêu giảm hộ cận nghèo", "0"),
        ("Hộ gia đình", "Số nhân khẩu", "1"),
    ],
)
def test_counts_accept_only_whole_numbers_from_their_minimum(book, sheet_name, header, minimum):
    sheet = book[sheet_name]
    rule = rule_at(sheet, f"{column_of(sheet, header)}2")
    assert (rule.type, rule.operator, rule.formula1) == ("whole", "greaterThanOrEqual", minimum)


def test_assigned_target_is_a_whole_number(book):
    rule = info_rule(book, "Chỉ tiêu giảm hộ nghèo được giao")
    assert (rule.type, rule.formula1) == ("whole", "0")


def test_guide_explains_every_sheet_column_and_label(book):
    guide = book[GUIDE_SHEET]
    first_column = {guide.cell(row, 1).value for row in range(1, guide.max_row + 1)}
    for spec in TABLES:
        assert f'Sheet "{spec.name}"' in first_column
        for column in spec.columns:
            if not column.key.startswith(schema.INDICATOR_PREFIX):
                assert column.name in first_column, column.name
    assert {item.label for item in schema.INFO_ITEMS} <= first_column
    assert {i.name for i in standard_for(2023).indicators} <= first_column


def test_guide_states_the_standard_of_the_year(book):
    text = " ".join(str(cell.value) for row in book[GUIDE_SHEET].iter_rows() for cell in row if cell.value)
    assert "Nghị định 07/2021/NĐ-CP" in text and "1.500.000" in text and "2.000.000" in text


def test_guidance_texts_fit_excels_input_message_limit():
    texts = [*schema.SHEET_GUIDE.values(), *schema.INFO_GUIDE.values(), *schema.COLUMN_GUIDE.values()]
    assert max(map(len, texts)) <= 255


def test_every_column_and_label_has_guidance():
    for spec in TABLES + (schema.INFO,):
        for column in spec.columns:
            if not column.key.startswith(schema.INDICATOR_PREFIX):
                assert (spec.key, column.key) in schema.COLUMN_GUIDE, column.name
    assert {item.key for item in schema.INFO_ITEMS} == set(schema.INFO_GUIDE)


def test_2027_workbook_uses_the_indicators_of_decree_351(tmp_path):
    book = openpyxl.load_workbook(api.new_workbook(tmp_path / "so-lieu-2027.xlsx", 2027))
    found = headers(book[schema.REGISTER.name])
    assert all(i.name in found for i in standard_for(2027).indicators)
    guide = " ".join(str(c.value) for row in book[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "Nghị định 351/2025/NĐ-CP" in guide and "2.800.000" in guide


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(b"do not touch")
    with pytest.raises(OutputProblem, match="không ghi đè"):
        api.new_workbook(path, 2023)
    assert path.read_bytes() == b"do not touch"


@pytest.mark.parametrize("name, year", [("so-lieu.xls", 2023), ("so-lieu.xlsx", 2040), ("so-lieu.xlsx", 1999)])
def test_wrong_extension_or_a_year_without_standard_is_a_usage_error(tmp_path, name, year):
    with pytest.raises(UsageError):
        api.new_workbook(tmp_path / name, year)
    assert not (tmp_path / name).exists()


def test_blank_workbook_as_is_lists_what_to_fill(blank_path):
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(blank_path)
    assert {p.code for p in caught.value.problems} >= {"required"}


def test_blank_workbook_filled_with_the_reference_data_gives_the_reference_plan(blank_path, tmp_path):
    filled = fill_blank(blank_path, reference_data.sheets(), tmp_path / "filled.xlsx")
    reference = write_workbook(tmp_path / "reference.xlsx", reference_sheets())
    assert plan_of(read_workbook(filled)) == plan_of(read_workbook(reference))


def test_blank_workbook_filled_with_survey_data_round_trips(blank_path, tmp_path):
    sheets = reference_data.sheets()
    sheets["Hộ gia đình"] = reference_data.register_sheet(survey=True)
    result = api.generate(fill_blank(blank_path, sheets, tmp_path / "filled.xlsx"), tmp_path / "out")
    assert result.review is not None and result.review.exists()


def test_cli_writes_the_blank_workbook_and_exits_0(tmp_path, capsys):
    path = tmp_path / "so-lieu-2026.xlsx"
    assert cli.main(["--new-workbook", str(path), "--year", "2026"]) == 0
    assert str(path) in capsys.readouterr().out
    assert openpyxl.load_workbook(path)[schema.INFO.name].cell(6, 2).value == 2026


def test_cli_refuses_to_overwrite_with_exit_1(tmp_path, capsys):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(b"x")
    assert cli.main(["--new-workbook", str(path)]) == 1
    assert "không ghi đè" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["--year", "2026"], ["--new-workbook", "a.xlsx", "--check"], ["--new-workbook", "a.xlsx", "inputs"]],
    ids=["year alone", "with --check", "with a workbook"],
)
def test_year_without_new_workbook_and_mixed_options_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.strip()


def test_new_workbook_runs_without_importing_python_docx(tmp_path):
    code = (
        "import sys; from povertyplan.cli import main; rc = main(sys.argv[1:]); print('docx' in sys.modules); "
        "sys.exit(rc)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, "--new-workbook", str(tmp_path / "a.xlsx"), "--year", "2024"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_drop_downs_and_input_messages(blank_path, tmp_path):
    """LibreOffice Calc opens the workbook with its validations: converted to .ods they are all there."""
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(blank_path),
        ],
        capture_output=True,
        timeout=180,
    )
    ods = tmp_path / "so-lieu-2023.ods"
    if not ods.exists():
        pytest.skip(
            f"LibreOffice could not convert the workbook (Calc missing?): {run.stderr.decode(errors='replace')[-200:]}"
        )
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    assert content.count("<table:content-validation ") >= 40
    assert "cell-content-is-in-list(&quot;Hộ nghèo&quot;;&quot;Hộ cận nghèo&quot;)" in content
    assert "DanhSachDonVi" in content
    assert "cell-content-is-whole-number()" in content
    assert content.count("<table:help-message") >= 40 and "Đánh dấu x nếu hộ thiếu hụt chỉ số" in content
