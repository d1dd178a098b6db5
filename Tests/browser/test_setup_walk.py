"""An empty server, as the first person of a company meets it: sign-in leads to the setup page, a
mistake comes back beside its field, setup makes the company and signs Ada in, the setup page is
gone afterwards, and Ada changes her password on her own page."""

import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from conftest import ROOT, free_port
from pages import click_button, screenshot, text

FIRST = "harbour lights at dawn"
SECOND = "a quieter harbour at dusk"


def start_empty_server():
    binary = os.environ.get("COSELL_BIN", str(ROOT / ".build" / "debug" / "cosell"))
    workdir = tempfile.mkdtemp(prefix="cosell-setup-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen(
        [binary, "serve", "--no-demo", "--db", os.path.join(workdir, "cosell.sqlite"), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return proc, base, log.name
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("the server exited; see " + log.name)
            time.sleep(0.5)
    raise RuntimeError("the server did not answer /health")


def test_setup_then_own_password(browser_factory, artifacts):
    proc, base, log = start_empty_server()
    try:
        ada = browser_factory()
        ada.get(base + "/")
        assert urllib.parse.urlparse(ada.current_url).path == "/setup", ada.current_url
        assert "This server has no organization yet" in text(ada)
        screenshot(ada, artifacts, "setup-empty-server", 375)
        screenshot(ada, artifacts, "setup-empty-server", 1280)
        ada.find_element(By.ID, "setup-organization").send_keys("Acme Analytics")
        ada.find_element(By.ID, "setup-domain").send_keys("acme.example")
        ada.find_element(By.ID, "setup-name").send_keys("Ada Admin")
        ada.find_element(By.ID, "setup-email").send_keys("ada@acme.example")
        ada.find_element(By.ID, "setup-password").send_keys(FIRST)
        ada.find_element(By.ID, "setup-password_again").send_keys(FIRST + "!")
        click_button(ada, "Create the company and sign in")
        assert "The two passwords differ" in text(ada), text(ada)
        # What was typed is kept, except the passwords.
        assert ada.find_element(By.ID, "setup-organization").get_attribute("value") == "Acme Analytics"
        ada.find_element(By.ID, "setup-password").send_keys(FIRST)
        ada.find_element(By.ID, "setup-password_again").send_keys(FIRST)
        click_button(ada, "Create the company and sign in")
        page = text(ada)
        assert "Acme Analytics is set up." in page, page
        assert "Ada Admin · Acme Analytics" in page, page
        screenshot(ada, artifacts, "setup-done-home", 1280)
        # The setup page is gone.
        try:
            urllib.request.urlopen(base + "/setup", timeout=5)
            raise AssertionError("/setup still answers after setup")
        except urllib.error.HTTPError as e:
            assert e.code == 404

        ada.find_element(By.LINK_TEXT, "Password").click()
        ada.find_element(By.ID, "password-current_password").send_keys("not my password")
        ada.find_element(By.ID, "password-password").send_keys(SECOND)
        ada.find_element(By.ID, "password-password_again").send_keys(SECOND)
        click_button(ada, "Change the password")
        assert "The current password is not right." in text(ada), text(ada)
        screenshot(ada, artifacts, "password-refused", 375)
        ada.find_element(By.ID, "password-current_password").send_keys(FIRST)
        ada.find_element(By.ID, "password-password").send_keys(SECOND)
        ada.find_element(By.ID, "password-password_again").send_keys(SECOND)
        click_button(ada, "Change the password")
        assert "Your password is changed." in text(ada), text(ada)
        # Still signed in here; the new password opens a new session elsewhere.
        ada.get(base + "/")
        assert "Ada Admin · Acme Analytics" in text(ada)
        other = browser_factory()
        other.get(base + "/sign-in")
        other.find_element(By.ID, "sign-in-email").send_keys("ada@acme.example")
        other.find_element(By.ID, "sign-in-password").send_keys(SECOND)
        click_button(other, "Sign in")
        assert urllib.parse.urlparse(other.current_url).path == "/", other.current_url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
