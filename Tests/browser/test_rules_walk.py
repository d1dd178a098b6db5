"""Issue 14 as each company's people meet it in a browser: an override of the other company's part
takes both admins, abandoning leaves a lesson, the host reopens, and the partner company is not
offered the host's forms."""

from selenium.webdriver.common.by import By

from pages import act, open_form, screenshot, sign_in, text

MAYA = "maya.okafor@quarrydata.example"  # Quarry Data's admin
DANIEL = "daniel.reyes@quarrydata.example"  # Quarry Data's partner manager
SOFIA = "sofia.lindqvist@halyardsecurity.example"  # Halyard Security's admin
MARCUS = "marcus.chen@halyardsecurity.example"  # Halyard Security's partner manager


def deal_url(d, base: str, title_start: str) -> str:
    d.get(base + "/deals?status=all")
    link = next(a for a in d.find_elements(By.CSS_SELECTOR, "a[href*='/deals/']") if a.text.startswith(title_start))
    return link.get_attribute("href").split("?")[0]


def shots(d, artifacts, name):
    for width in (1280, 375):
        screenshot(d, artifacts, name, width)


def test_rules_as_each_company_meets_them(server, browser_factory, artifacts):
    base = server
    maya, sofia, daniel, marcus = (browser_factory() for _ in range(4))
    for d, who in ((maya, MAYA), (sofia, SOFIA), (daniel, DANIEL), (marcus, MARCUS)):
        sign_in(d, base, who)
    # Northgate: hosted by Quarry Data, at target account selection; Halyard Security has not committed.
    url = deal_url(maya, base, "Northgate")

    # Maya overrides: the missing part is Halyard's, so it waits for Halyard's admin.
    act(maya, url, "override", {"override_reason": "The customer's board meets next week; agreed on the call."})
    page = text(maya)
    assert "The override waits for an admin of the other company" in page, page
    assert "Maya Okafor of Quarry Data asked to override this gate, skipping Halyard Security's part" in page, page
    shots(maya, artifacts, "rules-override-asked-quarry")

    # Sofia is asked on her home page, and confirms on the deal.
    sofia.get(base + "/")
    assert "confirm the override" in text(sofia).lower(), text(sofia)
    sofia.get(url)
    open_form(sofia, "override")
    assert "Confirm the override of Halyard Security's part" in text(sofia), text(sofia)
    act(sofia, url, "override", {"override_reason": "Agreed: Halyard commits after the board."})
    assert "The deal advanced." in text(sofia), text(sofia)
    shots(sofia, artifacts, "rules-override-confirmed-halyard")

    # Marcus (Halyard) is not offered Quarry's forms: renaming, the outcome, reopening.
    marcus.get(url)
    page = text(marcus)
    assert "Quarry Data hosts this deal" in page, page
    assert not marcus.find_elements(By.ID, "form-details")
    assert not marcus.find_elements(By.ID, "form-lost")
    shots(marcus, artifacts, "rules-partner-view-halyard")

    # Daniel abandons it: the form asks for the lesson it leaves (the browser will not send it without).
    daniel.get(url)
    open_form(daniel, "abandon")
    lesson = daniel.find_element(By.ID, "abandon-lesson_text_1")
    assert lesson.get_attribute("required") is not None
    shots(daniel, artifacts, "rules-abandon-form")
    act(daniel, url, "abandon", {
        "reason": "The customer froze budgets until next year.",
        "lesson_text_1": "Ask who holds next year's budget before the introduction."})
    assert "Abandoned" in text(daniel), text(daniel)
    # Quarry's partner manager takes it up again; Halyard's is not offered to.
    marcus.get(url)
    assert not marcus.find_elements(By.ID, "form-reopen")
    act(daniel, url, "reopen", {"reason": "The budget is back: the CFO approved it this morning."})
    page = text(daniel)
    assert "The deal is open again at its stage." in page, page
    shots(daniel, artifacts, "rules-reopened-quarry")
