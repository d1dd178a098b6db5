import CoSellDomain
import CoSellPersistence
import Foundation

/// The next actions across every deal a person sees, read from the deals' facts (the facts cache
/// when the server keeps one; no documents): what the home page and `GET /api/v1/me/actions` show.
/// Actions are put in words only for the ones shown (`action(_:)`).
struct ActionList {
    struct Entry {
        var pending: PendingAction
        /// The deal's place in `deals`.
        var dealIndex: Int
        /// Not blocked, and owned by the reader or (unowned) theirs to do.
        var waitsOnReader: Bool
        /// The reader's company acts: its person owns it, or (unowned) it is one of the acting companies.
        var readersCompany: Bool
        var overdue: Bool
    }

    let companyNames: [UUID: String]
    let today: LocalDate
    /// The deals with pending actions, in the order their facts were read.
    private(set) var deals: [DealFacts] = []
    /// Every pending action, the most urgent first.
    private(set) var entries: [Entry] = []
    private var playbooks: [PlaybookVersion: Playbook?] = [:]

    func deal(_ e: Entry) -> DealFacts { deals[e.dealIndex] }

    /// Lists the pending actions of the deals in play of `person`'s organization that `canSee`
    /// allows: overdue first, then by due date (undated last), then by deal title and the gate's order.
    /// The order is sorted on integer keys (the deals' title order is computed once), since an admin's
    /// list holds every action of thousands of deals.
    static func load(
        store: CoSellStore, person: Person, companyNames: [UUID: String], today: LocalDate,
        canSee: (DealFacts) -> Bool, organizationOfPerson: (UUID) -> UUID?
    ) async throws -> ActionList {
        var list = ActionList(companyNames: companyNames, today: today)
        var unsorted: [Entry] = []
        var gateOrder: [Int] = []
        for deal in try await store.reportFacts(visibleTo: person.organizationID, uncompletedOnly: true)
        where deal.isInPlay && !deal.pendingActions.isEmpty && canSee(deal) {
            let index = list.deals.count
            list.deals.append(deal)
            let onDeal = Visibility.isOnDeal(deal, personID: person.id)
            for (n, p) in deal.pendingActions.enumerated() {
                let acting = p.sides.map(deal.organizationID(of:))
                unsorted.append(
                    Entry(
                        pending: p, dealIndex: index,
                        waitsOnReader: NextActions.waits(
                            on: person, organizationIDs: acting, ownerID: p.ownerID, blocked: !p.blockedBy.isEmpty,
                            isOnDeal: onDeal, part: p.part),
                        readersCompany: p.ownerID.flatMap(organizationOfPerson).map { $0 == person.organizationID }
                            ?? acting.contains(person.organizationID),
                        overdue: p.dueOn.map { $0 < today } ?? false))
                gateOrder.append(n)
            }
        }
        // Each deal's rank by title (then id), once for all its actions.
        let byTitle = list.deals.indices.sorted { a, b in
            let x = list.deals[a]
            let y = list.deals[b]
            return x.title != y.title ? x.title < y.title : UUIDOrder(x.id) < UUIDOrder(y.id)
        }
        var titleRank = [Int](repeating: 0, count: list.deals.count)
        for (rank, d) in byTitle.enumerated() { titleRank[d] = rank }
        let keys = unsorted.indices.map { i -> (Int, Int, Int, Int) in
            let e = unsorted[i]
            let due = e.pending.dueOn.map { $0.year * 10_000 + $0.month * 100 + $0.day } ?? Int.max
            return (e.overdue ? 0 : 1, due, titleRank[e.dealIndex], gateOrder[i])
        }
        list.entries = unsorted.indices.sorted { keys[$0] < keys[$1] }.map { unsorted[$0] }
        return list
    }

    /// The stage's name and the action in words, for one entry shown.
    mutating func action(_ e: Entry, store: CoSellStore) async throws -> (NextAction, stageName: String) {
        let deal = deals[e.dealIndex]
        let key = PlaybookVersion(deal.playbookID, deal.playbookVersion)
        let pb: Playbook?
        if let found = playbooks[key] {
            pb = found
        } else {
            pb = try await store.playbook(deal.playbookID, version: deal.playbookVersion)
            playbooks[key] = pb
        }
        let stage = pb.flatMap { $0.stages.indices.contains(deal.stageIndex) ? $0.stages[deal.stageIndex] : nil }
        return (
            NextActions.action(
                e.pending, of: deal, stageKey: stage?.key ?? "", companyNames: companyNames, today: today),
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
        entries.filter { $0.pending.part == "review_lesson" && deals[$0.dealIndex].outcome != nil }
    }
}
