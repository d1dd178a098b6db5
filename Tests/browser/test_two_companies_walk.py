"""The issue's acceptance test: two companies take a NEW deal from the partnership's targets to a
completed, reviewed win through the pages only, each person in their own browser session.

At each step the person who must act sees the deal's action under "Waiting on you" on their home page
and the other company's person does not see it under theirs. Every click, form submission and typed
URL of both people is counted; the walk from the targets to the completed win must fit in 25 (the
issue's budget). Where a form meets the last part of a gate, its sender passes the gate with the same
submission ("Commit Halyard Security and advance to The door-opener move").

What counts: a click on a link or a button (unfolding a folded form too), a form submission, a typed
URL. What does not: filling fields, and what the test does to look (each person's home page is read in
a second tab of their browser, screenshots, the checks after the walk). A person who takes over goes to
their home page ('Home') and opens the deal from "Waiting on you": two clicks.

Where an action either company may do waits on both people (an unowned move of both companies), the
actor gives the move its owner with its Assign form: the product's way to route it, and it is counted.
Problems found on the way (a step missing from a home page, a budget overrun) are collected and
reported together at the end, so that one run tells everything; the walk itself stops at the first
form the server refuses. The report (every counted step, the problems, and notes that do not fail the
test) is printed and written to walk-report.txt in the artifacts folder.
"""

import time
import datetime
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By

from pages import (ByLabel, ClickCounter, Person, deal_items, overflowing, save_pdf, screenshot, side_words,
                   sign_in, text)

DANIEL = "daniel.reyes@quarrydata.example"  # Quarry Data, partner manager (the host of the deals it starts)
MARCUS = "marcus.chen@halyardsecurity.example"  # Halyard Security, partner manager
# The issue's budget. Halyard's visit to accept the registration (home, the deal, accept) costs three;
# the forms that meet a gate's last part advance with the same submission.
BUDGET = 25
# How the home page would name the gate's last step; today an open gate lists nothing.
ADVANCE = r"advance|complete the playbook|move the deal"
LESSON = ("A warm introduction from Halyard Security's account team got us the CTO in a week: "
          "name the door-opener on the first day.")


class Walk:
    def __init__(self, base, artifacts, daniel: Person, marcus: Person, counter: ClickCounter):
        self.base, self.artifacts, self.daniel, self.marcus, self.counter = base, artifacts, daniel, marcus, counter
        self.deal_url = ""
        self.deal_id = ""
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.assigned: list[str] = []

    def other(self, p: Person) -> Person:
        return self.marcus if p is self.daniel else self.daniel

    def everything_for_deal(self, home: dict) -> str:
        found = []
        for key, sec in home.items():
            for item in deal_items(sec, self.deal_id):
                found.append(f"[{sec['heading']}] {item}")
        return "; ".join(found) or "nothing"

    def routed(self, actor: Person, step: str, pattern: str, move: str | None = None) -> None:
        """Before `actor` does `step`: the action (matching `pattern`) waits on them under "Waiting on
        you" and not on the other company's person. If the other also has it under "Waiting on you"
        and it is a move, the actor assigns the move to themselves (counted) and both are read again."""
        other = self.other(actor)
        mine, theirs = actor.home(), other.home()
        if move and deal_items(theirs["mine-h"], self.deal_id, pattern):
            # The other company's person had it as their own: a routing failure, even if Assign fixes it.
            self.problems.append(f"{step}: {other.name} ({other.company}) had it under 'Waiting on you' "
                                 f"before anyone was assigned")
            if actor.assign(move, actor.name):
                self.assigned.append(f"{step}: '{move}' waited on both companies' people until {actor.name} took it")
                mine, theirs = actor.home(), other.home()
            else:
                self.problems.append(f"{step}: the move '{move}' has no Assign form any more")
        if not deal_items(mine["mine-h"], self.deal_id, pattern):
            self.problems.append(
                f"{step}: {actor.name}'s home page does not show it under 'Waiting on you' "
                f"(for this deal it shows: {self.everything_for_deal(mine)})")
        leaked = deal_items(theirs["mine-h"], self.deal_id, pattern)
        if leaked:
            self.problems.append(
                f"{step}: {other.name} ({other.company}) also sees it under 'Waiting on you': {leaked}")
        # The other company is told what it waits for (when its list is not cut to the most urgent).
        partners = theirs["partners-h"]
        if (pattern != ADVANCE and partners and not partners["truncated"]
                and not deal_items(partners, self.deal_id, pattern)):
            self.note(f"{step}: {other.name} does not see it under '{partners['heading']}'", "home page")

    def handoff(self, person: Person, step: str) -> None:
        """The next person goes to their home page and opens the deal from 'Waiting on you' (2 clicks);
        when it is not listed there, they type the deal's URL (1)."""
        person.nav("Home", "'Home' in the navigation, to see what waits")
        links = [a for a in person.d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=mine-h] a")
                 if self.deal_id.lower() in (a.get_attribute("href") or "").lower()]
        if links:
            person.click(links[0], "open the deal from 'Waiting on you'")
        else:
            self.problems.append(f"{step}: {person.name} cannot open the deal from 'Waiting on you'")
            person.go(self.deal_url, "type the deal's URL")

    def stage_shots(self, person: Person, n: int, key: str) -> None:
        for w in (1280, 375):
            screenshot(person.d, self.artifacts, f"walk-deal-stage-{n}-{key}", w)
        self.check_words(person, f"deal page at stage {n}")

    def check_words(self, person: Person, where: str) -> None:
        """Notes (not failures): lines showing "host"/"partner" where a company name belongs, and what
        is wider than a 375 px screen; each said once, where first seen."""
        for line in side_words(text(person.d)):
            self.note(f"shows 'host'/'partner' as words: {line!r}", where)
        wide = self.phone_overflow(person)
        if wide:
            self.note(f"at 375 px, wider than the screen: {sorted(set(wide))}", where)

    def note(self, what: str, where: str) -> None:
        if not any(n.startswith(what) for n in self.notes):
            self.notes.append(f"{what} (first seen on the {where})")

    def phone_overflow(self, person: Person) -> list[str]:
        d = person.d
        d.set_window_size(375, 900)
        try:
            return overflowing(d)
        finally:
            d.set_window_size(1280, 900)


def choose_target(d) -> tuple[str, object]:
    """The first ranked target without a deal whose fits are both recorded and not 'none'."""
    rows = d.find_elements(By.CSS_SELECTOR, "#targets tbody tr")
    for r in rows:
        cells = r.find_elements(By.TAG_NAME, "td")
        buttons = r.find_elements(By.XPATH, ".//button[normalize-space()='Start a deal']")
        if buttons and cells[2].text.strip() not in ("none", "") and cells[3].text.strip() not in ("none", ""):
            return cells[0].text.split("\n")[0], buttons[0]
    raise AssertionError("no target account to start a deal on:\n" + "\n".join(r.text for r in rows))


def test_two_companies_take_a_new_deal_to_a_reviewed_win(server, mailbox, browser_factory, artifacts):
    base = server
    counter = ClickCounter()
    daniel = Person(browser_factory(), base, "Daniel Reyes", "Quarry Data", counter)
    marcus = Person(browser_factory(), base, "Marcus Chen", "Halyard Security", counter)
    sign_in(daniel.d, base, DANIEL)
    sign_in(marcus.d, base, MARCUS)
    w = Walk(base, artifacts, daniel, marcus, counter)
    today = datetime.date.today()

    # Daniel is on the deal board; "New deal" leads to the partnership's ranked targets.
    daniel.d.get(base + "/deals")
    daniel.click(daniel.d.find_element(By.LINK_TEXT, "New deal"), "'New deal' on the board")
    assert "#targets" in daniel.d.current_url, daniel.d.current_url
    start = counter.total  # the budget counts from the targets
    account, button = choose_target(daniel.d)
    daniel.click(button, f"'Start a deal' with {account}", kind="submit")
    assert "Deal started" in text(daniel.d), text(daniel.d)
    w.deal_url = daniel.d.current_url.split("?")[0]
    w.deal_id = w.deal_url.rstrip("/").rsplit("/", 1)[1]
    # The deal names the account without the CRM's legal suffix ("Tessellate Payments", not "… Corp").
    customer = daniel.d.execute_script(
        "return [...document.querySelectorAll('#summary dt')].find(e => e.innerText === 'Account')"
        ".nextElementSibling.innerText").replace(" (on the overlap)", "")
    w.stage_shots(daniel, 1, "target_account_selection")

    # Stage 1. Both companies' fits come from account mapping; each company commits by name.
    page = text(daniel.d)
    assert "Quarry Data's fit" in page and "Halyard Security's fit" in page, page
    advance = daniel.d.find_element(By.XPATH, "//button[normalize-space()='Advance to The door-opener move']")
    assert not advance.is_enabled()
    missing = daniel.d.find_element(By.ID, "advance-missing").text
    assert "Nobody at Halyard Security has committed to working the account." in missing, missing
    w.routed(daniel, "Quarry Data commits", r"Quarry Data: commit")
    daniel.act("commit", what="Commit Quarry Data")

    w.handoff(marcus, "Halyard Security commits")
    w.routed(marcus, "Halyard Security commits", r"Halyard Security: commit")
    marcus.act("commit", what="Commit Halyard Security and advance to The door-opener move", advance=True)
    assert "The deal advanced to The door-opener move." in text(marcus.d), text(marcus.d)[:500]
    w.stage_shots(marcus, 2, "door_opener")

    # Stage 2. Halyard Security opens the door; Marcus books the first conversation with all three.
    w.routed(marcus, "name the door-opener", r"Name the door-opener", move="Name the door-opener side and the move")
    marcus.act("door-opener", {"side": "partner", "kind": "warm_introduction", "owner_id": ByLabel("Marcus Chen")},
               "Name the door-opener")
    for wd in (1280, 375):
        screenshot(marcus.d, artifacts, "walk-deal-stage-2-meeting-form", wd)
    w.routed(marcus, "book the first meeting", r"Book the first joint conversation",
             move="Book the first joint conversation")
    # Held now, in New York: the brief is approved after the first conversation took place.
    meeting = datetime.datetime.now(ZoneInfo("America/New_York")).strftime("%Y-%m-%dT%H:%M")
    marcus.act("first-meeting", {
        "scheduled_for": meeting, "time_zone": "America/New_York",
        "attendee_name_1": "Dana Cole", "attendee_party_1": "customer", "attendee_title_1": "CTO",
        "attendee_name_2": "Daniel Reyes", "attendee_party_2": "host", "attendee_title_2": "Director, Cloud Alliances",
        "attendee_name_3": "Marcus Chen", "attendee_party_3": "partner", "attendee_title_3": "Senior Partner Manager",
    }, "Book the meeting and advance to Joint discovery", advance=True)
    assert "The deal advanced to Joint discovery." in text(marcus.d), text(marcus.d)[:500]
    w.stage_shots(marcus, 3, "joint_discovery")

    # Stage 3. One brief, written by Marcus, approved by both companies.
    w.routed(marcus, "write the brief", r"Write one shared account brief", move="Write the shared account brief")
    marcus.act("brief", {
        "customer_need": "Consolidate payments telemetry into one governed platform with runtime protection.",
        "buying_process_steps": "Technical evaluation\nSecurity review\nProcurement",
        "buying_process_decision_makers": "CTO\nCISO",
        "buying_process_timeline": "Decision by the end of the quarter",
        "stakeholder_name_1": "Dana Cole", "stakeholder_title_1": "CTO", "stakeholder_role_1": "Economic buyer",
        "stakeholder_name_2": "Lee Park", "stakeholder_title_2": "CISO", "stakeholder_role_2": "Security sign-off",
    }, "Write the brief")
    w.routed(marcus, "Halyard Security approves the brief", r"Halyard Security: approve")
    marcus.press("Approve for Halyard Security")

    w.handoff(daniel, "Quarry Data approves the brief")
    w.routed(daniel, "Quarry Data approves the brief", r"Quarry Data: approve")
    daniel.home(shots=(artifacts, "walk-home-daniel"))
    marcus.home(shots=(artifacts, "walk-home-marcus"))
    daniel.press("Approve for Quarry Data and advance to Joint pursuit and proof")
    assert "The deal advanced to Joint pursuit and proof." in text(daniel.d), text(daniel.d)[:500]
    w.stage_shots(daniel, 4, "joint_pursuit")

    # Stage 4. The pilot, one close plan owned on all three sides, the customer's confirmation.
    w.routed(daniel, "record the proof", r"proposal, proof of concept or pilot",
             move="Deliver the combined proposal, proof of concept or pilot")
    daniel.act("proof", {"kind": "pilot", "summary": "Four-week pilot on the card-processing cluster."},
               "Record the pilot")
    for wd in (1280, 375):
        screenshot(daniel.d, artifacts, "walk-deal-stage-4-close-plan-form", wd)
    soon = (today + datetime.timedelta(days=10)).isoformat()
    decision = (today + datetime.timedelta(days=30)).isoformat()
    w.routed(daniel, "write the close plan", r"close plan", move="Agree one close plan with the customer")
    daniel.act("close-plan", {
        "milestone_title_1": "Pilot readout", "milestone_party_1": "partner", "milestone_owner_1": "Marcus Chen",
        "milestone_due_1": soon,
        "milestone_title_2": "Commercial proposal", "milestone_party_2": "host", "milestone_owner_2": "Daniel Reyes",
        "milestone_due_2": soon,
        "milestone_title_3": "Security sign-off", "milestone_party_3": "customer", "milestone_owner_3": "Lee Park",
        "milestone_due_3": decision,
        "decision_date": decision,
    }, "Save the close plan")
    w.routed(daniel, "record the customer's confirmation", r"customer's confirmation")
    daniel.act("customer-confirmation", {
        "confirmed_by": "Dana Cole, CTO", "confirmed_at": today.isoformat(), "channel": "email"},
        "Record the customer's confirmation and advance to Close, register and review", advance=True)
    assert "The deal advanced to Close, register and review." in text(daniel.d), text(daniel.d)[:500]
    w.stage_shots(daniel, 5, "close_register_review")

    # Stage 5. Won at "$310,000" as people type it; registered as sourced by Halyard; reviewed.
    w.routed(daniel, "log the outcome", r"Log the outcome", move="Log the outcome")
    daniel.act("outcome", {"result": "won", "final_amount": "$310,000", "currency": "USD"}, "Log the outcome")
    w.routed(daniel, "register", r"Register the joint opportunity",
             move="Register the joint opportunity, sourced or influenced")
    daniel.act("registration", {"registration_id": "QD-HS-310", "attribution": "partner_sourced",
                                "sourced_by": "partner", "crm_opportunity_id": "006QD310"}, "Register")
    w.routed(daniel, "hold the review", r"Hold the thirty-minute review", move="Hold the thirty-minute review and capture a lesson")
    daniel.act("review", {"attendees": "Daniel Reyes\nMarcus Chen", "lesson_stage_1": "door_opener",
                          "lesson_text_1": LESSON}, "Record the review")
    # Quarry's registration counts once Halyard accepts it: Marcus is told, accepts, and the gate is met.
    w.handoff(marcus, "Halyard Security accepts the registration")
    w.routed(marcus, "Halyard Security accepts the registration", r"Halyard Security: accept the registration")
    page = text(marcus.d)
    assert "Pending: QD-HS-310" in page and "Waiting for Halyard Security to accept it" in page, page
    for wd in (1280, 375):
        screenshot(marcus.d, artifacts, "walk-registration-pending-halyard", wd)
    marcus.act("registration-acceptance", None, "Accept the registration and complete the playbook", advance=True)
    assert "The playbook is complete" in text(marcus.d), text(marcus.d)[:500]
    assert "Accepted by Marcus Chen, Halyard Security" in text(marcus.d), text(marcus.d)
    daniel.d.get(w.deal_url)  # Daniel reads the completed deal (not counted: the walk is over)
    walk_clicks = counter.total - start

    # The evidence, in words. The completed deal page folds the earlier stages: open them to read.
    d = daniel.d
    page = text(d)
    assert "Won and completed" in page, page
    assert "Final amount\n$310,000.00" in page, page
    for wd in (1280, 375):
        screenshot(d, artifacts, "walk-deal-completed", wd)
    w.check_words(daniel, "completed deal page")
    d.execute_script("document.querySelectorAll('details.stage').forEach(s => s.open = true)")
    evidence = [
        "$310,000.00", "sourced by Halyard Security", "Accepted by Marcus Chen, Halyard Security",
        "Quarry Data: Daniel Reyes (Director, Cloud Alliances)",
        "Halyard Security: Marcus Chen (Senior Partner Manager)",
        f"{customer}, the customer: Dana Cole (CTO)",
        "Pilot readout: Marcus Chen (Halyard Security)",
        "Commercial proposal: Daniel Reyes (Quarry Data)",
        f"Security sign-off: Lee Park ({customer}, the customer)",
        LESSON,
    ]
    page = text(d)
    for e in evidence:
        assert e in page, f"the completed deal page does not show {e!r}:\n{page}"

    # The printable record shows all of it without opening anything, at both widths and on paper.
    d.get(w.deal_url + "?view=print")
    record = text(d)
    for e in evidence:
        assert e in record, f"the printable record does not show {e!r}:\n{record}"
    for wd in (1280, 375):
        screenshot(d, artifacts, "walk-deal-print", wd)
        screenshot(d, artifacts, "walk-deal-print-media", wd, media="print")
    save_pdf(d, artifacts, "walk-deal-print")

    # Halyard Security sees the same record.
    marcus.d.get(w.deal_url)
    assert "Won and completed" in text(marcus.d) and "$310,000.00" in text(marcus.d)

    # The board: the card of the won deal shows the amount (the default board shows deals in play).
    d.get(base + "/deals?status=won")
    cards = [c for c in d.find_elements(By.CSS_SELECTOR, "article.deal-card")
             if w.deal_id.lower() in c.get_attribute("innerHTML").lower()]
    assert cards, text(d)
    card = cards[0].text
    assert "$310,000.00" in card, card
    for wd in (1280, 375):
        screenshot(d, artifacts, "walk-board-won", wd)
    d.get(base + "/deals")
    if w.deal_id.lower() not in d.page_source.lower():
        w.note("the default board (open or waiting for review) no longer shows the completed deal: "
                       "the won card is under Status 'Won'", "board")
    if "no owner yet" in card:
        w.note(f"the won deal's board card names no owner although both people worked it: {card!r}", "board")

    report = [f"account: {account}; deal: {w.deal_url}",
              f"clicks, submissions and typed URLs from the targets to the completed win: {walk_clicks} "
              f"(budget {BUDGET}); with 'New deal' on the board: {counter.total}",
              counter.breakdown(),
              "assignments needed to route an either-company action to one person:",
              *[f"  - {a}" for a in w.assigned],
              "problems:", *[f"  - {p}" for p in w.problems],
              "notes (not failing):", *[f"  - {n}" for n in w.notes]]
    (artifacts / "walk-report.txt").write_text("\n".join(report) + "\n")
    print("\n" + "\n".join(report))

    # Mail: each company's person was told by mail what waited on them, with a link that opens the deal.
    deal_path = "/deals/" + w.deal_id
    told: dict[str, list[dict]] = {}
    deadline = time.time() + 30
    while time.time() < deadline:
        mails = [m for m in mailbox.mails() if deal_path.lower() in (m.get("text") or "").lower()]
        told = {who: [m for m in mails if m["rcpt_tos"] == [who]] for who in (DANIEL, MARCUS)}
        if all(told.values()):
            break
        time.sleep(1)
    mail_report = [f"{who}: {[m.get('subject') for m in ms]}" for who, ms in told.items()]
    (artifacts / "walk-mail.txt").write_text("\n".join(mail_report) + "\n")
    print("\n".join(mail_report))
    for who, ms in told.items():
        if not ms:
            w.problems.append(f"{who} got no mail about the deal")
            continue
        first = ms[0]
        if not any(h[0].lower() == "list-unsubscribe" for h in first.get("headers") or []):
            w.problems.append(f"the mail to {who} has no List-Unsubscribe header")
    if told.get(MARCUS):
        link = next(word for word in told[MARCUS][0]["text"].split() if deal_path.lower() in word.lower())
        marcus.d.get(link)
        if w.deal_id.lower() not in marcus.d.current_url.lower() or "Zephyr" not in text(marcus.d) and "joint deal" not in text(marcus.d):
            w.problems.append(f"the link in Marcus Chen's mail does not open the deal: {link}")
    others = [m for m in mailbox.mails() if m["rcpt_tos"] not in ([DANIEL], [MARCUS])
              and deal_path.lower() in (m.get("text") or "").lower()]
    if others:
        w.notes.append(f"others mailed about the deal: {[m['rcpt_tos'] for m in others]}")

    failures = list(w.problems)
    if walk_clicks > BUDGET:
        failures.append(f"the walk took {walk_clicks} clicks, submissions and typed URLs; the budget is {BUDGET}")
    assert not failures, "\n".join(failures) + "\n\n" + counter.breakdown(start)
