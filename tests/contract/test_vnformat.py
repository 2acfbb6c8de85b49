import datetime as dt

import pytest

from povertyplan.contract.vnformat import (
    Count,
    format_count,
    format_document_number,
    format_place_date,
    format_rate,
    rate_hundredths,
    slug,
)


@pytest.mark.parametrize(
    "count, households, expected",
    [
        (3, 207, "1,45"),  # 1,4492… → 1,45; the hand-typed plan cut it to 1,44
        (21, 2452, "0,86"),  # 0,8564… → 0,86 (typed 0,85)
        (7, 2452, "0,29"),  # 0,2854… → 0,29 (typed 0,28)
        (2, 283, "0,71"),
        (1, 283, "0,35"),
        (1, 8, "12,50"),  # exactly half: up
        (1, 400, "0,25"),
        (1, 800, "0,13"),  # 0,125 exactly: half up, not half even
        (0, 237, "0,00"),
        (62, 62, "100,00"),
    ],
    ids=lambda v: str(v),
)
def test_rate_rounds_half_up_to_two_decimals_with_decimal_comma(count, households, expected):
    assert format_rate(count, households) == expected


def test_rate_is_exact_where_floats_would_round_wrongly():
    # 1.005 is 1.00499999… as a float; the rule is on the exact value 100 × 201 ÷ 20000.
    assert rate_hundredths(201, 20000) == 101


def test_rate_refuses_zero_households():
    with pytest.raises(ValueError):
        rate_hundredths(1, 0)


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (2452, "2.452"),
        (4171, "4.171"),
        (37705, "37.705"),
        (1234567, "1.234.567"),
        (-1500, "-1.500"),
    ],
)
def test_counts_from_a_thousand_on_are_dot_grouped(count, expected):
    assert format_count(count) == expected


def test_a_count_prints_grouped_and_still_counts():
    poor, near_poor, none = Count(2452), Count(1200), Count(0)
    assert (str(poor), f"{poor}", f"{poor:d}", "{}".format(poor)) == ("2.452", "2.452", "2452", "2.452")
    assert poor == 2452 and poor > 1000 and not none and bool(poor)
    assert (
        str(poor + near_poor) == "3.652" and str(poor - near_poor) == "1.252" and str(sum([poor, near_poor])) == "3.652"
    )
    assert str(-poor) == "-2.452" and str(abs(-poor)) == "2.452"
    assert type(poor + 0.5) is float and type(poor * 2) is int and type(poor + True) is int


@pytest.mark.parametrize(
    "number, expected", [(5, "Số: 05/KH-UBND"), (9, "Số: 09/KH-UBND"), (10, "Số: 10/KH-UBND"), (482, "Số: 482/KH-UBND")]
)
def test_document_number_takes_a_leading_zero_below_ten(number, expected):
    assert format_document_number(number) == expected


def test_unknown_document_number_leaves_space_for_the_clerk():
    line = format_document_number(None)
    assert line.startswith("Số:") and line.endswith("/KH-UBND")
    assert len(line) > len("Số: /KH-UBND") + 3


@pytest.mark.parametrize(
    "date, expected",
    [
        (dt.date(2023, 2, 5), "Bắc Sơn, ngày 05 tháng 02 năm 2023"),
        (dt.date(2023, 1, 31), "Bắc Sơn, ngày 31 tháng 01 năm 2023"),
        (dt.date(2023, 3, 5), "Bắc Sơn, ngày 05 tháng 3 năm 2023"),
        (dt.date(2023, 12, 10), "Bắc Sơn, ngày 10 tháng 12 năm 2023"),
    ],
    ids=["month-2-padded", "month-1-padded", "month-3-not-padded", "two-digit-day"],
)
def test_place_and_date_follow_the_zero_rules_of_decree_30(date, expected):
    assert format_place_date("Bắc Sơn", date, 2023) == expected


def test_unknown_date_leaves_day_and_month_blank_with_the_plan_year():
    line = format_place_date("Bắc Sơn", None, 2024)
    assert line.startswith("Bắc Sơn, ngày") and line.endswith("năm 2024")
    assert "tháng" in line and not any(ch.isdigit() for ch in line[: -len("2024")])


def test_slug_strips_vietnamese_marks_including_d_stroke():
    assert slug("Phường Bắc Sơn") == "phuong-bac-son"
    assert slug("Xã Đồng Tâm") == "xa-dong-tam"
