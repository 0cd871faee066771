"""Headless Chromium driven over the Chrome DevTools Protocol (websocket-client): open a page, record console
errors, exceptions and every network request, and take a screenshot. Used by tests/test_interactive_browser.py.

Debian's ``chromium`` package (``apt-get install chromium``) is the browser; ``IOA_CHROMIUM`` names another
binary (e.g. Google Chrome on a GitHub runner)."""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
START_TIMEOUT = 30.0  # s for the browser to open its DevTools port
LOAD_TIMEOUT = 60.0  # s for a page to load and go network-idle
SETTLE = 1.0  # s after network-idle for scripts that draw late (plotly, vis-network)


def find() -> str | None:
    """The Chromium binary, or None."""
    env = os.environ.get("IOA_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    return next((shutil.which(n) for n in NAMES if shutil.which(n)), None)


@dataclass
class PageReport:
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dom: dict = field(default_factory=dict)

    @property
    def external(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]


class Chromium:
    """One headless browser with one tab, driven over CDP (flat sessions on the browser's websocket)."""

    def __init__(self, binary: str, width: int = 1400, height: int = 1000):
        import websocket

        self._profile = tempfile.TemporaryDirectory(prefix="ioa-chromium-")
        args = [binary, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--mute-audio", f"--window-size={width},{height}",
                "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={self._profile.name}",
                "--allow-file-access-from-files", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{binary} did not start (exit code {self._proc.returncode})")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self._ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=LOAD_TIMEOUT,
                                               suppress_origin=True)
        self._ids = itertools.count(1)
        self._events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self._call(f"{domain}.enable", session=True)
        self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=True)

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        msg_id = next(self._ids)
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self._session
        self._ws.send(json.dumps(msg))
        self._ws.settimeout(LOAD_TIMEOUT)
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _wait_for(self, done, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(done(e) for e in self._events):
            self._ws.settimeout(max(0.1, deadline - time.monotonic()))
            if time.monotonic() > deadline:
                raise TimeoutError("page did not finish loading")
            self._events.append(json.loads(self._ws.recv()))

    def _drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._ws.settimeout(left)
            try:
                self._events.append(json.loads(self._ws.recv()))
            except Exception:  # websocket timeout: nothing more arrived
                break

    def open(self, url: str, screenshot: Path | None = None, dom_check: str = "null") -> PageReport:
        """Load ``url``, wait for network-idle, evaluate ``dom_check`` (a JS expression returning JSON-able data),
        save a full-page screenshot; return what happened."""
        self._events = []
        self._call("Page.navigate", {"url": url}, session=True)
        self._wait_for(lambda e: e.get("method") == "Page.lifecycleEvent"
                       and e["params"].get("name") == "networkIdle", LOAD_TIMEOUT)
        self._drain(SETTLE)
        report = PageReport(url)
        for e in self._events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                report.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif method == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                report.console_errors.append(d.get("exception", {}).get("description") or d.get("text", ""))
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                report.console_errors.append(f"{p['entry'].get('text')} ({p['entry'].get('url', '')})")
            elif method == "Network.requestWillBeSent":
                report.requests.append(p["request"]["url"])
            elif method == "Network.loadingFailed" and not p.get("canceled"):
                report.failed.append(f"{p.get('type')}: {p.get('errorText')}")
        value = self._call("Runtime.evaluate", {"expression": f"JSON.stringify({dom_check})", "returnByValue": True},
                           session=True)["result"].get("value")
        report.dom = json.loads(value) if value else {}
        if screenshot is not None:
            shot = self._call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                              session=True)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return report

    def close(self) -> None:
        ws = getattr(self, "_ws", None)
        if ws is not None:
            ws.close()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
