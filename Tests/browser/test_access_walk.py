"""Joining and getting back in, as the people of each company meet it: Sofia Lindqvist, Halyard
Security's admin, invites a new partner manager on the People page; the invitation arrives by mail
through a real SMTP server, its link lets Lucas choose a password and lands him on his home page;
later he has forgotten it and resets it from the sign-in page, by mail too."""

import re
import time
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from pages import WAIT, click_button, screenshot, sign_in, text

SOFIA = "sofia.lindqvist@halyardsecurity.example"  # Halyard Security's admin
LUCAS = "lucas.moreau@halyardsecurity.example"  # invited in this walk
FIRST = "harbour lights at dawn"
SECOND = "a quieter harbour at dusk"


def wait_for_mail(mailbox, to: str, subject_part: str, seen: int = 0, timeout: float = 60) -> dict:
    """The first mail to `to` whose subject holds `subject_part`, after `seen` such mails."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [m for m in mailbox.mails() if to in m["rcpt_tos"] and subject_part in (m.get("subject") or "")]
        if len(found) > seen:
            return found[seen]
        time.sleep(0.5)
    raise AssertionError(f"no mail to {to} about {subject_part!r} within {timeout} s: "
                         f"{[(m['rcpt_tos'], m.get('subject')) for m in mailbox.mails()]}")


def link_in(mail: dict, base: str, prefix: str) -> str:
    m = re.search(re.escape(base + prefix) + r"\S+", mail.get("text") or "")
    assert m, mail.get("text")
    return m.group(0)


def test_invited_by_mail_then_reset_by_mail(server, browser_factory, mailbox, artifacts):
    base = server
    sofia = browser_factory()
    sign_in(sofia, base, SOFIA)
    sofia.find_element(By.LINK_TEXT, "People").click()
    assert "People of Halyard Security" in text(sofia)
    sofia.find_element(By.ID, "invite-name").send_keys("Lucas Moreau")
    sofia.find_element(By.ID, "invite-email").send_keys(LUCAS)
    Select(sofia.find_element(By.ID, "invite-role")).select_by_value("partner_manager")
    screenshot(sofia, artifacts, "access-people-page", 1280)
    screenshot(sofia, artifacts, "access-people-page", 375)
    click_button(sofia, "Invite")
    assert f"Lucas Moreau is invited: the link is on its way to {LUCAS}." in text(sofia)
    # Each other person has a visible Deactivate button (not for Sofia herself).
    deactivate = sofia.find_element(By.CSS_SELECTOR, "button[aria-label='Deactivate Marcus Chen']")
    assert deactivate.is_displayed() and deactivate.size["width"] > 0
    # Readable on the white table (a header-style link button was white on white).
    assert deactivate.value_of_css_property("color") not in ("rgba(255, 255, 255, 1)", "rgb(255, 255, 255)")
    assert not sofia.find_elements(By.CSS_SELECTOR, "button[aria-label='Deactivate Sofia Lindqvist']")
    invitations = sofia.find_element(By.ID, "invitations-h").find_element(By.XPATH, "..").text
    assert LUCAS in invitations and "Partner manager" in invitations

    mail = wait_for_mail(mailbox, LUCAS, "invited you")
    assert mail["subject"] == "Sofia Lindqvist invited you to cosell for Halyard Security"
    join = link_in(mail, base, "/join/")

    lucas = browser_factory()
    lucas.get(join)
    assert "Join Halyard Security on cosell" in text(lucas)
    assert "partner manager" in text(lucas)
    screenshot(lucas, artifacts, "access-join", 375)
    lucas.find_element(By.ID, "join-password").send_keys(FIRST)
    lucas.find_element(By.ID, "join-password_again").send_keys(FIRST)
    click_button(lucas, "Join Halyard Security")
    assert urllib.parse.urlparse(lucas.current_url).path == "/"
    assert "Welcome to cosell, Lucas Moreau. You joined Halyard Security." in text(lucas)
    assert "Lucas Moreau · Halyard Security" in text(lucas)
    screenshot(lucas, artifacts, "access-joined-home", 1280)
    # The link worked once.
    again = browser_factory()
    again.get(join)
    assert "This invitation cannot be used" in text(again)
    # Sofia's page lists Lucas among the people now, not among the invitations.
    sofia.get(base + "/settings/people")
    people = sofia.find_element(By.ID, "people-h").find_element(By.XPATH, "..").text
    assert "Lucas Moreau" in people

    # Weeks later Lucas has forgotten his password.
    forgot = browser_factory()
    forgot.get(base + "/sign-in")
    forgot.find_element(By.LINK_TEXT, "Forgot your password?").click()
    forgot.find_element(By.ID, "reset-request-email").send_keys(LUCAS)
    click_button(forgot, "Mail me a link")
    assert "a link to choose a new password is on its way" in text(forgot)
    reset_mail = wait_for_mail(mailbox, LUCAS, "Reset your cosell password")
    reset = link_in(reset_mail, base, "/password-reset/")
    forgot.get(reset)
    forgot.find_element(By.ID, "reset-password").send_keys(SECOND)
    forgot.find_element(By.ID, "reset-password_again").send_keys(SECOND + " and more")
    click_button(forgot, "Save the new password")
    assert "The two passwords differ" in text(forgot)
    screenshot(forgot, artifacts, "access-reset-mismatch", 375)
    forgot.find_element(By.ID, "reset-password").send_keys(SECOND)
    forgot.find_element(By.ID, "reset-password_again").send_keys(SECOND)
    click_button(forgot, "Save the new password")
    assert "Your password is changed. You were signed out everywhere else." in text(forgot)
    # The browser Lucas joined with was signed out by the reset.
    lucas.get(base + "/")
    WebDriverWait(lucas, WAIT).until(lambda x: "/sign-in" in x.current_url)
    # The old password no longer opens a session; the new one does.
    lucas.find_element(By.ID, "sign-in-email").send_keys(LUCAS)
    lucas.find_element(By.ID, "sign-in-password").send_keys(FIRST)
    click_button(lucas, "Sign in")
    assert "/sign-in" in lucas.current_url
    lucas.find_element(By.ID, "sign-in-password").send_keys(SECOND)
    click_button(lucas, "Sign in")
    assert urllib.parse.urlparse(lucas.current_url).path == "/"
