"""CI, Binder, pre-commit and jupytext pairs: the files say what the README promises (fast, offline)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import lint_checks
import pytest
import yaml

from ioa_utils.paths import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "test.yml"
NOTEBOOKS = PROJECT_ROOT / "notebooks"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps() -> list[dict]:
    return _workflow()["jobs"]["test"]["steps"]


def _step(uses: str) -> dict:
    return next(s for s in _steps() if s.get("uses", "").startswith(uses + "@"))


def test_workflow_runs_make_test_on_push_pull_request_and_monthly():
    wf = _workflow()
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert {"push", "pull_request", "schedule"} <= set(on)
    (cron,) = [s["cron"] for s in on["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert minute.isdigit() and hour.isdigit() and 1 <= int(day) <= 28 and (month, weekday) == ("*", "*"), cron
    runs = [s.get("run") for s in _steps()]
    assert "make test" in runs and "make report" in runs


def test_workflow_caches_pip_on_python_311():
    setup = _step("actions/setup-python")["with"]
    assert setup["python-version"] == "3.11" and setup["cache"] == "pip"
    assert "requirements/" in setup["cache-dependency-path"]
    assert _step("actions/checkout")["with"]["fetch-depth"] == 0  # history for tests/test_notebook_prose.py


def test_workflow_uploads_reports_after_make_report_even_when_tests_fail():
    steps = _steps()
    upload = _step("actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "reports"
    assert "!cancelled()" in upload.get("if", "") or "always()" in upload.get("if", "")
    order = [s.get("run") or s.get("uses", "").split("@")[0] for s in steps]
    assert order.index("make test") < order.index("make report") < order.index("actions/upload-artifact")
    report = next(s for s in steps if s.get("run") == "make report")
    assert "!cancelled()" in report.get("if", "")


def test_actionlint_passes_on_the_workflow_and_fails_on_a_broken_copy(tmp_path):
    cmd = lint_checks.actionlint_command([WORKFLOW])
    assert Path(cmd[0]).exists(), f"{cmd[0]} missing: `make install-lint` installs it (requirements/lint.txt)"
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "test.yml"
    broken.write_text(WORKFLOW.read_text().replace("python-version:", "python-versio:"))
    assert subprocess.run([*cmd[:-1], str(broken)], capture_output=True).returncode != 0


def test_workflow_check_fails_without_actionlint(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))  # an environment without actionlint
    errors = lint_checks.check_workflows()
    assert errors and "make install-lint" in errors[0]


# --- Binder ---------------------------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return dict(line.split("==") for line in lines if line)


def test_binder_uses_the_top_level_environment_yml_and_a_postbuild():
    for folder in ("binder", ".binder"):  # repo2docker would then ignore the top-level files
        assert not (PROJECT_ROOT / folder).exists(), folder
    assert not (PROJECT_ROOT / "Dockerfile").exists()
    assert (PROJECT_ROOT / "environment.yml").is_file()  # the file tests/test_environment.py checks
    post = PROJECT_ROOT / "postBuild"
    assert os.access(post, os.X_OK) and post.read_text().startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in post.read_text()


def test_binder_postbuild_installs_the_nodeps_pins_without_dependencies():
    commands = [shlex.split(line, comments=True) for line in (PROJECT_ROOT / "postBuild").read_text().splitlines()]
    commands = [c for c in commands if c]
    pip = [c for c in commands if c[:4] == ["python", "-m", "pip", "install"]]
    installed: dict[str, str] = {}
    for cmd in pip:
        assert "--no-deps" in cmd, f"{shlex.join(cmd)}: without --no-deps, bertopic's dependencies pull torch"
        for i, arg in enumerate(cmd):
            if arg == "-r":
                installed.update(_pins(PROJECT_ROOT / cmd[i + 1]))
        installed.update(dict(a.split("==") for a in cmd[4:] if "==" in a))
    assert installed == _pins(PROJECT_ROOT / "requirements" / "nodeps.txt")
    editable = next(i for i, c in enumerate(commands) if c[-2:] == ["-e", "."])
    pin = commands.index(["python", "-m", "ioa_utils.cpu_pin", "install"])
    assert editable < pin  # as in `make install`: the package, then the .pth that pins CPU code paths


def test_readme_has_the_binder_badge_and_the_contributing_section():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert re.search(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\(https://mybinder\.org/v2/gh/", readme)
    contributing = readme.index("## Contributing: editing notebooks, lint, CI, Binder")
    assert contributing < readme.index("## Optional: transformer embeddings")
    assert "make sync" in readme[contributing:]


# --- pre-commit = make lint -----------------------------------------------------------------------------


def _lint_recipe() -> list[str]:
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    recipe = makefile.split("\nlint: install-lint\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip().replace("$(PY)", ".venv/bin/python") for line in recipe.splitlines()]


def test_pre_commit_hooks_run_exactly_the_commands_of_make_lint():
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"]  # nothing fetched from the network
    hooks = config["repos"][0]["hooks"]
    for hook in hooks:
        assert hook["language"] == "system" and hook["pass_filenames"] is False, hook["id"]
    entries = [shlex.join(shlex.split(h["entry"]) + h.get("args", [])) for h in hooks]
    assert entries == _lint_recipe()
    assert "ruff check ." in entries[0] and entries[1:] == [
        ".venv/bin/python tests/lint_checks.py notebooks", ".venv/bin/python tests/lint_checks.py workflows"]


def test_pre_commit_config_is_valid_for_the_pinned_pre_commit():
    run = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# --- notebooks: metadata hygiene and jupytext pairs ------------------------------------------------------


def test_committed_notebooks_are_clean_and_in_sync_with_their_scripts():
    assert len(lint_checks.notebook_paths(NOTEBOOKS)) == 10  # 01-09 and the per-release case study
    assert lint_checks.check_notebooks(NOTEBOOKS) == []


@pytest.fixture()
def pair(tmp_path) -> tuple[Path, Path]:
    for suffix in (".ipynb", ".py"):
        shutil.copy(NOTEBOOKS / f"01_load{suffix}", tmp_path)
    assert lint_checks.check_notebooks(tmp_path) == []
    return tmp_path / "01_load.ipynb", tmp_path / "01_load.py"


def test_an_edited_script_is_out_of_sync(pair):
    nb, py = pair
    py.write_text(py.read_text().replace('work_dir = "data"', 'work_dir = "elsewhere"'))
    (error,) = lint_checks.check_notebooks(nb.parent)
    assert "01_load.py: out of sync" in error and "make sync" in error


def test_an_edited_notebook_or_a_lost_tag_is_out_of_sync(pair):
    nb, py = pair
    text = py.read_text()
    py.write_text(text.replace('# %% tags=["parameters"]', "# %% tags=[]"))
    assert any("out of sync" in e for e in lint_checks.check_notebooks(nb.parent))
    py.write_text(text)
    data = json.loads(nb.read_text())
    data["cells"].append({**data["cells"][-1], "id": "new-cell"})
    nb.write_text(json.dumps(data))
    assert any("out of sync" in e for e in lint_checks.check_notebooks(nb.parent))


def test_a_missing_or_orphan_script_is_reported(pair):
    nb, py = pair
    shutil.copy(py, nb.parent / "02_gone.py")
    py.unlink()
    errors = lint_checks.check_notebooks(nb.parent)
    assert any("01_load.py: missing" in e for e in errors) and any("02_gone.py: a script without" in e for e in errors)


@pytest.mark.parametrize("damage", [
    lambda nb: nb["cells"][2]["metadata"].update(ExecuteTime={"end_time": "2026-01-01"}),
    lambda nb: nb["cells"][2]["metadata"].update(scrolled=True),
    lambda nb: nb["metadata"]["kernelspec"].update(name="ioa-venv", display_name="ioa"),
    lambda nb: nb["metadata"].update(widgets={"application/vnd.jupyter.widget-state+json": {}}),
    lambda nb: nb["metadata"]["papermill"]["parameters"].update(seed=7),
    lambda nb: nb["cells"][2]["metadata"].update(tags=["injected-parameters"]),
    lambda nb: nb["cells"][1]["metadata"].update(tags=[]),
    lambda nb: nb["cells"][2].pop("id"),
])
def test_metadata_hygiene_rejects(pair, damage):
    nb, _ = pair
    data = json.loads(nb.read_text())
    damage(data)
    nb.write_text(json.dumps(data))
    assert lint_checks.hygiene(nb)
