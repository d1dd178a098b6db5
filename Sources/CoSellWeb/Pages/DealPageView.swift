import CoSellDomain
import Foundation

/// Everything the deal page shows: the deal, its playbook version, each stage's checklist, the
/// diagnosis, the timeline, lessons from earlier deals, and the state of a form sent with errors.
public struct DealPageModel: Sendable {
    public struct LessonItem: Sendable, Equatable {
        public var id: UUID
        public var text: String
        public var fromDeal: String
        public var capturedOn: String
        public var appliedCount: Int
        public var appliedHere: Bool

        public init(
            id: UUID, text: String, fromDeal: String, capturedOn: String, appliedCount: Int, appliedHere: Bool
        ) {
            self.id = id
            self.text = text
            self.fromDeal = fromDeal
            self.capturedOn = capturedOn
            self.appliedCount = appliedCount
            self.appliedHere = appliedHere
        }
    }

    /// A form sent back with what was typed and what to fix.
    public struct FormState: Sendable, Equatable {
        public var action: String
        public var values: [String: String]
        public var errors: [String: String]
        public var message: String?
        /// For a refused advance: every unmet part of the exit criterion.
        public var unmet: [String]

        public init(
            action: String, values: [String: String], errors: [String: String], message: String?, unmet: [String] = []
        ) {
            self.action = action
            self.values = values
            self.errors = errors
            self.message = message
            self.unmet = unmet
        }
    }

    public var chrome: PageChrome
    public var deal: Deal
    public var playbook: Playbook
    public var partnershipName: String
    public var companies: SidePair<String>
    public var viewerSide: Side
    public var canWrite: Bool
    public var isAdmin: Bool
    public var people: [Person]
    public var gates: [GateReport]
    public var diagnosis: Diagnosis
    public var timeline: [DealEvent]
    public var lessons: [LessonItem]
    public var form: FormState?
    public var localeIdentifier: String
    public var today: LocalDate

    public init(
        chrome: PageChrome, deal: Deal, playbook: Playbook, partnershipName: String, companies: SidePair<String>,
        viewerSide: Side, canWrite: Bool, isAdmin: Bool, people: [Person], gates: [GateReport],
        diagnosis: Diagnosis, timeline: [DealEvent], lessons: [LessonItem],
        form: FormState?, localeIdentifier: String, today: LocalDate
    ) {
        self.chrome = chrome
        self.deal = deal
        self.playbook = playbook
        self.partnershipName = partnershipName
        self.companies = companies
        self.viewerSide = viewerSide
        self.canWrite = canWrite
        self.isAdmin = isAdmin
        self.people = people
        self.gates = gates
        self.diagnosis = diagnosis
        self.timeline = timeline
        self.lessons = lessons
        self.form = form
        self.localeIdentifier = localeIdentifier
        self.today = today
    }
}

public enum DealPageView {
    public static func render(_ m: DealPageModel) -> Node {
        let f = DisplayFormat(localeIdentifier: m.localeIdentifier)
        let d = m.deal
        let r = Renderer(m: m, f: f)
        return Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.board, "Deals")
                " › \(m.partnershipName)"
            }
            el("h1") { d.title }
            el("div", .cls("card")) {
                el("dl", .cls("facts")) {
                    r.fact("Account", d.accountName + (d.accountOnOverlap ? " (on the overlap)" : ""))
                    r.fact("Host", m.companies.host ?? "")
                    r.fact("Partner", m.companies.partner ?? "")
                    r.fact("Amount", d.amount.map(f.format) ?? "No amount yet")
                    r.fact("Expected close", d.expectedCloseDate.map(f.format) ?? "Not set")
                    r.fact("Status", r.statusText)
                }
                if m.diagnosis.stall.stalled || m.diagnosis.needsDiagnosis {
                    el("div", .cls("diagnosis"), .aria("label", "Diagnosis")) {
                        el("h2") { "Diagnosis" }
                        el("p") {
                            if m.diagnosis.stall.stalled { Layout.badge("stalled", "warn") }
                            if let c = m.diagnosis.likelyCause {
                                " "
                                Layout.badge(c.pitfall.title, "bad")
                            }
                        }
                        el("p") { m.diagnosis.explanation }
                        el("ul") {
                            for s in m.diagnosis.stall.signals { el("li") { s.explanation } }
                        }
                    }
                }
            }
            r.formMessage(for: "details")
            el("h2") { "The playbook" }
            el("ol", .cls("stages")) {
                for (i, stage) in m.playbook.stages.enumerated() {
                    el("li") { r.stageBlock(i, stage) }
                }
            }
            el("section", .aria("labelledby", "lessons-h")) {
                el("h2", .id("lessons-h")) {
                    "Lessons from earlier deals at \(m.playbook.stages[d.stageIndex].name) with this partner"
                }
                if m.lessons.isEmpty {
                    el("p", .cls("muted")) { "No lessons captured yet for this stage." }
                }
                el("ul", .cls("plain")) {
                    for l in m.lessons { r.lessonNode(l) }
                }
            }
            if m.canWrite && d.isInPlay { r.dealActions() }
            el("section", .aria("labelledby", "timeline-h")) {
                el("h2", .id("timeline-h")) { "Timeline" }
                el("ol", .cls("timeline")) {
                    for e in m.timeline.reversed() {
                        el("li") {
                            el("strong") { e.summary }
                            el("br")
                            el("small", .cls("muted")) { "\(e.actorName) · \(f.format(e.at)) · \(e.kind)" }
                        }
                    }
                }
            }
        }
    }

    /// The pieces of the deal page, with the model and the formats at hand.
    struct Renderer {
        let m: DealPageModel
        let f: DisplayFormat
        var d: Deal { m.deal }

        var statusText: String {
            switch d.status {
            case .open: return "Open, at stage \(d.stageIndex + 1) of \(m.playbook.stages.count)"
            case .won: return d.completedAt == nil ? "Won: register and review it" : "Won and completed"
            case .lost: return d.completedAt == nil ? "Lost: review it" : "Lost and reviewed"
            case .abandoned: return "Abandoned" + (d.statusReason.map { ": " + $0 } ?? "")
            case .ended: return "Ended with the partnership" + (d.statusReason.map { ": " + $0 } ?? "")
            }
        }

        func fact(_ label: String, _ value: String) -> Node {
            group {
                el("dt") { label }
                el("dd") { value }
            }
        }

        func company(_ side: Side) -> String { (side == .host ? m.companies.host : m.companies.partner) ?? side.title }

        func personName(_ id: UUID?) -> String? {
            guard let id else { return nil }
            return m.people.first { $0.id == id }?.name
        }

        /// The form's state when it is the one that was sent back.
        func state(_ action: String) -> DealPageModel.FormState? { m.form?.action == action ? m.form : nil }

        func value(_ action: String, _ field: String, _ fallback: String? = nil) -> String? {
            state(action)?.values[field] ?? fallback
        }

        func error(_ action: String, _ field: String) -> String? { state(action)?.errors[field] }

        func formMessage(for action: String) -> Node {
            Layout.formError(state(action)?.message)
        }

        func stageBlock(_ i: Int, _ stage: Stage) -> Node {
            let gate = m.gates[i]
            let passage = d.passages.last { $0.stageKey == stage.key }
            let isCurrent = i == d.stageIndex && d.completedAt == nil
            let label: String
            let badgeKind: String
            if let p = passage, i < d.stageIndex || d.completedAt != nil {
                label = p.exit == .passed ? "passed" : "skipped by override"
                badgeKind = p.exit == .passed ? "ok" : "bad"
            } else if d.completedAt != nil && i == d.stageIndex {
                label = "passed"
                badgeKind = "ok"
            } else if isCurrent {
                label = "current · \(gate.metCount)/\(gate.parts.count) met"
                badgeKind = "info"
            } else if i < d.stageIndex {
                label = "passed"
                badgeKind = "ok"
            } else {
                label = "ahead"
                badgeKind = "info"
            }
            let moves = d.moves.filter { $0.stageKey == stage.key }
            return el(
                "details",
                attrs: [.cls(isCurrent ? "stage current" : "stage"), .id("stage-\(stage.key)")]
                    + (isCurrent ? [.flag("open")] : [])
            ) {
                el("summary") {
                    "\(i + 1). \(stage.name) "
                    Layout.badge(label, badgeKind)
                }
                el("div", .cls("body")) {
                    el("p", .cls("muted")) { stage.summary }
                    el("h3") { "Exit criterion" }
                    el("p") { el("strong") { stage.exitCriterion.wording } }
                    el("ul", .cls("checklist"), .aria("label", "Exit criterion checklist")) {
                        for part in gate.parts {
                            el("li", .cls(part.met ? "met" : "unmet")) {
                                part.description
                                if !part.met, let missing = part.missing {
                                    el("br")
                                    el("small", .cls("muted")) { missing }
                                }
                            }
                        }
                    }
                    if let p = passage, p.exit == .skipped {
                        el("p", .cls("error")) { "Overridden: \(p.reason ?? "")" }
                    }
                    el("h3") { "Moves" }
                    if moves.isEmpty { el("p", .cls("muted")) { "No moves." } }
                    el("ul", .cls("plain")) {
                        for mv in moves { moveNode(mv, current: isCurrent) }
                    }
                    if isCurrent && m.canWrite && (d.status == .open || i == m.playbook.stages.count - 1) {
                        evidenceForms(stage)
                        addMoveForm(stage)
                        advanceForm(gate)
                    }
                }
            }
        }

        func moveNode(_ mv: DealMove, current: Bool) -> Node {
            let sides = PageData.sides(of: mv, in: d).map(company).joined(separator: " and ")
            let owner = personName(mv.ownerID) ?? mv.ownerName ?? "no owner yet"
            return el("li", .cls("move")) {
                if mv.doneAt != nil { Layout.badge("done", "ok"); " " }
                mv.description
                el("br")
                el("small", .cls("muted")) {
                    "\(sides) · \(owner) · " + (mv.dueOn.map { "due " + f.format($0) } ?? "no due date")
                }
                if mv.isOverdue(today: m.today) { " "; Layout.badge("overdue", "bad") }
                if current && m.canWrite && mv.doneAt == nil && d.status == .open {
                    " "
                    Layout.postForm(
                        SiteRoute.dealAction(d.id, "move-done"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                    ) {
                        el("input", .type("hidden"), .name("move_id"), .value(mv.id.uuidString))
                        el("button", .type("submit"), .cls("secondary"), .aria("label", "Mark \(mv.description) done"))
                        { "Mark done" }
                    }
                }
            }
        }

        /// A collapsible form posting one action; open when it was sent back with errors.
        func actionForm(
            _ action: String, _ title: String, open: Bool = false, @HTMLBuilder _ fields: () -> [Node]
        ) -> Node {
            let inner = fields()
            let isOpen = open || state(action) != nil
            return el("details", attrs: [.cls("form"), .id("form-\(action)")] + (isOpen ? [.flag("open")] : [])) {
                el("summary") { title }
                Layout.postForm(SiteRoute.dealAction(d.id, action), csrf: m.chrome.csrf) {
                    formMessage(for: action)
                    inner
                }
            }
        }

        func submit(_ text: String) -> Node { el("button", .type("submit")) { text } }

        func peopleOptions(_ side: Side? = nil) -> [(value: String, label: String)] {
            m.people.filter { p in
                p.deactivatedAt == nil && (side == nil || p.organizationID == d.organizationID(of: side!))
            }.map { ($0.id.uuidString, "\($0.name) (\(d.side(of: $0.organizationID).map(company) ?? ""))") }
        }

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
                    submit("Save fit")
                }
                if e.targetSelection.commitments[mine] == nil {
                    actionForm("commit", "Commit \(company(mine)) to working this account", open: true) {
                        el("p") { "You commit your company, by name, to work this account jointly." }
                        submit("Commit \(company(mine))")
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
                    submit("Name the door-opener")
                }
                actionForm(
                    "first-meeting", "Book the first joint conversation",
                    open: e.doorOpener.firstMeeting == nil && e.doorOpener.doorOpener != nil
                ) {
                    Layout.field(
                        "scheduled_for", "Date and time (UTC)", value: value("first-meeting", "scheduled_for"),
                        type: "datetime-local", required: true, error: error("first-meeting", "scheduled_for"),
                        formID: "first-meeting")
                    Layout.textArea(
                        "attendees", "Attendees, one per line: name | host, partner or customer | title",
                        value: value("first-meeting", "attendees"), required: true, rows: 4,
                        hint: "The customer and both companies must attend.",
                        error: error("first-meeting", "attendees"), formID: "first-meeting")
                    submit("Book the meeting")
                }
            case .jointDiscovery:
                let active = e.jointDiscovery.activeBriefs
                for b in active {
                    el("div", .cls("card")) {
                        el("h3") { "Account brief by \(company(b.writtenBy))" }
                        el("p") { b.customerNeed }
                        el("p", .cls("muted")) {
                            "Steps: " + b.buyingProcess.steps.joined(separator: " → ") + ". Decision makers: "
                                + b.buyingProcess.decisionMakers.joined(separator: ", ") + ". Timeline: "
                                + b.buyingProcess.timeline
                        }
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
                                submit("Approve for \(company(mine))")
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
                    Layout.textArea(
                        "stakeholders", "Stakeholders, one per line: name | title | role",
                        value: value(
                            "brief", "stakeholders",
                            existing?.stakeholders.map {
                                [$0.name, $0.title ?? "", $0.role ?? ""].joined(separator: " | ")
                            }.joined(separator: "\n")),
                        error: error("brief", "stakeholders"), formID: "brief")
                    submit(existing == nil ? "Write the brief" : "Save the brief")
                }
            case .jointPursuit:
                actionForm("proof", "Record the proposal, proof of concept or pilot", open: e.jointPursuit.proof == nil)
                {
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
                    submit("Save")
                }
                let plan = e.jointPursuit.activeClosePlans.first
                if let plan {
                    el("div", .cls("card")) {
                        el("h3") {
                            "Close plan by \(company(plan.writtenBy)), decision on \(f.format(plan.decisionDate))"
                        }
                        el("ul") {
                            for ms in plan.milestones {
                                el("li") {
                                    "\(ms.title) — \(ms.ownerName) (\(ms.ownerParty.rawValue)), by \(f.format(ms.dueOn))"
                                }
                            }
                        }
                    }
                }
                actionForm(
                    "close-plan", plan == nil ? "Write the one close plan" : "Edit the close plan",
                    open: plan == nil && e.jointPursuit.proof != nil
                ) {
                    if let plan { el("input", .type("hidden"), .name("plan_id"), .value(plan.id.uuidString)) }
                    Layout.textArea(
                        "milestones",
                        "Milestones, one per line: title | host, partner or customer | owner name | YYYY-MM-DD",
                        value: value(
                            "close-plan", "milestones",
                            plan?.milestones.map {
                                "\($0.title) | \($0.ownerParty.rawValue) | \($0.ownerName) | \($0.dueOn)"
                            }.joined(separator: "\n")),
                        required: true, rows: 5, hint: "Host, partner and customer each own at least one milestone.",
                        error: error("close-plan", "milestones"), formID: "close-plan")
                    Layout.field(
                        "decision_date", "Decision date",
                        value: value("close-plan", "decision_date", plan?.decisionDate.description),
                        type: "date", required: true, error: error("close-plan", "decision_date"), formID: "close-plan")
                    submit("Save the close plan")
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
                    submit("Record confirmation")
                }
            case .closeRegisterReview:
                let c = e.close
                if c.outcome == nil {
                    actionForm("outcome", "Log the outcome", open: true) {
                        Layout.select(
                            "result", "Result", options: [("won", "Won"), ("lost", "Lost")],
                            selected: value("outcome", "result"), error: error("outcome", "result"), formID: "outcome")
                        Layout.field(
                            "final_amount", "Final amount",
                            value: value("outcome", "final_amount", d.amount?.amountString),
                            required: true,
                            hint: "In \(d.amount?.currency.code ?? "the deal's currency"), e.g. 125000.00",
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
                        Layout.textArea(
                            "loss_reason", "Why it was lost (for a lost deal)", value: value("outcome", "loss_reason"),
                            error: error("outcome", "loss_reason"), formID: "outcome")
                        submit("Log the outcome")
                    }
                } else if let o = c.outcome {
                    el("p") { "Outcome: \(o.result.rawValue), \(f.format(o.finalAmount)) on \(f.format(o.closeDate))." }
                }
                if c.registration == nil && c.outcome?.result == .won {
                    actionForm("registration", "Register the joint opportunity", open: true) {
                        Layout.field(
                            "registration_id", "Registration id", value: value("registration", "registration_id"),
                            required: true,
                            hint: "The id in your partner program or the hyperscaler's portal.",
                            error: error("registration", "registration_id"), formID: "registration")
                        Layout.select(
                            "attribution", "Attribution",
                            options: [
                                ("partner_sourced", "Partner-sourced"), ("partner_influenced", "Partner-influenced"),
                            ],
                            selected: value("registration", "attribution"), error: error("registration", "attribution"),
                            formID: "registration")
                        Layout.select(
                            "sourced_by", "Sourced by", options: Side.allCases.map { ($0.rawValue, company($0)) },
                            selected: value("registration", "sourced_by"), error: error("registration", "sourced_by"),
                            formID: "registration")
                        submit("Register")
                    }
                } else if let reg = c.registration {
                    el("p") {
                        "Registered \(reg.registrationID) as \(reg.attribution.rawValue.replacingOccurrences(of: "_", with: "-")) by \(reg.registeredByName)."
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
            submit("Record the review")
        }

        func addMoveForm(_ stage: Stage) -> Node {
            actionForm("add-move", "Add a move") {
                Layout.field(
                    "description", "What to do", value: value("add-move", "description"), required: true,
                    error: error("add-move", "description"), formID: "add-move")
                Layout.select(
                    "side", "Side",
                    options: MoveSide.allCases.map {
                        (
                            $0.rawValue,
                            $0 == .host
                                ? company(.host)
                                : $0 == .partner
                                    ? company(.partner) : $0.rawValue.replacingOccurrences(of: "_", with: "-")
                        )
                    },
                    selected: value("add-move", "side", m.viewerSide.rawValue), error: error("add-move", "side"),
                    formID: "add-move")
                Layout.select(
                    "owner_id", "Owner", options: peopleOptions(), selected: value("add-move", "owner_id"),
                    error: error("add-move", "owner_id"), formID: "add-move", includeBlank: true)
                Layout.field(
                    "due_on", "Due on", value: value("add-move", "due_on"), type: "date",
                    error: error("add-move", "due_on"),
                    formID: "add-move")
                el("input", .type("hidden"), .name("stage_key"), .value(stage.key))
                submit("Add the move")
            }
        }

        func advanceForm(_ gate: GateReport) -> Node {
            let st = state("advance")
            return el("div", .cls("advance"), .id("advance")) {
                if let st, st.message != nil {
                    el("div", .cls("form-error"), Attr("role", "alert")) {
                        el("p") { el("strong") { st.message ?? "" } }
                        if !st.unmet.isEmpty {
                            el("ul") { for u in st.unmet { el("li") { u } } }
                        }
                    }
                }
                if !gate.isOpen {
                    el("p", .cls("muted"), .id("advance-missing")) {
                        "The gate is closed: \(gate.unmet.count) of \(gate.parts.count) parts are missing. "
                            + gate.unmet.compactMap(\.missing).joined(separator: " ")
                    }
                }
                Layout.postForm(
                    SiteRoute.dealAction(d.id, "advance"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                ) {
                    el(
                        "button",
                        attrs: [.type("submit")] + (gate.isOpen ? [] : [.aria("describedby", "advance-missing")])
                    ) {
                        d.stageIndex + 1 < m.playbook.stages.count
                            ? "Advance to \(m.playbook.stages[d.stageIndex + 1].name)" : "Complete the playbook"
                    }
                }
                if m.isAdmin && !gate.isOpen {
                    actionForm("override", "Override the gate (admins, with a reason)") {
                        Layout.textArea(
                            "override_reason", "Why the deal may skip this criterion",
                            value: value("override", "override_reason"),
                            required: true, error: error("override", "override_reason"), formID: "override")
                        submit("Override and advance")
                    }
                }
            }
        }

        func lessonNode(_ l: DealPageModel.LessonItem) -> Node {
            el("li", .cls("card lesson")) {
                el("p") { l.text }
                el("p", .cls("muted")) {
                    "From \(l.fromDeal), \(l.capturedOn) · applied on \(l.appliedCount) deal\(l.appliedCount == 1 ? "" : "s")"
                }
                if l.appliedHere {
                    Layout.badge("applied on this deal", "ok")
                } else if m.canWrite {
                    Layout.postForm(
                        SiteRoute.dealAction(d.id, "apply-lesson"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                    ) {
                        el("input", .type("hidden"), .name("lesson_id"), .value(l.id.uuidString))
                        el("button", .type("submit"), .cls("secondary")) { "Mark applied" }
                    }
                }
            }
        }

        func dealActions() -> Node {
            el("section", .aria("labelledby", "actions-h")) {
                el("h2", .id("actions-h")) { "Deal" }
                actionForm("details", "Edit title, amount or expected close") {
                    Layout.field(
                        "title", "Title", value: value("details", "title", d.title), required: true,
                        error: error("details", "title"), formID: "details")
                    Layout.field(
                        "amount", "Amount", value: value("details", "amount", d.amount?.amountString),
                        error: error("details", "amount"),
                        formID: "details", extra: [Attr("inputmode", "decimal")])
                    Layout.field(
                        "currency", "Currency (ISO 4217)",
                        value: value("details", "currency", d.amount?.currency.code ?? "USD"),
                        error: error("details", "currency"), formID: "details")
                    Layout.field(
                        "expected_close_date", "Expected close",
                        value: value("details", "expected_close_date", d.expectedCloseDate?.description),
                        type: "date", error: error("details", "expected_close_date"), formID: "details")
                    submit("Save")
                }
                if d.stageIndex > 0 && d.status == .open {
                    actionForm("move-back", "Move back one stage") {
                        Layout.textArea(
                            "reason", "Reason", value: value("move-back", "reason"), required: true,
                            error: error("move-back", "reason"), formID: "move-back")
                        submit("Move back")
                    }
                }
                if d.status == .open && d.stageIndex < m.playbook.stages.count - 1 {
                    // A deal can be lost at any stage; it then goes straight to its review.
                    actionForm("lost", "Log the deal as lost") {
                        el("input", .type("hidden"), .name("result"), .value("lost"))
                        Layout.field(
                            "final_amount", "Final amount",
                            value: value("lost", "final_amount", d.amount?.amountString ?? "0"),
                            required: true, error: error("lost", "final_amount"), formID: "lost",
                            extra: [Attr("inputmode", "decimal")])
                        Layout.field(
                            "currency", "Currency (ISO 4217)",
                            value: value("lost", "currency", d.amount?.currency.code ?? "USD"),
                            required: true, error: error("lost", "currency"), formID: "lost")
                        Layout.field(
                            "close_date", "Close date", value: value("lost", "close_date", m.today.description),
                            type: "date",
                            required: true, error: error("lost", "close_date"), formID: "lost")
                        Layout.textArea(
                            "loss_reason", "Why it was lost", value: value("lost", "loss_reason"), required: true,
                            error: error("lost", "loss_reason"), formID: "lost")
                        submit("Log as lost")
                    }
                }
                if d.status == .lost && d.completedAt == nil && d.stageIndex < m.playbook.stages.count - 1 {
                    actionForm(
                        "review", "Hold the review of the lost deal and capture lessons",
                        open: d.evidence.close.review == nil
                    ) {
                        reviewFields()
                    }
                    Layout.postForm(
                        SiteRoute.dealAction(d.id, "advance"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                    ) {
                        el("button", .type("submit")) { "Complete the lost deal" }
                    }
                }
                if d.status == .open {
                    actionForm("abandon", "Abandon the deal") {
                        Layout.textArea(
                            "reason", "Reason", value: value("abandon", "reason"), required: true,
                            error: error("abandon", "reason"), formID: "abandon")
                        submit("Abandon")
                    }
                }
            }
        }
    }
}
