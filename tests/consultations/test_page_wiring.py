"""The page models get their admin forms and the views of their own routes from
`ConsultationsConfig.ready()`, never by importing them (import-linter's contract)."""

import subprocess
import sys
from pathlib import Path

from consultations import page_routes, views
from consultations.admin_forms import PolicyVersionForm, PositionForm
from consultations.models import PolicyVersionPage, PositionPage

ROOT = Path(__file__).resolve().parents[2]


def test_page_models_edit_through_their_forms():
    assert PolicyVersionPage.base_form_class is PolicyVersionForm
    assert PositionPage.base_form_class is PositionForm
    assert issubclass(PositionPage.get_edit_handler().get_form_class(), PositionForm)


def test_page_routes_answer_through_the_views():
    assert page_routes._views == {
        "policy.compare": views.compare_versions,
        "round.submit": views.submit_to_round,
        "round.edit_submission": views.edit_submission,
        "round.withdraw_submission": views.withdraw_submission,
    }


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [lint_imports, "--no-cache"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
