"""The command line speaks Vietnamese only: its help and every message argparse itself would give in English."""

import argparse
import re

import pytest

from povertyplan import cli
from povertyplan.arguments import Parser
from povertyplan.errors import UsageError

# argparse's own vocabulary (Python 3.11 to 3.13): none of it may reach the user.
ENGLISH = {
    "usage",
    "options",
    "optional",
    "positional",
    "arguments",
    "argument",
    "show",
    "this",
    "help",
    "message",
    "and",
    "exit",
    "error",
    "expected",
    "one",
    "invalid",
    "value",
    "unrecognized",
    "required",
    "the",
    "following",
    "are",
    "ambiguous",
    "could",
    "match",
    "ignored",
    "explicit",
    "not",
    "allowed",
    "with",
    "choice",
    "choose",
    "from",
    "int",
    "float",
    "most",
    "least",
    "is",
    "of",
}


def english_words(text: str) -> set[str]:
    """argparse's English words in `text`, leaving out the option names (``--help``) and file names."""
    text = re.sub(r"(?<![\w-])--?[a-z][\w-]*(=\S*)?", " ", text)
    text = re.sub(r"[\w./-]*\.(xlsx|j2|docx|py)\b|\w+/", " ", text)
    return {word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH}


def test_the_help_is_all_vietnamese(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith("Cách dùng: python generate.py [-h]")
    assert "\nTham số:\n" in out and "\nTùy chọn:\n" in out and "-h, --help            in hướng dẫn này rồi dừng" in out
    assert english_words(out) == set()


def test_the_short_help_option_is_the_same_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["-h"])
    assert capsys.readouterr().out.startswith("Cách dùng: ")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--khong-co"], 'không hiểu "--khong-co"'),
        (["so.xlsx", "--bogus", "zz"], 'không hiểu "--bogus zz"'),
        (["-o"], "-o/--output-dir cần ghi THƯ_MỤC ngay sau"),
        (["--template"], "--template cần ghi TỆP_MẪU ngay sau"),
        (["--new-workbook"], "--new-workbook cần ghi TỆP_MỚI ngay sau"),
        (["--new-workbook", "so.xlsx", "--year", "hai nghìn"], '--year cần một số nguyên, không phải "hai nghìn"'),
        (["--new-workbook", "so.xlsx", "--year", "2026.5"], '--year cần một số nguyên, không phải "2026.5"'),
        (["--check=co", "so.xlsx"], '--check không đi kèm giá trị (bỏ "=co")'),
    ],
    ids=[
        "unknown-option",
        "unknown-after-workbook",
        "output-dir-without-folder",
        "template-without-file",
        "new-workbook-without-file",
        "year-in-words",
        "year-with-decimals",
        "flag-with-value",
    ],
)
def test_a_bad_command_line_is_explained_in_vietnamese_with_exit_code_2(argv, expected, capsys, tmp_path):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"Lệnh không hợp lệ: {expected}. Xem hướng dẫn: python generate.py --help\n"
    assert english_words(err) == set()
    assert list(tmp_path.iterdir()) == []


def parser_for_every_message() -> Parser:
    """A parser with what ours lacks: a required argument, choices, a group of exclusive options,
    options of several values, a float and options sharing a prefix."""
    parser = Parser(prog="python generate.py")
    parser.add_argument("so", metavar="SỔ")
    parser.add_argument("--mau", choices=["ngan", "dai"])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--in")
    group.add_argument("--xem", action="store_true")
    parser.add_argument("--cap", nargs=2, metavar="SỐ")
    parser.add_argument("--nhieu", nargs="+", metavar="TỆP")
    parser.add_argument("--mot", nargs="?")
    parser.add_argument("--ty-le", type=float)
    parser.add_argument("--ngay", type=lambda text: int(text[:2]))
    parser.add_argument("--mau-khac")
    return parser


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], "thiếu SỔ"),
        (["a", "--mau", "vua"], "--mau không nhận \"vua\"; chọn một trong: 'ngan', 'dai'"),
        (["a", "--in", "x", "--xem"], "--xem không dùng cùng --in"),
        (["a", "--cap", "1"], "--cap cần ghi đúng 2 giá trị ngay sau"),
        (["a", "--nhieu"], "--nhieu cần ghi ít nhất một TỆP ngay sau"),
        (["a", "--ty-le", "1,5"], '--ty-le cần một số, không phải "1,5"'),
        (["a", "--ngay", "x"], '--ngay không nhận giá trị "x"'),
        (["a", "--ma", "x"], '"--ma" có thể là --mau, --mau-khac; ghi đủ tên tùy chọn'),
    ],
    ids=["required", "choice", "exclusive", "count", "at-least-one", "float", "other-type", "ambiguous"],
)
def test_every_message_argparse_can_give_is_vietnamese(argv, expected):
    with pytest.raises(UsageError) as refused:
        parser_for_every_message().parse_args(argv)
    assert refused.value.message == f"Lệnh không hợp lệ: {expected}. Xem hướng dẫn: python generate.py --help"
    assert english_words(refused.value.message) == set()


def test_a_message_argparse_may_give_one_day_is_not_shown_in_english():
    with pytest.raises(UsageError) as refused:
        cli.build_parser().error("argument --year: something new went wrong")
    assert refused.value.message == "Lệnh không hợp lệ. Xem hướng dẫn: python generate.py --help"


def test_the_english_detector_sees_argparse_english():
    parser = argparse.ArgumentParser(prog="python generate.py")
    assert {"usage", "options", "show", "help", "exit"} <= {
        word.lower() for word in english_words(parser.format_help())
    }
