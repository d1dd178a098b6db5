import CoSellDomain
import Foundation

extension DealPageView.Renderer {
    func stageBlock(_ i: Int, _ stage: Stage) -> Node {
        let gate = m.gates[i]
        let passage = d.passages.last { $0.stageKey == stage.key && $0.exit != .movedBack }
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
        let recorded = i <= d.stageIndex ? record(stage) : nil
        let open = isCurrent || m.printView || m.sectionNotice?.section == "stage-\(stage.key)"
        return el(
            "details",
            attrs: [.cls(isCurrent ? "stage current" : "stage"), .id("stage-\(stage.key)")]
                + (open ? [.flag("open")] : [])
        ) {
            el("summary") {
                "\(i + 1). \(stage.name) "
                Layout.badge(label, badgeKind)
            }
            el("div", .cls("body")) {
                sectionNotice("stage-\(stage.key)")
                el("p", .cls("muted")) { stage.summary }
                if let recorded { recorded }
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
                if isCurrent && editable && (d.status == .open || i == m.playbook.stages.count - 1) {
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
            moveText(mv)
            el("br")
            el("small", .cls("muted")) {
                "\(sides) · \(owner) · " + (mv.dueOn.map { "due " + f.format($0) } ?? "no due date")
            }
            // Only the moves of the stage being worked count as overdue.
            if mv.stageKey == d.movesStageKey(in: m.playbook) && mv.isOverdue(today: m.today) {
                " "
                Layout.badge("overdue", "bad")
            }
            if current && editable && mv.doneAt == nil && d.status == .open {
                " "
                Layout.postForm(
                    SiteRoute.dealAction(d.id, "move-done"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                ) {
                    el("input", .type("hidden"), .name("move_id"), .value(mv.id.uuidString))
                    el("button", .type("submit"), .cls("secondary"), .aria("label", "Mark \(moveText(mv)) done")) {
                        "Mark done"
                    }
                }
                ownerForm(mv)
            }
        }
    }

    /// A move in words that name the companies ("Record Halyard Security's … fit", not "the partner's").
    func moveText(_ mv: DealMove) -> String { DealContext.wording(of: mv, names: m.companies) }

    /// Gives a move its owner, or another one: a person of a company that owns the move.
    func ownerForm(_ mv: DealMove) -> Node {
        let sides = PageData.sides(of: mv, in: d)
        let options = m.people.filter { p in
            p.deactivatedAt == nil && p.role.canWrite && sides.contains { d.organizationID(of: $0) == p.organizationID }
        }.map { ($0.id.uuidString, "\($0.name), \(d.side(of: $0.organizationID).map(company) ?? "")") }
        let formID = "owner-\(mv.id.uuidString.prefix(8))"
        let sent = state("move-owner")?.values["move_id"] == mv.id.uuidString
        return Layout.postForm(
            SiteRoute.dealAction(d.id, "move-owner"), csrf: m.chrome.csrf, attrs: [.cls("owner-form")]
        ) {
            el("input", .type("hidden"), .name("move_id"), .value(mv.id.uuidString))
            Layout.select(
                "owner_id", mv.ownerID == nil ? "Who will do it" : "Hand it to", options: options,
                selected: mv.ownerID?.uuidString, error: sent ? error("move-owner", "owner_id") : nil, formID: formID,
                includeBlank: mv.ownerID == nil)
            el("button", .type("submit"), .cls("secondary"), .aria("label", "Assign \(moveText(mv))")) {
                mv.ownerID == nil ? "Assign" : "Reassign"
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
                                ? company(.partner) : $0 == .both ? "Both companies" : "The door-opener's company"
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
                el("div", .cls("form-error"), Attr("role", "alert"), Attr("tabindex", "-1"), Attr("data-focus", "")) {
                    el("p") { el("strong") { st.message ?? "" } }
                    if !st.unmet.isEmpty {
                        el("ul") { for u in st.unmet { el("li") { u } } }
                    }
                }
            }
            if !gate.isOpen {
                el("div", .cls("muted"), .id("advance-missing")) {
                    el("p") {
                        "Still missing (\(gate.unmet.count) of \(gate.parts.count)), before the deal can advance:"
                    }
                    el("ul") { for u in gate.unmet { el("li") { u.missing ?? u.description } } }
                }
            }
            Layout.postForm(
                SiteRoute.dealAction(d.id, "advance"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
            ) {
                // Disabled while the page knows the gate is closed; the server checks again on submit.
                el(
                    "button",
                    attrs: [.type("submit")]
                        + (gate.isOpen ? [] : [.flag("disabled"), .aria("describedby", "advance-missing")])
                ) {
                    d.stageIndex + 1 < m.playbook.stages.count
                        ? "Advance to \(m.playbook.stages[d.stageIndex + 1].name)" : "Complete the playbook"
                }
            }
            let request = d.pendingOverride.flatMap {
                $0.stageKey == gate.stageKey && $0.expiresAt >= Date() ? $0 : nil
            }
            if let request {
                el("p", .cls("notice")) {
                    "\(request.requestedByName) of \(company(request.side)) asked to override this gate, skipping \(company(request.side.other))'s part: \(request.reason) An admin of \(company(request.side.other)) confirms it by \(f.format(request.expiresAt)), or it lapses."
                }
            }
            if m.isAdmin && !gate.isOpen {
                let confirming = request != nil && request?.side != m.viewerSide
                actionForm(
                    "override",
                    confirming
                        ? "Confirm the override of \(company(m.viewerSide))'s part (admins, with a reason)"
                        : "Override the gate (admins, with a reason)", open: confirming
                ) {
                    if !confirming {
                        el("p", .cls("muted")) {
                            "Skipping a part that is \(company(m.viewerSide.other))'s (its fit, commitment or approval) takes an admin of \(company(m.viewerSide.other)) too, within 48 hours."
                        }
                    }
                    Layout.textArea(
                        "override_reason", confirming ? "Why you agree" : "Why the deal may skip this criterion",
                        value: value("override", "override_reason"),
                        required: true, error: error("override", "override_reason"), formID: "override")
                    submit(confirming ? "Confirm and advance" : "Override and advance")
                }
            }
        }
    }
}
