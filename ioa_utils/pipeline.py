"""Rebuild the report: run the numbered notebooks in order with papermill, and one case study per release.

    python -m ioa_utils.pipeline [--config params.yml] [-p raw_dir /path/to/releases] [--only 01 02]

One case study per release found (:func:`plan`): a release whose campaign file (``casestudy.campaign``) names a
flagship chapter (``05_case_china`` ...) runs that chapter, with ``release`` set; every other release runs the
generic ``case_study.ipynb`` into ``case_<release>.ipynb``, with ``release`` and ``campaign`` set. A release's
campaign: ``campaigns`` (release -> campaign file or name) when it names the release; else the bundled campaign
whose ``releases`` pattern matches it; else the ``campaign`` parameter (a file a student wrote, used when its own
pattern is empty or matches); else none (the generic detectors only). The case studies run where the chapters are
in number order, before the notebooks that follow them.

Parameters come from ``--config`` (YAML mapping) and ``-p NAME VALUE`` pairs (values parsed as YAML);
each notebook receives the ones its ``parameters`` cell declares (and ``figures_dir``, unless given, is
``<out>/figures`` when the output folder is not ``reports/``). Executed notebooks and their HTML go to
``reports/`` (or ``--out``), with ``index.html`` linking them and ``manifest.json`` recording parameters, input
checksums, package versions, the CPU pins in force, git commit and per-notebook wall time; then the interactive
pages (``interactive/``, see ``ioa_utils.interactive``). A line is printed as each notebook starts and ends, and
one per step of the long stages the notebooks compute (load, clean, topics, coordination, case studies; see
``ioa_utils.progress``), relayed from the kernel through a file named in an environment variable.
On failure the run stops, names the notebook and cell, and keeps the partial executed notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from . import cpu, fonts
from . import progress as stage_progress
from .paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, display
from .report import write_index
from .workspace import Workspace

CASE_STUDY = "case_study.ipynb"  # the generic case study (not numbered: run once per release, by plan())
PACKAGES = ("bertopic", "hdbscan", "jieba", "matplotlib", "networkx", "numpy", "pandas", "papermill", "pyarrow",
            "scikit-learn", "scipy", "seaborn", "umap-learn")


def notebooks(folder: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) in order, optionally only those whose number or
    name is in ``only``."""
    found = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if only:
        found = [p for p in found if p.stem[:2] in only or p.stem in only]
    return found


@dataclass(frozen=True)
class Run:
    """One notebook execution of the report: the notebook, its output file name, the parameters forced for it
    (a case study's ``release`` and ``campaign``) and the release it studies (None: every release)."""

    notebook: Path
    target: str
    forced: dict = field(default_factory=dict)
    release: str | None = None


def chapters() -> dict[str, str]:
    """Flagship chapter stem -> the bundled campaign that names it (``05_case_china`` -> ``china``)."""
    from .casestudy import campaign

    return {c.chapter: c.name for c in campaign.bundled() if c.chapter}


def run_releases(params: dict) -> list[str]:
    """The releases the run reads. A synthetic archive that notebook 01 has yet to generate: the generator's
    releases, the ones 01 generates and ``discover`` then finds (generating them here would hold every notebook,
    09 included, for the generation's seconds)."""
    from . import stages
    from .discover import discover

    ws = Workspace.from_params(params)
    wanted = params.get("releases")
    if stages.is_synthetic(ws.raw_dir) and not stages.synthetic_is_fresh(ws.raw_dir, ws.seed, ws.scale):
        from .synthetic.releases import RELEASES

        missing = sorted(set(wanted or ()) - set(RELEASES))
        if missing:
            raise KeyError(f"release(s) {missing} are not synthetic releases; synthetic: {sorted(RELEASES)}")
        return sorted(r for r in RELEASES if wanted is None or r in wanted)
    return [r.release for r in discover(ws.raw_dir, wanted).releases]


def campaign_param(release: str, params: dict):
    """The campaign of ``release`` (a ``casestudy.campaign.Campaign``, or None), as the module docstring says."""
    from .casestudy import campaign

    mapped = (params.get("campaigns") or {}).get(release)
    if mapped is not None:
        return campaign.load(_from_root(mapped))
    own = campaign.for_release(release)
    if own is not None:
        return own
    given = params.get("campaign")
    return campaign.for_release(release, _from_root(given)) if given else None


def _from_root(value):
    """A campaign given as a path relative to where the run started, made absolute (the notebooks run in
    ``notebooks/``); a bundled campaign's name is kept."""
    from .casestudy import campaign

    if not isinstance(value, str) or value in {n for c in campaign.bundled() for n in (c.name, Path(c.path).stem)}:
        return value
    return str(Path(value).expanduser().resolve())


def plan(books: list[Path], params: dict, folder: Path = NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Run]:
    """The report's runs in order: the numbered notebooks, where the flagship chapters are each run for the
    releases of its campaign (none: not run), followed by the generic case study of every other release (when
    ``case_study.ipynb`` is in ``folder`` and ``only`` does not leave it out)."""
    flagship = chapters()
    generic = folder / CASE_STUDY
    use_generic = generic.exists() and (not only or Path(CASE_STUDY).stem in only)
    if not use_generic and not any(nb.stem in flagship for nb in books):
        return [Run(nb, nb.name) for nb in books]
    releases = run_releases(params)
    camps = {r: campaign_param(r, params) for r in releases}
    zones = params.get("timezones") or {}
    present = {nb.stem for nb in books}
    chapter_of = {r: c.chapter for r, c in camps.items()
                  if c is not None and c.chapter in present and _bundled(c) is not None}
    out: list[Run] = []
    done = False
    for i, nb in enumerate(books):
        if nb.stem not in flagship:
            out.append(Run(nb, nb.name))
            continue
        mine = [r for r in releases if chapter_of.get(r) == nb.stem]
        for r in mine:
            out.append(Run(nb, nb.name if len(mine) == 1 else f"{nb.stem}_{r}.ipynb", _zone({"release": r}, zones), r))
        last = not any(b.stem in flagship for b in books[i + 1:])
        if last and use_generic:
            out += _generic(generic, releases, chapter_of, camps, zones)
            done = True
    if use_generic and not done:
        out += _generic(generic, releases, chapter_of, camps, zones)
    return out


def _zone(forced: dict, zones: dict) -> dict:
    """A case study's parameters plus ``timezone`` when the run's ``timezones`` names its release."""
    zone = zones.get(forced["release"])
    return forced if zone is None else {**forced, "timezone": zone}


def _bundled(c):
    """The bundled campaign ``c`` is (None: a user's file)."""
    from .casestudy import campaign

    return next((b for b in campaign.bundled() if b.path == c.path), None)


def _generic(nb: Path, releases: list[str], chapter_of: dict, camps: dict, zones: dict) -> list[Run]:
    """The generic case study of every release without a chapter, with its campaign (a bundled one by name, a
    user's file by absolute path, or None)."""
    out = []
    for r in releases:
        if r in chapter_of:
            continue
        c = camps[r]
        name = None if c is None else (c.name if _bundled(c) is not None else c.path)
        out.append(Run(nb, f"case_{r}.ipynb", _zone({"release": r, "campaign": name}, zones), r))
    return out


def declared_parameters(nb: Path) -> dict:
    import papermill

    return papermill.inspect_notebook(str(nb))


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return sha + ("+uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def notebook_parameters(params: dict, declared: dict, out_dir: Path) -> dict:
    """The run's parameters a notebook declares; a notebook that saves figures saves them inside the run's
    output folder (its own default, ``reports/figures``, only applies when that folder is ``reports/``)."""
    given = {k: v for k, v in params.items() if k in declared}
    if "figures_dir" in declared and "figures_dir" not in params and out_dir.resolve() != REPORTS_DIR.resolve():
        given["figures_dir"] = display(out_dir / "figures")
    return given


def input_checksums(params: dict) -> dict[str, dict[str, str]]:
    """SHA-256 of every raw file of every release the run used (from the load stage's stamps), keyed by
    the file's path relative to ``raw_dir`` (same-named files in two subfolders are listed apart)."""
    from .discover import discover

    ws = Workspace.from_params(params)
    out = {}
    for rel in discover(ws.raw_dir, params.get("releases")).releases:
        stamp = ws.interim(rel.release) / "_stage.json"
        if stamp.exists():
            out[rel.release] = json.loads(stamp.read_text())["inputs"]
    return out


def write_interactive(params: dict, out_dir: Path) -> Path:
    """The interactive companion report (``<out>/interactive/``) of the run's releases, from the stage outputs
    the notebooks left (outside the notebooks, so strict nbval never compares it)."""
    from . import interactive
    from .discover import discover

    ws = Workspace.from_params(params)
    releases = [r.release for r in discover(ws.raw_dir, params.get("releases")).releases]
    step = "interactive report"
    progress(step, f"started ({len(releases)} releases)")
    start = time.perf_counter()
    index = interactive.write(releases, ws.work_dir, out_dir)
    progress(step, f"done in {_seconds(time.perf_counter() - start)} -> {display(index)}")
    return index


TEMPLATES = Path(__file__).parent / "templates"  # "offline": nbconvert's lab template without its CDN scripts


def to_html(nb_path: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    html = nb_path.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def _seconds(s: float) -> str:
    """A wall time for the progress lines: ``8.2 s``, ``3 min 05 s``."""
    return f"{s:.1f} s" if s < 60 else f"{int(s // 60)} min {int(s % 60):02d} s"


_PRINT = threading.Lock()  # notebooks run side by side: one whole line at a time


def progress(step: str, message: str) -> None:
    """One progress line on stdout, flushed at once (``make report`` shows it as the run goes):
    wall-clock time, the step (``[3/8] 03_topics``) and what happened."""
    with _PRINT:
        sys.stdout.write(f"{time.strftime('%H:%M:%S')} {step} {message}\n")
        sys.stdout.flush()


class _Relay(threading.Thread):
    """Prints the stages' progress lines (:mod:`ioa_utils.progress`) as the kernel appends them to ``path``."""

    def __init__(self, path: Path, interval: float = 0.5):
        super().__init__(name="progress-relay", daemon=True)
        self.path, self.interval, self.offset = path, interval, 0
        self.finished = threading.Event()
        self._reading = threading.Lock()  # the relay thread and a finishing notebook's thread both drain

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            self.drain()
        self.drain()

    def drain(self) -> None:
        if not self.path.exists():
            return
        with self._reading, self.path.open(encoding="utf-8") as f:
            f.seek(self.offset)
            while (line := f.readline()).endswith("\n"):  # an unfinished last line waits for the next round
                self.offset = f.tell()
                if (parsed := stage_progress.parse(line)) is not None:
                    stage, release, step, seconds = parsed
                    progress(f"  {stage}", f"{release}: {step} ({_seconds(seconds)})")

    def stop(self) -> None:
        self.finished.set()
        self.join()


_RELAY: _Relay | None = None  # the active relay, drained before a notebook's last line so its stage lines come first


def _drain_relay() -> None:
    if (relay := _RELAY) is not None:
        relay.drain()


@contextmanager
def relay_stage_progress() -> Iterator[Path]:
    """While active, kernels started from this process write stage progress to a temporary file (named in
    ``ioa_utils.progress.ENV``, which they inherit) and a thread prints it."""
    with tempfile.TemporaryDirectory(prefix="ioa-progress-") as tmp:
        path = Path(tmp) / "progress.tsv"
        path.touch()
        before = os.environ.get(stage_progress.ENV)
        os.environ[stage_progress.ENV] = str(path)
        global _RELAY
        relay = _RELAY = _Relay(path)
        relay.start()
        try:
            yield path
        finally:
            relay.stop()
            _RELAY = None
            if before is None:
                os.environ.pop(stage_progress.ENV, None)
            else:
                os.environ[stage_progress.ENV] = before


def run(params: dict, only: list[str] | None = None, out_dir: Path = REPORTS_DIR, kernel: str = "python3",
        folder: Path = NOTEBOOKS_DIR, jobs: int | None = None) -> int:
    """Execute the notebooks, up to ``jobs`` at once where :data:`NEEDS` allows (None: :func:`default_jobs`);
    return 0 on success, 1 (after saying where) on the first failure in plan order (no notebook starts after a
    failure; those already running finish)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    books = notebooks(folder, only)
    from .casestudy.campaign import CampaignError

    try:
        runs = plan(books, params, folder, only)
    except CampaignError as exc:  # a student's campaign file: say what to fix before any notebook runs
        print(f"FAILED before any notebook: {exc}", file=sys.stderr)
        return 1
    if not runs:
        print(f"no numbered notebooks in {display(folder)} matching {only}", file=sys.stderr)
        return 1
    manifest: dict = {"parameters": params, "git_commit": git_commit(), "packages": package_versions(),
                      "cpu": cpu.state(), "notebooks": []}
    with relay_stage_progress():
        return _run_books(runs, params, out_dir, kernel, manifest, default_jobs() if jobs is None else jobs)


# The notebooks whose outputs a notebook reads (by number, or ``case_study``): the report starts a notebook once
# these have finished, so independent ones run side by side (``jobs``). A notebook not named here waits for
# every notebook planned before it. Each stage is locked and stamped, so the order never changes a result.
NEEDS: dict[str, tuple[str, ...]] = {"01": (), "02": ("01",), "03": ("02",), "04": ("02",), "05": ("03", "04"),
                                     "06": ("03", "04"), "07": ("03", "04"), "case_study": ("03", "04"),
                                     "09": ()}  # the evaluation generates and reads its own seeds


INTERACTIVE_SKIPS = ("09",)  # notebooks whose outputs the interactive report does not read


def _key(job: Run) -> str:
    stem = job.notebook.stem
    return stem[:2] if stem[:2].isdigit() else stem


def dependencies(runs: list[Run]) -> list[set[int]]:
    """For each run, the indices of the earlier runs it waits for (:data:`NEEDS`)."""
    out = []
    for i, job in enumerate(runs):
        needs = NEEDS.get(_key(job))
        out.append(set(range(i)) if needs is None else {j for j in range(i) if _key(runs[j]) in needs})
    return out


def default_jobs() -> int:
    """Notebooks run at once: two where there are two cores (each kernel is mostly one thread), else one."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def _run_books(runs: list[Run], params: dict, out_dir: Path, kernel: str, manifest: dict, jobs: int = 1) -> int:
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    run_start = time.perf_counter()
    needs = dependencies(runs)
    entries: dict[int, dict] = {}
    done: set[int] = set()
    failed: dict[int, tuple[Exception, str]] = {}
    pending = list(range(len(runs)))
    # the interactive report reads the stages of every notebook but the evaluation: it starts once they are done,
    # in a free slot while the evaluation may still run (alone, or with nothing to wait for, it runs at the end)
    feeds = {i for i, job in enumerate(runs) if _key(job) not in INTERACTIVE_SKIPS}
    companion = None
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="notebook") as pool:
        running: dict = {}
        while pending or running:
            ready = [i for i in pending if needs[i] <= done] if not failed else []
            for i in ready[:max(1, jobs) - len(running)]:
                pending.remove(i)
                running[pool.submit(_run_one, i, runs, params, out_dir, kernel, run_start)] = i
            if companion is None and feeds and feeds <= done and not failed and len(running) < max(1, jobs):
                companion = pool.submit(write_interactive, params, out_dir)
                running[companion] = -1
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = running.pop(fut)
                exc = fut.exception()
                if i == -1:  # the interactive report
                    if exc is not None:
                        raise exc
                    continue
                if exc is None:
                    entries[i] = fut.result()
                    done.add(i)
                else:
                    failed[i] = (exc, runs[i].target)
    manifest["notebooks"] = [entries[i] for i in sorted(entries)]
    if failed:
        i = min(failed)
        exc, target = failed[i]
        _report_failure(exc, out_dir / target, manifest)
        _write_manifest(out_dir, manifest)
        return 1
    manifest["inputs_sha256"] = input_checksums(params)
    _write_manifest(out_dir, manifest)
    if companion is None:
        write_interactive(params, out_dir)
    fonts.register()  # the index's figures are drawn in this process
    index = write_index(out_dir, manifest)
    print(f"report: {display(index)}")
    return 0


def _run_one(i: int, runs: list[Run], params: dict, out_dir: Path, kernel: str, run_start: float) -> dict:
    """Execute run ``i`` (in a worker thread; its kernel is its own process) and write its HTML; its manifest entry."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    job = runs[i]
    nb = job.notebook
    given = {**notebook_parameters(params, declared_parameters(nb), out_dir), **job.forced}
    target = out_dir / job.target
    step = f"[{i + 1}/{len(runs)}] {target.stem}"
    progress(step, "started" + (f" with {given}" if given else ""))
    start = time.perf_counter()
    try:
        # the kernel starts in the notebook's folder (nbclient's ``resources`` path), not through papermill's
        # ``cwd``: that one changes this whole process's directory, which notebooks run side by side in threads
        # would leave wherever the last of them restores it
        papermill.execute_notebook(str(nb), str(target), parameters=given, kernel_name=kernel, progress_bar=False,
                                   resources={"metadata": {"path": str(nb.parent)}})
    except PapermillExecutionError:
        _drain_relay()
        progress(step, f"FAILED after {_seconds(time.perf_counter() - start)}")
        raise
    seconds = round(time.perf_counter() - start, 1)
    _drain_relay()  # the kernel has exited: print its last stage lines before the notebook's own
    to_html(target)
    progress(step, f"done in {_seconds(seconds)} (run so far {_seconds(time.perf_counter() - run_start)})"
                   f" -> {display(target.with_suffix('.html'))}")
    entry = {"notebook": target.name, "parameters": given, "wall_time_s": seconds}
    return entry if job.release is None else {**entry, "release": job.release, "source": nb.name}


def _report_failure(exc: Exception, target: Path, manifest: dict) -> None:
    """Say where the run failed (notebook, cell, error) and record it in the manifest."""
    from papermill.exceptions import PapermillExecutionError

    if not isinstance(exc, PapermillExecutionError):
        raise exc
    print(f"FAILED in {target.name}, cell {exc.cell_index} (execution count {exc.exec_count}): "
          f"{exc.ename}: {exc.evalue}\npartial executed notebook kept at {display(target)}", file=sys.stderr)
    manifest["failed"] = {"notebook": target.name, "cell_index": exc.cell_index, "error": exc.ename}


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, help="YAML file of notebook parameters")
    ap.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                    help="a notebook parameter (value parsed as YAML); repeatable")
    ap.add_argument("--only", nargs="+", help="run only these notebooks (number like 01 or full stem)")
    ap.add_argument("--out", type=Path, default=REPORTS_DIR, help="where executed notebooks and HTML go")
    ap.add_argument("--kernel", default="python3")
    ap.add_argument("--jobs", type=int, default=None,
                    help="notebooks run at once where their inputs allow (default: 2 on two or more cores)")
    args = ap.parse_args(argv)
    params: dict = yaml.safe_load(args.config.read_text()) if args.config else {}
    params = params or {}
    for name, value in args.parameter:
        params[name] = yaml.safe_load(value)
    return run(params, args.only, args.out, args.kernel, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
