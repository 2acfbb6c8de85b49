"""The poverty standards are data files, one per decree, chosen by the plan year or the workbook."""

import json
import shutil
from importlib import resources

import pytest

from povertyplan.contract import standards
from povertyplan.contract.standards import (
    StandardFileError,
    all_standards,
    default_period,
    load_standards,
    standard_for,
)

FOLDER = resources.files("povertyplan.contract.standards")


def test_each_decree_is_one_data_file():
    assert sorted(s.source for s in all_standards()) == ["nd-07-2021.json", "nd-351-2025.json"]


@pytest.mark.parametrize(
    "year, period",
    [
        (2022, "2022 - 2025"),
        (2025, "2022 - 2025"),
        (2026, "2022 - 2025"),
        (2027, "2026 - 2030"),
        (2030, "2026 - 2030"),
        (2021, None),
        (2031, None),
    ],
    ids=lambda value: str(value),
)
def test_plan_year_selects_the_period(year, period):
    assert default_period(year) == period


def test_2026_keeps_decree_07_and_2027_uses_decree_351():
    assert standard_for(2026).decree == "Nghị định 07/2021/NĐ-CP"
    assert standard_for(2027).decree == "Nghị định 351/2025/NĐ-CP"


@pytest.mark.parametrize("period", ["2022 - 2025", "2022-2025", "2021 – 2025"])
def test_workbook_period_overrides_the_plan_year(period):
    assert standard_for(2028, period).decree == "Nghị định 07/2021/NĐ-CP"


def test_unknown_period_has_no_standard():
    assert standard_for(2023, "2016 - 2020") is None


def test_thresholds_and_rules_are_those_of_the_decrees():
    old, new = standard_for(2023), standard_for(2028)
    assert old.income_threshold == {"rural": 1_500_000, "urban": 2_000_000}
    assert old.average_income_ceiling == {"rural": 2_250_000, "urban": 3_000_000}
    assert new.income_threshold == {"rural": 2_200_000, "urban": 2_800_000}
    assert new.average_income_ceiling is None
    assert old.poor_min_deprivations == new.poor_min_deprivations == 3


def test_decree_07_has_twelve_indicators_in_six_dimensions():
    old = standard_for(2023)
    assert [i.number for i in old.indicators] == list(range(1, 13))
    assert old.dimensions == ("Việc làm", "Y tế", "Giáo dục", "Nhà ở", "Nước sinh hoạt và vệ sinh", "Thông tin")
    assert old.indicator("health_insurance").name == "Bảo hiểm y tế"
    assert all(i.confirmed for i in old.indicators)


def test_every_indicator_of_decree_351_says_whether_it_is_confirmed():
    data = json.loads((FOLDER / "nd-351-2025.json").read_text(encoding="utf-8"))
    entries = [entry for dimension in data["dimensions"] for entry in dimension["indicators"]]
    assert entries and all(isinstance(entry["confirmed"], bool) for entry in entries)


def test_adding_a_decree_is_adding_a_file(tmp_path):
    for entry in FOLDER.iterdir():
        if entry.name.endswith(".json"):
            (tmp_path / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads((tmp_path / "nd-351-2025.json").read_text(encoding="utf-8"))
    data.update(
        decree="Nghị định 999/2030/NĐ-CP",
        period="2031 - 2035",
        period_aliases=[],
        plan_years={"first": 2031, "last": 2035},
    )
    (tmp_path / "nd-999-2030.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = load_standards(tmp_path)
    assert [s.period for s in loaded] == ["2022 - 2025", "2026 - 2030", "2031 - 2035"]


def test_overlapping_plan_years_are_refused(tmp_path):
    shutil.copy(FOLDER / "nd-07-2021.json", tmp_path / "a.json")
    data = json.loads((FOLDER / "nd-07-2021.json").read_text(encoding="utf-8"))
    data["plan_years"] = {"first": 2025, "last": 2027}
    (tmp_path / "b.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StandardFileError, match="chồng nhau"):
        load_standards(tmp_path)


def test_a_file_missing_a_field_is_refused(tmp_path):
    data = json.loads((FOLDER / "nd-07-2021.json").read_text(encoding="utf-8"))
    del data["income_threshold"]
    (tmp_path / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StandardFileError, match="bad.json"):
        load_standards(tmp_path)


def test_register_has_a_column_for_every_indicator_of_every_standard():
    from povertyplan.contract.schema import INDICATOR_PREFIX, REGISTER

    keys = {c.key for c in REGISTER.columns if c.key.startswith(INDICATOR_PREFIX)}
    assert keys == {INDICATOR_PREFIX + i.key for s in standards.all_standards() for i in s.indicators}
