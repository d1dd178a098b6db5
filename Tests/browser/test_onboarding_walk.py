"""Issue 19's walk: from an empty server to a first deal on a company's own exports, in the pages
only, for two companies in their own browsers. Northwind Data sets the server up, imports its
Salesforce report and invites Beacon Cloud; Beacon Cloud's admin joins from the link, accepts and
imports its HubSpot export; both share overlapping accounts with the preset, and Northwind starts a
deal on its top-ranked target. Run twice: with both imports before the acceptance (the link by
mail), and with the imports after it (the link copied from the page: a server without mail). Every
click, submission and typed address is counted."""

import csv
import os
import random
import re
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT, free_port
from pages import ClickCounter, Person, overflowing, screenshot, text

PASSWORD = "five quiet harbour lights"
ACCOUNTS = 5000
SHARED = 1100

WORDS = ("Alder Birch Cedar Delta Ember Fjord Granite Harbor Iris Juniper Kestrel Linden Meridian Nimbus "
         "Orchid Pioneer Quartz Ridge Summit Tundra Umber Vertex Willow Yarrow Zenith Atlas Beacon Cobalt "
         "Drift Echo Falcon Glacier Helix Indigo Jasper Krypton Lumen Mosaic Nova Onyx Prism Quill Raven "
         "Sable Talon Ultra Vega Wren").split()
SUFFIXES = ["Inc", "LLC", "GmbH", "Ltd", "Group", "Corp", "SA", "BV"]
INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics"]
COUNTRIES = [("United States", "US"), ("Germany", "DE"), ("United Kingdom", "GB"), ("France", "FR"),
             ("Netherlands", "NL")]


def companies(seed: int) -> tuple[list[dict], list[dict]]:
    """Two account lists of ACCOUNTS each, SHARED of them the same companies written the way each CRM
    writes them (the legal form dropped or spelt out, another letter case)."""
    rng = random.Random(seed)
    names = set()
    while len(names) < 2 * ACCOUNTS - SHARED:
        names.add(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}")
    names = sorted(names)
    rng.shuffle(names)
    people = []
    for i, base in enumerate(names):
        country = rng.choice(COUNTRIES)
        people.append({"base": base, "domain": base.lower().replace(" ", "") + f"{i}.example",
                       "suffix": rng.choice(SUFFIXES), "industry": rng.choice(INDUSTRIES), "country": country,
                       "employees": rng.choice([40, 120, 450, 900, 2500, 8000])})
    shared, only_a, only_b = people[:SHARED], people[SHARED:ACCOUNTS], people[ACCOUNTS:]
    return shared + only_a, shared + only_b


def write_salesforce(path: str, rows: list[dict], seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Account ID", "Account Name", "Website", "Billing Country", "Industry", "Employees", "Type"])
        for i, r in enumerate(rows):
            kind = rng.choice(["Customer - Direct", "Customer - Channel", "Prospect", "Prospect", "Opportunity"])
            w.writerow([f"001A{i:014d}", f"{r['base']} {r['suffix']}", "https://www." + r["domain"],
                        r["country"][0], r["industry"], r["employees"], kind])


def write_hubspot(path: str, rows: list[dict], seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Record ID", "Company name", "Company Domain Name", "Country/Region", "Industry",
                    "Number of Employees", "Lifecycle Stage"])
        for i, r in enumerate(rows):
            stage = rng.choice(["customer", "customer", "opportunity", "lead", "subscriber"])
            name = r["base"].upper() if rng.random() < 0.2 else r["base"]
            w.writerow([str(900000 + i), name, r["domain"], r["country"][1], r["industry"], r["employees"], stage])


def start_server(workdir: str, mailbox=None):
    binary = os.environ.get("COSELL_BIN", str(ROOT / ".build" / "debug" / "cosell"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for k in ("COSELL_SMTP_URL", "COSELL_MAIL_FROM", "COSELL_DB", "DATABASE_URL"):
        env.pop(k, None)
    if mailbox:
        env.update(COSELL_SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}?starttls=never",
                   COSELL_MAIL_FROM="cosell <deals@cosell.test>", COSELL_PUBLIC_URL=base)
    log = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen(
        [binary, "serve", "--no-demo", "--db", os.path.join(workdir, "cosell.sqlite"), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return proc, base
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("the server exited; see " + log.name)
            time.sleep(0.5)
    raise RuntimeError("the server did not answer /health")


def field(p: Person, id_: str, value: str) -> None:
    """Types into a field (typing is not counted; the submission is)."""
    e = p.d.find_element(By.ID, id_)
    e.clear()
    e.send_keys(value)


def wait_for(p: Person, predicate, what: str, seconds: int = 180) -> None:
    """Waits while a page refreshes itself (not counted: nobody clicks)."""
    end = time.time() + seconds
    while time.time() < end:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{p.name}: {what} did not happen in {seconds} s: {text(p.d)[:1500]}")


TIMES: dict[str, float] = {}


def import_file(p: Person, path: str, shots, name: str) -> None:
    """The import page: choose the file, upload, confirm the columns, wait for the result (its
    seconds go to TIMES, printed, never asserted)."""
    p.nav("Import")
    p.d.find_element(By.ID, "import-file").send_keys(path)
    p.counter.add(p.first, "click", "choose the export file")
    p.click(p.d.find_element(By.XPATH, "//button[normalize-space()='Upload and check']"), "upload and check",
            kind="submit")
    started = time.monotonic()
    p.click(p.d.find_element(By.XPATH, "//button[normalize-space()='Import']"), "import", kind="submit")
    wait_for(p, lambda: p.d.find_element(By.ID, "import-status").text not in ("running", ""), "the import")
    TIMES[f"{p.company} import"] = time.monotonic() - started
    assert p.d.find_element(By.ID, "import-status").text == "succeeded", text(p.d)
    screenshot(p.d, shots, name, 1280)


def open_partnership(p: Person) -> None:
    p.nav("Partnerships")
    p.click(p.d.find_element(By.CSS_SELECTOR, "article.card h2 a"), "open the partnership")


def set_preset(p: Person) -> None:
    sel = p.d.find_element(By.CSS_SELECTOR, "#sharing-preset select")
    assert sel.get_attribute("value") == "overlapping"
    p.click(p.d.find_element(By.XPATH, "//form[@id='sharing-preset']//button"), "save sharing: overlapping",
            kind="submit")
    p.expect_saved("sharing preset")


def phone_check(p: Person, shots, name: str) -> None:
    """The page at 375 px: a screenshot, and nothing wider than the phone (not counted)."""
    p.d.set_window_size(375, 900)
    try:
        wide = overflowing(p.d)
    finally:
        p.d.set_window_size(1280, 900)
    assert not wide, f"{name} at 375 px: {wide}"
    screenshot(p.d, shots, name, 375)


def mailed_link(mailbox, to: str) -> str:
    for _ in range(120):
        for m in mailbox.mails():
            if to in m.get("rcpt_tos", []):
                found = re.search(r"https?://\S+/partner-invitations/\S+", m.get("text", ""))
                if found:
                    return found.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no invitation mail reached {to}: {mailbox.mails()}")


@pytest.mark.parametrize("imports_first", [True, False], ids=["imports-then-accept", "accept-then-imports"])
def test_empty_server_to_first_deal(browser_factory, artifacts, mailbox, imports_first):
    workdir = tempfile.mkdtemp(prefix="cosell-onboarding-")
    a_rows, b_rows = companies(seed=19)
    northwind_csv = os.path.join(workdir, "northwind-salesforce-report.csv")
    beacon_csv = os.path.join(workdir, "beacon-hubspot-export.csv")
    write_salesforce(northwind_csv, a_rows, seed=1)
    write_hubspot(beacon_csv, b_rows, seed=2)
    proc, base = start_server(workdir, mailbox if imports_first else None)
    shots = artifacts / ("onboarding-" + ("imports-first" if imports_first else "accept-first"))
    shots.mkdir(parents=True, exist_ok=True)
    counter = ClickCounter()
    TIMES.clear()
    walk_started = time.monotonic()
    try:
        ada = Person(browser_factory(), base, "Ada Nakamura", "Northwind Data", counter)
        ben = Person(browser_factory(), base, "Ben Okoye", "Beacon Cloud", counter)

        # Northwind Data sets the server up.
        ada.go("/", "open the server")
        assert urllib.parse.urlparse(ada.d.current_url).path == "/setup"
        field(ada, "setup-organization", "Northwind Data")
        field(ada, "setup-domain", "northwind.example")
        field(ada, "setup-name", "Ada Nakamura")
        field(ada, "setup-email", "ada@northwind.example")
        field(ada, "setup-password", PASSWORD)
        field(ada, "setup-password_again", PASSWORD)
        ada.press("Create the company and sign in")
        screenshot(ada.d, shots, "01-northwind-home", 1280)

        if imports_first:
            import_file(ada, northwind_csv, shots, "02-northwind-import")

        # Ada invites Beacon Cloud.
        ada.nav("Partnerships")
        field(ada, "invite-partner-partner_domain", "beacon.example")
        field(ada, "invite-partner-email", "ben@beacon.example")
        ada.click(ada.d.find_element(By.XPATH, "//button[normalize-space()='Invite']"), "invite Beacon",
                  kind="submit")
        page = text(ada.d)
        assert "beacon.example is invited" in page, page
        screenshot(ada.d, shots, "03-northwind-invited", 1280)
        phone_check(ada, shots, "03-northwind-invited")
        if imports_first:
            link = mailed_link(mailbox, "ben@beacon.example")
        else:
            link = ada.d.find_element(By.ID, "partner-invitation-link").get_attribute("value")
            counter.add("Ada", "click", "copy the link (and send it to Ben)")
        assert "/partner-invitations/" in link

        # Ben opens the link, sets Beacon Cloud up, and lands on the invitation.
        ben.go(link, "open the invitation link")
        assert "Northwind Data invites you to co-sell" in text(ben.d), text(ben.d)
        screenshot(ben.d, shots, "04-beacon-invitation", 1280)
        phone_check(ben, shots, "04-beacon-invitation")
        field(ben, "partner-join-organization", "Beacon Cloud")
        field(ben, "partner-join-name", "Ben Okoye")
        field(ben, "partner-join-password", PASSWORD)
        field(ben, "partner-join-password_again", PASSWORD)
        ben.press("Set up my company and continue")
        assert "Accept or decline Northwind Data's invitation" in text(ben.d), text(ben.d)
        partnership_url = ben.d.current_url.split("?")[0]
        screenshot(ben.d, shots, "05-beacon-answer", 1280)
        phone_check(ben, shots, "05-beacon-answer")

        if imports_first:
            import_file(ben, beacon_csv, shots, "06-beacon-import")
            ben.go(partnership_url, "back to the partnership")
        accepted_at = time.monotonic()
        ben.press("Accept the partnership")
        screenshot(ben.d, shots, "07-beacon-accepted", 1280)

        if not imports_first:
            # Nothing imported yet: the page says what is missing, naming each company.
            page = text(ben.d)
            assert "Beacon Cloud has not imported its accounts yet" in page, page
            assert "Northwind Data has not imported its accounts yet" in page, page
            import_file(ben, beacon_csv, shots, "06-beacon-import")
            import_file(ada, northwind_csv, shots, "02-northwind-import")
            ben.go(partnership_url, "back to the partnership")

        # The accounts are matched without anyone asking again; sharing is what waits.
        wait_for(ben, lambda: "accounts are in both CRMs" in text(ben.d), "matching")
        if imports_first:
            TIMES["matching after the acceptance (page refresh included)"] = time.monotonic() - accepted_at
        page = text(ben.d)
        assert "Beacon Cloud shares nothing yet" in page, page
        assert "Northwind Data has not shared anything yet" in page, page
        screenshot(ben.d, shots, "08-beacon-waits-for-sharing", 1280)
        phone_check(ben, shots, "08-beacon-waits-for-sharing")
        set_preset(ben)

        open_partnership(ada)
        page = text(ada.d)
        assert "Beacon Cloud shares customers as overlapping accounts" in page, page
        set_preset(ada)
        screenshot(ada.d, shots, "09-northwind-targets", 1280)
        phone_check(ada, shots, "09-northwind-targets")
        rows = ada.d.find_elements(By.CSS_SELECTOR, "#targets tbody tr")
        assert rows, text(ada.d)
        first = rows[0].find_element(By.CSS_SELECTOR, "td").text.splitlines()[0]
        ada.click(rows[0].find_element(By.XPATH, ".//button[normalize-space()='Start a deal']"),
                  f"start a deal on {first}", kind="submit")
        page = text(ada.d)
        assert "Deal started at target account selection." in page, page
        assert first in page
        screenshot(ada.d, shots, "10-northwind-first-deal", 1280)

        print(f"\n{'imports first' if imports_first else 'accept first'}: {counter.total} clicks, submissions "
              f"and typed addresses for both companies\n" + counter.breakdown())
        TIMES["the whole walk, both browsers"] = time.monotonic() - walk_started
        print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in TIMES.items()))
        assert counter.total < 40, counter.breakdown()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
