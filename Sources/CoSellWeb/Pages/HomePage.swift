import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

public struct HomeModel: Sendable, Equatable {
    public struct MoveItem: Sendable, Equatable {
        public var dealID: UUID
        public var dealTitle: String
        public var stageName: String
        public var description: String
        public var company: String
        public var owner: String?
        public var due: String?
        public var overdue: Bool
    }

    public struct DealItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var detail: String
    }

    public struct StalledItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var cause: String?
        public var explanation: String
    }

    public var chrome: PageChrome
    public var firstName: String
    public var companyName: String
    public var moves: [MoveItem]
    public var waiting: [DealItem]
    public var stalled: [StalledItem]
}

public enum HomeView {
    public static func render(_ m: HomeModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Hello, \(m.firstName)" }
            el("p", .cls("muted")) {
                "What needs you this week in your joint deals, and what is stuck. "
                link(SiteRoute.board, "Open the deal board")
            }
            el("section", .aria("labelledby", "moves-h")) {
                el("h2", .id("moves-h")) { "My next moves" }
                if m.moves.isEmpty {
                    el("p", .cls("muted")) { "No open moves in the deals you are on." }
                } else {
                    el("div", .cls("table-wrap")) {
                        el("table") {
                            el("thead") {
                                el("tr") {
                                    el("th", Attr("scope", "col")) { "Move" }
                                    el("th", Attr("scope", "col")) { "Deal" }
                                    el("th", Attr("scope", "col")) { "Company" }
                                    el("th", Attr("scope", "col")) { "Owner" }
                                    el("th", Attr("scope", "col")) { "Due" }
                                }
                            }
                            el("tbody") {
                                for mv in m.moves {
                                    el("tr") {
                                        el("td") { mv.description }
                                        el("td") {
                                            link(SiteRoute.deal(mv.dealID), mv.dealTitle)
                                            el("br")
                                            el("small", .cls("muted")) { mv.stageName }
                                        }
                                        el("td") { mv.company }
                                        el("td") { mv.owner ?? "Nobody yet" }
                                        el("td") {
                                            mv.due ?? "No date"
                                            if mv.overdue { " "; Layout.badge("overdue", "bad") }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "waiting-h")) {
                el("h2", .id("waiting-h")) { "Waiting on \(m.companyName)" }
                dealList(m.waiting, empty: "No deal is waiting on your company.")
            }
            el("section", .aria("labelledby", "stalled-h")) {
                el("h2", .id("stalled-h")) { "Stalled deals" }
                if m.stalled.isEmpty {
                    el("p", .cls("muted")) { "No stalled deals." }
                } else {
                    if m.stalled.count >= HomeController.shown {
                        el("p", .cls("muted")) { "The \(m.stalled.count) longest idle stalled deals." }
                    }
                    el("ul", .cls("plain")) {
                        for s in m.stalled {
                            el("li", .cls("card")) {
                                el("h3") { link(SiteRoute.deal(s.dealID), s.title) }
                                el("p") {
                                    Layout.badge("stalled", "warn")
                                    " in \(s.stageName)"
                                    if let c = s.cause {
                                        " · "
                                        Layout.badge(c, "bad")
                                    }
                                }
                                el("p") { s.explanation }
                            }
                        }
                    }
                }
            }
        }
    }

    static func dealList(_ items: [HomeModel.DealItem], empty: String) -> Node {
        guard !items.isEmpty else { return el("p", .cls("muted")) { empty } }
        return el("ul", .cls("plain")) {
            for d in items {
                el("li", .cls("card")) {
                    el("strong") { link(SiteRoute.deal(d.dealID), d.title) }
                    el("span", .cls("muted")) { " · \(d.stageName)" }
                    el("p") { d.detail }
                }
            }
        }
    }
}

enum HomeController {
    static let shown = 20

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        return Pages.html(HomeView.render(try await model(data, notice: Pages.notice(req))))
    }

    static func model(_ data: PageData, notice: String?) async throws -> HomeModel {
        let me = data.me
        let today = LocalDate(data.now)
        let people = try await data.people()

        // My deals: the ones I am on, in play; the most urgent (earliest due open move) first.
        let mine = try await data.store.dealFacts(
            DealQuery(
                organizationID: data.org, inPlayOnly: true, mentioning: me.id, order: .nextDueAscending, limit: 30)
        ).filter { Visibility.isOnDeal($0, personID: me.id) && data.canSee($0) }
        var moves: [(item: HomeModel.MoveItem, due: LocalDate?)] = []
        for deal in mine where deal.status == .open {
            guard let pb = try await data.playbook(of: deal) else { continue }
            let stage = pb.stages[deal.stageIndex]
            for mv in deal.openMoves where mv.stageKey == stage.key {
                let item = HomeModel.MoveItem(
                    dealID: deal.id, dealTitle: deal.title, stageName: stage.name, description: mv.description,
                    company: data.sideLabel(
                        deal.sides(of: mv.side), deal.hostOrganizationID, deal.partnerOrganizationID),
                    owner: mv.ownerID.flatMap { people[$0]?.name } ?? mv.ownerName,
                    due: mv.dueOn.map(data.format.format), overdue: mv.isOverdue(today: today))
                moves.append((item, mv.dueOn))
            }
        }
        // Overdue first, then by due date (undated last), then by deal.
        moves.sort {
            if $0.item.overdue != $1.item.overdue { return $0.item.overdue }
            switch ($0.due, $1.due) {
            case (let a?, let b?) where a != b: return a < b
            case (nil, _?): return false
            case (_?, nil): return true
            default: return $0.item.dealTitle < $1.item.dealTitle
            }
        }

        // Waiting on my company: open moves of my side in the current stage, longest in stage first.
        // Deals are read a page at a time until enough are found.
        var waiting: [HomeModel.DealItem] = []
        let waitingQuery = DealQuery(
            organizationID: data.org, statuses: [.open], inPlayOnly: true,
            mentioning: me.role == .seller ? me.id : nil, order: .stageEnteredAscending, limit: 20)
        try await scan(waitingQuery, data) { deal in
            guard let side = deal.side(of: data.org), let pb = try await data.playbook(of: deal) else { return false }
            let stage = pb.stages[deal.stageIndex]
            let open = deal.openMoves.filter { $0.stageKey == stage.key && deal.sides(of: $0.side).contains(side) }
            guard !open.isEmpty else { return false }
            let days = max(0, wholeDays(from: deal.stageEnteredAt, to: data.now))
            waiting.append(
                .init(
                    dealID: deal.id, title: deal.title, stageName: stage.name,
                    detail:
                        "\(open.count) open move\(open.count == 1 ? "" : "s") for \(data.name(of: data.org)): "
                        + open.map(\.description).joined(separator: "; ")
                        + ". In this stage for \(days) day\(days == 1 ? "" : "s")."))
            return waiting.count == shown
        }

        // Stalled: narrowed in SQL, then the exact stall rules and the diagnosis, longest idle first.
        var stalled: [HomeModel.StalledItem] = []
        let stalledQuery = DealQuery(
            organizationID: data.org, inPlayOnly: true, mentioning: me.role == .seller ? me.id : nil,
            possiblyStalled: try await data.stallQuery(), order: .lastActivityAscending, limit: 20)
        try await scan(stalledQuery, data) { deal in
            guard let pb = try await data.playbook(of: deal) else { return false }
            guard DealDiagnostics.stall(of: deal, playbook: pb, now: data.now).stalled else { return false }
            let d = DealDiagnostics.diagnose(deal, playbook: pb, now: data.now)
            stalled.append(
                .init(
                    dealID: deal.id, title: deal.title, stageName: pb.stages[deal.stageIndex].name,
                    cause: d.likelyCause?.pitfall.title, explanation: d.explanation))
            return stalled.count == shown
        }
        return HomeModel(
            chrome: data.session.chrome("Home", .home, notice: notice),
            firstName: String(me.name.split(separator: " ").first ?? Substring(me.name)),
            companyName: data.session.organization.name, moves: moves.prefix(50).map(\.item), waiting: waiting,
            stalled: stalled)
    }

    /// Reads the deals a query selects, a page at a time and at most `maxPages` pages, handing each
    /// visible one to `visit` until it returns true.
    static func scan(
        _ query: DealQuery, _ data: PageData, maxPages: Int = 3, _ visit: (DealFacts) async throws -> Bool
    ) async throws {
        var q = query
        for page in 0..<maxPages {
            q.offset = query.limit * page
            let deals = try await data.store.dealFacts(q)
            for deal in deals where data.canSee(deal) {
                if try await visit(deal) { return }
            }
            if deals.count < q.limit { return }
        }
    }
}
