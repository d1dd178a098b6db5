"""Issue 15 as each company's people meet it in a browser: a crafted link after sign-in goes nowhere
but home, a large import runs while the other company works, a bad file is refused naming its line,
and an exported CSV cannot smuggle a formula."""

import pathlib
import tempfile
import time
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages import click_button, screenshot, sign_in, text

MAYA = "maya.okafor@quarrydata.example"  # Quarry Data's admin
DANIEL = "daniel.reyes@quarrydata.example"  # Quarry Data's partner manager
MARCUS = "marcus.chen@halyardsecurity.example"  # Halyard Security's partner manager


def test_crafted_next_goes_home(server, browser_factory, artifacts):
    base = server
    d = browser_factory()
    sign_in(d, base, MAYA)
    # Signed in, Maya follows a link someone sent her: an injected header, then a tab-smuggled host.
    for crafted in ["/%0d%0aSet-Cookie:%20cosell_session=ATTACKER;%20Path=/", "/%09/evil.example", "//evil.example"]:
        d.get(base + "/sign-in?next=" + crafted)
        assert urllib.parse.urlparse(d.current_url).netloc == urllib.parse.urlparse(base).netloc
        assert urllib.parse.urlparse(d.current_url).path == "/", d.current_url
        assert not any(c["value"] == "ATTACKER" for c in d.get_cookies())
    # A real page of the application is kept.
    d.get(base + "/sign-in?next=" + urllib.parse.quote("/deals?status=all", safe=""))
    assert urllib.parse.urlparse(d.current_url).path == "/deals"
    screenshot(d, artifacts, "hardening-next-kept", 1280)


def test_large_import_while_the_partner_works(server, browser_factory, artifacts):
    base = server
    quarry = browser_factory()
    halyard = browser_factory()
    sign_in(quarry, base, DANIEL)
    sign_in(halyard, base, MARCUS)

    folder = pathlib.Path(tempfile.mkdtemp())
    big = folder / "quarry-full-export.csv"
    with big.open("w") as f:
        f.write("account_id,name,website,country,industry,employees,status\n")
        for i in range(30_000):
            f.write(f"W{i:06d},Walkthrough Company {i:06d},walk{i:06d}.example,US,Software,{100 + i % 900},prospect\n")
    quarry.get(base + "/import")
    quarry.find_element(By.ID, "import-file").send_keys(str(big))
    click_button(quarry, "Upload and check")
    assert "Check the columns" in text(quarry)
    # 30,000 accounts replace the demo's list: the check names what would be retired, with open deals.
    warning = quarry.find_element(By.ID, "retire-warning").text
    assert "This file would retire" in warning and "with an open deal" in warning, warning
    screenshot(quarry, artifacts, "hardening-import-check", 1280)
    quarry.find_element(By.ID, "confirm-retirements").click()
    click_button(quarry, "Import")
    screenshot(quarry, artifacts, "hardening-import-running", 1280)

    # Meanwhile Marcus, at Halyard Security, opens his pages: each answers, none waits for the import.
    slowest = 0.0
    pages = 0
    while quarry.find_element(By.ID, "import-status").text == "running" and pages < 200:
        for path in ["/", "/deals", "/partnerships"]:
            t = time.perf_counter()
            halyard.get(base + path)
            slowest = max(slowest, time.perf_counter() - t)
            pages += 1
            # An error page is a layout with the problem's title and a way home.
            assert "Back to your home page" not in text(halyard), text(halyard)[:300]
        quarry.refresh()
    screenshot(halyard, artifacts, "hardening-halyard-during-import", 1280)
    WebDriverWait(quarry, 120).until(lambda x: x.find_element(By.ID, "import-status").text != "running")
    assert quarry.find_element(By.ID, "import-status").text == "succeeded", text(quarry)
    assert "30,000" in text(quarry) or "30000" in text(quarry), text(quarry)
    screenshot(quarry, artifacts, "hardening-import-done", 1280)
    print(f"Halyard Security's pages during the import: {pages}, the slowest {slowest * 1000:.0f} ms")

    # A file with a NUL byte is refused naming its line, and the list stays as it was.
    bad = folder / "broken.csv"
    bad.write_bytes(b"account_id,name,website\nB1,Good Row,good.example\nB2,Bad\x00Row,bad.example\n")
    quarry.get(base + "/import")
    quarry.find_element(By.ID, "import-file").send_keys(str(bad))
    click_button(quarry, "Upload and check")
    page = text(quarry)
    assert "line 3" in page, page
    screenshot(quarry, artifacts, "hardening-import-nul-refused", 1280)


def test_exported_csv_neutralizes_formulas(server, browser_factory, artifacts):
    base = server
    d = browser_factory()
    sign_in(d, base, MAYA)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    req = urllib.request.Request(base + "/api/v1/exports/deals.csv", headers={"Cookie": cookie})
    with urllib.request.urlopen(req) as r:
        body = r.read().decode()
    cells = [c for line in body.splitlines()[1:] for c in line.split(",")]
    assert cells, body[:200]
    assert not any(c.lstrip('"')[:1] in ("=", "+", "@") for c in cells), body[:500]
