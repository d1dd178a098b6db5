"""Named accounts per account executive, as the two people meet it: Daniel Reyes, Quarry Data's
partner manager, picks three accounts of the joint list for Priya Natarajan on the partnership's
Named accounts page; a fourth is refused with the limit named and nothing changes. Priya signs in
and her home page starts with those three accounts. Screenshots at 375 and 1280 px."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages import WAIT, overflowing, screenshot, sign_in, text, wait_new_page, xpath_literal

DANIEL = "daniel.reyes@quarrydata.example"  # Quarry Data's partner manager
PRIYA = "priya.natarajan@quarrydata.example"  # a Quarry Data account executive
PICKS = ["Northgate Retail Group", "Lumen Grid Energy", "Harborview Capital Markets"]
FOURTH = "Kestrel Logistics"
LIMIT = "at most 3 named accounts per account executive in this partnership; Priya Natarajan has 4"


def priya_form(d):
    """Priya's chooser under the table, opened."""
    summary = d.find_element(By.XPATH, "//summary[starts-with(normalize-space(), \"Choose Priya Natarajan\")]")
    details = summary.find_element(By.XPATH, "..")
    if details.get_attribute("open") is None:
        summary.click()
    return details.find_element(By.TAG_NAME, "form")


def priyas_rows(d) -> str:
    """The text of Priya's rows of Quarry Data's table."""
    rows = d.find_elements(By.CSS_SELECTOR, "#na-yours tbody tr")
    return "\n".join(r.text for r in rows if r.find_element(By.TAG_NAME, "th").text == "Priya Natarajan")


def box(form, account: str):
    label = form.find_element(By.XPATH, f".//label[normalize-space()={xpath_literal(account)}]")
    return form.find_element(By.ID, label.get_attribute("for"))


def save(d, form):
    old = d.find_element(By.TAG_NAME, "html")
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    WebDriverWait(d, WAIT).until(lambda x: button.is_displayed() and button.is_enabled())
    button.click()
    wait_new_page(d, old)


def test_partner_manager_names_three_and_the_seller_sees_them_first(server, browser_factory, artifacts):
    base = server
    daniel = browser_factory()
    sign_in(daniel, base, DANIEL)
    daniel.find_element(By.LINK_TEXT, "Partnerships").click()
    daniel.find_element(By.PARTIAL_LINK_TEXT, "Quarry Data × Halyard Security").click()
    daniel.find_element(By.LINK_TEXT, "Named accounts").click()
    WebDriverWait(daniel, WAIT).until(lambda x: "/named-accounts" in x.current_url)
    page = text(daniel)
    assert "Quarry Data's account executives" in page
    assert "Halyard Security's account executives" in page
    # The demo names three accounts for each account executive of both companies.
    assert "Aisha Bello" in page and "Jonas Weber" in page and "Liam O'Connor" in page
    assert "Choose Priya Natarajan's named accounts (3 of 3)" in page

    # Three accounts of the joint list for Priya, in place of the demo's.
    form = priya_form(daniel)
    for b in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if b.is_selected():
            b.click()
    for account in PICKS:
        box(form, account).click()
    screenshot(daniel, artifacts, "named-accounts-choosing", 1280)
    screenshot(daniel, artifacts, "named-accounts-choosing", 375)
    save(daniel, form)
    assert "Priya Natarajan has 3 named accounts now." in text(daniel)
    yours = priyas_rows(daniel)
    for account in PICKS:
        assert account in yours
    assert FOURTH not in yours

    # A fourth: refused, the limit named, nothing saved.
    form = priya_form(daniel)
    box(form, FOURTH).click()
    save(daniel, form)
    assert LIMIT in text(daniel)
    assert "Nothing was saved" in text(daniel)
    assert FOURTH not in priyas_rows(daniel)
    assert all(account in priyas_rows(daniel) for account in PICKS)
    screenshot(daniel, artifacts, "named-accounts-refused", 1280)
    screenshot(daniel, artifacts, "named-accounts-refused", 375)

    daniel.get(base + daniel.current_url.split(base)[1].split("?")[0])
    daniel.set_window_size(375, 900)
    assert overflowing(daniel) == []
    daniel.set_window_size(1280, 900)

    # Priya's home page starts with her named accounts.
    priya = browser_factory()
    sign_in(priya, base, PRIYA)
    priya.get(base + "/")
    section = priya.find_element(By.ID, "your-named-accounts")
    headings = [h.text for h in priya.find_elements(By.CSS_SELECTOR, "main h2")]
    assert headings[0] == "Your named accounts", headings
    for account in PICKS:
        assert account in section.text
    assert FOURTH not in section.text
    page = text(priya)
    assert page.index("Your named accounts") < page.index("Waiting on you")
    screenshot(priya, artifacts, "named-accounts-home", 1280)
    screenshot(priya, artifacts, "named-accounts-home", 375)
    priya.set_window_size(375, 900)
    assert overflowing(priya) == []
