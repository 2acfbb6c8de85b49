"""The command line's parser: argparse with none of its own English.

argparse writes its help headings, its ``-h`` and its error messages in English; `Parser` gives
them in Vietnamese (texts in messages/cli.toml) and turns a bad command line into a UsageError.
"""

from __future__ import annotations

import argparse
import ast
import re

from povertyplan.errors import UsageError
from povertyplan.messages import say


class Formatter(argparse.HelpFormatter):
    """argparse's help with the Vietnamese ``Cách dùng:`` for its English ``usage:``."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, say("cli.argparse_usage") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with none of its own English: Vietnamese help headings, ``-h/--help`` and errors.

    argparse reports every bad command line through `error`, in English; it is translated there
    (`_vietnamese`), and a message this code does not know gives the general text rather than
    English. A bad command line raises UsageError (exit 2), printed by `main`.
    """

    def __init__(self, **settings) -> None:
        super().__init__(add_help=False, formatter_class=Formatter, **settings)
        self._positionals.title = say("cli.argparse_positionals")
        self._optionals.title = say("cli.argparse_options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=say("cli.argparse_help"))

    def error(self, message: str):
        detail = self._vietnamese(message)
        raise UsageError(say("cli.argparse_invalid", detail=detail) if detail else say("cli.argparse_invalid_unknown"))

    def _vietnamese(self, message: str) -> str | None:
        """argparse's English `message` in Vietnamese, or None for one it is not known to give."""
        about = re.fullmatch(r"argument (?P<name>.+?): (?P<problem>.+)", message, re.DOTALL)
        if about:
            problem = self._option_problem(about["problem"], about["name"])
            return problem and say("cli.argparse_option", option=about["name"], problem=problem)
        if found := re.fullmatch(r"unrecognized arguments: (?P<words>.+)", message, re.DOTALL):
            return say("cli.argparse_unrecognized", words=found["words"])
        if found := re.fullmatch(r"the following arguments are required: (?P<names>.+)", message):
            return say("cli.argparse_required", names=found["names"])
        if found := re.fullmatch(r"one of the arguments (?P<names>.+) is required", message):
            return say("cli.argparse_one_required", names=found["names"])
        if found := re.fullmatch(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", message):
            return say("cli.argparse_ambiguous", option=found["option"], matches=found["matches"])
        return None

    def _option_problem(self, problem: str, name: str) -> str | None:
        """What is wrong with the option (or positional) `name`, from argparse's English `problem`."""
        if problem == "expected one argument":
            return say("cli.argparse_expected_one", value=self._metavar(name))
        if problem == "expected at least one argument":
            return say("cli.argparse_expected_some", value=self._metavar(name))
        if problem == "expected at most one argument":
            return say("cli.argparse_expected_at_most_one")
        if found := re.fullmatch(r"expected (?P<count>\d+) arguments?", problem):
            return say("cli.argparse_expected_count", count=found["count"])
        if found := re.fullmatch(r"invalid (?P<kind>\S+) value: (?P<value>.+)", problem, re.DOTALL):
            value = _unquoted(found["value"])
            if found["kind"] == "int":
                return say("cli.argparse_not_whole_number", value=value)
            if found["kind"] == "float":
                return say("cli.argparse_not_number", value=value)
            return say("cli.argparse_bad_value", value=value)
        if found := re.fullmatch(r"ignored explicit argument (?P<value>.+)", problem, re.DOTALL):
            return say("cli.argparse_takes_no_value", value=_unquoted(found["value"]))
        if found := re.fullmatch(r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", problem, re.DOTALL):
            return say("cli.argparse_bad_choice", value=_unquoted(found["value"]), choices=found["choices"])
        if found := re.fullmatch(r"not allowed with argument (?P<other>.+)", problem):
            return say("cli.argparse_not_with", other=found["other"])
        return None

    def _metavar(self, name: str) -> str:
        """The placeholder the help shows for the value of the option argparse calls `name` (``-o/--output-dir``)."""
        for action in self._actions:
            if "/".join(action.option_strings) == name or action.metavar == name:
                return str(action.metavar or action.dest.upper())
        return name


def _unquoted(text: str) -> str:
    """A value as argparse quotes it (Python's repr, ``'abc'``) without the quotes."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text
