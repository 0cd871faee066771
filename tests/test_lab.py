"""`make lab`: JupyterLab starts in the project's environment and runs the notebooks there, top to bottom, in the
kernel it offers (the environment's own Python, CPU-pinned) with the notebook's folder as working directory, as a
reader who opens the notebook and chooses "Run All" would. Driven through the Jupyter server's REST and kernel
websocket APIs (no browser needed).

The default run executes the first notebook and the per-release case study; ``IOA_LAB_ALL=1`` runs every notebook
(done before each release; slow, as it recomputes what ``make report`` does)."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from ioa_utils.paths import NOTEBOOKS_DIR, PROJECT_ROOT

pytest.importorskip("jupyterlab", reason="JupyterLab is installed by `make install-lab` (requirements/lab.txt)")
websocket = pytest.importorskip("websocket")

DEFAULT = ("01_load.ipynb", "case_study.ipynb")
START_TIMEOUT = 60.0
CELL_TIMEOUT = 600.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_command() -> list[str]:
    """The Makefile's `lab` recipe with this interpreter (what `make lab` runs)."""
    out = subprocess.run(["make", "-n", "-s", "lab", f"PY={sys.executable}", "LAB_ARGS=", "ACTIONLINT="],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if "jupyterlab" in x)
    return shlex.split(line)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), secrets.token_hex(16)
    cmd = _lab_command()
    env = {**os.environ, **dict(a.split("=", 1) for a in cmd if "=" in a and not a.startswith("-"))}
    argv = [a for a in cmd if not ("=" in a and not a.startswith("-"))]
    home = tmp_path_factory.mktemp("lab")  # user-level Jupyter folders of the test, not the developer's
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen([*argv, "--no-browser", f"--port={port}", f"--IdentityProvider.token={token}",
                             "--ServerApp.disable_check_xsrf=True"], cwd=PROJECT_ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            _get(base, "/api/status", token)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start: {(home / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.5)
    yield base, token
    proc.terminate()
    proc.wait(timeout=30)


def _get(base: str, path: str, token: str):
    with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Authorization": f"token {token}"}),
                                timeout=10) as r:
        body = r.read()
        return json.loads(body) if r.headers.get_content_type() == "application/json" else body.decode()


def _post(base: str, path: str, token: str, data: dict) -> dict:
    req = urllib.request.Request(base + path, data=json.dumps(data).encode(), method="POST",
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def _execute(ws, code: str) -> tuple[str, str, list[str]]:
    """Run one cell in the kernel: (status, error text, stream output)."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                                   "session": uuid.uuid4().hex, "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "channel": "shell",
                        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}}))
    status, error, out, idle = None, "", [], False
    deadline = time.monotonic() + CELL_TIMEOUT
    while status is None or not idle:  # the shell reply and the kernel going idle (all output sent)
        if time.monotonic() > deadline:
            return "timeout", f"no reply in {CELL_TIMEOUT:.0f} s", out
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            error = f"{content['ename']}: {content['evalue']}"
        elif kind == "status":
            idle = content["execution_state"] == "idle"
        elif kind == "execute_reply":
            status = content["status"]
    return status, error, out


def _run_notebook(base: str, token: str, name: str) -> list[str]:
    session = _post(base, "/api/sessions", token, {"path": name, "type": "notebook",  # root: notebooks/
                                                    "name": name, "kernel": {"name": "python3"}})
    kid = session["kernel"]["id"]
    ws = websocket.create_connection(f"{base.replace('http', 'ws')}/api/kernels/{kid}/channels",
                                     header=[f"Authorization: token {token}"], timeout=CELL_TIMEOUT)
    try:
        status, error, out = _execute(ws, "import json, os, sys; from ioa_utils import cpu; print(sys.executable); "
                                          "print(os.getcwd()); print(json.dumps(cpu.state()['environment']))")
        assert status == "ok", error
        lines = "".join(out).split("\n")
        nb = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            status, error, _ = _execute(ws, code)
            assert status == "ok", f"{name}, cell {i}: {error}"
        return lines
    finally:
        ws.close()
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions/{session['id']}", method="DELETE",
                                                      headers={"Authorization": f"token {token}"}), timeout=30)


def test_lab_serves_jupyterlab_with_the_environments_kernel(lab):
    base, token = lab
    assert "JupyterLab" in _get(base, "/lab", token)
    specs = _get(base, "/api/kernelspecs", token)
    assert specs["default"] == "python3"
    # ipykernel's own spec: "python", which the server starts as its own interpreter (checked in the kernel below)
    assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] in ("python", sys.executable)


NOTEBOOKS = (sorted(p.name for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")) + ["case_study.ipynb"]
             if os.environ.get("IOA_LAB_ALL") else list(DEFAULT))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom_in_lab(lab, name):
    base, token = lab
    executable, cwd, pinned = _run_notebook(base, token, name)[:3]
    assert Path(executable) == Path(sys.executable)  # the environment's Python, not a user-level kernel
    assert Path(cwd).resolve() == NOTEBOOKS_DIR.resolve()
    from ioa_utils import cpu

    # started CPU-pinned (ioa_cpu_pin.pth), like this process and the papermill and nbval kernels
    assert json.loads(pinned) == cpu.state()["environment"]
