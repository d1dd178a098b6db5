import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum BoardController {
    static let cardsPerColumn = 25

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        return Pages.html(BoardView.render(try await model(data)))
    }

    static func model(_ data: PageData) async throws -> BoardModel {
        let req = data.req
        var filter: [String: String] = [:]
        for key in ["partnership", "owner", "side", "status"] {
            if let v = try? req.query.get(String.self, at: key), !v.isEmpty { filter[key] = v }
        }
        var q = DealQuery(organizationID: data.org, limit: cardsPerColumn)
        if let raw = filter["partnership"] {
            guard let id = UUID(uuidString: raw), data.partnerships[id] != nil else {
                throw Problem.invalid("partnership", "Choose one of your partnerships.")
            }
            q.partnershipID = id
        }
        var owner: UUID? = nil
        let people = try await data.people()
        if let raw = filter["owner"] {
            guard let id = UUID(uuidString: raw), people[id] != nil else {
                throw Problem.invalid("owner", "Choose a person of your company or of a partner.")
            }
            owner = id
        }
        if let raw = filter["side"] {
            guard let side = Side(rawValue: raw) else { throw Problem.invalid("side", "Choose host or partner.") }
            q.side = side
        }
        // By default the deals still being worked: open, and won or lost but not yet reviewed.
        let status = filter["status"] ?? "in_play"
        if status == "in_play" {
            q.inPlayOnly = true
        } else if status != "all" {
            guard let st = DealStatus(rawValue: status) else {
                throw Problem.invalid("status", "Choose in_play, open, won, lost, abandoned, ended or all.")
            }
            q.statuses = [st]
        }
        let me = data.me
        let sellerOnly =
            me.role == .seller
            && !data.partnerships.values.contains { $0.plan?.owners.contains { $0.personID == me.id } == true }
        let standard = try await data.store.playbook(Playbook.standardID)
        let names = (0..<5).map { standard?.stages[$0].name ?? "Stage \($0 + 1)" }

        // A seller's deals, or an owner's: the participants table holds exactly the people
        // `Visibility.isOnDeal` names, so the filter runs in SQL; the cards are checked again.
        if sellerOnly {
            q.mentioning = me.id
        } else if let owner {
            q.mentioning = owner
        }
        var columns: [BoardModel.Column] = []
        let totals = try await data.store.stageTotals(q)
        for i in 0..<5 {
            var col = q
            col.stageIndex = i
            let t = totals.first { $0.stageIndex == i }
            let deals =
                t == nil
                ? []
                : try await data.store.dealFacts(col).filter { deal in
                    data.canSee(deal) && (owner.map { Visibility.isOnDeal(deal, personID: $0) } ?? true)
                }
            columns.append(
                .init(
                    stageName: names[i], count: t?.count ?? 0, total: total(t?.amounts ?? [:], data),
                    cards: try await cards(deals, data)))
        }
        let partnerships = data.partnerships.values.sorted { $0.name < $1.name }.map {
            BoardModel.Option(value: $0.id.uuidString, label: $0.name)
        }
        let owners = people.values.filter { $0.deactivatedAt == nil }.sorted {
            ($0.organizationID == data.org ? 0 : 1, $0.name) < ($1.organizationID == data.org ? 0 : 1, $1.name)
        }.map {
            BoardModel.Option(value: $0.id.uuidString, label: "\($0.name) (\(data.name(of: $0.organizationID)))")
        }
        return BoardModel(
            chrome: data.session.chrome("Deals", .deals), columns: columns, partnerships: partnerships,
            owners: owners, filter: filter)
    }

    static func total(_ amounts: [String: Int64], _ data: PageData) -> String {
        if amounts.isEmpty { return "no amounts" }
        return amounts.keys.sorted().compactMap { code in
            Currency(code: code).map { data.format.format(Money(minorUnits: amounts[code]!, currency: $0)) }
        }.joined(separator: " + ")
    }

    /// The cards, from each deal's stored facts: no document is decoded.
    static func cards(_ deals: [DealFacts], _ data: PageData) async throws -> [BoardModel.Card] {
        let people = try await data.people()
        var out: [BoardModel.Card] = []
        for d in deals {
            guard let pb = try await data.playbook(of: d), pb.stages.indices.contains(d.stageIndex) else { continue }
            let stall = DealDiagnostics.stall(of: d, playbook: pb, now: data.now)
            let pitfall =
                (stall.stalled || d.status == .lost)
                ? DealDiagnostics.diagnose(d, playbook: pb, now: data.now).likelyCause?.pitfall.title : nil
            var owners: [(company: String, names: String)] = []
            for side in Side.allCases {
                // Owners of the current stage's moves who work for that side's company.
                let names = Set(
                    d.stageOwnerIDs.compactMap { id -> String? in
                        guard let person = people[id], person.organizationID == d.organizationID(of: side) else {
                            return nil
                        }
                        return person.name
                    })
                owners.append(
                    (
                        data.name(of: d.organizationID(of: side)),
                        names.isEmpty ? "no owner yet" : names.sorted().joined(separator: ", ")
                    ))
            }
            out.append(
                .init(
                    dealID: d.id, title: d.title, account: d.accountName, amount: data.money(d.amount),
                    owners: owners, gateMet: d.gateMet ?? 0, gateTotal: d.gateTotal ?? 0, stalled: stall.stalled,
                    pitfall: pitfall, status: d.status == .open ? nil : d.status.rawValue))
        }
        return out
    }
}
