"""One number style in the plan: counts from 1,000 on are grouped with dots, in the tables and in the
text alike (``2.452``), rates have a decimal comma, and years stay as they are written."""

import re
from pathlib import Path

from povertyplan.compose import prose
from povertyplan.compose.document import Paragraph, Table
from povertyplan.compose.plan import template_context
from povertyplan.compose.templating import render_blocks
from povertyplan.aggregate.assessment import assess
from povertyplan.aggregate.figures import compute_figures
from povertyplan.contract.vnformat import Count
from povertyplan.validate.workbook import read_workbook
from tests.builders import plan_of, reference_sheets, set_info, write_workbook


def large_ward(folder: Path) -> Path:
    """The reference ward grown to thousands of households, poor and near-poor (no register)."""
    sheets = reference_sheets()
    del sheets["Hộ gia đình"]
    units = sheets["Chỉ tiêu"]
    units[0] += ["Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo"]
    for row in units[1:]:
        row[2], row[3], row[4] = row[2] * 17, row[3] * 40, row[4] * 30
        row += [row[3] * 2, row[4] * 2]
    set_info(sheets, "Chỉ tiêu giảm hộ nghèo được giao", 1234)
    return write_workbook(folder / "lon.xlsx", sheets)


def plan_text(plan) -> tuple[str, list[tuple[str, ...]]]:
    paragraphs = " ".join(run.text for block in plan.body if isinstance(block, Paragraph) for run in block.runs)
    targets = next(block for block in plan.body if isinstance(block, Table) and block.name == "targets")
    return paragraphs, [*targets.rows, targets.total]


def test_every_count_of_the_target_table_is_grouped_from_a_thousand_on(tmp_path):
    _, rows = plan_text(plan_of(read_workbook(large_ward(tmp_path))))
    counts = [cell for row in rows for index, cell in enumerate(row) if index >= 2 and index not in (4, 7)]
    assert [row[2] for row in rows[:3]] == ["4.029", "3.349", "3.519"] and rows[-1][2] == "41.684"
    assert rows[-1][3] == "1.160" and rows[-1][8:] == ("2.320", "480", "1.840")
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*", cell) for cell in counts)


def test_the_text_prints_counts_as_the_table_does_and_years_as_written(tmp_path):
    text, _ = plan_text(plan_of(read_workbook(large_ward(tmp_path))))
    assert "giảm từ 1.234 hộ nghèo trở lên, tương ứng giảm 2,96%" in text
    assert "toàn phường có 1.160 hộ nghèo, chiếm 2,78% tổng số hộ" in text
    assert "đầu năm có 2.320 hộ cận nghèo" in text and "dự kiến cuối năm còn 1.840 hộ" in text
    assert "năm 2023" in text and "2.023" not in text
    assert not re.search(r"(?<![\d/.,-])\d{4,}(?![\d/])", text.replace("2023", "").replace("2022 - 2025", ""))


def test_every_count_the_template_receives_prints_grouped(tmp_path):
    workbook = read_workbook(large_ward(tmp_path))
    context = template_context(workbook, compute_figures(workbook), assess(workbook))
    target, near = context["target"], context["near_poor"]
    assert {key: str(value) for key, value in target.items()} == {
        "assigned": "1.234",
        "assigned_rate": "2,96",
        "units_total": "240",
        "households": "41.684",
        "poor_start": "1.160",
        "rate_start": "2,78",
        "poor_end": "920",
        "rate_end": "2,21",
    }
    assert (str(near["start"]), str(near["end"])) == ("2.320", "1.840")
    assert str(context["units"][0]["households"]) == "4.029" and str(context["year"]) == "2023"


def test_a_template_compares_and_adds_counts_and_prints_the_sum_grouped(tmp_path):
    template = tmp_path / "mau.j2"
    template.write_text(
        "{% block trich_yeu %}x{% endblock %}{% block noi_dung %}"
        "{% if none %}có{% else %}không{% endif %} {{ a + b }} {{ [a, b] | sum }} {{ a > 999 }}"
        "{% endblock %}",
        encoding="utf-8",
    )
    body = render_blocks({"none": Count(0), "a": Count(1200), "b": Count(52)}, template)["noi_dung"]
    assert prose.plain(body) == "không 1.252 1.252 True"
