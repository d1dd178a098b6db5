import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation

extension HomeModel {
    /// Something a partnership waits on the reader for: hold or confirm its discovery call, do the
    /// next move the call agreed, approve the draft of the joint value proposition, or carry out a
    /// decision of a weekly review.
    public struct PartnershipItem: Sendable, Equatable {
        public var partnershipID: UUID
        public var partnershipName: String
        public var title: String
        public var due: String?
        public var overdue: Bool
        /// Where it is done, and what that is ("Discovery call", "Joint value proposition",
        /// "Decision of the weekly review 2026-W48").
        public var href: String = ""
        public var topic: String = "Discovery call"
    }
}

extension HomeController {
    /// The actions of the reader's partnerships that wait on them (`PartnershipActions`), the
    /// overdue first.
    static func partnershipActions(_ data: PageData) async throws -> [HomeModel.PartnershipItem] {
        let out = try await data.req.workflows.partnerships.actionsWaiting(on: data.session.principal)
        return out.map { w in
            let (a, ps) = (w.action, w.partnership)
            let topic: String
            switch a.kind {
            case .approveValueProposition: topic = "Joint value proposition"
            case .reviewDecision: topic = "Decision of the weekly review \(a.week.map(\.description) ?? "")"
            default: topic = "Discovery call"
            }
            // A decision is checked off in this week's review.
            let href =
                a.kind == .reviewDecision
                ? SiteRoute.review(ps.id, week: "\(ISOWeek(containing: data.now))").href + "#decisions" : a.path
            return .init(
                partnershipID: ps.id, partnershipName: ps.name, title: a.title, due: a.dueOn.map(data.format.format),
                overdue: a.overdue, href: href, topic: topic)
        }
    }
}

extension HomeView {
    /// The partnerships' actions waiting on the reader, shown above the deals' when there are any.
    static func partnershipActions(_ items: [HomeModel.PartnershipItem]) -> Node {
        guard !items.isEmpty else { return group {} }
        return el("section", .id("partnership-actions"), .aria("labelledby", "partnership-actions-h")) {
            el("h2", .id("partnership-actions-h")) { "Partnerships waiting on you" }
            el("ul", .cls("plain")) {
                for a in items {
                    el("li", .cls("card")) {
                        el("strong") { a.title }
                        el("p") {
                            el("a", .href(a.href)) { a.partnershipName }
                            el("span", .cls("muted")) { " · \(a.topic)" }
                        }
                        if let due = a.due {
                            el("p", .cls("muted")) {
                                "Due \(due)"
                                if a.overdue { " "; Layout.badge("overdue", "bad") }
                            }
                        }
                    }
                }
            }
        }
    }
}
