import CoSellDomain
import Foundation

func stageJSON(_ key: String, _ at: Date) -> String {
    "{\"entered_at\":\"\(ISO8601DateFormatter().string(from: at))\",\"stage\":\"\(key)\"}"
}

/// One generated deal with its account and timeline.
func generate(
    _ i: Int, rng: inout Generator, partnership: Partnership, host: UUID, playbook: Playbook, people: [UUID],
    now: Date
) -> (JointAccount, Deal, [DealEvent]) {
    let stages = playbook.stages
    let partner = partnership.counterpart(of: host)!
    let populations = ["customer", "open_opportunity", "prospect"]
    let account = JointAccount(
        id: rng.uuid(), partnershipID: partnership.id, name: "Generated Account \(i)", domain: "account\(i).example",
        country: ["US", "DE", "GB", "FR"][i % 4], industry: "Software", employees: 100 + rng.int(20_000),
        origin: .overlap, reason: nil,
        populations: [
            AccountPopulation(organizationID: host, population: populations[rng.int(3)]),
            AccountPopulation(organizationID: partner, population: populations[rng.int(3)]),
        ], createdAt: now.addingTimeInterval(-Double(rng.int(420 * 86_400))))
    let created = max(account.createdAt, now.addingTimeInterval(-Double(rng.int(400 * 86_400))))
    let currencies = ["USD", "EUR", "GBP", "JPY"]
    let currency = Currency(code: currencies[rng.int(100) < 55 ? 0 : 1 + rng.int(3)])!
    let amount = Money(
        minorUnits: Int64(10_000 + rng.int(2_000_000)) * (currency.code == "JPY" ? 1 : 100), currency: currency)
    let status: DealStatus
    switch rng.int(100) {
    case 0..<60: status = .open
    case 60..<80: status = .won
    case 80..<92: status = .lost
    default: status = .abandoned
    }
    let stageIndex = status == .won ? 4 : rng.int(5)
    let person = { (k: Int) in people[(i + k) % people.count] }
    var events: [DealEvent] = []
    func event(_ at: Date, _ kind: String, before: String?, after: String?) {
        events.append(
            DealEvent(
                id: UUID(), dealID: UUID(), sequence: events.count + 1, at: at, actorID: person(0),
                actorName: "Generated Person", kind: kind, summary: kind.replacingOccurrences(of: "_", with: " "),
                before: before, after: after))
    }
    event(created, "deal_opened", before: nil, after: nil)
    // Passages spread evenly from creation to a point before now.
    // Most open deals are being worked: they entered their stage within its limit and saw activity in
    // the last ten days; the others (and every closed deal) moved on an even pace since creation.
    let healthy = status == .open && rng.chance(85)
    let currentEntry =
        healthy
        ? max(created, now.addingTimeInterval(-Double(rng.int(stages[stageIndex].stallLimitDays * 86_400))))
        : now
    let span = currentEntry.timeIntervalSince(created)
    var passages: [StagePassage] = []
    var entered = created
    for s in 0..<stageIndex {
        let exited =
            healthy && s == stageIndex - 1
            ? currentEntry
            : entered.addingTimeInterval(span / Double(stageIndex + 2) * (0.5 + Double(rng.int(100)) / 100))
        let skipped = rng.chance(8)
        passages.append(
            StagePassage(
                stageKey: stages[s].key, enteredAt: entered, exitedAt: exited, exit: skipped ? .skipped : .passed,
                by: person(1), reason: skipped ? "Generated override" : nil,
                unmetAtExit: skipped ? ["Generated unmet part."] : []))
        event(
            exited, skipped ? "gate_overridden" : "stage_advanced", before: stageJSON(stages[s].key, entered),
            after: stageJSON(stages[s + 1].key, exited))
        entered = exited
    }
    var moves: [DealMove] = []
    for s in 0...stageIndex {
        for (k, m) in stages[s].moves.enumerated() {
            let due = LocalDate(
                (s == stageIndex ? entered : created).addingTimeInterval(Double(m.dueAfterDays) * 86_400))
            moves.append(
                DealMove(
                    id: rng.uuid(), stageKey: stages[s].key, templateKey: m.key, description: m.description,
                    side: m.side, ownerID: k == 0 ? nil : person(k), ownerName: k == 0 ? nil : "Generated Owner \(k)",
                    dueOn: due,
                    doneAt: s < stageIndex || rng.chance(40) || (healthy && due < LocalDate(now)) ? entered : nil))
        }
    }
    var evidence = DealEvidence()
    for side in Side.allCases {
        evidence.targetSelection.icpFit[side] = IcpFitRecord(
            fit: [.strong, .strong, .partial, .none][rng.int(4)], note: nil, recordedBy: person(2), recordedAt: created)
        if stageIndex > 0 {
            evidence.targetSelection.commitments[side] = Signoff(
                personID: person(3), personName: "Generated Person", at: created)
        }
    }
    if stageIndex > 1 {
        evidence.doorOpener.doorOpener = DoorOpenerMove(
            side: .partner, kind: .warmIntroduction, ownerID: person(4), ownerName: "Generated Opener",
            namedAt: created)
        evidence.doorOpener.firstMeeting = JointMeeting(
            scheduledFor: created.addingTimeInterval(7 * 86_400),
            attendees: [
                Attendee(name: "Host Seller", party: .host), Attendee(name: "Partner Seller", party: .partner),
                Attendee(name: "Customer Buyer", party: .customer),
            ], bookedBy: person(4), bookedAt: created)
    }
    if stageIndex > 2 {
        evidence.jointDiscovery.briefs = [
            AccountBrief(
                id: rng.uuid(), writtenBy: .host, customerNeed: "A generated need, written once for both sides.",
                buyingProcess: BuyingProcess(
                    steps: ["Evaluation", "Security review", "Procurement"], decisionMakers: ["CIO", "CFO"],
                    timeline: "This quarter"),
                stakeholders: [Stakeholder(name: "Generated CIO", title: "CIO")],
                approvals: SidePair(
                    host: Signoff(personID: person(5), personName: "Generated", at: created),
                    partner: Signoff(personID: person(6), personName: "Generated", at: created)), updatedAt: created)
        ]
    }
    if stageIndex > 3 {
        evidence.jointPursuit.proof = ProofRecord(
            kind: .proofOfConcept, summary: "Generated proof of concept.", recordedBy: person(7), recordedAt: entered)
        evidence.jointPursuit.closePlans = [
            ClosePlan(
                id: rng.uuid(), writtenBy: .host,
                milestones: [
                    Milestone(title: "Decision", ownerParty: .customer, ownerName: "CFO", dueOn: LocalDate(now))
                ], decisionDate: LocalDate(now), updatedAt: entered)
        ]
    }
    var completedAt: Date? = nil
    if status == .won || status == .lost {
        let closeAt = min(now.addingTimeInterval(-3_600), entered.addingTimeInterval(Double(rng.int(40 * 86_400))))
        evidence.close.outcome = Outcome(
            result: status == .won ? .won : .lost, finalAmount: amount, closeDate: LocalDate(closeAt),
            lossReason: status == .lost ? "Generated loss" : nil, recordedBy: person(8), recordedAt: closeAt)
        event(closeAt, "outcome_logged", before: nil, after: nil)
        if status == .won && rng.chance(85) {
            let attribution: Attribution = rng.chance(50) ? .partnerSourced : .partnerInfluenced
            evidence.close.registration = Registration(
                registrationID: "GEN-\(i)", attribution: attribution,
                sourcedBy: attribution == .partnerSourced ? .partner : .host, registeredBy: person(9),
                registeredByName: "Generated", registeredAt: closeAt)
        }
        if rng.chance(60) {
            let reviewAt = min(now.addingTimeInterval(-60), closeAt.addingTimeInterval(Double(rng.int(20 * 86_400))))
            evidence.close.review = Review(
                heldOn: LocalDate(reviewAt), attendees: ["Host", "Partner"],
                lessons: (0..<(1 + rng.int(2))).map { k in
                    Lesson(
                        id: rng.uuid(), stageKey: stages[rng.int(5)].key,
                        text: "Generated lesson \(i)-\(k): ask the partner for the introduction by name.",
                        authorID: person(10), createdAt: reviewAt)
                })
            event(reviewAt, "review_recorded", before: nil, after: nil)
            if rng.chance(70) { completedAt = reviewAt }
        }
    }
    let deal = Deal(
        id: rng.uuid(), partnershipID: partnership.id, jointAccountID: account.id, accountName: account.name,
        accountOnOverlap: true, accountReason: nil, title: "Generated deal \(i)", hostOrganizationID: host,
        partnerOrganizationID: partner, playbookID: playbook.id, playbookVersion: playbook.version,
        stageIndex: stageIndex, stageEnteredAt: entered,
        lastActivityAt: healthy
            ? max(entered, now.addingTimeInterval(-Double(rng.int(10 * 86_400))))
            : events.map(\.at).max() ?? created,
        status: status, statusReason: status == .abandoned ? "Generated" : nil, amount: amount,
        expectedCloseDate: LocalDate(now.addingTimeInterval(60 * 86_400)), moves: moves, evidence: evidence,
        passages: passages, completedAt: completedAt, createdAt: created, createdBy: person(0))
    for k in events.indices { events[k].dealID = deal.id }
    return (account, deal, events)
}
