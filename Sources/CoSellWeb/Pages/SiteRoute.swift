import Foundation
import Vapor

/// Every address the pages link to or redirect to, as a value: `PageRoutes` registers the page
/// routes from it (`pathComponents`), and every `href`, form `action` and redirect is built from it
/// (`href`), so that a link cannot point at a route that does not exist.
enum SiteRoute: Equatable, Sendable {
    case home
    case signIn(next: String? = nil)
    case signOut
    case board
    /// Starting a deal: the partnership's targets, after choosing the partnership when there are several.
    case newDeal
    /// The weekly deal review: the current week's, after choosing the partnership when there are several.
    case reviews
    /// The signed-in person's mail settings.
    case notificationSettings
    /// The unsubscribe link of a mail (no sign-in).
    case unsubscribe(String)
    /// The setup page of an empty server (no sign-in; gone once an organization exists).
    case setup
    /// The signed-in person's own password.
    case passwordSettings
    /// An admin's page of their organization's people and invitations.
    case people
    /// The admin's invitation form.
    case peopleInvite
    /// The admin's deactivation of a person.
    case personDeactivation(UUID)
    /// The admin's change of a person's role.
    case personRole(UUID)
    /// The organization's ideal customer profile (everyone reads, admins change it).
    case profile
    /// An invitation's link: choose a password and join (no sign-in).
    case join(String)
    /// Asking for a password reset link (no sign-in).
    case passwordResetRequest
    /// A password reset's link: choose a new password (no sign-in).
    case passwordReset(String)
    case deal(UUID)
    /// A form of the deal page (`advance`, `approve-brief`, `move-done`, …).
    case dealAction(UUID, String)
    case partnerships
    /// An admin's invitation of another company to a partnership.
    case partnerInvite
    /// A partnership invitation's link: set the invited company up, or sign in to answer (no sign-in).
    case partnerInvitation(String)
    case partnership(UUID)
    /// The invited company's admin accepts or declines a pending partnership.
    case partnershipAcceptance(UUID)
    case partnershipDecline(UUID)
    /// Matching the two companies' accounts again.
    case partnershipMatching(UUID)
    /// Every population's sharing in one step.
    case sharingPreset(UUID)
    case partnershipReports(UUID)
    /// POST: record how your company's account executives are credited for co-sell deals.
    case partnershipCompensation(UUID)
    /// A partnership's named accounts per account executive, both companies'.
    case namedAccounts(UUID)
    /// One account executive's named accounts (the form).
    case namedAccountsOfPerson(UUID, person: UUID)
    /// How many named accounts each account executive holds (the plan's setting).
    case namedAccountsLimit(UUID)
    /// The current week's review (redirects to the week).
    case currentReview(UUID)
    /// A week's review; `limit` and `offset` page its long lists.
    case review(UUID, week: String, limit: Int? = nil, offset: Int? = nil)
    /// Check off a decision of a week's review (done, dropped, open again).
    case reviewDecision(UUID, week: String, decision: UUID)
    case sharing(UUID)
    /// Record a partnership's discovery call, or change its latest one.
    case discoveryCall(UUID)
    case discoveryCallConfirmation(UUID)
    /// The partnership's one-page joint value proposition (GET), its draft written (POST).
    case valueProposition(UUID)
    /// A partner manager approves the draft for their company.
    case valuePropositionApproval(UUID)
    case startDeal(UUID, overlap: UUID)
    /// A partnership's ranked targets, searched, filtered and paged.
    case targets(UUID, TargetQuery = TargetQuery())
    case revenue(currency: String? = nil)
    case exchangeRates
    case lessons
    case importUpload
    case importPreview(UUID)
    case importConfirm(UUID)
    case importResult(UUID)
    case importRestore(UUID)
    case playbooks
    case playbook(UUID, version: Int? = nil)
    case playbookEdit(UUID)
    case playbookCopy(UUID)
    case audit(offset: Int? = nil)

    // The JSON API's downloads the pages link to.
    /// A partnership report: `pipeline`, `pipeline.csv`, `adoption`, `adoption.csv`.
    case apiReport(UUID, String)
    case apiReview(UUID, week: String, markdown: Bool)
    /// The revenue report with the page's query (`csv` for the CSV file).
    case apiRevenue(csv: Bool, query: String)
    case apiAuditCSV

    /// One part of a path: a fixed word, or a parameter with its name (for the route) and value (for a link).
    enum Segment: Equatable {
        case constant(String)
        case parameter(String, String)
    }

    var segments: [Segment] {
        func id(_ name: String, _ value: UUID) -> Segment { .parameter(name, value.uuidString) }
        switch self {
        case .home: return []
        case .signIn: return [.constant("sign-in")]
        case .signOut: return [.constant("sign-out")]
        case .board: return [.constant("deals")]
        case .newDeal: return [.constant("deals"), .constant("new")]
        case .reviews: return [.constant("reviews")]
        case .notificationSettings: return [.constant("settings"), .constant("notifications")]
        case .unsubscribe(let token): return [.constant("unsubscribe"), .parameter("token", token)]
        case .setup: return [.constant("setup")]
        case .passwordSettings: return [.constant("settings"), .constant("password")]
        case .people: return [.constant("settings"), .constant("people")]
        case .peopleInvite: return [.constant("settings"), .constant("people"), .constant("invitations")]
        case .personDeactivation(let p):
            return [.constant("settings"), .constant("people"), id("person_id", p), .constant("deactivation")]
        case .personRole(let p):
            return [.constant("settings"), .constant("people"), id("person_id", p), .constant("role")]
        case .profile: return [.constant("settings"), .constant("profile")]
        case .join(let token): return [.constant("join"), .parameter("token", token)]
        case .passwordResetRequest: return [.constant("password-reset")]
        case .passwordReset(let token): return [.constant("password-reset"), .parameter("token", token)]
        case .deal(let d): return [.constant("deals"), id("deal_id", d)]
        case .dealAction(let d, let action):
            return [.constant("deals"), id("deal_id", d), .constant("actions"), .parameter("action", action)]
        case .partnerships: return [.constant("partnerships")]
        case .partnership(let p): return [.constant("partnerships"), id("partnership_id", p)]
        case .partnerInvite: return [.constant("partnerships"), .constant("invitations")]
        case .partnerInvitation(let token): return [.constant("partner-invitations"), .parameter("token", token)]
        case .partnershipAcceptance(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("acceptance")]
        case .partnershipDecline(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("decline")]
        case .partnershipMatching(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("matching")]
        case .sharingPreset(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("sharing"), .constant("preset")]
        case .partnershipReports(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("reports")]
        case .partnershipCompensation(let p):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("reports"), .constant("compensation"),
            ]
        case .namedAccounts(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("named-accounts")]
        case .namedAccountsOfPerson(let p, let person):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("named-accounts"),
                id("person_id", person),
            ]
        case .namedAccountsLimit(let p):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("named-accounts"), .constant("limit"),
            ]
        case .currentReview(let p): return [.constant("partnerships"), id("partnership_id", p), .constant("review")]
        case .review(let p, let week, _, _):
            return [.constant("partnerships"), id("partnership_id", p), .constant("reviews"), .parameter("week", week)]
        case .reviewDecision(let p, let week, let d):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("reviews"), .parameter("week", week),
                .constant("decisions"), id("decision_id", d),
            ]
        case .sharing(let p): return [.constant("partnerships"), id("partnership_id", p), .constant("sharing")]
        case .discoveryCall(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("discovery-call")]
        case .discoveryCallConfirmation(let p):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("discovery-call"),
                .constant("confirmation"),
            ]
        case .valueProposition(let p):
            return [.constant("partnerships"), id("partnership_id", p), .constant("value-proposition")]
        case .valuePropositionApproval(let p):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("value-proposition"),
                .constant("approval"),
            ]
        case .startDeal(let p, let overlap):
            return [
                .constant("partnerships"), id("partnership_id", p), .constant("targets"), id("overlap_id", overlap),
                .constant("deal"),
            ]
        case .targets(let p, _): return [.constant("partnerships"), id("partnership_id", p), .constant("targets")]
        case .revenue: return [.constant("reports"), .constant("revenue")]
        case .exchangeRates: return [.constant("exchange-rates")]
        case .lessons: return [.constant("lessons")]
        case .importUpload: return [.constant("import")]
        case .importPreview(let u): return [.constant("import"), id("upload_id", u)]
        case .importConfirm(let u): return [.constant("import"), id("upload_id", u), .constant("confirm")]
        case .importResult(let i): return [.constant("imports"), id("import_id", i)]
        case .importRestore(let i): return [.constant("imports"), id("import_id", i), .constant("restore")]
        case .playbooks: return [.constant("playbooks")]
        case .playbook(let p, _): return [.constant("playbooks"), id("playbook_id", p)]
        case .playbookEdit(let p): return [.constant("playbooks"), id("playbook_id", p), .constant("edit")]
        case .playbookCopy(let p): return [.constant("playbooks"), id("playbook_id", p), .constant("copy")]
        case .audit: return [.constant("audit")]
        case .apiReport(let p, let name):
            return api + [.constant("partnerships"), id("partnership_id", p), .constant("reports"), .constant(name)]
        case .apiReview(let p, let week, let markdown):
            return api + [.constant("partnerships"), id("partnership_id", p), .constant("reviews"), .constant(week)]
                + (markdown ? [.constant("markdown")] : [])
        case .apiRevenue(let csv, _): return api + [.constant("reports"), .constant(csv ? "revenue.csv" : "revenue")]
        case .apiAuditCSV: return api + [.constant("audit.csv")]
        }
    }

    private var api: [Segment] { [.constant("api"), .constant("v1")] }

    /// The query string, without `?`; empty for none.
    var query: String {
        switch self {
        case .signIn(let next?): return "next=" + queryValue(next)
        case .revenue(let currency?): return "currency=" + queryValue(currency)
        case .playbook(_, let version?): return "version=\(version)"
        case .audit(let offset?): return "offset=\(offset)"
        case .review(_, _, let limit?, let offset?): return "limit=\(limit)&offset=\(offset)"
        case .apiRevenue(_, let query): return query
        case .targets(_, let q): return q.queryString
        default: return ""
        }
    }

    /// The address to write into a page: the path with each parameter's value, and the query.
    var href: String {
        let path =
            "/"
            + segments.map {
                switch $0 {
                case .constant(let c): return c
                case .parameter(_, let value): return value
                }
            }.joined(separator: "/")
        return query.isEmpty ? path : path + "?" + query
    }

    /// The route to register: fixed words and named parameters (the values are not used).
    var pathComponents: [PathComponent] {
        segments.map {
            switch $0 {
            case .constant(let c): return .constant(c)
            case .parameter(let name, _): return .parameter(name)
            }
        }
    }
}

extension UUID {
    /// Stands for any id where a route is registered: `SiteRoute.deal(.placeholder).pathComponents`.
    static let placeholder = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension Application {
    /// Registers a page handler on a route.
    func page(
        _ method: HTTPMethod, _ route: SiteRoute, body: HTTPBodyStreamStrategy = .collect,
        _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        let r = on(method, route.pathComponents, body: body, use: Pages.handler(handler))
        if case .collect(let max) = body {
            r.userInfo[RouteBody.limitKey] = max?.value ?? routes.defaultMaxBodySize.value
        }
    }
}

extension Attr {
    static func href(_ route: SiteRoute) -> Attr { Attr("href", route.href) }

    /// An attribute holding an address (a form's `action`).
    init(_ name: String, _ route: SiteRoute) {
        self.init(name, route.href)
    }
}
