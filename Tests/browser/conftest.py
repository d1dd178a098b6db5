"""Fixtures for the browser suite: a cosell server on a loopback port with a fresh database, and
headless Chromium sessions driven by selenium (Debian's chromium and chromium-driver)."""

import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
PASSWORD = "cosell-demo-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    """The folder this run writes screenshots to: COSELL_E2E_ARTIFACTS or e2e-artifacts/<timestamp>."""
    folder = os.environ.get("COSELL_E2E_ARTIFACTS") or str(
        ROOT / "e2e-artifacts" / time.strftime("run-%Y%m%d-%H%M%S"))
    path = pathlib.Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots go to {path}")
    return path


class Mailbox:
    """`scripts/smtp_sink.py` (aiosmtpd) on a loopback port: the SMTP server the cosell server mails
    through. `mails()` lists what it accepted (recipients, subject, decoded text and headers)."""

    def __init__(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            raise RuntimeError("the browser suite mails through a real SMTP server: pip install aiosmtpd")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="cosell-mail-"))
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "smtp_sink.py"), "--port", "0", "--out", str(self.dir / "out"),
             "--exit-on-stdin-eof"],
            stdout=subprocess.PIPE, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        words = self.proc.stdout.readline().split()
        if len(words) != 3 or words[0] != "READY":
            raise RuntimeError(f"smtp_sink.py did not start: {words}")
        self.port = int(words[2])

    def mails(self) -> list[dict]:
        index = self.dir / "out" / "index.jsonl"
        if not index.exists():
            return []
        return [json.loads(line) for line in index.read_text().splitlines() if line.strip()]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def server(mailbox):
    """`cosell serve` with the demo workspace on a new SQLite file and a free loopback port, mailing
    through the session's SMTP sink."""
    binary = os.environ.get("COSELL_BIN", str(ROOT / ".build" / "debug" / "cosell"))
    workdir = tempfile.mkdtemp(prefix="cosell-e2e-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(workdir, "server.log"), "w")
    env = dict(os.environ, COSELL_SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}?starttls=never",
               COSELL_MAIL_FROM="cosell <deals@cosell.test>", COSELL_PUBLIC_URL=base,
               # A short gap between two mails to one person, so that the walk's mails go out during it.
               COSELL_MAIL_GAP="2")
    proc = subprocess.Popen(
        [binary, "serve", "--db", os.path.join(workdir, "cosell.sqlite"), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("the server exited; see " + log.name)
            time.sleep(0.5)
    else:
        raise RuntimeError("the server did not answer /health")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def make_driver(width: int = 1280, height: int = 900) -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=en-US",
                # Phones draw scrollbars over the page: without this a 375 px window lays out 360 px.
                "--hide-scrollbars"]:
        opts.add_argument(arg)
    driver = webdriver.Chrome(
        service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=opts)
    driver.implicitly_wait(0)
    return driver


@pytest.fixture
def browser_factory():
    """Opens one browser per company; all are closed after the test."""
    drivers = []

    def open_browser(width: int = 1280) -> webdriver.Chrome:
        d = make_driver(width)
        drivers.append(d)
        return d

    yield open_browser
    for d in drivers:
        d.quit()
