"""The conda and pip installs pin the same versions, and the default install stays torch-free."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from ioa_utils.paths import PROJECT_ROOT

REQ = PROJECT_ROOT / "requirements"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def _conda_pip_pins() -> dict[str, str]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    out = {}
    for spec in pip:
        name, version = spec.split("==")
        out[re.sub(r"[-_.]+", "-", name).lower()] = version
    return out


def test_environment_yml_pins_what_pip_installs():
    assert _conda_pip_pins() == {**_pins(REQ / "lock.txt"), **_pins(REQ / "compare.txt"), **_pins(REQ / "lint.txt"),
                                 **_pins(REQ / "lab.txt"), **_pins(REQ / "bench.txt")}


def test_environment_yml_names_python_311():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


def test_every_pin_is_exact_and_listed_once():
    seen: dict[str, str] = {}
    for f in ("lock.txt", "compare.txt", "nodeps.txt", "lint.txt", "lab.txt", "bench.txt"):
        for name in _pins(REQ / f):
            assert name not in seen, f"{name} pinned in both {seen[name]} and {f}"
            seen[name] = f


def test_bertopic_is_installed_without_its_torch_dependencies():
    nodeps = _pins(REQ / "nodeps.txt")
    assert nodeps == {"bertopic": "0.17.4"}
    env_text = (PROJECT_ROOT / "environment.yml").read_text()
    assert "requirements/nodeps.txt" in env_text  # conda users are told how bertopic gets in
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "--no-deps -r requirements/nodeps.txt" in makefile
    for heavy in ("torch", "sentence-transformers", "transformers", "nvidia-cublas-cu12"):
        assert heavy not in {**_pins(REQ / "lock.txt"), **_pins(REQ / "compare.txt")}


def test_project_dependencies_are_all_pinned():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lock = _pins(REQ / "lock.txt")
    for dep in project["dependencies"]:
        assert re.sub(r"[-_.]+", "-", dep).lower() in lock, f"{dep} is not pinned in requirements/lock.txt"
