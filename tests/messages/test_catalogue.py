"""The message catalogues and the code agree: every key used exists, every key exists to be used,
and every call fills exactly the placeholders of its text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from povertyplan import messages

PACKAGE = Path(messages.__file__).resolve().parents[1]


def say_calls() -> list[tuple[str, int, ast.Call]]:
    """Every call of `say` in the package: (file, line, call)."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "say":
                calls.append((str(path.relative_to(PACKAGE)), node.lineno, node))
    return calls


def test_every_call_names_a_key_as_a_literal_that_the_catalogues_hold():
    for where, line, call in say_calls():
        assert call.args and isinstance(call.args[0], ast.Constant), f"{where}:{line}: the key must be a literal"
        key = call.args[0].value
        assert key in messages.keys(), f"{where}:{line}: no text for {key!r}"


def test_every_call_fills_exactly_the_placeholders_of_its_text():
    for where, line, call in say_calls():
        given = {keyword.arg for keyword in call.keywords}
        assert None not in given, f"{where}:{line}: placeholders are passed by name"
        assert given == messages.placeholders(call.args[0].value), f"{where}:{line}: {call.args[0].value}"


def test_every_key_of_the_catalogues_is_used():
    used = {call.args[0].value for _, _, call in say_calls() if call.args and isinstance(call.args[0], ast.Constant)}
    assert sorted(set(messages.keys()) - used) == []


def test_a_key_the_catalogues_lack_is_refused():
    with pytest.raises(messages.UnknownMessage):
        messages.say("write.no_such_text")


def test_a_text_is_filled_by_name():
    assert (
        messages.say("write.folder_missing", folder="ke-hoach")
        == 'Thư mục "ke-hoach" không tồn tại. Tạo thư mục hoặc chọn thư mục khác.'
    )
