"""Proposed unit targets on real workbooks (Bắc Sơn 2023: 29 poor, 15 near-poor households), from
the workbook to the plan. The expected splits are worked out by hand in the comments."""

from __future__ import annotations

import docx
import pytest

from povertyplan import api, cli
from tests import reference_data
from tests.builders import reference_sheets, set_info, write_workbook

UNITS_SHEET, REGISTER = "Chỉ tiêu", "Hộ gia đình"
ASSIGNED, ASSIGNED_NEAR_POOR = "Chỉ tiêu giảm hộ nghèo được giao", "Chỉ tiêu giảm hộ cận nghèo được giao"
NAMES = [unit for unit, *_ in reference_data.UNITS]
# 7 of 29 by poor households (tests/aggregate/test_split.py works it out): ties at 0.483 to Khu
# phố 8 and Khu phố 1, the higher rates.
SEVEN = {
    "Khu phố 1": 1,
    "Khu phố 3": 1,
    "Khu phố 5": 1,
    "Khu phố 6": 1,
    "Khu phố 8": 1,
    "Khu phố 10": 1,
    "Khu phố 12": 1,
}
# Households registered to leave poverty (reference_data.LEAVING): poor ones in Khu phố 1, 4, 5, 6,
# 9, 10 (6 in all) and a near-poor one in Khu phố 12.
LEAVING = reference_data.LEAVING


def blank_targets(sheets: dict) -> dict:
    for row in sheets[UNITS_SHEET][1:]:
        row[4] = None
    return sheets


def with_registrations(sheets: dict) -> dict:
    register = sheets[REGISTER]
    register[0].append("Đăng ký thoát nghèo")
    for row in register[1:]:
        row.append("x" if row[0] in LEAVING else None)
    return sheets


def check(tmp_path, sheets) -> api.CheckResult:
    return api.check(write_workbook(tmp_path / "so-lieu.xlsx", sheets))


def targets(result, column: str = "target") -> dict[str, int]:
    units = result.figures.units
    return {unit: int(value) for unit, value in zip(units["unit"], units[column]) if value}


def test_blank_unit_targets_get_the_proposal_which_adds_up_to_the_assigned_target(tmp_path):
    result = check(tmp_path, blank_targets(reference_sheets()))
    assert targets(result) == SEVEN
    assert result.figures.totals.target == result.figures.assigned_target == 7
    assert result.figures.totals.poor_end == 22 and result.figures.totals.rate_end == "0,90"  # 22 / 2452
    [warning] = [w for w in result.warnings if w.code == "split_used"]
    assert warning.format().startswith(
        (
            'Sheet "Chỉ tiêu", cột "Chỉ tiêu giảm hộ nghèo": cột "Chỉ tiêu giảm hộ nghèo" để trống ở mọi đơn vị '
            "nên chương trình đề xuất chia chỉ tiêu được giao (7 hộ) và dùng trong kế hoạch: Khu phố 1: 1, Khu phố "
            "3: 1, Khu phố 5: 1, Khu phố 6: 1, Khu phố 8: 1, Khu phố 10: 1, Khu phố 12: 1. Cách chia: theo tỷ lệ "
            "hộ nghèo đầu năm"
        )
    )


def test_registrations_come_first_and_the_rest_goes_by_poor_households(tmp_path):
    # 6 registrations for 7: each of Khu phố 1, 4, 5, 6, 9, 10 gets its one; the last household
    # goes by poor households within those not registered: shares 1 × poor / 29, the largest is
    # Khu phố 10's 6/29, so Khu phố 10 gets 2.
    result = check(tmp_path, with_registrations(blank_targets(reference_sheets())))
    assert targets(result) == {
        "Khu phố 1": 1,
        "Khu phố 4": 1,
        "Khu phố 5": 1,
        "Khu phố 6": 1,
        "Khu phố 9": 1,
        "Khu phố 10": 2,
    }
    split = result.figures.splits.poor
    assert split.registered == (1, 0, 0, 1, 1, 1, 0, 1, 1, 0) and split.beyond_registered
    [warning] = [w for w in result.warnings if w.code == "split_used"]
    assert "Số hộ đăng ký thoát nghèo (6) không đủ để đạt chỉ tiêu" in warning.text


def test_registrations_that_can_meet_the_target_cap_every_unit(tmp_path):
    # Assigned 5 with 6 registrations: shares 5 × poor / 29 capped by registrations. Round 1
    # (weights of the 6 registered units: 2+2+3+4+2+6 = 19): Khu phố 10 30/19 = 1.58, Khu phố 6
    # 20/19 = 1.05 reach their cap of 1, Khu phố 5 15/19 = 0.79, the others 10/19 = 0.53 do not.
    # Round 2 (3 left, weights 2+2+3+2 = 9): Khu phố 5 9/9 = 1 reaches its cap; round 3 (2 left,
    # weights 6): 2/3 each for Khu phố 1, 4, 9, remainders equal: the higher rates, Khu phố 1
    # (0.84 %) and Khu phố 9 (0.71 %) before Khu phố 4 (0.48 %).
    sheets = set_info(with_registrations(blank_targets(reference_sheets())), ASSIGNED, 5)
    result = check(tmp_path, sheets)
    assert targets(result) == {"Khu phố 1": 1, "Khu phố 5": 1, "Khu phố 6": 1, "Khu phố 9": 1, "Khu phố 10": 1}
    assert not result.figures.splits.poor.beyond_registered


def test_the_near_poor_target_is_split_by_near_poor_households(tmp_path):
    # 3 of 15 near-poor (Khu phố 1: 3, 3: 2, 5: 4, 9: 1, 10: 3, 12: 2): shares 0.6, 0.4, 0.8,
    # 0.2, 0.6, 0.4: Khu phố 5 (0.8), then Khu phố 1 and 10 (0.6; rates 3/237 and 3/320).
    result = check(tmp_path, set_info(reference_sheets(), ASSIGNED_NEAR_POOR, 3))
    assert targets(result, "near_poor_target") == {"Khu phố 1": 1, "Khu phố 5": 1, "Khu phố 10": 1}
    near = result.figures.near_poor
    assert (near.start, near.target, near.end, near.rate_end) == (15, 3, 12, "0,49")  # 12 / 2452
    assert [w.code for w in result.warnings] == ["split_used"]


def test_near_poor_registrations_cap_the_near_poor_split(tmp_path):
    # One near-poor registration (Khu phố 12) for 3: it keeps it; the 2 left by near-poor
    # households: shares 2 × (3, 2, 4, 1, 3, 2)/15 = 0.4, 0.27, 0.53, 0.13, 0.4, 0.27: Khu phố 5,
    # then the tie at 0.4 to Khu phố 1 (1.27 %) before Khu phố 10 (0.94 %).
    result = check(tmp_path, set_info(with_registrations(reference_sheets()), ASSIGNED_NEAR_POOR, 3))
    assert targets(result, "near_poor_target") == {"Khu phố 1": 1, "Khu phố 5": 1, "Khu phố 12": 1}


def test_typed_targets_are_kept_and_check_prints_the_proposal_beside_them_with_the_differences(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets())
    assert cli.main(["--check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index(
        (
            "  Đề xuất chia chỉ tiêu giảm hộ nghèo được giao (7 hộ), bên cạnh chỉ tiêu đã nhập (kế hoạch dùng chỉ "
            "tiêu đã nhập):"
        )
    )
    table = [[cell.strip() for cell in line.split("|")] for line in out[start + 1 : start + 13]]
    assert table[0] == [
        "TT",
        "Đơn vị",
        "Hộ nghèo đầu năm",
        "Chỉ tiêu đã nhập",
        "Chỉ tiêu đề xuất",
        "Chênh lệch (đề xuất - đã nhập)",
    ]
    typed = [target for *_, target in reference_data.UNITS]
    proposed = [SEVEN.get(unit, 0) for unit in NAMES]
    expected = [
        [str(i), unit, str(poor), str(t), str(p), f"{p - t:+d}" if p != t else "0"]
        for i, (unit, _, poor, t), p in zip(range(1, 11), reference_data.UNITS, proposed)
    ]
    assert table[1:11] == expected
    assert table[11] == ["", "Cộng", "29", "8", "7", "-1"]
    assert out[start + 13].startswith(
        "  Quy tắc chia: theo tỷ lệ hộ nghèo đầu năm của từng đơn vị, làm tròn theo phương pháp phần dư lớn nhất"
    )
    assert sum(typed) == 8


def test_check_shows_the_proposal_the_plan_uses(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", with_registrations(blank_targets(reference_sheets())))
    assert cli.main(["--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "Chỉ tiêu giảm hộ nghèo của các đơn vị do chương trình đề xuất (chia 7 hộ được giao; kế hoạch dùng các số này):"
        in out
    )
    assert "TT | Đơn vị     | Hộ nghèo đầu năm | Đăng ký thoát nghèo | Chỉ tiêu đề xuất" in out
    assert "     | Cộng       | 29               | 6                   | 7" in out


@pytest.fixture(scope="module")
def proposed_plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proposed")
    workbook = write_workbook(folder / "so-lieu.xlsx", blank_targets(reference_sheets()))
    result = api.generate(workbook, folder)
    return docx.Document(str(result.output)), result


def test_the_plan_prints_the_proposed_targets_adding_up_to_the_assigned_one(proposed_plan):
    document, result = proposed_plan
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 8)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert {row[1]: int(row[5]) for row in rows[1:11] if row[5] != "0"} == SEVEN
    assert rows[11][1:] == ["Cộng", "2.452", "29", "1,18", "7", "22", "0,90"]
    assert any(w.code == "split_used" for w in result.warnings)
