import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// What several pages load for one request: partnerships, organization names, playbook versions.
final class PageData {
    let req: Request
    let session: PageSession
    let now: Date
    let format: DisplayFormat
    private(set) var partnerships: [UUID: Partnership] = [:]
    private(set) var organizationNames: [UUID: String] = [:]
    private var playbooks: [PlaybookVersion: Playbook] = [:]
    private var peopleCache: [UUID: Person]? = nil

    var store: CoSellStore { req.store }
    var me: Person { session.person }
    var org: UUID { session.person.organizationID }

    private init(_ req: Request, _ session: PageSession) {
        self.req = req
        self.session = session
        now = Date()
        format = req.displayFormat
    }

    static func load(_ req: Request, _ session: PageSession) async throws -> PageData {
        let d = PageData(req, session)
        let list = try await req.store.partnerships(of: session.person.organizationID)
        for p in list { d.partnerships[p.id] = p }
        let orgIDs = Array(Set(list.flatMap(\.organizationIDs) + [session.person.organizationID]))
        for o in try await req.store.organizations(orgIDs) { d.organizationNames[o.id] = o.name }
        return d
    }

    func playbook(of deal: Deal) async throws -> Playbook? {
        try await playbook(deal.playbookID, version: deal.playbookVersion)
    }

    func playbook(of deal: DealFacts) async throws -> Playbook? {
        try await playbook(deal.playbookID, version: deal.playbookVersion)
    }

    func playbook(_ id: UUID, version: Int) async throws -> Playbook? {
        let key = PlaybookVersion(id, version)
        if let p = playbooks[key] { return p }
        let p = try await store.playbook(id, version: version)
        playbooks[key] = p
        return p
    }

    /// The same rule as the API: people of the two organizations, sellers only on their deals.
    func canSee(_ deal: Deal) -> Bool {
        guard let ps = partnerships[deal.partnershipID] else { return false }
        return Visibility.canSee(deal, person: me, partnership: ps)
    }

    func canSee(_ deal: DealFacts) -> Bool {
        guard let ps = partnerships[deal.partnershipID] else { return false }
        return Visibility.canSee(deal, person: me, partnership: ps)
    }

    func name(of organizationID: UUID) -> String { organizationNames[organizationID] ?? "Unknown company" }

    func companyName(_ deal: Deal, _ side: Side) -> String { name(of: deal.organizationID(of: side)) }

    /// Every person of the organizations this person works with (to name owners).
    func people() async throws -> [UUID: Person] {
        if let c = peopleCache { return c }
        let ids = Array(organizationNames.keys)
        var all: [UUID: Person] = [:]
        for p in try await store.people(inOrganizations: ids) { all[p.id] = p }
        peopleCache = all
        return all
    }

    func money(_ m: Money?) -> String { m.map(format.format) ?? "No amount" }

    /// The side that owes a move: the named door-opener side for door-opener moves.
    static func sides(of move: DealMove, in deal: Deal) -> [Side] {
        move.side.sides(doorOpener: deal.evidence.doorOpener.doorOpener?.side ?? deal.suggestedDoorOpener)
    }

    /// The companies that owe a move, e.g. "Quarry Data and Halyard Security".
    func sideLabel(_ sides: [Side], _ host: UUID, _ partner: UUID) -> String {
        sides.map { name(of: $0 == .host ? host : partner) }.joined(separator: " and ")
    }

    /// The smallest stall limits over every playbook version, to narrow the stalled-deal query.
    func stallQuery() async throws -> (idleBefore: Date, inStageBefore: Date, dueBefore: LocalDate) {
        let all = try await store.allPlaybookVersions()
        let idle = all.map(\.inactivityLimitDays).min() ?? 14
        let stage = all.flatMap { $0.stages.map(\.stallLimitDays) }.min() ?? 14
        return (
            now.addingTimeInterval(-Double(idle) * 86_400), now.addingTimeInterval(-Double(stage) * 86_400),
            LocalDate(now)
        )
    }
}
