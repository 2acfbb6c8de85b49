"""The package installs as pyproject.toml says: the same pins as requirements.txt, its data files
shipped, a console script running the CLI; and the code stays ruff-clean."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_pyproject_pins_exactly_the_requirements():
    project = PYPROJECT["project"]
    pinned = project["dependencies"] + project["optional-dependencies"]["test"]
    assert sorted(pinned) == sorted(requirement_lines())


def test_every_data_file_of_the_package_is_declared_as_package_data():
    declared = PYPROJECT["tool"]["setuptools"]["package-data"]
    data = [
        path
        for path in (ROOT / "povertyplan").rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    for path in data:
        assert any(
            path.is_relative_to(ROOT.joinpath(*package.split(".")))
            and path.relative_to(ROOT.joinpath(*package.split("."))).match(pattern)
            for package, patterns in declared.items()
            for pattern in patterns
        ), path


def test_every_package_folder_is_listed():
    folders = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "povertyplan").rglob("__init__.py")}
    assert sorted(folders | {"povertyplan.templates"}) == sorted(PYPROJECT["tool"]["setuptools"]["packages"])


def test_the_console_script_runs_the_cli_s_main():
    assert PYPROJECT["project"]["scripts"]["povertyplan"] == "povertyplan.cli:main"


def test_the_code_is_ruff_clean():
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:]


def test_the_code_is_ruff_formatted():
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:]
