"""The one-page joint value proposition, as the two companies' people meet it: Daniel Reyes (Quarry
Data) opens it from the partnership page, changes it (a refused figure first, the reason beside the
field), and approves his draft for Quarry Data; Marcus Chen (Halyard Security), on his phone in his
own browser, approves it and it is published; Priya Natarajan, a Quarry Data account executive,
follows the link from one of her deal pages and reads it at 375 and 1280 px, and it prints on one
page. On a phone nothing runs off the side."""

import json
import re
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages import WAIT, overflowing, save_pdf, screenshot, sign_in, text, wait_new_page

DANIEL = "daniel.reyes@quarrydata.example"
MARCUS = "marcus.chen@halyardsecurity.example"
PRIYA = "priya.natarajan@quarrydata.example"
WHY = ("Quarry alone leaves the CISO with an open question; Halyard alone secures data nobody uses yet. "
       "Together the security team approves the platform once.")


def click_and_wait(d, element) -> None:
    old = d.find_element(By.TAG_NAME, "html")
    element.click()
    wait_new_page(d, old)


def set_field(form, name: str, value: str) -> None:
    el = form.find_element(By.NAME, name)
    el.clear()
    if value:
        el.send_keys(value)


def pdf_pages(path) -> int:
    data = path.read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_value_proposition_written_approved_by_both_and_read(server, browser_factory, artifacts):
    base = server

    # Daniel finds it from the partnership page: the demo's version 2 is published.
    daniel = browser_factory()
    sign_in(daniel, base, DANIEL)
    daniel.get(base + "/partnerships")
    daniel.find_element(By.LINK_TEXT, "Quarry Data × Halyard Security").click()
    link = WebDriverWait(daniel, WAIT).until(lambda x: x.find_element(By.CSS_SELECTOR, "#vp-link a"))
    assert "Read the joint value proposition (version 2" in link.text
    click_and_wait(daniel, link)
    url = daniel.current_url.split("?")[0]
    sheet = daniel.find_element(By.ID, "vp-published")
    assert "Approved by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data)" in sheet.text
    assert "Security sign-off in 3 weeks, not 5 months" in sheet.text

    # He changes it; a blank figure is refused beside the field, keeping what he typed.
    details = daniel.find_element(By.ID, "vp-form-details")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    form = daniel.find_element(By.ID, "vp-form")
    set_field(form, "why_together", WHY)
    set_field(form, "proof_points_1_figure", "")
    # The browser would stop an empty required field before sending it: let the server judge.
    daniel.execute_script("arguments[0].noValidate = true", form)
    click_and_wait(daniel, daniel.find_element(By.ID, "vp-save"))
    error = daniel.find_element(By.ID, "vp-form-proof_points_1_figure-error")
    assert "Proof point 2's figure is empty" in error.text
    form = daniel.find_element(By.ID, "vp-form")
    assert form.find_element(By.NAME, "why_together").get_attribute("value") == WHY
    screenshot(daniel, artifacts, "value-proposition-refused", 1280)
    set_field(form, "proof_points_1_figure", "18% fewer quality escapes in two plants")
    click_and_wait(daniel, daniel.find_element(By.ID, "vp-save"))
    assert "Version 3 is saved as a draft" in text(daniel)
    status = daniel.find_element(By.ID, "vp-draft-status")
    assert "Version 3 waits for approval (version 2 stays published until then)" in status.text
    approvals = daniel.find_element(By.ID, "vp-approvals").text
    assert "Quarry Data: waiting" in approvals and "Halyard Security: waiting" in approvals
    # Readers still see version 2 until both companies approve.
    assert WHY not in daniel.find_element(By.ID, "vp-published").text
    click_and_wait(daniel, daniel.find_element(By.ID, "vp-approve"))
    assert "Approved for Quarry Data; a partner manager of Halyard Security approves it too" in text(daniel)
    assert "Quarry Data: approved by Daniel Reyes" in daniel.find_element(By.ID, "vp-approvals").text
    assert not daniel.find_elements(By.ID, "vp-approve")
    daniel.execute_script("document.getElementById('vp-draft').scrollIntoView()")
    screenshot(daniel, artifacts, "value-proposition-draft", 1280)

    # Marcus approves it for Halyard Security on his phone: it is published.
    marcus = browser_factory(375)
    sign_in(marcus, base, MARCUS)
    marcus.get(url)
    assert "Quarry Data: approved by Daniel Reyes" in marcus.find_element(By.ID, "vp-approvals").text
    assert overflowing(marcus) == []
    screenshot(marcus, artifacts, "value-proposition-to-approve", 375)
    click_and_wait(marcus, marcus.find_element(By.ID, "vp-approve"))
    assert "Published: both companies approved version 3" in text(marcus)
    sheet = marcus.find_element(By.ID, "vp-published")
    assert WHY in sheet.text
    assert "version 3" in sheet.text
    assert not marcus.find_elements(By.ID, "vp-draft-status")

    # Priya, a Quarry Data account executive, reads it from one of her deal pages, on her phone.
    priya = browser_factory(375)
    sign_in(priya, base, PRIYA)
    priya.get(base + "/deals")
    deal = priya.find_element(By.CSS_SELECTOR, "main a[href^='/deals/']:not([href='/deals/new'])")
    click_and_wait(priya, deal)
    link = priya.find_element(By.CSS_SELECTOR, "#vp-link a")
    assert "Read the joint value proposition (version 3" in link.text
    click_and_wait(priya, link)
    sheet = priya.find_element(By.ID, "vp-published")
    for heading in ["For whom", "The problem", "The joint solution", "Proof", "Why together", "How to engage",
                    "Door-opener plays that work", "What not to say"]:
        assert heading in sheet.text, heading
    assert WHY in sheet.text
    assert "Call at Halyard Security: Marcus Chen" in sheet.text
    assert not priya.find_elements(By.ID, "vp-form"), "an account executive reads only"
    assert not priya.find_elements(By.ID, "vp-draft")
    assert overflowing(priya) == []
    screenshot(priya, artifacts, "value-proposition", 375)
    priya.set_window_size(1280, 900)
    priya.get(url)
    assert overflowing(priya) == []
    screenshot(priya, artifacts, "value-proposition", 1280)
    screenshot(priya, artifacts, "value-proposition-print", 1280, media="print")
    pdf = save_pdf(priya, artifacts, "value-proposition")
    assert pdf_pages(pdf) == 1, f"{pdf} has {pdf_pages(pdf)} pages"

    # The named-account list links to it too.
    priya.get(base + "/partnerships")
    priya.find_element(By.LINK_TEXT, "Quarry Data × Halyard Security").click()
    WebDriverWait(priya, WAIT).until(lambda x: x.find_elements(By.LINK_TEXT, "Named accounts"))
    click_and_wait(priya, priya.find_element(By.LINK_TEXT, "Named accounts"))
    assert "(version 3" in priya.find_element(By.CSS_SELECTOR, "#vp-link a").text


def api(base: str, method: str, path: str, token: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(
        base + "/api/v1" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read())


def test_value_proposition_filled_to_its_limits_prints_on_one_page(server, browser_factory, artifacts):
    """Every field at its length limit, as many list lines as the 450-word budget allows: still one
    printed page."""
    base = server
    host, partner = "cosell_demo_host_partner_manager", "cosell_demo_partner_partner_manager"
    ps = api(base, "GET", "/partnerships", host)[0]["id"]
    path = f"/partnerships/{ps}/value-proposition"
    now = api(base, "GET", path, host)
    latest = now.get("draft") or now["published"]
    words = ("governed analytics platform security review evidence classification monitoring tenant "
             "lineage catalog sensitive approval workload ").split()

    def filler(n: int, seed: int = 0) -> str:
        out, i = "", seed
        while True:
            w = words[i % len(words)]
            if len(out) + len(w) + (1 if out else 0) > n:
                return out
            out += (" " if out else "") + w
            i += 1

    body = {
        "version": now["version"], "segment": filler(120), "roles": [filler(60, k) for k in range(4)],
        "problem": filler(400), "joint_solution": filler(700),
        "proof_points": [{"customer": filler(80, k), "outcome": filler(160, k), "figure": filler(60, k)}
                         for k in range(3)],
        "why_together": filler(400, 3), "contacts": [
            {"organization_id": c["organization_id"], "person_id": c["person_id"]} for c in latest["contacts"]],
        "door_openers": [{"kind": "warm_introduction", "organization_id": latest["contacts"][k % 2]["organization_id"],
                          "text": filler(200, k)} for k in range(3)],
        "do_not_say": [filler(140, k) for k in range(5)],
    }

    def count(b: dict) -> int:
        texts = [b["segment"], *b["roles"], b["problem"], b["joint_solution"], b["why_together"],
                 *[p[k] for p in b["proof_points"] for k in ("customer", "outcome", "figure")],
                 *[d["text"] for d in b["door_openers"]], *b["do_not_say"]]
        return sum(len(t.split()) for t in texts)

    # Drop list lines (the longest lists first) until the page is within the budget.
    while count(body) > 450:
        longest = max(["do_not_say", "door_openers", "roles"], key=lambda k: len(body[k]))
        body[longest] = body[longest][:-1]
    written = api(base, "PUT", path, partner, body)
    number = written["version"]
    api(base, "POST", path + "/approval", host, {"version": number})
    published = api(base, "POST", path + "/approval", partner, {"version": number})["published"]
    assert published["version"] == number and published["word_count"] <= 450

    d = browser_factory()
    sign_in(d, base, PRIYA)
    d.get(base + path)
    assert f"version {number}" in d.find_element(By.ID, "vp-published").text
    screenshot(d, artifacts, "value-proposition-full-print", 1280, media="print")
    pdf = save_pdf(d, artifacts, "value-proposition-full")
    assert pdf_pages(pdf) == 1, f"{pdf} has {pdf_pages(pdf)} pages ({published['word_count']} words)"
    d.set_window_size(375, 900)
    d.get(base + path)
    assert overflowing(d) == []
