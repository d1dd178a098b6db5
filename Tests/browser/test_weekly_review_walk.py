"""The weekly review as the two partner managers run it: Daniel Reyes (Quarry Data) opens it from the
decision his home page reminds him of, reads the thirty-minute agenda, the named accounts of both
companies' account executives and the deals in the room, checks his decision off and records this
week's review with a decision for Priya Natarajan; Marcus Chen (Halyard Security), on a phone, checks
his own decision off; Priya finds hers on her home page. Screenshots at 375 and 1280 px; on a phone
nothing runs off the side."""

import datetime

from selenium.webdriver.common.by import By

from pages import overflowing, screenshot, sign_in, text, wait_new_page, xpath_literal

DANIEL = "daniel.reyes@quarrydata.example"
MARCUS = "marcus.chen@halyardsecurity.example"
PRIYA = "priya.natarajan@quarrydata.example"
DANIELS = "Send Halyard Security the list of Quarry Data's healthcare references"
MARCUSS = "Agree the proof-of-value success criteria for Meridian Health Partners with both sellers"
NEW = "Send Northgate Retail Group the joint value proposition"


def check_off(d, decision: str, label: str) -> None:
    card = d.find_element(
        By.XPATH, f"//section[@aria-labelledby='decisions-h']//li[.//strong[normalize-space()={xpath_literal(decision)}]]")
    old = d.find_element(By.TAG_NAME, "html")
    card.find_element(By.XPATH, f".//button[normalize-space()={xpath_literal(label)}]").click()
    wait_new_page(d, old)


def decision_card(d, decision: str) -> str:
    return d.find_element(
        By.XPATH, f"//section[@aria-labelledby='decisions-h']//li[.//strong[normalize-space()={xpath_literal(decision)}]]"
    ).text


def test_weekly_review_runs_on_decisions_named_accounts_and_the_room(server, browser_factory, artifacts):
    base = server
    daniel = browser_factory()
    sign_in(daniel, base, DANIEL)
    # The decision carried from two reviews back waits on Daniel, late.
    home = daniel.find_element(By.ID, "partnership-actions")
    assert DANIELS in home.text
    card = home.find_element(By.XPATH, f".//li[.//strong[normalize-space()={xpath_literal(DANIELS)}]]")
    assert "Decision of the weekly review" in card.text and "overdue" in card.text
    card.find_element(By.TAG_NAME, "a").click()
    assert "/reviews/" in daniel.current_url and daniel.current_url.endswith("#decisions")
    url = daniel.current_url.split("#")[0]

    # The agenda: what needs a decision first, at most thirty minutes, ending with the decisions.
    agenda = daniel.find_element(By.CSS_SELECTOR, "ol.agenda")
    items = agenda.find_elements(By.TAG_NAME, "li")
    minutes = [int(i.find_element(By.CLASS_NAME, "minutes").text.split()[0]) for i in items
               if i.find_element(By.CLASS_NAME, "minutes").text != "after"]
    assert 0 < sum(minutes) <= 30
    assert "stalled deal" in items[0].text
    assert "Confirm the decisions taken" in items[-1].text
    assert "3 open decisions from earlier reviews" in agenda.text
    # Named accounts of both companies' account executives; the deals in the room with their gates.
    named = daniel.find_element(By.ID, "review-named-accounts").text
    assert "Priya Natarajan" in named and "Aisha Bello" in named and "Halyard Security" in named
    room = daniel.find_element(By.XPATH, "//section[@aria-labelledby='in-the-room-h']").text
    assert "Gates:" in room and "passed" in room and "Late:" in room
    screenshot(daniel, artifacts, "weekly-review", 1280)
    screenshot(daniel, artifacts, "weekly-review", 375)
    daniel.set_window_size(375, 900)
    daniel.get(url)
    assert overflowing(daniel) == []
    daniel.set_window_size(1280, 900)

    # Daniel checks his decision off: done, naming him; the agenda counts one decision less.
    check_off(daniel, DANIELS, "Done")
    assert "is done." in text(daniel)
    assert "Checked off by Daniel Reyes" in decision_card(daniel, DANIELS)
    assert "2 open decisions from earlier reviews" in daniel.find_element(By.CSS_SELECTOR, "ol.agenda").text
    daniel.get(base + "/")
    assert DANIELS not in text(daniel)

    # Marcus Chen, on his phone, finds his late decision on his home page and checks it off.
    marcus = browser_factory(375)
    sign_in(marcus, base, MARCUS)
    assert MARCUSS in marcus.find_element(By.ID, "partnership-actions").text
    marcus.get(url)
    assert overflowing(marcus) == []
    check_off(marcus, MARCUSS, "Done")
    assert "Checked off by Marcus Chen" in decision_card(marcus, MARCUSS)
    screenshot(marcus, artifacts, "weekly-review-checked-off", 375)
    marcus.get(base + "/")
    assert MARCUSS not in text(marcus)

    # Daniel records this week's review with a decision for Priya Natarajan, due in three days.
    due = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    daniel.get(url)
    form = daniel.find_element(By.CSS_SELECTOR, "form textarea[name='decisions']").find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.NAME, "attendees").send_keys("Daniel Reyes\nMarcus Chen")
    form.find_element(By.NAME, "decisions").send_keys(f"{NEW} | Priya Natarajan | {due}")
    old = daniel.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    wait_new_page(daniel, old)
    assert "The review is recorded." in text(daniel)
    assert NEW in daniel.find_element(By.XPATH, "//section[@aria-labelledby='record-h']").text

    # Priya's home page has it, with its due date; the mail sweep and next week's review carry it.
    priya = browser_factory(375)
    sign_in(priya, base, PRIYA)
    actions = priya.find_element(By.ID, "partnership-actions").text
    assert NEW in actions and "Due" in actions
    screenshot(priya, artifacts, "weekly-review-decision-on-home", 375)
