import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

public struct PartnershipListModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var partner: String
        public var status: String
        public var plan: String
    }

    public var chrome: PageChrome
    public var items: [Item]
    public var canImport: Bool
}

public struct PartnershipModel: Sendable, Equatable {
    public struct Target: Sendable, Equatable {
        public var overlapID: UUID
        public var account: String
        public var partnersAccount: String
        public var yourPopulation: String
        public var partnerPopulation: String
        public var yourFit: String
        public var partnerFit: String
        public var play: String
        public var doorOpener: String
        public var hasJointAccount: Bool
        /// The deal already being worked on this account, if any.
        public var openDealID: UUID?
    }

    public struct SharingRow: Sendable, Equatable {
        public var population: String
        public var yours: String
        public var theirs: String
    }

    public var chrome: PageChrome
    public var id: UUID
    public var name: String
    public var partner: String
    public var status: String
    public var segments: [String]
    public var owners: [String]
    public var cadence: String?
    public var namedAccounts: Int
    public var sharing: [SharingRow]
    public var canEditSharing: Bool
    public var matrixPopulations: [String]
    public var matrix: [(population: String, counts: [Int?])]
    public var targets: [Target]
    public var targetsTotal: Int
    public var canStartDeals: Bool
    public var active: Bool

    public static func == (a: PartnershipModel, b: PartnershipModel) -> Bool {
        a.id == b.id && a.chrome == b.chrome && a.targets == b.targets && a.sharing == b.sharing
            && a.matrix.map { "\($0.population)\($0.counts)" } == b.matrix.map { "\($0.population)\($0.counts)" }
    }
}

public enum PartnershipViews {
    static func label(_ population: String) -> String { population.replacingOccurrences(of: "_", with: " ") }

    public static func list(_ m: PartnershipListModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Partnerships" }
            el("p") {
                if m.canImport {
                    link(SiteRoute.importUpload, "Import your CRM accounts", .cls("button"))
                    " "
                }
                link(SiteRoute.revenue(), "Partner revenue report")
            }
            if m.items.isEmpty { el("p", .cls("muted")) { "No partnerships yet." } }
            el("div", .cls("grid")) {
                for i in m.items {
                    el("article", .cls("card")) {
                        el("h2") { link(SiteRoute.partnership(i.id), i.name) }
                        el("p") {
                            "With \(i.partner) · "; Layout.badge(i.status, i.status == "active" ? "ok" : "warn")
                        }
                        el("p", .cls("muted")) { i.plan }
                    }
                }
            }
        }
    }

    public static func detail(_ m: PartnershipModel) -> Node {
        Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnerships, "Partnerships"); " › \(m.name)"
            }
            el("h1") { m.name }
            el("p") {
                "With \(m.partner) · "
                Layout.badge(m.status, m.active ? "ok" : "warn")
                " · "
                link(SiteRoute.partnershipReports(m.id), "Reports")
                " · "
                link(SiteRoute.currentReview(m.id), "Weekly review")
            }
            el("section", .cls("card"), .aria("labelledby", "plan-h")) {
                el("h2", .id("plan-h")) { "Co-sell plan" }
                if m.owners.isEmpty && m.segments.isEmpty {
                    el("p", .cls("muted")) { "No plan agreed yet." }
                } else {
                    el("dl", .cls("facts")) {
                        el("dt") { "Scope" }
                        el("dd") {
                            (m.segments.isEmpty ? "No segments" : m.segments.joined(separator: ", "))
                                + " · \(m.namedAccounts) named account\(m.namedAccounts == 1 ? "" : "s")"
                        }
                        el("dt") { "Owners" }
                        el("dd") { m.owners.joined(separator: "; ") }
                        el("dt") { "Cadence" }
                        el("dd") { m.cadence ?? "Not set" }
                    }
                }
            }
            el("section", .aria("labelledby", "sharing-h")) {
                el("h2", .id("sharing-h")) { "Sharing" }
                el("div", .cls("table-wrap")) {
                    el("table") {
                        el("thead") {
                            el("tr") {
                                el("th", Attr("scope", "col")) { "Population" }
                                el("th", Attr("scope", "col")) { "You share" }
                                el("th", Attr("scope", "col")) { "\(m.partner) shares" }
                            }
                        }
                        el("tbody") {
                            for r in m.sharing {
                                el("tr") {
                                    el("th", Attr("scope", "row")) { label(r.population) }
                                    el("td") {
                                        if m.canEditSharing {
                                            Layout.postForm(
                                                SiteRoute.sharing(m.id), csrf: m.chrome.csrf,
                                                attrs: [.cls("inline")]
                                            ) {
                                                el("input", .type("hidden"), .name("population"), .value(r.population))
                                                el("label", .cls("visually-hidden"), .for("share-\(r.population)")) {
                                                    "What you share of \(label(r.population))"
                                                }
                                                el("select", .id("share-\(r.population)"), .name("level")) {
                                                    for l in SharingLevel.allCases {
                                                        el(
                                                            "option",
                                                            attrs: [.value(l.rawValue)]
                                                                + (l.rawValue == r.yours ? [.flag("selected")] : [])
                                                        ) {
                                                            label(l.rawValue)
                                                        }
                                                    }
                                                }
                                                " "
                                                el("button", .type("submit"), .cls("secondary")) { "Save" }
                                            }
                                        } else {
                                            label(r.yours)
                                        }
                                    }
                                    el("td") { label(r.theirs) }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "matrix-h")) {
                el("h2", .id("matrix-h")) { "Population matrix" }
                el("p", .cls("muted")) {
                    "Accounts in both CRMs: your populations down, the partner's across. A dash is a population the partner does not share."
                }
                el("div", .cls("table-wrap")) {
                    el("table", .cls("matrix")) {
                        el("thead") {
                            el("tr") {
                                el("th", Attr("scope", "col")) { "Yours \\ theirs" }
                                for p in m.matrixPopulations { el("th", Attr("scope", "col")) { label(p) } }
                            }
                        }
                        el("tbody") {
                            for row in m.matrix {
                                el("tr") {
                                    el("th", Attr("scope", "row")) { label(row.population) }
                                    for c in row.counts { el("td", .cls("num")) { c.map(String.init) ?? "–" } }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "targets-h")) {
                el("h2", .id("targets-h")) { "Target accounts" }
                el("p", .cls("muted")) {
                    "Ranked by both sides' ideal-customer-profile fit, then the play. "
                        + (m.targetsTotal > m.targets.count ? "The first \(m.targets.count) of \(m.targetsTotal)." : "")
                }
                if m.targets.isEmpty { el("p", .cls("muted")) { "No shared target accounts yet: import both CRMs." } }
                el("div", .cls("table-wrap")) {
                    el("table", .id("targets")) {
                        el("thead") {
                            el("tr") {
                                for h in [
                                    "Account", "Partner's record", "Your fit", "Their fit", "Play", "Door-opener", "",
                                ] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for t in m.targets {
                                el("tr") {
                                    el("td") {
                                        t.account; el("br"); el("small", .cls("muted")) { label(t.yourPopulation) }
                                    }
                                    el("td") {
                                        t.partnersAccount; el("br");
                                        el("small", .cls("muted")) { label(t.partnerPopulation) }
                                    }
                                    el("td") { t.yourFit }
                                    el("td") { t.partnerFit }
                                    el("td") { label(t.play) }
                                    el("td") { t.doorOpener }
                                    el("td") {
                                        if let deal = t.openDealID {
                                            link(SiteRoute.deal(deal), "Open deal")
                                        } else if m.canStartDeals && m.active {
                                            Layout.postForm(
                                                SiteRoute.startDeal(m.id, overlap: t.overlapID),
                                                csrf: m.chrome.csrf, attrs: [.cls("inline")]
                                            ) {
                                                el(
                                                    "button", .type("submit"),
                                                    .aria("label", "Start a deal with \(t.account)")
                                                ) { "Start a deal" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

enum PartnershipController {
    static let targetsShown = 100

    static func list(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let items = data.partnerships.values.sorted { $0.name < $1.name }.map { ps in
            PartnershipListModel.Item(
                id: ps.id, name: ps.name, partner: ps.counterpart(of: data.org).map(data.name(of:)) ?? "",
                status: ps.status.rawValue,
                plan: ps.plan.map {
                    "Reviews on \($0.reviewWeekday.rawValue.capitalized)s; \($0.segments.count) segment(s)."
                }
                    ?? "No co-sell plan yet.")
        }
        let canImport = s.person.role == .admin || s.person.role == .partnerManager
        return Pages.html(
            PartnershipViews.list(
                PartnershipListModel(
                    chrome: s.chrome("Partnerships", .partnerships, notice: Pages.notice(req)), items: items,
                    canImport: canImport)))
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        return Pages.html(PartnershipViews.detail(try await model(data, ps, notice: Pages.notice(req))))
    }

    static func model(_ data: PageData, _ ps: Partnership, notice: String?) async throws -> PartnershipModel {
        let req = data.req
        let p = data.session.principal
        let people = try await data.people()
        let partnerID = ps.counterpart(of: data.org) ?? data.org
        let sharing = try await req.store.sharing(of: ps)
        func level(_ org: UUID, _ pop: String) -> String {
            (sharing.first { $0.organizationID == org && $0.population == pop }?.level ?? .hidden).rawValue
        }
        let pops = Population.allCases.map(\.rawValue)
        var matrix: [(population: String, counts: [Int?])] = []
        var targets: [PartnershipModel.Target] = []
        var total = 0
        if ps.status == .active {
            let mv = try await MappingAPI.matrix(req, p, ps)
            matrix = mv.rows.map { ($0.population, $0.counts) }
            let all = try await MappingAPI.targets(req, p, ps)
            let open = try await req.store.dealsInPlay(
                partnershipID: ps.id, jointAccountIDs: all.prefix(targetsShown).compactMap(\.jointAccountID))
            total = all.count
            targets = all.prefix(targetsShown).map {
                .init(
                    overlapID: $0.overlapID, account: $0.yours.name, partnersAccount: $0.partners.name,
                    yourPopulation: $0.yours.population, partnerPopulation: $0.partners.population,
                    yourFit: $0.yourFit ?? "unknown", partnerFit: $0.partnerFit ?? "unknown", play: $0.play,
                    doorOpener: $0.doorOpener.map {
                        $0 == "you" ? data.session.organization.name : data.name(of: partnerID)
                    } ?? "either",
                    hasJointAccount: $0.jointAccountID != nil, openDealID: $0.jointAccountID.flatMap { open[$0] })
            }
        }
        return PartnershipModel(
            chrome: data.session.chrome(ps.name, .partnerships, notice: notice), id: ps.id, name: ps.name,
            partner: data.name(of: partnerID), status: ps.status.rawValue, segments: ps.plan?.segments ?? [],
            owners: ps.plan?.owners.map {
                "\(people[$0.personID]?.name ?? "someone") for \(data.name(of: $0.organizationID))"
            } ?? [],
            cadence: ps.plan.map { "Weekly deal review on \($0.reviewWeekday.rawValue.capitalized)" },
            namedAccounts: ps.plan?.namedAccountIDs.count ?? 0,
            sharing: pops.map { .init(population: $0, yours: level(data.org, $0), theirs: level(partnerID, $0)) },
            canEditSharing: data.me.role == .admin && ps.status == .active, matrixPopulations: pops, matrix: matrix,
            targets: targets, targetsTotal: total, canStartDeals: data.me.role.canWrite, active: ps.status == .active)
    }

    static func setSharing(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let p = s.principal
        let ps = try await MappingAPI.activePartnership(req, p)
        try p.requireWrite()
        guard p.person.role == .admin else { throw Problem.forbidden("Only admins change sharing.") }
        guard let pop = req.formValue("population"), Population(rawValue: pop) != nil else {
            throw Problem.invalid("population", "Choose customer, open opportunity or prospect.")
        }
        guard let raw = req.formValue("level"), let level = SharingLevel(rawValue: raw) else {
            throw Problem.invalid("level", "Choose a sharing level.")
        }
        try await req.store.setSharing(
            level, population: pop, organizationID: p.person.organizationID, partnershipID: ps.id, at: Date())
        for org in ps.organizationIDs {
            await req.audit(
                "sharing_changed", "\(p.person.name) set \(pop) to \(level.rawValue) in \"\(ps.name)\".",
                organizationID: org, actor: p.person)
        }
        return Pages.seeOther(SiteRoute.partnership(ps.id), notice: "Sharing saved.")
    }

    static func startDeal(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let p = s.principal
        let ps = try await MappingAPI.activePartnership(req, p)
        try p.requireWrite()
        let overlapID = try req.id("overlap_id", "target account")
        let (deal, _, _) = try await MappingAPI.startDeal(req, p, ps, overlapID: overlapID, body: .init())
        return Pages.seeOther(SiteRoute.deal(deal.id), notice: "Deal started at target account selection.")
    }
}
