import CoSellDomain
import CoSellWorkflows
import Foundation

/// The top of a seller's home page: their named accounts in each active partnership.
struct HomeNamedAccounts: Sendable, Equatable {
    var partnershipID: UUID
    var partnershipName: String
    var partnerName: String
    var lines: [NamedAccountLine]
}

extension HomeController {
    /// A seller's named accounts per active partnership (an empty list where they have none yet).
    static func namedAccounts(_ data: PageData) async throws -> [HomeNamedAccounts] {
        guard data.me.role == .seller else { return [] }
        let mine = try await data.req.workflows.namedAccounts.mine(by: data.session.principal)
        let people = try await data.people()
        return data.partnerships.values.filter { $0.status == .active }.sorted { $0.createdAt < $1.createdAt }.map {
            ps in
            let rows = mine.first { $0.partnership.id == ps.id }?.rows ?? []
            return HomeNamedAccounts(
                partnershipID: ps.id, partnershipName: ps.name,
                partnerName: ps.counterpart(of: data.org).map(data.name(of:)) ?? "your partner",
                lines: rows.map { NamedAccountLine.make($0, names: data.organizationNames, people: people) })
        }
    }
}

extension HomeView {
    /// "Your named accounts": per partnership, each account with its deal's stage or "no deal yet"
    /// (and a button to start one from the target), and what waits on whom.
    static func namedAccounts(_ list: [HomeNamedAccounts], csrf: String?) -> Node {
        guard !list.isEmpty else { return .group([]) }
        return el("section", .id("your-named-accounts"), .aria("labelledby", "named-h")) {
            el("h2", .id("named-h")) { "Your named accounts" }
            for p in list {
                if list.count > 1 { el("h3") { p.partnershipName } }
                if p.lines.isEmpty {
                    el("p", .cls("muted")) {
                        "No named accounts with \(p.partnerName) yet. "
                        link(SiteRoute.namedAccounts(p.partnershipID), "Choose them")
                    }
                } else {
                    el("ul", .cls("plain")) {
                        for l in p.lines {
                            el("li", .cls("card")) {
                                el("strong") { l.account }
                                el("p") {
                                    Layout.badge(l.state, l.stateKind)
                                    if let d = l.dealID {
                                        " "
                                        link(SiteRoute.deal(d), l.dealTitle ?? "the deal")
                                    }
                                    if let s = l.stage { el("span", .cls("muted")) { " · \(s)" } }
                                }
                                if let w = l.waiting { el("p", .cls("muted")) { "Waiting on \(w)" } }
                                if let s = l.stall { el("p", .cls("muted")) { s } }
                                if l.dealID == nil, let overlap = l.overlapID {
                                    Layout.postForm(
                                        SiteRoute.startDeal(p.partnershipID, overlap: overlap), csrf: csrf,
                                        attrs: [.cls("inline")]
                                    ) {
                                        el("button", .type("submit"), .cls("secondary")) {
                                            "Start a deal on \(l.account)"
                                        }
                                    }
                                }
                            }
                        }
                    }
                    el("p", .cls("muted")) {
                        link(SiteRoute.namedAccounts(p.partnershipID), "All named accounts with \(p.partnerName)")
                    }
                }
            }
        }
    }
}
