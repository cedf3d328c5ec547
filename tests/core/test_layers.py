"""The apps' layers (docs/architecture.md) are checked by import-linter's contracts in
pyproject.toml. These tests run `lint-imports` itself: on the project as it is, and on a copy
where a lower layer imports a higher one, which it must refuse."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every package the contracts know, as pyproject.toml lists them: a new app is copied too.
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        # The copy's packages, not the installed project's, are the ones to analyse.
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def project_copy(tmp_path):
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "static")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_contract_is_kept():
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_copy_of_the_project_keeps_the_contracts_too(project_copy):
    # The copy is what the next test breaks: it must pass before it is broken.
    result = _lint_imports(project_copy)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_register_module_that_imports_passports_breaks_the_layers(project_copy):
    models = project_copy / "register" / "models.py"
    models.write_text(models.read_text() + "\nimport passports  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "Each app imports only the layers below it BROKEN" in result.stdout
    assert "register.models -> passports" in result.stdout


def test_consultations_may_not_import_employers(project_copy):
    models = project_copy / "consultations" / "models.py"
    models.write_text(models.read_text() + "\nimport employers.models  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "Consultations stand on accounts and the register alone BROKEN" in result.stdout


def test_no_app_may_import_the_api(project_copy):
    views = project_copy / "employers" / "views.py"
    views.write_text(views.read_text() + "\nfrom api import errors  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "No app imports the API BROKEN" in result.stdout
