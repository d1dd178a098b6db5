import CoSellDomain
import Foundation

/// Hand-built deals for the report tests: fixed ids, days counted from 2026-01-01T00:00:00Z, the
/// standard playbook (stage 0 target selection … stage 4 close, register and review).
enum ReportsFixture {
    static func id(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
    }

    /// 2026-01-01T00:00:00Z.
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    static func day(_ n: Double) -> Date { t0.addingTimeInterval(n * 86_400) }
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    static let playbook = Playbook.standard(id: id(1), createdAt: t0)
    static func key(_ stage: Int) -> String { playbook.stages[stage].key }

    static let usd = Currency(code: "USD")!
    static let eur = Currency(code: "EUR")!
    static let gbp = Currency(code: "GBP")!
    static let jpy = Currency(code: "JPY")!
    static let kwd = Currency(code: "KWD")!
    static func money(_ amount: String, _ currency: Currency) -> Money {
        try! Money(amount: amount, currency: currency)
    }

    static let partnershipA = id(100)
    static let partnershipB = id(101)
    static let partnerOrg1 = id(200)
    static let partnerOrg2 = id(201)
    static let hostOrg = id(210)
    static let owner1 = id(300)
    static let owner2 = id(301)

    /// A passage through `stage` from day `from` to day `to`.
    static func passage(_ stage: Int, _ from: Double, _ to: Double, _ exit: StageExit = .passed) -> StagePassage {
        StagePassage(
            stageKey: key(stage), enteredAt: day(from), exitedAt: day(to), exit: exit, by: owner1,
            reason: exit == .skipped ? "override" : nil, unmetAtExit: [])
    }

    /// A deal now at `stage`, entered on day `entered` (last activity the same day, no moves).
    static func deal(
        _ n: Int, stage: Int = 0, status: DealStatus = .open, entered: Double, created: Double = 0,
        amount: Money? = nil, passages: [StagePassage] = [], partnership: UUID = partnershipA,
        partner: UUID = partnerOrg1, owner: UUID = owner1, strongFits: Bool = false, completedOn: Double? = nil,
        outcome: Outcome? = nil, registration: Registration? = nil, title: String? = nil
    ) -> Deal {
        var evidence = DealEvidence()
        if strongFits {
            for side in Side.allCases {
                evidence.targetSelection.icpFit[side] = IcpFitRecord(
                    fit: .strong, note: nil, recordedBy: owner, recordedAt: day(created))
            }
        }
        evidence.close.outcome = outcome
        evidence.close.registration = registration
        return Deal(
            id: id(1_000 + n), partnershipID: partnership, jointAccountID: id(2_000 + n), accountName: "Account \(n)",
            accountOnOverlap: true, accountReason: nil, title: title ?? "Deal \(n)", hostOrganizationID: hostOrg,
            partnerOrganizationID: partner, playbookID: playbook.id, playbookVersion: playbook.version,
            stageIndex: stage, stageEnteredAt: day(entered), lastActivityAt: day(entered), status: status,
            amount: amount, expectedCloseDate: nil, evidence: evidence, passages: passages,
            completedAt: completedOn.map(day), createdAt: day(created), createdBy: owner)
    }

    static func outcome(_ result: OutcomeResult, _ amount: Money, closedOn: String) -> Outcome {
        Outcome(
            result: result, finalAmount: amount, closeDate: date(closedOn), lossReason: result == .lost ? "lost" : nil,
            recordedBy: owner1, recordedAt: date(closedOn).startOfDay)
    }

    static func registration(_ attribution: Attribution) -> Registration {
        Registration(
            registrationID: "REG-\(attribution.rawValue)", attribution: attribution,
            sourcedBy: attribution == .partnerSourced ? .partner : .host, registeredBy: owner1,
            registeredByName: "Owner One", registeredAt: t0)
    }

    /// A won, registered (or not) deal at the last stage, closed on `closedOn`.
    static func won(
        _ n: Int, _ amount: Money, closedOn: String, attribution: Attribution?, partner: UUID = partnerOrg1
    ) -> Deal {
        deal(
            n, stage: 4, status: .won, entered: 0, amount: amount, partner: partner,
            outcome: outcome(.won, amount, closedOn: closedOn), registration: attribution.map(registration))
    }
}
