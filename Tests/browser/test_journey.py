"""The whole co-sell journey in a real browser: two companies, each in its own browser session."""

import datetime
import pathlib
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pages import act, click_button, screenshot, sign_in, text

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

    # Stage 1: the host commits; advancing before the partner commits is refused, saying why.
    act(host, host_deal, "commit")
    click_button(host, "Advance to The door-opener move")
    refusal = text(host)
    assert "The exit criterion of Target account selection is not met" in refusal, refusal
    assert "Nobody on the partner side has committed to working the account." in refusal
    screenshot(host, artifacts, "deal-refused", 1280)
    # The partner, in its own session, records its fit if needed and commits.
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
    marcus = partner.find_element(By.XPATH, "//select[@id='door-opener-owner_id']/option[starts-with(normalize-space(), 'Marcus Chen')]").get_attribute("value")
    act(partner, host_deal, "door-opener", {"side": "partner", "kind": "warm_introduction", "owner_id": marcus})
    meeting = (datetime.datetime.utcnow() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT15:00")
    host.get(host_deal)
    # A wrong line is refused next to the field, keeping what was typed.
    act(host, host_deal, "first-meeting", {
        "scheduled_for": meeting,
        "attendees": "Dana Cole | buyer | CTO"})
    assert "Line 1: say host, partner or customer" in text(host)
    assert host.find_element(By.ID, "first-meeting-attendees").get_attribute("value") == "Dana Cole | buyer | CTO"
    act(host, host_deal, "first-meeting", {
        "scheduled_for": meeting,
        "attendees": "Dana Cole | customer | CTO\nDaniel Reyes | host | Partner manager\nMarcus Chen | partner | Partner manager"})
    click_button(host, "Advance to Joint discovery")
    assert "The deal advanced." in text(host), text(host)

    # Stage 3: one shared brief, approved by both companies.
    act(host, host_deal, "brief", {
        "customer_need": "Consolidate freight telemetry into one governed platform with runtime protection.",
        "buying_process_steps": "Technical evaluation\nSecurity review\nProcurement",
        "buying_process_decision_makers": "CTO\nCISO",
        "buying_process_timeline": "Decision by the end of the quarter",
        "stakeholders": "Dana Cole | CTO | economic buyer\nLee Park | CISO | security sign-off"})
    click_button(host, "Approve for Quarry Data")
    partner.get(host_deal)
    click_button(partner, "Approve for Halyard Security")
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
        "milestones": f"Pilot readout | partner | Marcus Chen | {soon}\nCommercial proposal | host | Daniel Reyes | {soon}\nSecurity sign-off | customer | Lee Park | {decision}",
        "decision_date": decision})
    act(host, host_deal, "customer-confirmation", {
        "confirmed_by": "Dana Cole, CTO", "confirmed_at": datetime.date.today().isoformat(), "channel": "email"})
    click_button(host, "Advance to Close, register and review")
    assert "The deal advanced." in text(host), text(host)

    # Stage 5: won, registered as partner-sourced, reviewed with a lesson for stage one.
    act(host, host_deal, "outcome", {"result": "won", "final_amount": "250000", "currency": "USD",
                                      "close_date": datetime.date.today().isoformat()})
    act(host, host_deal, "registration", {"registration_id": "QD-E2E-001", "attribution": "partner_sourced",
                                           "sourced_by": "partner"})
    lesson = "Start from accounts both CRMs call customers: the partner's champion opened the door in a week."
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
    assert "Lessons from earlier deals at Target account selection with this partner" in next_page
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
