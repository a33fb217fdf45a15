"""The console's browser tests: Debian's Chromium driven headless by Selenium, the app run by
uvicorn on a free loopback port with a SQLite file and test tokens.

Chromium is a system package. ``make test`` installs it when it is missing (as root);
elsewhere these tests fail with the one command to run, never skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = Path(os.environ.get("CONSOLE_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CONSOLE_CHROMEDRIVER", "/usr/bin/chromedriver"))
INSTALL = "apt-get install -y chromium chromium-driver chromium-l10n fonts-wqy-microhei"
# Chromium's Chinese resources (chromium-l10n): on Linux the browser takes its locale from
# LANGUAGE and falls back to English when the locale's .pak is missing (--lang is ignored)
CHROMIUM_ZH = Path(os.environ.get("CONSOLE_CHROMIUM_ZH", "/usr/lib/chromium/locales/zh-CN.pak"))
OFFICER = "officer-browser-test-token"
VIEWER = "viewer-browser-test-token"
REVOKED = "revoked-browser-test-token"
WIDTH, HEIGHT = 1366, 768
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS", REPO / "out" / "screenshots"))
# `make screenshots` sets it to docs/screenshots: the README's pictures, retaken by the tests
DOC_SCREENSHOTS = os.environ.get("CONSOLE_DOC_SCREENSHOTS", "")


def chromium_problem() -> str | None:
    """Why the browser tests cannot run, with the command that fixes it; None when they can."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, CHROMIUM_ZH) if not p.exists()]
    if missing:
        return f"缺少 {', '.join(missing)}；请运行 / missing, run: sudo {INSTALL}  (or `make test` as root)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "缺少 selenium；请运行 / missing selenium, run: make install-test"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, token: str = OFFICER) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )


@contextmanager
def running_server(tmp: Path, tokens: str, **extra_env: str) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        **extra_env,
        "DATABASE_URL": f"sqlite:///{tmp / 'console.db'}",
        "ROTATION_TOKENS": tokens,
        "ROTATION_WORKERS": "2",
        "ROTATION_PROGRESS_INTERVAL": "0.2",
    }
    env.pop("ROTATION_DEV_MODE", None)
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def make_driver(downloads: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WIDTH},{HEIGHT}", "--lang=zh-CN", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "zh-CN,zh",  # navigator.language, Accept-Language
        },
    )
    # An officer's screen: Chinese date fields (年/月/日) and browser texts. On Linux Chromium
    # reads its locale from LANGUAGE, not --lang (kept for other systems).
    chinese = {**os.environ, "LANGUAGE": "zh_CN:zh", "LANG": "zh_CN.UTF-8"}
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER), env=chinese))
    driver.set_window_size(WIDTH, HEIGHT)
    driver.implicitly_wait(0)
    return driver


def wait_for(condition: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
    """Poll ``condition`` until it returns something truthy (exceptions count as not yet)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # not there yet: the page is still drawing
            last = exc
        time.sleep(0.15)
    raise AssertionError(f"timed out waiting for {what or condition}: {last}")


def poll_done(client: httpx.Client, path: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(path).json()
        if body["status"] not in ("queued", "running"):
            return body  # type: ignore[no-any-return]
        time.sleep(0.3)
    raise AssertionError(f"{path} did not finish")


def screenshot(driver: Any, name: str, docs: str = "") -> Path:
    """The page at 1366×768 into ``out/screenshots/name.png``; also ``docs/screenshots/docs.png``
    (the README's picture) when ``docs`` names one and ``make screenshots`` runs the tests."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.execute_script("document.getElementById('toast')?.replaceChildren();")  # passing notes
    driver.save_screenshot(str(path))
    if docs and DOC_SCREENSHOTS:
        folder = REPO / DOC_SCREENSHOTS
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / f"{docs}.png")
    return path


def have_chromium() -> bool:
    return shutil.which(str(CHROMIUM)) is not None
