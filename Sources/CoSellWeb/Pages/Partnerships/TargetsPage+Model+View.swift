import CoSellMatching
import CoSellWorkflows
import Foundation

/// How many targets a partnership has, by relation: what the population matrix counts and what it does not.
public struct TargetCounts: Sendable, Equatable {
    /// The same company in both CRMs.
    public var sameAccount: Int
    /// A different company of the same group (same registrable domain).
    public var sameFamily: Int
    public var localeIdentifier: String

    public var total: Int { sameAccount + sameFamily }

    public init(sameAccount: Int, sameFamily: Int, localeIdentifier: String) {
        self.sameAccount = sameAccount
        self.sameFamily = sameFamily
        self.localeIdentifier = localeIdentifier
    }
}

/// Which companies have an ideal customer profile (without one, that company's fit is unknown).
public struct ProfileState: Sendable, Equatable {
    public var yours: Bool
    public var partners: Bool

    public init(yours: Bool, partners: Bool) {
        self.yours = yours
        self.partners = partners
    }
}

public struct TargetsPageModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var partnershipID: UUID
    public var partnershipName: String
    public var partner: String
    public var query: TargetQuery
    /// This page's targets, in rank order.
    public var targets: [PartnershipModel.Target]
    /// How many targets pass the search and filters.
    public var matched: Int
    public var offset: Int
    public var limit: Int
    public var counts: TargetCounts
    public var profiles: ProfileState
    public var canStartDeals: Bool
    public var active: Bool

    var yourCompany: String { chrome.organizationName ?? "Your company" }
}

/// The targets page, and the parts of it the partnership page shows too: the table of targets, the
/// count explained by relation, and the note on a missing profile.
public enum TargetViews {
    static func label(_ s: String) -> String { s.replacingOccurrences(of: "_", with: " ") }

    /// A play in words that name the companies ("Halyard Security opens the door").
    static func playLabel(_ play: String, yours: String, partner: String) -> String {
        switch play {
        case Play.partner_opens_door.rawValue: return "\(partner) opens the door"
        case Play.host_opens_door.rawValue: return "\(yours) opens the door"
        default: return label(play)
        }
    }

    static func relationLabel(_ relation: String) -> String {
        relation == OverlapRelation.same_family.rawValue ? "same group" : "same company"
    }

    /// A fit filter in words naming the companies.
    static func fitLabel(_ f: TargetWorkflows.FitFilter, yours: String, partner: String) -> String {
        switch f {
        case .both_strong: return "Strong fit for both companies"
        case .both_fit: return "Fits both companies' profiles"
        case .you_fit: return "Fits \(yours)'s profile"
        case .they_fit: return "Fits \(partner)'s profile"
        case .no_fit: return "Does not fit one company's profile"
        case .unknown: return "A company has no profile yet"
        }
    }

    /// "1,072 targets: 914 are the same company in both CRMs (the population matrix counts these), 158 are
    /// a different company of the same group (same family: one domain, or one name but for a country)."
    public static func countExplained(_ c: TargetCounts) -> Node {
        let f = DisplayFormat(localeIdentifier: c.localeIdentifier)
        func n(_ k: Int, _ one: String, _ many: String) -> String { "\(f.format(k)) \(k == 1 ? one : many)" }
        let text: String
        if c.total == 0 {
            text = "No targets yet."
        } else if c.sameFamily == 0 {
            text =
                "\(n(c.total, "target", "targets")), "
                + (c.total == 1 ? "the same company" : "all the same company")
                + " in both CRMs (the population matrix counts these)."
        } else {
            text =
                "\(n(c.total, "target", "targets")): \(n(c.sameAccount, "is", "are")) the same company in both CRMs "
                + "(the population matrix counts these), \(n(c.sameFamily, "is", "are")) a different company of "
                + "the same group (same family: one domain, or one name but for a country)."
        }
        return el("p", .cls("target-count"), .id("target-count")) { text }
    }

    /// The line above the targets when a company has no ideal customer profile, linking to the profile page.
    public static func profileNote(_ p: ProfileState, yours: String, partner: String) -> Node {
        group {
            if !p.yours && !p.partners {
                el("p", .cls("notice"), .id("profile-note")) {
                    "Neither \(yours) nor \(partner) has an ideal customer profile yet, so no target is ranked by fit. "
                    link(SiteRoute.profile, "Set \(yours)'s profile")
                }
            } else if !p.yours {
                el("p", .cls("notice"), .id("profile-note")) {
                    "\(yours) has no ideal customer profile yet, so its fit is unknown and does not rank the targets. "
                    link(SiteRoute.profile, "Set \(yours)'s profile")
                }
            } else if !p.partners {
                el("p", .cls("muted"), .id("profile-note")) {
                    "\(partner) has no ideal customer profile yet: its fit is unknown until it sets one."
                }
            }
        }
    }

    /// How the mapping found a pair, in words: the method and its score, and for another company of
    /// the same group, why it is one.
    static func matchedBy(_ t: PartnershipModel.Target) -> String {
        let score = String(format: "%.2f", t.score)
        if t.relation == OverlapRelation.same_family.rawValue && (t.method == "name" || t.method == "group") {
            // Found by name (directly, or through the company's other records), and one names a country the
            // other record does not place it in: the only way a family comes without a shared domain.
            let names = NameNormalizer.shared
            let country = names.countryNamed(t.account) ?? names.countryNamed(t.partnersAccount)
            let named = country.map { "“\($0)”" } ?? "a country"
            let how = t.method == "group" ? "linked through the company’s other records" : "no shared domain"
            return "one name names \(named) and the other does not, both with a legal form, \(how): "
                + "that country’s company of the group (score \(score))"
        }
        if t.relation == OverlapRelation.same_family.rawValue {
            let (mine, theirs) = NameNormalizer.shared.wordsApart(t.account, t.partnersAccount)
            func quoted(_ words: [String]) -> String { words.map { "“\($0)”" }.joined(separator: ", ") }
            let apart: String
            switch (mine.isEmpty, theirs.isEmpty) {
            case (false, false): apart = "\(quoted(mine)) against \(quoted(theirs))"
            case (false, true): apart = "\(quoted(mine)) on one side only"
            case (true, false): apart = "\(quoted(theirs)) on one side only"
            case (true, true): apart = "a distinctive word"
            }
            return "same web domain, names that differ in \(apart): another company of the group (score \(score))"
        }
        switch t.method {
        case "domain+name": return "same web domain and name (score \(score))"
        case "domain": return "same web domain (score \(score))"
        case "name":
            // The same name once normalized, or one written another way (a typo, a word more or less).
            let same = NameNormalizer.shared.key(t.account) == NameNormalizer.shared.key(t.partnersAccount)
            // Equal keys of names that read differently because one list's letters were garbled by a
            // spreadsheet ("FÃ¶rderung" for "Förderung"): said, since the person sees two spellings.
            let garbled = [t.account, t.partnersAccount].contains { NameNormalizer.repairedMojibake($0) != nil }
            if same && garbled {
                return "same name once letters garbled by an export are read right, no shared domain (score \(score))"
            }
            // One name is the other with a few words more at its end (a code, a department).
            let a = NameNormalizer.shared.literalKey(t.account).split(separator: " ")
            let b = NameNormalizer.shared.literalKey(t.partnersAccount).split(separator: " ")
            let (shorter, longer) = a.count < b.count ? (a, b) : (b, a)
            if !same && shorter.count >= 2 && Array(longer.prefix(shorter.count)) == shorter {
                let more = longer.dropFirst(shorter.count).joined(separator: " ")
                return "the same name with words more at the end (“\(more)”), no shared domain (score \(score))"
            }
            return "\(same ? "same name" : "names written alike"), no shared domain (score \(score))"
        case "group":
            return "not compared directly: linked through the company’s other records (score \(score))"
        default: return "score \(score)"
        }
    }

    /// The targets as rows with their "Start a deal" or "Open deal" action (`table#targets`).
    static func table(
        _ targets: [PartnershipModel.Target], partnershipID: UUID, yours: String, partner: String, csrf: String?,
        canStartDeals: Bool, active: Bool
    ) -> Node {
        let headers = [
            "Account", "\(partner)'s record", "Relation", "Fit to \(yours)'s profile", "Fit to \(partner)'s profile",
            "Play", "Door-opener", "",
        ]
        return el("div", .cls("table-wrap")) {
            el("table", .id("targets"), .cls("stack")) {
                el("thead") {
                    el("tr") {
                        for h in headers { el("th", Attr("scope", "col")) { h } }
                    }
                }
                el("tbody") {
                    for t in targets {
                        el("tr") {
                            el("td", Attr("data-label", headers[0])) {
                                t.account; el("br"); el("small", .cls("muted")) { label(t.yourPopulation) }
                            }
                            el("td", Attr("data-label", headers[1])) {
                                t.partnersAccount; el("br")
                                el("small", .cls("muted")) { label(t.partnerPopulation) }
                            }
                            el("td", Attr("data-label", headers[2])) {
                                Layout.badge(
                                    relationLabel(t.relation),
                                    t.relation == OverlapRelation.same_family.rawValue ? "info" : "ok")
                                el("br")
                                el("small", .cls("muted")) { matchedBy(t) }
                            }
                            el("td", Attr("data-label", headers[3])) { t.yourFit }
                            el("td", Attr("data-label", headers[4])) { t.partnerFit }
                            el("td", Attr("data-label", headers[5])) {
                                playLabel(t.play, yours: yours, partner: partner)
                            }
                            el("td", Attr("data-label", headers[6])) { t.doorOpener }
                            el("td", .cls("main-action")) {
                                if let deal = t.openDealID {
                                    link(SiteRoute.deal(deal), "Open deal")
                                } else if canStartDeals && active {
                                    Layout.postForm(
                                        SiteRoute.startDeal(partnershipID, overlap: t.overlapID), csrf: csrf,
                                        attrs: [.cls("inline")]
                                    ) {
                                        el("button", .type("submit"), .aria("label", "Start a deal with \(t.account)"))
                                        {
                                            "Start a deal"
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

    public static func render(_ m: TargetsPageModel) -> Node {
        let yours = m.yourCompany
        let f = DisplayFormat(localeIdentifier: m.counts.localeIdentifier)
        let filtered = !m.query.filter.isEmpty
        return Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnerships, "Partnerships"); " › "
                link(SiteRoute.partnership(m.partnershipID), m.partnershipName); " › Targets"
            }
            el("h1") { "Target accounts" }
            countExplained(m.counts)
            profileNote(m.profiles, yours: yours, partner: m.partner)
            el(
                "form", Attr("method", "get"), Attr("action", SiteRoute.targets(m.partnershipID)), .cls("filters"),
                Attr("role", "search"), .aria("label", "Search and filter the targets")
            ) {
                Layout.field(
                    "q", "Account name or domain", value: m.query.q, type: "search", formID: "t",
                    extra: [Attr("maxlength", String(TargetQuery.maxSearchLength))])
                Layout.select(
                    "population", "\(yours)'s population",
                    options: [("", "Any")] + Population.allCases.map { ($0.rawValue, label($0.rawValue)) },
                    selected: m.query.population?.rawValue ?? "", formID: "t")
                Layout.select(
                    "partner_population", "\(m.partner)'s population",
                    options: [("", "Any")] + Population.allCases.map { ($0.rawValue, label($0.rawValue)) },
                    selected: m.query.partnerPopulation?.rawValue ?? "", formID: "t")
                Layout.select(
                    "play", "Play",
                    options: [("", "Any")]
                        + Play.allCases.map { ($0.rawValue, playLabel($0.rawValue, yours: yours, partner: m.partner)) },
                    selected: m.query.play?.rawValue ?? "", formID: "t")
                Layout.select(
                    "fit", "Fit",
                    options: [("", "Any")]
                        + TargetWorkflows.FitFilter.allCases.map {
                            ($0.rawValue, fitLabel($0, yours: yours, partner: m.partner))
                        },
                    selected: m.query.fit?.rawValue ?? "", formID: "t")
                Layout.select(
                    "relation", "Relation",
                    options: [
                        ("", "Any"), (OverlapRelation.same_account.rawValue, "Same company in both CRMs"),
                        (OverlapRelation.same_family.rawValue, "Same group, another company"),
                    ],
                    selected: m.query.relation?.rawValue ?? "", formID: "t")
                el("div", .cls("field")) {
                    el("button", .type("submit")) { "Filter" }
                    if filtered {
                        " "
                        link(SiteRoute.targets(m.partnershipID), "Clear")
                    }
                }
            }
            el("p", .id("targets-showing"), Attr("role", "status")) {
                if m.targets.isEmpty {
                    if filtered {
                        "No target matches this search and these filters."
                    } else {
                        "No targets yet: "
                        link(SiteRoute.partnership(m.partnershipID), "the partnership's page says what they wait for")
                        "."
                    }
                } else {
                    "Showing \(f.format(m.offset + 1))–\(f.format(m.offset + m.targets.count)) of "
                        + "\(f.format(m.matched)) \(m.matched == 1 ? "target" : "targets")"
                        + (filtered
                            ? " that \(m.matched == 1 ? "matches" : "match") (\(f.format(m.counts.total)) in all)" : "")
                }
            }
            if !m.targets.isEmpty {
                table(
                    m.targets, partnershipID: m.partnershipID, yours: yours, partner: m.partner, csrf: m.chrome.csrf,
                    canStartDeals: m.canStartDeals, active: m.active)
            }
            if m.offset > 0 || m.offset + m.targets.count < m.matched {
                el("nav", .cls("pager"), .aria("label", "Pages of targets")) {
                    if m.offset > 0 {
                        link(
                            SiteRoute.targets(m.partnershipID, m.query.at(offset: max(0, m.offset - m.limit))),
                            "Previous", Attr("rel", "prev"))
                        " "
                    }
                    if m.offset + m.targets.count < m.matched {
                        link(
                            SiteRoute.targets(m.partnershipID, m.query.at(offset: m.offset + m.limit)), "Next",
                            Attr("rel", "next"))
                    }
                }
            }
        }
    }
}
