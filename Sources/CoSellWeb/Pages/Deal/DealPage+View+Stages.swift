import CoSellDomain
import Foundation

extension DealPageView.Renderer {
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
                    el("button", .type("submit"), .cls("secondary"), .aria("label", "Mark \(mv.description) done")) {
                        "Mark done"
                    }
                }
            }
        }
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
}
