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


def test_a_registration_tag_changes_when_both_companies_agree(server, browser_factory, artifacts):
    """Daniel (Quarry Data) proposes to change the tag of a won deal's accepted registration; the tag
    stays until Marcus (Halyard Security) accepts; then the page and the revenue follow."""
    base = server
    daniel, marcus = browser_factory(), browser_factory()
    sign_in(daniel, base, DANIEL)
    sign_in(marcus, base, MARCUS)
    daniel.get(base + "/deals?status=won")
    urls = sorted({a.get_attribute("href").split("?")[0]
                   for a in daniel.find_elements(By.CSS_SELECTOR, "a[href*='/deals/']")
                   if "/deals/new" not in a.get_attribute("href")})
    url = None
    for u in urls:
        daniel.get(u)
        if daniel.find_elements(By.ID, "form-registration-amendment"):
            url = u
            break
    assert url, "a won deal with an accepted registration offers Daniel the amendment form"
    sourced = "partner-sourced" in daniel.find_element(By.ID, "registration").text
    new_tag, new_source = ("partner_influenced", "host") if sourced else ("partner_sourced", "partner")
    act(daniel, url, "registration-amendment", {
        "attribution": new_tag, "sourced_by": new_source,
        "reason": "The CRM shows the opportunity was opened before the introduction."})
    page = text(daniel)
    assert "The change is proposed: the other company accepts or rejects it." in page, page
    assert "Amendment proposed" in page, page
    # The tag has not changed yet.
    standing = daniel.find_element(By.CSS_SELECTOR, "#registration p.registration").text
    assert ("partner-sourced" if sourced else "partner-influenced") in standing, standing
    shots(daniel, artifacts, "rules-amendment-proposed-quarry")

    marcus.get(url)
    assert marcus.find_elements(By.ID, "form-registration-amendment-acceptance"), text(marcus)
    assert not daniel.find_elements(By.ID, "form-registration-amendment-acceptance")
    act(marcus, url, "registration-amendment-acceptance", {})
    page = text(marcus)
    assert "The change is accepted: the registration's tag is amended." in page, page
    standing = marcus.find_element(By.CSS_SELECTOR, "#registration p.registration").text
    assert ("partner-influenced" if sourced else "partner-sourced") in standing, standing
    assert not marcus.find_elements(By.ID, "registration-amendment-pending")
    assert "Registration amended" in page, page  # the timeline's label
    shots(marcus, artifacts, "rules-amendment-accepted-halyard")
