"""The README cannot drift from the code: commands, workbook contract and template variables."""

import re

from povertyplan import api
from povertyplan.compose.plan import template_context
from povertyplan.contract.schema import INFO_ITEMS, SHEETS

from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = ".venv/bin/python -m pytest -q"
    assert f"```bash\n{command}\n```" in README
    assert ci.strip().splitlines()[-1] == command


def test_readme_setup_command_runs_generate_py():
    assert re.search(
        r"```bash\npython3 -m venv \.venv && .*-r requirements\.txt && \.venv/bin/python generate\.py\n```", README
    )


def test_readme_names_every_sheet_column_and_label_of_the_schema():
    for spec in SHEETS:
        assert f"`{spec.name}`" in README, spec.name
        for column in spec.columns:
            assert f"`{column.name}`" in README, column.name
    for item in INFO_ITEMS:
        assert f"`{item.label}`" in README, item.label


def test_readme_documents_every_template_variable():
    result = api.check(ROOT / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx")
    context = template_context(result.workbook, result.figures, result.assessment)
    for name, value in context.items():
        assert f"`{name}" in README, name
        if isinstance(value, dict):
            for key in value:
                assert f"`{name}.{key}`" in README, f"{name}.{key}"
