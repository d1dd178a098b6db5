import CoSellDomain
import CoSellPersistence
import Foundation

/// The next actions across every deal a person sees, read from the deals' facts (the facts cache
/// when the server keeps one; no documents): what the home page and `GET /api/v1/me/actions` show.
/// Actions are put in words only for the ones shown (`action(_:)`).
struct ActionList {
    struct Entry {
        var pending: PendingAction
        var deal: DealFacts
        /// Not blocked, and owned by the reader or (unowned) theirs to do.
        var waitsOnReader: Bool
        /// The reader's company acts: its person owns it, or (unowned) it is one of the acting companies.
        var readersCompany: Bool
        var overdue: Bool
    }

    let companyNames: [UUID: String]
    let today: LocalDate
    private(set) var entries: [Entry] = []
    private var playbooks: [PlaybookVersion: Playbook?] = [:]

    /// Lists the pending actions of the deals in play of `person`'s organization that `canSee`
    /// allows: overdue first, then by due date (undated last), then by deal title and the gate's order.
    static func load(
        store: CoSellStore, person: Person, companyNames: [UUID: String], today: LocalDate,
        canSee: (DealFacts) -> Bool, organizationOfPerson: (UUID) -> UUID?
    ) async throws -> ActionList {
        var list = ActionList(companyNames: companyNames, today: today)
        for deal in try await store.reportFacts(visibleTo: person.organizationID, uncompletedOnly: true)
        where deal.isInPlay && !deal.pendingActions.isEmpty && canSee(deal) {
            for p in deal.pendingActions {
                list.entries.append(
                    Entry(
                        pending: p, deal: deal, waitsOnReader: NextActions.waits(p, of: deal, on: person),
                        readersCompany: p.ownerID.flatMap(organizationOfPerson).map { $0 == person.organizationID }
                            ?? p.sides.contains { deal.organizationID(of: $0) == person.organizationID },
                        overdue: p.dueOn.map { $0 < today } ?? false))
            }
        }
        list.entries = list.entries.enumerated().sorted { l, r in
            let a = l.element
            let b = r.element
            if a.overdue != b.overdue { return a.overdue }
            switch (a.pending.dueOn, b.pending.dueOn) {
            case (let x?, let y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: break
            }
            if a.deal.title != b.deal.title { return a.deal.title < b.deal.title }
            if a.deal.id != b.deal.id { return UUIDOrder(a.deal.id) < UUIDOrder(b.deal.id) }
            return l.offset < r.offset
        }.map(\.element)
        return list
    }

    /// The stage's name and the action in words, for one entry shown.
    mutating func action(_ e: Entry, store: CoSellStore) async throws -> (NextAction, stageName: String) {
        let key = PlaybookVersion(e.deal.playbookID, e.deal.playbookVersion)
        let pb: Playbook?
        if let found = playbooks[key] {
            pb = found
        } else {
            pb = try await store.playbook(e.deal.playbookID, version: e.deal.playbookVersion)
            playbooks[key] = pb
        }
        let stage = pb.flatMap { $0.stages.indices.contains(e.deal.stageIndex) ? $0.stages[e.deal.stageIndex] : nil }
        return (
            NextActions.action(
                e.pending, of: e.deal, stageKey: stage?.key ?? "", companyNames: companyNames, today: today),
            stage?.name ?? ""
        )
    }

    /// Waiting on the reader.
    var mine: [Entry] { entries.filter(\.waitsOnReader) }
    /// Waiting on the reader's company, on someone else (or on a part that waits for another first).
    var myCompanys: [Entry] { entries.filter { $0.readersCompany && !$0.waitsOnReader } }
    /// Waiting on the other company: owned by its person, or (unowned) only it can act.
    var partners: [Entry] { entries.filter { !$0.readersCompany } }
    /// Deals closed (won or lost) whose review is still to be held, one entry per deal.
    var awaitingReview: [Entry] {
        entries.filter { $0.pending.part == "review_lesson" && $0.deal.outcome != nil }
    }
}
