from pathlib import Path

import pytest

from povertyplan.compose import prose
from povertyplan.compose.document import Paragraph, Run
from povertyplan.compose.templating import TemplateProblem, render_blocks


def test_markup_gives_headings_paragraphs_inline_bold_and_table_places():
    blocks = prose.parse("# I. MỤC TIÊU\n\n## 1. Chung\n\n**2. Cụ thể:** Năm 2023,\ngiảm 7 hộ.\n\n[[bảng chỉ tiêu]]\n")
    assert blocks == [
        Paragraph((Run("I. MỤC TIÊU", bold=True),), "heading1"),
        Paragraph((Run("1. Chung", bold=True),), "heading2"),
        Paragraph((Run("2. Cụ thể:", bold=True), Run(" Năm 2023, giảm 7 hộ.")), "body"),
        "bảng chỉ tiêu",
    ]


def test_escaped_markup_prints_as_written():
    assert prose.parse(r"\* Chỉ tiêu \*\*không đậm\*\* \[[x]]") == [
        Paragraph((Run("* Chỉ tiêu **không đậm** [[x]]"),), "body")
    ]


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "**đậm**", "# I. GIẢ", "[[bảng phân công]]", "a\\b", "dòng 1\ndòng 2"])
def test_workbook_text_is_data_never_markup_or_template_code(tmp_path: Path, value):
    template = tmp_path / "mau.j2"
    template.write_text(
        "{% block trich_yeu %}x{% endblock %}{% block noi_dung %}{{ value }}{% endblock %}", encoding="utf-8"
    )
    body = render_blocks({"value": value}, template)["noi_dung"]
    assert prose.parse(body) == [Paragraph((Run(value.replace("\n", " ")),), "body")]


def test_a_missing_template_variable_stops_the_run(tmp_path: Path):
    template = tmp_path / "mau.j2"
    template.write_text(
        "{% block trich_yeu %}{{ nam_cu }}{% endblock %}{% block noi_dung %}x{% endblock %}", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem, match="nam_cu"):
        render_blocks({}, template)


def test_a_template_syntax_error_names_the_line(tmp_path: Path):
    template = tmp_path / "mau.j2"
    template.write_text(
        "{% block trich_yeu %}x{% endblock %}\n{% block noi_dung %}\n{% if %}\n{% endblock %}", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem, match="dòng 3"):
        render_blocks({}, template)


def test_a_template_without_the_two_blocks_is_refused(tmp_path: Path):
    template = tmp_path / "mau.j2"
    template.write_text("chỉ có chữ", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="trich_yeu"):
        render_blocks({}, template)
