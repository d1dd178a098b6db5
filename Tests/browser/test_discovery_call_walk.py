"""The partner discovery call, as the two partner managers meet it: Daniel Reyes (Quarry Data) records
the call on the partnership page, Marcus Chen (Halyard Security), in his own browser, reads it and
confirms it, Daniel confirms it too, and the partnership shows it viable, naming both. Screenshots at
375 and 1280 px; on a phone nothing runs off the side."""

import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages import WAIT, ByLabel, fill, overflowing, screenshot, sign_in, text, wait_new_page, xpath_literal

DANIEL = "daniel.reyes@quarrydata.example"
MARCUS = "marcus.chen@halyardsecurity.example"
CUSTOMER = "Nordic insurers consolidating claims analytics"
MOVE = "Run the joint workshop with the two Nordic insurers"


def open_partnership(d, base: str) -> str:
    d.get(base + "/partnerships")
    d.find_element(By.LINK_TEXT, "Quarry Data × Halyard Security").click()
    WebDriverWait(d, WAIT).until(lambda x: x.find_elements(By.ID, "discovery-call"))
    return d.current_url.split("?")[0].split("#")[0]


def check(form, label: str) -> None:
    box = form.find_element(
        By.XPATH, f".//label[contains(normalize-space(), {xpath_literal(label)})]/input[@type='checkbox']")
    if not box.is_selected():
        box.click()


def submit_and_wait(d, button_id: str) -> None:
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.ID, button_id).click()
    wait_new_page(d, old)


def test_discovery_call_recorded_and_confirmed_by_both(server, browser_factory, artifacts):
    base = server
    today = datetime.date.today().isoformat()
    due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()

    daniel = browser_factory()
    sign_in(daniel, base, DANIEL)
    # The list shows each partnership's discovery status (the demo's call is confirmed viable).
    daniel.get(base + "/partnerships")
    assert "Discovery call: Viable" in text(daniel)
    url = open_partnership(daniel, base)
    section = daniel.find_element(By.ID, "discovery-call")
    assert "Viable — confirmed by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data)" in section.text

    details = daniel.find_element(By.ID, "discovery-new-details")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    form = daniel.find_element(By.ID, "discovery-new")
    fill(form, {"held_on": today, "customer": CUSTOMER,
                "problem": "Claims data sits in three warehouses and security blocks every new report.",
                "next_move": MOVE, "next_move_owner": ByLabel("Marcus Chen"), "next_move_due": due,
                "verdict": "viable"})
    for label in ["Daniel Reyes (Quarry Data)", "Marcus Chen (Halyard Security)"]:
        check(form, label)
    for area in form.find_elements(By.CSS_SELECTOR, "textarea[name^='brings_']"):
        area.send_keys("Our half of the joint offer.")
    check(form, "Copperline Bank")
    screenshot(daniel, artifacts, "discovery-call-form", 1280)
    screenshot(daniel, artifacts, "discovery-call-form", 375)
    submit_and_wait(daniel, "discovery-new-save")
    assert "The discovery call is recorded" in text(daniel)
    section = daniel.find_element(By.ID, "discovery-call")
    assert CUSTOMER in section.text
    assert "Quarry Data: not confirmed yet" in section.text
    assert "Halyard Security: not confirmed yet" in section.text

    # Marcus Chen, in Halyard Security's browser, sees the call and confirms it (on a phone).
    marcus = browser_factory(375)
    sign_in(marcus, base, MARCUS)
    # His home page asks him to confirm it.
    assert "Confirm the discovery call with Quarry Data" in text(marcus)
    marcus.get(url)
    section = marcus.find_element(By.ID, "discovery-call")
    assert CUSTOMER in section.text and MOVE in section.text
    assert overflowing(marcus) == []
    screenshot(marcus, artifacts, "discovery-call-to-confirm", 375)
    submit_and_wait(marcus, "confirm-discovery")
    assert "Confirmed for your company" in text(marcus)
    assert "Halyard Security: confirmed by Marcus Chen" in marcus.find_element(By.ID, "discovery-call").text
    assert not marcus.find_elements(By.ID, "confirm-discovery")

    # Daniel confirms for Quarry Data: the partnership is viable, naming who confirmed.
    daniel.get(url)
    submit_and_wait(daniel, "confirm-discovery")
    assert "both companies have confirmed the discovery call" in text(daniel)
    status = daniel.find_element(By.ID, "discovery-status")
    assert status.get_attribute("data-status") == "viable"
    assert "Viable — confirmed by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data)" in status.text
    daniel.execute_script("document.getElementById('discovery-call').scrollIntoView()")
    screenshot(daniel, artifacts, "discovery-call-confirmed", 1280)
    screenshot(daniel, artifacts, "discovery-call-confirmed", 375)
    daniel.set_window_size(375, 900)
    daniel.get(url)
    assert overflowing(daniel) == []
    daniel.set_window_size(1280, 900)

    # Marcus sees it confirmed too, and nothing asks him to confirm any more.
    marcus.get(base + "/")
    assert "Confirm the discovery call with Quarry Data" not in text(marcus)
    marcus.get(url)
    assert "Daniel Reyes (Quarry Data)" in marcus.find_element(By.ID, "discovery-status").text
