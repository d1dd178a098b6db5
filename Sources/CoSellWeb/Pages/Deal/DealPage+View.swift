import CoSellDomain
import Foundation

public enum DealPageView {
    /// The gate parts a form of the deal page fills (`side`: the reader's company, for its own
    /// parts); nil for a form that fills none.
    static func gateParts(of action: String, side: Side = .host) -> Set<String>? {
        switch action {
        case "icp-fit": return ["\(side.rawValue)_icp_fit"]
        case "commit": return ["\(side.rawValue)_commitment"]
        case "door-opener": return ["door_opener_named"]
        case "first-meeting": return ["first_meeting_booked", "meeting_attendees"]
        case "brief": return ["one_brief", "brief_complete"]
        case "approve-brief": return ["\(side.rawValue)_approval"]
        case "proof": return ["proof_delivered"]
        case "close-plan": return ["one_close_plan", "milestone_owners"]
        case "customer-confirmation": return ["customer_confirmation"]
        case "outcome": return ["outcome"]
        case "registration-acceptance", "registration-renewal": return ["registration"]
        case "review": return ["review_lesson"]
        default: return nil
        }
    }

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
            el("div", .cls("card"), .id("summary")) {
                r.sectionNotice("summary")
                el("dl", .cls("facts")) {
                    r.fact("Account", d.accountName + (d.accountOnOverlap ? " (on the overlap)" : ""))
                    r.fact("Companies", "\(r.company(.host)) hosts the deal with \(r.company(.partner))")
                    r.fact(
                        d.evidence.close.outcome == nil ? "Amount" : "Final amount",
                        r.amount.map(f.format) ?? "No amount yet")
                    if let o = d.evidence.close.outcome {
                        r.fact("Closed", f.format(o.closeDate))
                    } else {
                        r.fact("Expected close", d.expectedCloseDate.map(f.format) ?? "Not set")
                    }
                    r.fact("Status", r.statusText)
                }
                if let vp = m.valueProposition {
                    el("p", .id("vp-link")) {
                        "Joint value proposition: "
                        vp.node
                    }
                }
                if !m.printView {
                    el("p", .cls("no-print")) {
                        el("a", .href(SiteRoute.deal(d.id).href + "?view=print")) { "The one-page record to print" }
                    }
                } else {
                    el("p", .cls("no-print")) {
                        el("button", .type("button"), Attr("onclick", "window.print()")) { "Print" }
                        " "
                        el("a", .href(SiteRoute.deal(d.id).href)) { "Back to the deal" }
                    }
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
            if r.editable { r.peopleList() }
            el("ol", .cls("stages")) {
                for (i, stage) in m.playbook.stages.enumerated() {
                    el("li") { r.stageBlock(i, stage) }
                }
            }
            r.registrationSection()
            if !m.printView && d.isInPlay {
                el("section", .aria("labelledby", "lessons-h")) {
                    el("h2", .id("lessons-h")) {
                        "Lessons from earlier deals at \(m.playbook.stages[d.stageIndex].name) with \(r.company(m.viewerSide == .host ? .partner : .host))"
                    }
                    if m.lessons.isEmpty {
                        el("p", .cls("muted")) { "No lessons captured yet for this stage." }
                    }
                    el("ul", .cls("plain")) {
                        for l in m.lessons { r.lessonNode(l) }
                    }
                }
                if m.canWrite { r.dealActions() }
            }
            if !m.printView && m.canWrite && r.may("amend_outcome") && d.completedAt != nil
                && d.evidence.close.outcome != nil
            {
                r.amendForm()
            }
            if !m.printView && m.canWrite && r.may("reopen") && (d.status == .lost || d.status == .abandoned) {
                r.reopenForm()
            }
            el("section", .cls("no-print"), .aria("labelledby", "timeline-h")) {
                el("h2", .id("timeline-h")) { "Timeline" }
                el("ol", .cls("timeline")) {
                    for e in m.timeline.reversed() {
                        el("li") {
                            el("strong") { e.summary }
                            el("br")
                            el("small", .cls("muted")) {
                                "\(TimelineWording.label(e.kind)) · \(e.actorName) · "
                                el("time", Attr("datetime", TimelineWording.machineTime(e.at))) { f.format(e.at) }
                            }
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

        /// The deal's amount: the outcome's final amount once it is logged.
        var amount: Money? { d.evidence.close.outcome?.finalAmount ?? d.amount }

        /// Whether the page offers forms (not in the printable record, and only to people who write).
        var editable: Bool { m.canWrite && !m.printView }

        /// The message of the form just sent, shown in the section it changed.
        func sectionNotice(_ id: String) -> Node {
            guard let n = m.sectionNotice, n.section == id else { return .group([]) }
            return el("p", .cls("notice"), Attr("role", "status"), Attr("tabindex", "-1"), Attr("data-focus", "")) {
                n.text
            }
        }

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

        /// The submit of a form that fills gate parts: when what it fills is all the open stage still
        /// misses and the reader may advance, its first button also passes the gate ("Commit Quarry
        /// Data and advance to The door-opener move"), the second only sends the form.
        func submit(_ text: String, filling action: String) -> Node {
            guard completesGate(action), m.playbook.stages.indices.contains(d.stageIndex) else { return submit(text) }
            let last = d.stageIndex == m.playbook.stages.count - 1
            let next = last ? "complete the playbook" : "advance to " + m.playbook.stages[d.stageIndex + 1].name
            return group {
                el("button", .type("submit"), .name("then"), .value("advance")) { "\(text) and \(next)" }
                " "
                el("button", .type("submit"), .cls("secondary")) { "\(text) only" }
            }
        }

        /// Whether sending `action` meets every part the current stage's gate still misses, and the
        /// reader may then advance.
        func completesGate(_ action: String) -> Bool {
            guard editable, d.completedAt == nil, d.status == .open || d.status == .won, d.pendingOverride == nil,
                may("advance"), let fills = DealPageView.gateParts(of: action, side: m.viewerSide),
                m.gates.indices.contains(d.stageIndex)
            else { return false }
            let unmet = m.gates[d.stageIndex].unmet.map(\.key)
            return !unmet.isEmpty && Set(unmet).isSubset(of: fills)
        }

        func peopleOptions(_ side: Side? = nil) -> [(value: String, label: String)] {
            m.people.filter { p in
                p.deactivatedAt == nil && p.role.canWrite
                    && (side == nil || p.organizationID == d.organizationID(of: side!))
            }.map { ($0.id.uuidString, "\($0.name) (\(d.side(of: $0.organizationID).map(company) ?? ""))") }
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
    }
}
