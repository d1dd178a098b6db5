import CoSellDomain
import CoSellPersistence
import Foundation

/// The next actions across every deal a person sees, read from the deals' facts (no documents):
/// what the home page and `GET /api/v1/me/actions` show.
struct ActionList {
    struct Entry {
        var action: NextAction
        var deal: DealFacts
        var stageName: String
        /// Not blocked, and owned by the reader or (unowned) theirs to do.
        var waitsOnReader: Bool
        /// One of the acting companies is the reader's.
        var readersCompany: Bool
    }

    /// How many deals are read at most, a page at a time (the newest due first).
    static let maxDeals = 20_000
    static let pageSize = 500

    var entries: [Entry] = []

    /// Reads the deals in play of `person`'s organization (a seller's: the ones they are on), keeps
    /// those `canSee` allows, and lists their actions: overdue first, then by due date (undated last),
    /// then by deal title and the gate's order.
    static func load(
        store: CoSellStore, person: Person, companyNames: [UUID: String], today: LocalDate,
        canSee: (DealFacts) -> Bool, playbook: (DealFacts) async throws -> Playbook?
    ) async throws -> ActionList {
        var q = DealQuery(
            organizationID: person.organizationID, inPlayOnly: true,
            mentioning: person.role == .seller ? person.id : nil, order: .nextDueAscending, limit: pageSize)
        var list = ActionList()
        var read = 0
        while read < maxDeals {
            let deals = try await store.dealFacts(q)
            for deal in deals where canSee(deal) && !deal.pendingActions.isEmpty {
                let pb = try await playbook(deal)
                let stageName =
                    pb.flatMap { $0.stages.indices.contains(deal.stageIndex) ? $0.stages[deal.stageIndex].name : nil }
                    ?? ""
                for a in NextActions.of(facts: deal, playbook: pb, companyNames: companyNames, today: today) {
                    list.entries.append(
                        Entry(
                            action: a, deal: deal, stageName: stageName, waitsOnReader: a.waits(on: person, deal: deal),
                            readersCompany: a.organizationIDs.contains(person.organizationID)))
                }
            }
            read += deals.count
            if deals.count < q.limit { break }
            q.offset += q.limit
        }
        list.entries = list.entries.enumerated().sorted { l, r in
            let a = l.element.action
            let b = r.element.action
            if a.overdue != b.overdue { return a.overdue }
            switch (a.dueOn, b.dueOn) {
            case (let x?, let y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: break
            }
            if l.element.deal.title != r.element.deal.title { return l.element.deal.title < r.element.deal.title }
            return l.offset < r.offset
        }.map(\.element)
        return list
    }

    /// Waiting on the reader.
    var mine: [Entry] { entries.filter(\.waitsOnReader) }
    /// Waiting on the reader's company, on someone else (or on a part that waits for another first).
    var myCompanys: [Entry] { entries.filter { $0.readersCompany && !$0.waitsOnReader } }
    /// Waiting on the other company only.
    var partners: [Entry] { entries.filter { !$0.readersCompany } }
    /// Deals closed (won or lost) whose review is still to be held.
    var awaitingReview: [Entry] { entries.filter { $0.action.part == "review_lesson" && $0.deal.outcome != nil } }
}
