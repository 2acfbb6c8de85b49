"""Property: whatever lands in the cells, a run writes a valid plan or writes nothing and exits 1
with the project's own messages; never another exception, never a traceback."""
import contextlib
import datetime as dt
import io
import unicodedata

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from povertyplan import cli
from tests.builders import reference_sheets, write_workbook

# openpyxl (like Excel) cannot store these in a cell; Excel files carry them as _xHHHH_ escapes.
_UNSTORABLE = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}
odd_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(_UNSTORABLE)), max_size=40)
texts = st.one_of(
    odd_text,
    odd_text.map(lambda text: unicodedata.normalize("NFD", text)),
    st.sampled_from(["Khu phố 1", " khu  PHỐ 9 ", "Hộ nghèo", "cận nghèo", "Chủ tịch", "Phường", "2023", " 2.452 ", "1,5", "-3",
                     "#DIV/0!", "#N/A", "=SUM(A1:A3)", "=1/0", "{{ 7*7 }}", "**", "[[bảng chỉ tiêu]]", "Trƣờng", "_x0001_",
                     "Khu phố 9 + 4", "Lưu: VT", "\u202eabc", "😀" * 3, "", "   "]),
    st.text(min_size=300, max_size=2000, alphabet="Ǆ Ǉ ǈ ẞ ß İ ı ΐ ﬃ 𝔘 \u0301\u0323 aĐđ0.,/-"),
)
values = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)
SHEETS = list(reference_sheets())


@st.composite
def damaged_sheets(draw):
    """The reference sheets with 1–6 cells replaced (sometimes beyond the used range)."""
    sheets = reference_sheets()
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        rows = sheets[draw(st.sampled_from(SHEETS))]
        row = draw(st.integers(min_value=0, max_value=len(rows)))
        if row == len(rows):
            rows.append([])
        column = draw(st.integers(min_value=0, max_value=6))
        rows[row] += [None] * (column + 1 - len(rows[row]))
        rows[row][column] = draw(values)
    return sheets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets=damaged_sheets())
def test_any_cells_give_a_valid_plan_or_nothing_and_our_own_messages(tmp_path_factory, sheets):
    folder = tmp_path_factory.mktemp("run")
    workbook = write_workbook(folder / "so-lieu.xlsx", sheets)
    before = workbook.read_bytes()
    out = folder / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([str(workbook), "-o", str(out)])
    text = stdout.getvalue() + stderr.getvalue()
    assert "Traceback" not in text and "Lỗi chương trình" not in text, text
    assert workbook.read_bytes() == before
    written = sorted(out.iterdir()) if out.exists() else []
    if code == 0:
        plans = [path for path in written if path.suffix == ".docx"]
        assert len(plans) == 1 and "Đã ghi:" in text
        assert "KẾ HOẠCH" in "\n".join(paragraph.text for paragraph in docx.Document(str(plans[0])).paragraphs)
    else:
        assert code == 1, text
        assert written == [], written
        assert "  Lỗi: " in text, text
