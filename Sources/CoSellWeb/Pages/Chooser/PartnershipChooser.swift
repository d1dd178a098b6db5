import CoSellDomain
import Foundation
import Vapor

/// "New deal" and "Weekly review" from the main navigation: straight to the partnership when the
/// organization has one active partnership, else a short list to choose from.
enum PartnershipChooser {
    static func newDeal(_ req: Request) async throws -> Response {
        try await choose(
            req, title: "Start a deal",
            lead:
                "A deal starts from an account on a partnership's overlap: choose the partnership, then the account from its ranked targets.",
            section: .deals
        ) { SiteRoute.partnership($0).href + "#targets-h" }
    }

    static func reviews(_ req: Request) async throws -> Response {
        try await choose(
            req, title: "Weekly deal review",
            lead: "Each partnership has its own weekly review: choose one.", section: .reviews
        ) { SiteRoute.currentReview($0).href }
    }

    static func choose(
        _ req: Request, title: String, lead: String, section: PageChrome.Section, target: (UUID) -> String
    ) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let active = data.partnerships.values.filter { $0.status == .active }.sorted { $0.name < $1.name }
        if active.count == 1 { return Pages.seeOther(checkedPath: target(active[0].id)) }
        return Pages.html(
            Layout.page(data.session.chrome(title, section)) {
                el("h1") { title }
                if active.isEmpty {
                    el("p") {
                        "No partnership is active yet: both companies accept a partnership before its deals and reviews start. "
                        link(SiteRoute.partnerships, "See the partnerships")
                        "."
                    }
                } else {
                    el("p", .cls("muted")) { lead }
                    el("ul") {
                        for p in active {
                            el("li") {
                                el("a", .href(target(p.id))) { p.name }
                                " with \(data.name(of: p.counterpart(of: data.org) ?? data.org))"
                            }
                        }
                    }
                }
            })
    }
}
