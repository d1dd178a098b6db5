"""The one-page joint value proposition, as the two companies' people meet it: Daniel Reyes (Quarry
Data) opens it from the partnership page, changes it (a refused figure first, the reason beside the
field), and approves his draft for Quarry Data; Marcus Chen (Halyard Security), on his phone in his
own browser, approves it and it is published; Priya Natarajan, a Quarry Data account executive,
follows the link from one of her deal pages and reads it at 375 and 1280 px, and it prints on one
page. On a phone nothing runs off the side."""

import re

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
