import CoSellDomain
import Foundation

extension DealPageView.Renderer {
    @HTMLBuilder
    func evidenceForms(_ stage: Stage) -> [Node] {
        let mine = m.viewerSide
        let e = d.evidence
        switch stage.exitCriterion.kind {
        case .targetAccountSelection:
            actionForm(
                "icp-fit", "Record \(company(mine))'s ideal-customer-profile fit",
                open: e.targetSelection.icpFit[mine] == nil
            ) {
                Layout.select(
                    "fit", "Fit", options: Fit.allCases.map { ($0.rawValue, $0.rawValue.capitalized) },
                    selected: value("icp-fit", "fit", e.targetSelection.icpFit[mine]?.fit.rawValue),
                    error: error("icp-fit", "fit"), formID: "icp-fit")
                Layout.textArea(
                    "note", "Why (optional)", value: value("icp-fit", "note", e.targetSelection.icpFit[mine]?.note),
                    error: error("icp-fit", "note"), formID: "icp-fit")
                submit("Save fit", filling: "icp-fit")
            }
            if e.targetSelection.commitments[mine] == nil {
                actionForm("commit", "Commit \(company(mine)) to working this account", open: true) {
                    el("p") { "You commit your company, by name, to work this account jointly." }
                    submit("Commit \(company(mine))", filling: "commit")
                }
            }
        case .doorOpener:
            actionForm("door-opener", "Name the door-opener move", open: e.doorOpener.doorOpener == nil) {
                Layout.select(
                    "side", "Door-opener side", options: Side.allCases.map { ($0.rawValue, company($0)) },
                    selected: value(
                        "door-opener", "side", (e.doorOpener.doorOpener?.side ?? d.suggestedDoorOpener)?.rawValue),
                    error: error("door-opener", "side"), formID: "door-opener")
                Layout.select(
                    "kind", "Move", options: DoorOpenerKind.allCases.map { ($0.rawValue, $0.title) },
                    selected: value("door-opener", "kind", e.doorOpener.doorOpener?.kind.rawValue),
                    error: error("door-opener", "kind"), formID: "door-opener")
                Layout.select(
                    "owner_id", "Owner", options: peopleOptions(),
                    selected: value("door-opener", "owner_id", e.doorOpener.doorOpener?.ownerID.uuidString),
                    error: error("door-opener", "owner_id"), formID: "door-opener")
                submit("Name the door-opener", filling: "door-opener")
            }
            actionForm(
                "first-meeting", "Book the first joint conversation",
                open: e.doorOpener.firstMeeting == nil && e.doorOpener.doorOpener != nil
            ) {
                Layout.field(
                    "scheduled_for", "Date and time", value: value("first-meeting", "scheduled_for"),
                    type: "datetime-local", required: true, error: error("first-meeting", "scheduled_for"),
                    formID: "first-meeting")
                Layout.select(
                    "time_zone", "Time zone",
                    options: Self.timeZones.map { ($0, $0.replacingOccurrences(of: "_", with: " ")) },
                    selected: value("first-meeting", "time_zone", e.doorOpener.firstMeeting?.timeZone ?? "UTC"),
                    error: error("first-meeting", "time_zone"),
                    formID: "first-meeting")
                rowsFieldset(
                    "first-meeting", legend: "Attendees: the customer and both companies must attend",
                    rows: (e.doorOpener.firstMeeting?.attendees ?? []).map {
                        [
                            "attendee_name": $0.name, "attendee_party": $0.party.rawValue,
                            "attendee_title": $0.title ?? "",
                        ]
                    },
                    columns: [
                        .text("attendee_name", "Name", list: "people-\(d.id.uuidString.prefix(8))"),
                        .party("attendee_party", "Company"), .text("attendee_title", "Title"),
                    ])
                submit("Book the meeting", filling: "first-meeting")
            }
        case .jointDiscovery:
            let active = e.jointDiscovery.activeBriefs
            for b in active {
                el("div", .cls("card")) {
                    el("h3") { "The account brief by \(company(b.writtenBy))" }
                    el("p") {
                        for side in Side.allCases {
                            if let a = b.approvals[side] {
                                Layout.badge("approved by \(a.personName) (\(company(side)))", "ok")
                            } else {
                                Layout.badge("\(company(side)) has not approved", "warn")
                            }
                            " "
                        }
                    }
                    if b.approvals[mine] == nil {
                        Layout.postForm(
                            SiteRoute.dealAction(d.id, "approve-brief"), csrf: m.chrome.csrf,
                            attrs: [.cls("inline")]
                        ) {
                            el("input", .type("hidden"), .name("brief_id"), .value(b.id.uuidString))
                            submit("Approve for \(company(mine))", filling: "approve-brief")
                        }
                    }
                    actionForm("withdraw-brief-\(b.id.uuidString.prefix(8))", "Withdraw this brief") {
                        el("input", .type("hidden"), .name("brief_id"), .value(b.id.uuidString))
                        Layout.field(
                            "reason", "Reason",
                            value: value("withdraw-brief-\(b.id.uuidString.prefix(8))", "reason"), required: true,
                            error: error("withdraw-brief-\(b.id.uuidString.prefix(8))", "reason"),
                            formID: "wb\(b.id.uuidString.prefix(8))")
                        submit("Withdraw")
                    }
                }
            }
            let existing = active.first
            actionForm(
                "brief", existing == nil ? "Write the shared account brief" : "Edit the shared account brief",
                open: existing == nil
            ) {
                if let existing { el("input", .type("hidden"), .name("brief_id"), .value(existing.id.uuidString)) }
                Layout.textArea(
                    "customer_need", "The customer's need",
                    value: value("brief", "customer_need", existing?.customerNeed),
                    required: true, rows: 4, error: error("brief", "customer_need"), formID: "brief")
                Layout.textArea(
                    "buying_process_steps", "Buying process steps, one per line",
                    value: value(
                        "brief", "buying_process_steps", existing?.buyingProcess.steps.joined(separator: "\n")),
                    required: true, error: error("brief", "buying_process_steps"), formID: "brief")
                Layout.textArea(
                    "buying_process_decision_makers", "Decision makers, one per line",
                    value: value(
                        "brief", "buying_process_decision_makers",
                        existing?.buyingProcess.decisionMakers.joined(separator: "\n")),
                    required: true, error: error("brief", "buying_process_decision_makers"), formID: "brief")
                Layout.field(
                    "buying_process_timeline", "Decision timeline",
                    value: value("brief", "buying_process_timeline", existing?.buyingProcess.timeline),
                    required: true,
                    error: error("brief", "buying_process_timeline"), formID: "brief")
                rowsFieldset(
                    "brief", legend: "Stakeholders at the customer",
                    rows: (existing?.stakeholders ?? []).map {
                        [
                            "stakeholder_name": $0.name, "stakeholder_title": $0.title ?? "",
                            "stakeholder_role": $0.role ?? "",
                        ]
                    },
                    columns: [
                        .text("stakeholder_name", "Name"), .text("stakeholder_title", "Title"),
                        .text("stakeholder_role", "Role in the decision"),
                    ])
                submit(existing == nil ? "Write the brief" : "Save the brief")
            }
        case .jointPursuit:
            actionForm("proof", "Record the proposal, proof of concept or pilot", open: e.jointPursuit.proof == nil) {
                Layout.select(
                    "kind", "Kind",
                    options: ProofKind.allCases.map {
                        ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " "))
                    },
                    selected: value("proof", "kind", e.jointPursuit.proof?.kind.rawValue),
                    error: error("proof", "kind"), formID: "proof")
                Layout.textArea(
                    "summary", "Summary", value: value("proof", "summary", e.jointPursuit.proof?.summary),
                    required: true,
                    error: error("proof", "summary"), formID: "proof")
                submit("Save", filling: "proof")
            }
            let plan = e.jointPursuit.activeClosePlans.first
            actionForm(
                "close-plan", plan == nil ? "Write the one close plan" : "Edit the close plan",
                open: plan == nil && e.jointPursuit.proof != nil
            ) {
                if let plan { el("input", .type("hidden"), .name("plan_id"), .value(plan.id.uuidString)) }
                rowsFieldset(
                    "close-plan",
                    legend:
                        "Milestones to the decision: \(company(.host)), \(company(.partner)) and the customer each own one",
                    rows: (plan?.milestones ?? []).map {
                        [
                            "milestone_title": $0.title, "milestone_party": $0.ownerParty.rawValue,
                            "milestone_owner": $0.ownerName, "milestone_due": $0.dueOn.description,
                        ]
                    },
                    columns: [
                        .text("milestone_title", "Milestone"), .party("milestone_party", "Company"),
                        .text("milestone_owner", "Owner", list: "people-\(d.id.uuidString.prefix(8))"),
                        .date("milestone_due", "Due"),
                    ])
                Layout.field(
                    "decision_date", "Decision date",
                    value: value("close-plan", "decision_date", plan?.decisionDate.description),
                    type: "date", required: true, error: error("close-plan", "decision_date"), formID: "close-plan")
                submit("Save the close plan", filling: "close-plan")
            }
            actionForm(
                "customer-confirmation", "Record the customer's confirmation",
                open: plan != nil && e.jointPursuit.customerConfirmation == nil
            ) {
                Layout.field(
                    "confirmed_by", "Confirmed by (customer name and title)",
                    value: value("customer-confirmation", "confirmed_by"),
                    required: true, error: error("customer-confirmation", "confirmed_by"), formID: "cc")
                Layout.field(
                    "confirmed_at", "Confirmed on", value: value("customer-confirmation", "confirmed_at"),
                    type: "date",
                    required: true, error: error("customer-confirmation", "confirmed_at"), formID: "cc")
                Layout.select(
                    "channel", "Channel",
                    options: ConfirmationChannel.allCases.map {
                        ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " "))
                    },
                    selected: value("customer-confirmation", "channel"),
                    error: error("customer-confirmation", "channel"), formID: "cc")
                Layout.textArea(
                    "note", "Note (optional)", value: value("customer-confirmation", "note"),
                    error: error("customer-confirmation", "note"), formID: "cc")
                submit("Record confirmation", filling: "customer-confirmation")
            }
        case .closeRegisterReview:
            let c = e.close
            if c.outcome == nil && may("outcome") {
                actionForm("outcome", "Log the outcome", open: true) {
                    Layout.select(
                        "result", "Result", options: [("won", "Won"), ("lost", "Lost")],
                        selected: value("outcome", "result"), error: error("outcome", "result"), formID: "outcome")
                    Layout.field(
                        "final_amount", "Final amount",
                        value: value("outcome", "final_amount", d.amount?.amountString),
                        required: true,
                        hint: "As you write it: 310,000 or $310,000 or 310k or 1.2M",
                        error: error("outcome", "final_amount"), formID: "outcome",
                        extra: [Attr("inputmode", "decimal")])
                    Layout.field(
                        "currency", "Currency (ISO 4217)",
                        value: value("outcome", "currency", d.amount?.currency.code ?? "USD"),
                        required: true, error: error("outcome", "currency"), formID: "outcome")
                    Layout.field(
                        "close_date", "Close date", value: value("outcome", "close_date", m.today.description),
                        type: "date",
                        required: true, error: error("outcome", "close_date"), formID: "outcome")
                    Layout.select(
                        "loss_category", "Why it was lost (for a lost deal)",
                        options: [("", "Not lost")] + LossCategory.allCases.map { ($0.rawValue, $0.title) },
                        selected: value("outcome", "loss_category"), error: error("outcome", "loss_category"),
                        formID: "outcome")
                    Layout.textArea(
                        "loss_reason", "In your words (for a lost deal)", value: value("outcome", "loss_reason"),
                        error: error("outcome", "loss_reason"), formID: "outcome")
                    submit("Log the outcome", filling: "outcome")
                }
            }
            if c.outcome != nil {
                actionForm("review", "Hold the review and capture lessons", open: c.review == nil) {
                    reviewFields()
                }
            }
        }
    }

    @HTMLBuilder
    func reviewFields() -> [Node] {
        Layout.field(
            "held_on", "Held on", value: value("review", "held_on", m.today.description), type: "date",
            required: true,
            error: error("review", "held_on"), formID: "review")
        Layout.textArea(
            "attendees", "Attendees, one per line", value: value("review", "attendees"), required: true,
            error: error("review", "attendees"), formID: "review")
        for n in 1...3 {
            el("fieldset") {
                el("legend") { "Lesson \(n)" + (n == 1 ? "" : " (optional)") }
                Layout.select(
                    "lesson_stage_\(n)", "Stage it is about",
                    options: m.playbook.stages.map { ($0.key, $0.name) },
                    selected: value("review", "lesson_stage_\(n)"), error: error("review", "lesson_stage_\(n)"),
                    formID: "review")
                Layout.textArea(
                    "lesson_text_\(n)", "What the playbook got right or wrong",
                    value: value("review", "lesson_text_\(n)"),
                    required: n == 1, error: error("review", "lesson_text_\(n)"), formID: "review")
            }
        }
        submit("Record the review", filling: "review")
    }
}
