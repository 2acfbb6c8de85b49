"""User-facing Vietnamese sentences live
 in the catalogues (povertyplan/messages/*.toml), not in
code: a string literal longer than LONGEST_INLINE characters that holds a Vietnamese letter fails
this test, wherever it is in the package except the workbook contract (`contract/schema.py`: sheet,
column and item names and the blank workbook's guidance, which are data already). Docstrings and
comments do not count; an f-string counts as a whole, each of its placeholders as two characters.

Shorter Vietnamese literals stay in code on purpose: table headers and labels (``Hộ nghèo đầu
năm``), sheet names of the review list, the fixed words of the document's layout (``KẾ HOẠCH``,
``Nơi nhận:``) and vocabulary the reader matches (``tổng cộng``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from povertyplan import messages

PACKAGE = Path(messages.__file__).resolve().parents[1]
LONGEST_INLINE = 40
EXEMPT_FILES = {"contract/schema.py"}
# Literals allowed to stay in code despite the rule, as (file, text), each with the reason why it
# cannot be in a catalogue.
ALLOWED: set[tuple[str, str]] = {
    # A regular expression, not a text anyone reads: the words officials add after a signer's
    # title ("Chủ tịch UBND phường"), stripped before the title is matched.
    ("validate/info.py", r"\s+(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\b.*$"),
    # Spelling data, not texts: the vowel clusters a Vietnamese syllable may hold, against which the
    # old-encoding detector tells Vietnamese words from garbled ones.
    ("read/vietnamese.py", "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu ia ua ưa"),
    ("read/vietnamese.py", "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu"),
    # Regular expressions reading what officials type: the unit word before a commune's name, and
    # the dates a căn cứ cites.
    ("validate/info.py", r"(?:(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?{}\s+(?=\S)"),
    ("validate/stale.py", r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b"),
    ("validate/stale.py", r"\bngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b"),
}
VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
VIETNAMESE_LETTERS |= {letter.upper() for letter in VIETNAMESE_LETTERS}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings of the module, a class or a function."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _text(node: ast.AST) -> str | None:
    """The text of a string literal; an f-string's placeholders as ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def inline_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) of each literal in `source` longer than LONGEST_INLINE with a Vietnamese letter."""
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # its pieces are judged as part of the whole
            skipped.update(id(part) for part in node.values)
    found = []
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or id(node) in skipped:
            continue
        if len(text) > LONGEST_INLINE and not VIETNAMESE_LETTERS.isdisjoint(text):
            found.append((node.lineno, text))
    return found


def test_no_vietnamese_sentence_is_written_in_the_code():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where in EXEMPT_FILES:
            continue
        for line, text in inline_texts(path.read_text(encoding="utf-8")):
            if (where, text) not in ALLOWED:
                found.append(f"{where}:{line}: {text[:80]!r}")
    assert found == [], "move these texts to a catalogue in povertyplan/messages/:\n" + "\n".join(found)


def test_the_check_sees_a_sentence_inside_an_f_string_but_not_a_docstring_or_a_short_label():
    source = '''
def f(name):
    """Một câu rất dài trong chuỗi mô tả của hàm, không phải là thông báo cho người dùng."""
    header = ("Hộ nghèo đầu năm", "Chỉ tiêu giảm hộ nghèo")
    return f'Tệp "{name}" bị hỏng, không đọc được. Mở bằng Excel và lưu lại.'
'''
    assert inline_texts(source) == [(5, 'Tệp "{}" bị hỏng, không đọc được. Mở bằng Excel và lưu lại.')]


def test_an_english_literal_of_any_length_is_no_concern_of_the_check():
    assert inline_texts('NOTE = "' + "a long English explanation for developers " * 3 + '"') == []


def test_every_literal_allowed_inline_is_still_in_its_file():
    for where, text in ALLOWED:
        in_file = [found for _, found in inline_texts((PACKAGE / where).read_text(encoding="utf-8"))]
        assert text in in_file, (where, text)
