import CoSellDomain
import Foundation

/// The evidence of each stage in words: what the deal page keeps as the one-page record.
extension DealPageView.Renderer {
    /// What was recorded for a stage; nil when nothing was.
    func record(_ stage: Stage) -> Node? {
        let rows = recordRows(stage)
        guard !rows.isEmpty else { return nil }
        return el("div", .cls("record")) {
            el("h3") { "What was recorded" }
            el("dl", .cls("facts")) {
                for (label, value) in rows {
                    el("dt") { label }
                    el("dd") { value }
                }
            }
        }
    }

    /// The name of the company of a party (a side, or the customer).
    func partyName(_ p: Party) -> String {
        switch p {
        case .host: return company(.host)
        case .partner: return company(.partner)
        case .customer: return "\(d.accountName), the customer"
        }
    }

    /// "Dana Cole, Quarry Data": a person with their company.
    func personWithCompany(_ id: UUID?, fallback: String? = nil) -> String {
        guard let id, let p = m.people.first(where: { $0.id == id }) else { return fallback ?? "someone" }
        guard let side = d.side(of: p.organizationID) else { return p.name }
        return "\(p.name), \(company(side))"
    }

    func when(_ date: Date) -> String { f.format(LocalDate(date)) }

    func recordRows(_ stage: Stage) -> [(String, Node)] {
        let e = d.evidence
        var rows: [(String, Node)] = []
        func add(_ label: String, _ text: String) { rows.append((label, .text(text))) }
        switch stage.exitCriterion.kind {
        case .targetAccountSelection:
            add("Account", d.accountName + (d.accountOnOverlap ? ", on the mapped overlap" : ""))
            if let reason = d.accountReason, !d.accountOnOverlap { add("Why this account", reason) }
            for side in Side.allCases {
                if let fit = e.targetSelection.icpFit[side] {
                    // A fit computed by account mapping is credited to it, not to whoever opened the deal.
                    let recorder = m.people.first { $0.id == fit.recordedBy }
                    let computed = fit.note?.hasPrefix("Computed from") ?? false
                    let by =
                        !computed && (recorder.map { d.organizationID(of: side) == $0.organizationID } ?? false)
                        ? "recorded by " + personWithCompany(fit.recordedBy) : "computed by account mapping"
                    add(
                        "\(company(side))'s fit",
                        "\(fit.fit.rawValue.capitalized)" + (fit.note.map { ": \($0)" } ?? "")
                            + " (\(by), \(when(fit.recordedAt)))"
                    )
                }
            }
            for side in Side.allCases {
                if let c = e.targetSelection.commitments[side] {
                    add("\(company(side)) committed", "\(c.personName), \(when(c.at))")
                }
            }
        case .doorOpener:
            if let o = e.doorOpener.doorOpener {
                add(
                    "Door-opener",
                    "\(company(o.side)) opens the door by \(o.kind.title); \(o.ownerName) owns it (named \(when(o.namedAt)))"
                )
            }
            if let meeting = e.doorOpener.firstMeeting {
                add("First joint conversation", meetingTime(meeting))
                rows.append(("Attendees", attendeesNode(meeting.attendees)))
                add("Booked by", personWithCompany(meeting.bookedBy) + ", \(when(meeting.bookedAt))")
            }
        case .jointDiscovery:
            for b in e.jointDiscovery.activeBriefs {
                add("Account brief", "Written by \(company(b.writtenBy)), last changed \(when(b.updatedAt))")
                add("The customer's need", b.customerNeed)
                if !b.buyingProcess.steps.isEmpty {
                    add("Buying process", b.buyingProcess.steps.joined(separator: " → "))
                }
                if !b.buyingProcess.decisionMakers.isEmpty {
                    add("Decision makers", b.buyingProcess.decisionMakers.joined(separator: ", "))
                }
                if !b.buyingProcess.timeline.isEmpty { add("Decision timeline", b.buyingProcess.timeline) }
                if !b.stakeholders.isEmpty {
                    add(
                        "Stakeholders",
                        b.stakeholders.map { s in
                            s.name
                                + ([s.title, s.role].compactMap { $0 }.isEmpty
                                    ? "" : " (" + [s.title, s.role].compactMap { $0 }.joined(separator: ", ") + ")")
                        }.joined(separator: "; "))
                }
                add(
                    "Approved by",
                    Side.allCases.map { side in
                        b.approvals[side].map { "\($0.personName) for \(company(side)), \(when($0.at))" }
                            ?? "not yet by \(company(side))"
                    }.joined(separator: "; "))
            }
        case .jointPursuit:
            let p = e.jointPursuit
            if let proof = p.proof {
                add(
                    Self.sentenceCase(proof.kind.rawValue.replacingOccurrences(of: "_", with: " ")),
                    proof.summary + " (recorded by " + personWithCompany(proof.recordedBy)
                        + ", \(when(proof.recordedAt)))"
                )
            }
            for plan in p.activeClosePlans {
                add("Close plan", "By \(company(plan.writtenBy)); decision on \(f.format(plan.decisionDate))")
                rows.append(
                    (
                        "Milestones",
                        el("ul", .cls("compact")) {
                            for ms in plan.milestones {
                                el("li") {
                                    "\(ms.title): \(ms.ownerName) (\(partyName(ms.ownerParty))), by \(f.format(ms.dueOn))"
                                }
                            }
                        }
                    ))
            }
            if let c = p.customerConfirmation {
                add(
                    "The customer confirmed",
                    "\(c.confirmedBy), \(when(c.confirmedAt)), by \(c.channel.rawValue.replacingOccurrences(of: "_", with: " "))"
                        + (c.note.map { ": \($0)" } ?? ""))
            }
        case .closeRegisterReview:
            let c = e.close
            if let o = c.outcome {
                add(
                    "Outcome",
                    "\(o.result == .won ? "Won" : "Lost"), \(f.format(o.finalAmount)), closed \(f.format(o.closeDate))"
                        + (o.lossCategory.map { ": \($0.title)" } ?? "")
                        + (o.lossReason.map { (o.lossCategory == nil ? ": " : "; ") + $0 } ?? "") + " (logged by "
                        + personWithCompany(o.recordedBy)
                        + ")")
            }
            for a in c.amendments {
                add(
                    "Amended",
                    "\(when(a.amendedAt)) by \(personWithCompany(a.amendedBy, fallback: a.amendedByName)): was \(f.format(a.before.finalAmount)), closed \(f.format(a.before.closeDate)). \(a.reason)"
                )
            }
            if let r = c.registration {
                add(
                    "Registration",
                    r.state(on: m.today, wonOn: c.outcome?.wonOn).rawValue.capitalized + ": " + registrationSentence(r))
            }
            if let review = c.review {
                add("Review", "Held \(f.format(review.heldOn)) with \(review.attendees.joined(separator: ", "))")
                rows.append(
                    (
                        "Lessons",
                        el("ul", .cls("compact")) {
                            for l in review.lessons {
                                el("li") {
                                    el("strong") {
                                        (m.playbook.stages.first { $0.key == l.stageKey }?.name ?? l.stageKey) + ": "
                                    }
                                    l.text
                                }
                            }
                        }
                    ))
            }
        }
        return rows
    }

    /// The meeting's time in the zone it was set in, and in UTC.
    func meetingTime(_ meeting: JointMeeting) -> String {
        guard let id = meeting.timeZone, id != "UTC", let zone = TimeZone(identifier: id) else {
            return f.format(meeting.scheduledFor)
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: m.localeIdentifier)
        local.timeZone = zone
        local.dateStyle = .medium
        local.timeStyle = .short
        return
            "\(local.string(from: meeting.scheduledFor)) \(id.replacingOccurrences(of: "_", with: " ")) (\(f.format(meeting.scheduledFor)))"
    }

    /// "proof of concept" → "Proof of concept".
    static func sentenceCase(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// Attendees grouped by company, the customer last.
    func attendeesNode(_ attendees: [Attendee]) -> Node {
        el("ul", .cls("compact")) {
            for party in [Party.host, .partner, .customer] {
                let here = attendees.filter { $0.party == party }
                if !here.isEmpty {
                    el("li") {
                        el("strong") { partyName(party) + ": " }
                        here.map { $0.name + ($0.title.map { " (\($0))" } ?? "") }.joined(separator: ", ")
                    }
                }
            }
        }
    }
}
