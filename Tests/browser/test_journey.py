"""The whole co-sell journey in a real browser: two companies, each in its own browser session."""

import datetime
from zoneinfo import ZoneInfo
import pathlib
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from pages import ByLabel, act, click_button, screenshot, sign_in, text

HOST_PM = "daniel.reyes@quarrydata.example"  # Quarry Data, partner manager
HOST_ADMIN = "maya.okafor@quarrydata.example"
PARTNER_PM = "marcus.chen@halyardsecurity.example"  # Halyard Security, partner manager

HOST_CSV = """account_id,name,website,country,industry,employees,status
Q-1,Zephyr Freight,zephyrfreight.example,US,Logistics,1200,customer
Q-2,Ardent Biologics,ardentbio.example,US,Healthcare,800,customer
Q-3,Quanta Mills,quantamills.example,DE,Manufacturing,3000,prospect
Q-4,,nameless.example,US,Retail,10,prospect
"""

PARTNER_CSV = """Record ID,Company name,Company Domain Name,Country/Region,Industry,Number of Employees,Lifecycle Stage
H-1,Zephyr Freight Inc.,zephyrfreight.example,United States,Logistics,1200,customer
H-2,Ardent Biologics,ardentbio.example,United States,Healthcare,800,customer
H-3,Northwind Traders,northwind.example,United States,Retail,400,lead
"""


def import_file(d, base, content: str, name: str) -> str:
    """Uploads a CRM export, checks the detected format, confirms and waits for the result."""
    folder = pathlib.Path(tempfile.mkdtemp())
    path = folder / name
    path.write_text(content)
    d.get(base + "/import")
    d.find_element(By.ID, "import-file").send_keys(str(path))
    click_button(d, "Upload and check")
    assert "Check the columns" in text(d)
    detected = d.find_element(By.ID, "detected-format").text
    # The file replaces the demo's list: the check says what it would retire and waits for a yes.
    boxes = d.find_elements(By.ID, "confirm-retirements")
    if boxes:
        assert "This file would retire" in d.find_element(By.ID, "retire-warning").text
        boxes[0].click()
    click_button(d, "Import")
    WebDriverWait(d, 30).until(lambda x: x.find_element(By.ID, "import-status").text != "running")
    assert d.find_element(By.ID, "import-status").text == "succeeded", text(d)
    return detected


def test_co_sell_journey(server, browser_factory, artifacts):
    base = server
    host = browser_factory()
    partner = browser_factory()
    sign_in(host, base, HOST_PM)
    sign_in(partner, base, PARTNER_PM)
    assert "Hello, Daniel" in text(host)
    assert "Hello, Marcus" in text(partner)

    # Both companies import a small CRM export; the page shows the detected format and the result.
    assert import_file(host, base, HOST_CSV, "quarry-accounts.csv") == "generic"
    result = text(host)
    assert "Rows read 4" in result and "Added 3" in result and "Rejected: no account name 1" in result, result
    host_import_url = host.current_url
    screenshot(host, artifacts, "import-result", 1280)
    assert import_file(partner, base, PARTNER_CSV, "halyard-hubspot.csv") == "hubspot"

    # A partner user on a host-only page gets "not found".
    partner.get(host_import_url)
    assert "Not found" in text(partner)

    # Start a deal from a ranked target account.
    host.get(base + "/partnerships")
    host.find_element(By.PARTIAL_LINK_TEXT, "Quarry Data").click()
    assert "Zephyr Freight" in text(host)
    screenshot(host, artifacts, "partnership", 1280)
    screenshot(host, artifacts, "partnership", 375)
    click_button(host, "Start a deal")  # the top-ranked target
    host_deal = host.current_url.split("?")[0]
    assert "/deals/" in host_deal
    assert "Deal started" in text(host)
    deal_title = host.find_element(By.TAG_NAME, "h1").text

    # Stage 1: the host commits. Advance stays disabled while the partner has not, saying what is
    # missing; the server refuses it too if the form is sent anyway.
    act(host, host_deal, "commit")
    advance = host.find_element(By.XPATH, "//button[normalize-space()='Advance to The door-opener move']")
    assert not advance.is_enabled()
    missing = host.find_element(By.ID, "advance-missing").text
    assert "Nobody at Halyard Security has committed to working the account." in missing, missing
    old = host.find_element(By.TAG_NAME, "html")
    host.execute_script("arguments[0].disabled = false; arguments[0].form.requestSubmit(arguments[0]);", advance)
    WebDriverWait(host, 30).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)
    refusal = text(host)
    assert "The exit criterion of Target account selection is not met" in refusal, refusal
    assert "Nobody at Halyard Security has committed to working the account." in refusal
    screenshot(host, artifacts, "deal-refused", 1280)
    # The partner, in its own session, records its fit (account mapping computed one) and commits.
    partner.get(host_deal)
    assert deal_title in text(partner)
    act(partner, host_deal, "icp-fit", {"fit": "strong", "note": "Runs our platform in two regions."})
    act(partner, host_deal, "commit")
    host.get(host_deal)
    act(host, host_deal, "icp-fit", {"fit": "strong"})
    click_button(host, "Advance to The door-opener move")
    assert "The deal advanced." in text(host), text(host)

    # Stage 2: the partner names the door-opener; the host books the first joint conversation.
    partner.get(host_deal)
    act(partner, host_deal, "door-opener",
        {"side": "partner", "kind": "warm_introduction", "owner_id": ByLabel("Marcus Chen")})
    # Held now, in London: the brief is approved after the first conversation took place.
    meeting = datetime.datetime.now(ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M")
    host.get(host_deal)
    # A row without its company is refused beside the field, keeping what was typed.
    act(host, host_deal, "first-meeting", {
        "scheduled_for": meeting, "attendee_name_1": "Dana Cole", "attendee_title_1": "CTO"})
    assert "Choose the company Dana Cole comes from, or the customer." in text(host), text(host)
    party = host.find_element(By.ID, "first-meeting-attendee_party_1")
    assert party.get_attribute("aria-invalid") == "true"
    assert host.find_element(By.ID, "first-meeting-attendee_name_1").get_attribute("value") == "Dana Cole"
    assert host.find_element(By.ID, "first-meeting-scheduled_for").get_attribute("value") == meeting
    screenshot(host, artifacts, "deal-meeting-error", 375)
    act(host, host_deal, "first-meeting", {
        "scheduled_for": meeting, "time_zone": "Europe/London",
        "attendee_name_1": "Dana Cole", "attendee_party_1": "customer", "attendee_title_1": "CTO",
        "attendee_name_2": "Daniel Reyes", "attendee_party_2": "host", "attendee_title_2": "Partner manager",
        "attendee_name_3": "Marcus Chen", "attendee_party_3": "partner", "attendee_title_3": "Partner manager"})
    assert "Halyard Security: Marcus Chen (Partner manager)" in text(host), text(host)
    click_button(host, "Advance to Joint discovery")
    assert "The deal advanced." in text(host), text(host)

    # Stage 3: one shared brief, approved by both companies.
    act(host, host_deal, "brief", {
        "customer_need": "Consolidate freight telemetry into one governed platform with runtime protection.",
        "buying_process_steps": "Technical evaluation\nSecurity review\nProcurement",
        "buying_process_decision_makers": "CTO\nCISO",
        "buying_process_timeline": "Decision by the end of the quarter",
        "stakeholder_name_1": "Dana Cole", "stakeholder_title_1": "CTO", "stakeholder_role_1": "economic buyer",
        "stakeholder_name_2": "Lee Park", "stakeholder_title_2": "CISO", "stakeholder_role_2": "security sign-off"})
    assert "Dana Cole (CTO, economic buyer); Lee Park (CISO, security sign-off)" in text(host), text(host)
    click_button(host, "Approve for Quarry Data")
    partner.get(host_deal)
    click_button(partner, "Approve for Halyard Security only")
    host.get(host_deal)
    click_button(host, "Advance to Joint pursuit and proof")
    assert "The deal advanced." in text(host), text(host)

    # Stage 4: proof, one close plan with owners on all three sides, the customer's confirmation.
    partner.get(host_deal)
    act(partner, host_deal, "proof", {"kind": "pilot", "summary": "Four-week pilot on two distribution centres."})
    decision = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    soon = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    host.get(host_deal)
    act(host, host_deal, "close-plan", {
        "milestone_title_1": "Pilot readout", "milestone_party_1": "partner", "milestone_owner_1": "Marcus Chen",
        "milestone_due_1": soon,
        "milestone_title_2": "Commercial proposal", "milestone_party_2": "host", "milestone_owner_2": "Daniel Reyes",
        "milestone_due_2": soon,
        "milestone_title_3": "Security sign-off", "milestone_party_3": "customer", "milestone_owner_3": "Lee Park",
        "milestone_due_3": decision,
        "decision_date": decision})
    assert "Pilot readout: Marcus Chen (Halyard Security)" in text(host), text(host)
    act(host, host_deal, "customer-confirmation", {
        "confirmed_by": "Dana Cole, CTO", "confirmed_at": datetime.date.today().isoformat(), "channel": "email"})
    click_button(host, "Advance to Close, register and review")
    assert "The deal advanced." in text(host), text(host)

    # Stage 5: won, registered as partner-sourced, reviewed with a lesson for stage one.
    act(host, host_deal, "outcome", {"result": "won", "final_amount": "250000", "currency": "USD",
                                      "close_date": datetime.date.today().isoformat()})
    act(host, host_deal, "registration", {"registration_id": "QD-E2E-001", "attribution": "partner_sourced",
                                           "sourced_by": "partner"})
    # Halyard Security's partner manager accepts Quarry Data's registration.
    partner.get(host_deal)
    assert "Waiting for Halyard Security to accept it" in text(partner), text(partner)
    act(partner, host_deal, "registration-acceptance")
    assert "Accepted by Marcus Chen, Halyard Security" in text(partner), text(partner)
    host.get(host_deal)
    lesson = "Start from accounts both CRMs call customers: Halyard Security's champion opened the door in a week."
    act(host, host_deal, "review", {"held_on": datetime.date.today().isoformat(),
                                     "attendees": "Daniel Reyes\nMarcus Chen",
                                     "lesson_stage_1": "target_account_selection", "lesson_text_1": lesson})
    click_button(host, "Complete the playbook")
    page = text(host)
    assert "Won and completed" in page, page
    screenshot(host, artifacts, "deal-completed", 1280)
    screenshot(host, artifacts, "deal-completed", 375)

    # The next deal with this partner is offered the lesson at its first stage.
    host.get(base + "/partnerships")
    host.find_element(By.PARTIAL_LINK_TEXT, "Quarry Data").click()
    click_button(host, "Start a deal")
    next_page = text(host)
    assert "Lessons from earlier deals at Target account selection with Halyard Security" in next_page
    assert lesson in next_page
    screenshot(host, artifacts, "deal-next", 1280)
    screenshot(host, artifacts, "deal-next", 375)

    # The main pages, at a phone's and a laptop's width.
    for path, name in [("/", "home"), ("/deals", "board"), ("/playbooks", "playbooks")]:
        host.get(base + path)
        screenshot(host, artifacts, name, 375)
        screenshot(host, artifacts, name, 1280)
    host.get(base + "/playbooks")
    host.find_element(By.PARTIAL_LINK_TEXT, "Co-sell playbook").click()
    screenshot(host, artifacts, "playbook", 1280)
    admin = browser_factory(1280)
    sign_in(admin, base, HOST_ADMIN)
    # An admin changes what Quarry Data shares of a population; Halyard Security sees it; then it is put back.
    admin.get(base + "/partnerships")
    admin.find_element(By.PARTIAL_LINK_TEXT, "Quarry Data").click()
    partnership_url = admin.current_url.split("?")[0].split("#")[0]
    before = admin.find_element(By.ID, "share-prospect").get_attribute("value")
    Select(admin.find_element(By.ID, "share-prospect")).select_by_value("overlapping_accounts")
    old = admin.find_element(By.TAG_NAME, "html")
    admin.find_element(By.ID, "share-prospect").find_element(By.XPATH, "./ancestor::form//button").click()
    WebDriverWait(admin, 30).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)
    assert "Sharing saved." in text(admin), text(admin)
    assert admin.find_element(By.ID, "share-prospect").get_attribute("value") == "overlapping_accounts"
    partner.get(partnership_url)
    row = partner.find_element(By.XPATH, "//section[@aria-labelledby='sharing-h']//tr[th[normalize-space()='prospect']]")
    assert row.find_elements(By.TAG_NAME, "td")[-1].text == "overlapping accounts", row.text
    Select(admin.find_element(By.ID, "share-prospect")).select_by_value(before)
    old = admin.find_element(By.TAG_NAME, "html")
    admin.find_element(By.ID, "share-prospect").find_element(By.XPATH, "./ancestor::form//button").click()
    WebDriverWait(admin, 30).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)
    assert admin.find_element(By.ID, "share-prospect").get_attribute("value") == before

    # The partnership's reports count the won deal.
    host.get(partnership_url)
    host.find_element(By.LINK_TEXT, "Reports").click()
    WebDriverWait(host, 30).until(lambda x: "Pipeline by stage" in text(x))
    reports = text(host)
    assert "Win rate" in reports and "won" in reports, reports
    screenshot(host, artifacts, "reports", 1280)
    screenshot(host, artifacts, "reports", 375)

    admin.get(base + "/audit")
    assert "Audit log" in text(admin)
    screenshot(admin, artifacts, "audit", 1280)
    screenshot(admin, artifacts, "audit", 375)
    admin.get(base + "/sign-in")


def test_sign_in_errors_keep_the_email(server, browser_factory, artifacts):
    d = browser_factory()
    d.get(server + "/")
    assert "/sign-in" in d.current_url
    d.find_element(By.ID, "sign-in-email").send_keys(HOST_PM)
    d.find_element(By.ID, "sign-in-password").send_keys("wrong password")
    click_button(d, "Sign in")
    assert "The e-mail or the password is wrong." in text(d)
    assert d.find_element(By.ID, "sign-in-email").get_attribute("value") == HOST_PM
    screenshot(d, artifacts, "sign-in-error", 375)


def test_keyboard_reaches_the_main_navigation(server, browser_factory):
    from selenium.webdriver.common.keys import Keys
    d = browser_factory()
    sign_in(d, server, HOST_PM)
    body = d.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = d.switch_to.active_element
    assert first.text == "Skip to content"
    seen = []
    for _ in range(8):
        d.switch_to.active_element.send_keys(Keys.TAB)
        seen.append(d.switch_to.active_element.text)
    assert "Deals" in seen and "Partnerships" in seen, seen
    # Focus is visible: the focused link has an outline.
    outline = d.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
