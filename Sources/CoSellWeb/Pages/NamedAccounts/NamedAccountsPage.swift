import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// One named account as a page shows it: who, which account, where it stands, what waits on whom.
struct NamedAccountLine: Sendable, Equatable {
    var personID: UUID
    var person: String
    var accountID: UUID
    var account: String
    /// The badge: "no deal yet", "deal open", "stalled", "won", "lost".
    var state: String
    var stateKind: String
    /// The deal's stage, or nil without a deal.
    var stage: String?
    var dealID: UUID?
    var dealTitle: String?
    /// What waits on whom, in words ("Halyard Security: Record the fit · Owner: Marcus Chen").
    var waiting: String?
    var stall: String?
    /// The target to start a deal from, while the account has none.
    var overlapID: UUID?

    static func make(_ r: NamedAccountWorkflows.Row, names: [UUID: String], people: [UUID: Person]) -> Self {
        let d = r.progress.deal
        let (state, kind): (String, String) =
            switch r.progress {
            case .noDeal: ("no deal yet", "muted")
            case .open: ("deal open", "ok")
            case .stalled: ("stalled", "warn")
            case .won: ("won", "ok")
            case .lost: ("lost", "bad")
            }
        let waiting = (d?.waiting ?? []).prefix(3).map { w in
            let who = w.organizationIDs.map { names[$0] ?? "Unknown company" }.joined(separator: " or ")
            let owner = w.ownerID.flatMap { people[$0]?.name }.map { " · Owner: \($0)" } ?? ""
            // A title that names its company already ("Quarry Data: accept the registration") keeps its words.
            let named = w.organizationIDs.contains { names[$0].map { w.title.hasPrefix($0) } ?? false }
            return (named ? w.title : "\(who): \(w.title)") + owner
        }
        return NamedAccountLine(
            personID: r.named.personID, person: r.personName, accountID: r.named.accountID, account: r.accountName,
            state: state, stateKind: kind, stage: d.flatMap { $0.stageName.isEmpty ? nil : $0.stageName },
            dealID: d?.dealID, dealTitle: d?.title, waiting: waiting.isEmpty ? nil : waiting.joined(separator: "; "),
            stall: d?.stall, overlapID: r.overlapID)
    }
}

struct NamedAccountsModel: Sendable {
    struct Seller: Sendable {
        var id: UUID
        var name: String
        var chosen: Set<UUID>
    }

    var chrome: PageChrome
    var id: UUID
    var name: String
    var yours: String
    var theirs: String
    var limit: Int
    var active: Bool
    var hasPlan: Bool
    var canEditLimit: Bool
    /// The sellers whose list the reader may change (all of them for a partner manager, themselves
    /// for a seller, none for a viewer).
    var editable: [Seller]
    var sellerCount: Int
    var yourLines: [NamedAccountLine]
    /// nil while the partnership is not active.
    var theirLines: [NamedAccountLine]?
    var choices: [(id: UUID, name: String)]
    var canStartDeals: Bool
    var error: String? = nil
    var errorPerson: UUID? = nil
    /// The link to the published joint value proposition, or that none is published yet.
    var valueProposition: ValuePropositionLink? = nil
}

/// The named accounts page of a partnership: a partner manager assigns accounts of the joint list
/// to each account executive of their company and sees both companies' table with progress.
enum NamedAccountsPage {
    static func register(_ app: Application) {
        let id = UUID.placeholder
        app.page(.GET, .namedAccounts(id), show)
        app.page(.POST, .namedAccountsLimit(id), saveLimit)
        app.page(.POST, .namedAccountsOfPerson(id, person: id), savePerson)
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let board = try await req.workflows.namedAccounts.board(
            in: try req.id("partnership_id", "partnership"), by: s.principal)
        return Pages.html(view(try await model(data, board, notice: Pages.notice(req))))
    }

    static func savePerson(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let person = try req.id("person_id", "person")
        let chosen = req.formValues().keys.filter { $0.hasPrefix("account_") }.compactMap {
            UUID(uuidString: String($0.dropFirst("account_".count)))
        }.sorted { $0.uuidString < $1.uuidString }
        do {
            let board = try await req.workflows.namedAccounts.replace(for: person, in: id, by: s.principal) { chosen }
            let name = board.yours.rows.first { $0.named.personID == person }?.personName ?? "The account executive"
            let n = board.yours.rows.filter { $0.named.personID == person }.count
            return Pages.seeOther(
                .namedAccounts(id), notice: "\(name) has \(n) named account\(n == 1 ? "" : "s") now.")
        } catch let error as WorkflowError {
            guard case .invalid(_, let message) = error else { throw error }
            let data = try await PageData.load(req, s)
            let board = try await req.workflows.namedAccounts.board(in: id, by: s.principal)
            var m = try await model(data, board, notice: nil)
            m.error = "Nothing was saved: \(message)."
            m.errorPerson = person
            if let i = m.editable.firstIndex(where: { $0.id == person }) { m.editable[i].chosen = Set(chosen) }
            return Pages.html(view(m), status: .unprocessableEntity)
        }
    }

    static func saveLimit(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let ps = try await req.workflows.namedAccounts.setLimit(in: id, by: s.principal) {
            guard let raw = req.formValue("named_accounts_per_seller"), let n = Int(raw) else {
                throw Problem.invalid("named_accounts_per_seller", "Type a number from 1 to 10.")
            }
            return n
        }
        let n = ps.plan?.namedAccountsPerSeller ?? CoSellPlan.defaultNamedAccountsPerSeller
        return Pages.seeOther(
            .namedAccounts(id), notice: "Each account executive holds at most \(n) named account\(n == 1 ? "" : "s").")
    }

    static func model(
        _ data: PageData, _ b: NamedAccountWorkflows.Board, notice: String?
    ) async throws
        -> NamedAccountsModel
    {
        let me = data.me
        let people = try await data.people()
        let names = data.organizationNames
        let editable: [NamedAccountsModel.Seller]
        let active = b.partnership.status == .active
        switch me.role {
        case _ where !active: editable = []
        case .admin, .partnerManager:
            editable = b.yours.sellers.map { p in
                .init(
                    id: p.id, name: p.name,
                    chosen: Set(b.yours.rows.filter { $0.named.personID == p.id }.map(\.named.accountID)))
            }
        case .seller:
            editable = [
                .init(
                    id: me.id, name: me.name,
                    chosen: Set(b.yours.rows.filter { $0.named.personID == me.id }.map(\.named.accountID)))
            ]
        case .viewer: editable = []
        }
        var m = NamedAccountsModel(
            chrome: data.session.chrome("Named accounts · \(b.partnership.name)", .partnerships, notice: notice),
            id: b.partnership.id, name: b.partnership.name, yours: b.yours.name,
            theirs: b.theirs?.name ?? b.partnership.counterpart(of: data.org).map(data.name(of:)) ?? "Your partner",
            limit: b.limit, active: active, hasPlan: b.partnership.plan != nil,
            canEditLimit: [.admin, .partnerManager].contains(me.role) && b.partnership.plan != nil,
            editable: editable, sellerCount: b.yours.sellers.count,
            yourLines: b.yours.rows.map { NamedAccountLine.make($0, names: names, people: people) },
            theirLines: b.theirs.map { $0.rows.map { NamedAccountLine.make($0, names: names, people: people) } },
            choices: b.choices.map { ($0.id, $0.name) }, canStartDeals: me.role.canWrite)
        m.valueProposition = .make(b.partnership.id, try await data.store.valueProposition(of: b.partnership.id))
        return m
    }

    // MARK: the view

    static func view(_ m: NamedAccountsModel) -> Node {
        Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnerships, "Partnerships"); " › "
                link(SiteRoute.partnership(m.id), m.name); " › Named accounts"
            }
            el("h1") { "Named accounts" }
            el("p") {
                "Each account executive works at most \(m.limit) named account\(m.limit == 1 ? "" : "s") of the joint account list with \(m.theirs), reviewed every week."
            }
            if let vp = m.valueProposition {
                el("p", .id("vp-link")) {
                    "Before a call on a named account, the joint value proposition: "
                    vp.node
                }
            }
            limitForm(m)
            Layout.formError(m.error)
            el("section", .aria("labelledby", "na-yours-h")) {
                el("h2", .id("na-yours-h")) { "\(m.yours)'s account executives" }
                if m.sellerCount == 0 {
                    el("p", .cls("muted")) {
                        "\(m.yours) has no account executive (a person with the seller role) yet."
                    }
                }
                table(
                    m.yourLines, id: "na-yours", canStart: m.canStartDeals, partnershipID: m.id, csrf: m.chrome.csrf,
                    empty: "No named accounts yet.")
                for s in m.editable { chooser(s, m) }
            }
            el("section", .aria("labelledby", "na-theirs-h")) {
                el("h2", .id("na-theirs-h")) { "\(m.theirs)'s account executives" }
                if let lines = m.theirLines {
                    table(
                        lines, id: "na-theirs", canStart: false, partnershipID: m.id, csrf: nil,
                        empty:
                            "\(m.theirs) shares no named accounts with you yet (none named, or in populations it does not share)."
                    )
                } else {
                    el("p", .cls("muted")) { "The partnership is not active: nothing of \(m.theirs) is shared." }
                }
            }
        }
    }

    static func limitForm(_ m: NamedAccountsModel) -> Node {
        guard m.canEditLimit else {
            if !m.hasPlan {
                return el("p", .cls("muted")) {
                    "Three by default; the partnership's co-sell plan can set 1 to 10 once it is agreed."
                }
            }
            return .group([])
        }
        return el("details", .cls("form")) {
            el("summary") { "Change how many named accounts each account executive holds" }
            Layout.postForm(SiteRoute.namedAccountsLimit(m.id), csrf: m.chrome.csrf) {
                Layout.field(
                    "named_accounts_per_seller", "Named accounts per account executive (1 to 10)",
                    value: String(m.limit), type: "number", required: true,
                    hint: "For both companies; lists already longer stay until they next change.", formID: "na-limit",
                    extra: [Attr("min", "1"), Attr("max", "10")])
                el("button", .type("submit")) { "Save" }
            }
        }
    }

    static func table(
        _ lines: [NamedAccountLine], id: String, canStart: Bool, partnershipID: UUID, csrf: String?, empty: String
    ) -> Node {
        guard !lines.isEmpty else { return el("p", .cls("muted"), .id(id + "-empty")) { empty } }
        return el("div", .cls("table-wrap")) {
            el("table", .cls("stack"), .id(id)) {
                el("thead") {
                    el("tr") {
                        el("th", Attr("scope", "col")) { "Account executive" }
                        el("th", Attr("scope", "col")) { "Named account" }
                        el("th", Attr("scope", "col")) { "Progress" }
                        el("th", Attr("scope", "col")) { "Waiting on" }
                    }
                }
                el("tbody") {
                    for l in lines {
                        el("tr") {
                            el("th", Attr("scope", "row"), Attr("data-label", "Account executive")) { l.person }
                            el("td", Attr("data-label", "Named account")) { l.account }
                            el("td", Attr("data-label", "Progress")) { progress(l) }
                            el("td", Attr("data-label", "Waiting on")) {
                                if let w = l.waiting {
                                    w
                                } else if l.dealID == nil, canStart, let overlap = l.overlapID {
                                    Layout.postForm(
                                        SiteRoute.startDeal(partnershipID, overlap: overlap), csrf: csrf,
                                        attrs: [.cls("inline")]
                                    ) {
                                        el("button", .type("submit"), .cls("secondary")) { "Start a deal" }
                                    }
                                } else {
                                    el("span", .cls("muted")) { l.dealID == nil ? "Nobody yet" : "Nothing" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func progress(_ l: NamedAccountLine) -> Node {
        group {
            Layout.badge(l.state, l.stateKind)
            if let d = l.dealID {
                " "
                link(SiteRoute.deal(d), l.dealTitle ?? "the deal")
            }
            if let s = l.stage { el("span", .cls("muted")) { " · \(s)" } }
            if let s = l.stall { el("br"); el("span", .cls("muted")) { s } }
        }
    }

    static func chooser(_ s: NamedAccountsModel.Seller, _ m: NamedAccountsModel) -> Node {
        let formID = "na-\(s.id.uuidString.lowercased())"
        var attrs: [Attr] = [.cls("form"), .id(formID)]
        if m.errorPerson == s.id || (m.editable.count == 1 && s.chosen.isEmpty) { attrs.append(.flag("open")) }
        return el("details", attrs: attrs) {
            el("summary") { "Choose \(s.name)'s named accounts (\(s.chosen.count) of \(m.limit))" }
            if m.choices.isEmpty {
                el("p", .cls("muted")) { "The joint account list is empty: map both companies' accounts first." }
            } else {
                Layout.postForm(SiteRoute.namedAccountsOfPerson(m.id, person: s.id), csrf: m.chrome.csrf) {
                    el("fieldset") {
                        el("legend") { "\(s.name)'s named accounts, at most \(m.limit)" }
                        for c in m.choices {
                            let box = "\(formID)-\(c.id.uuidString.lowercased())"
                            el("div", .cls("check")) {
                                el(
                                    "input",
                                    attrs: [
                                        .type("checkbox"), .id(box), .name("account_\(c.id.uuidString)"), .value("on"),
                                    ]
                                        + (s.chosen.contains(c.id) ? [.flag("checked")] : []))
                                " "
                                el("label", .for(box)) { c.name }
                            }
                        }
                    }
                    el("button", .type("submit")) { "Save \(s.name)'s named accounts" }
                }
            }
        }
    }
}
