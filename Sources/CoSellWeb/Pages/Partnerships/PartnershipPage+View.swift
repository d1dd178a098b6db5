import CoSellDomain
import CoSellMatching
import Foundation

public enum PartnershipViews {
    static func label(_ population: String) -> String { population.replacingOccurrences(of: "_", with: " ") }

    public static func detail(_ m: PartnershipModel) -> Node {
        let yours = m.chrome.organizationName ?? "Your company"
        return Layout.page(m.chrome, refreshSeconds: m.matchingRuns ? 2 : nil) {
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
                " · "
                link(SiteRoute.namedAccounts(m.id), "Named accounts")
            }
            if let vp = m.valueProposition {
                el("p", .id("vp-link")) {
                    "Joint value proposition: "
                    vp.node
                }
            }
            answerSection(m)
            readinessSection(m)
            discoverySection(m)
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
                    el("table", .cls("stack")) {
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
                                    el("td", Attr("data-label", "You share")) {
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
                                    el("td", Attr("data-label", "\(m.partner) shares")) { label(r.theirs) }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "matrix-h")) {
                el("h2", .id("matrix-h")) { "Population matrix" }
                el("p", .cls("muted")) {
                    "Accounts in both CRMs: \(yours)'s populations down, \(m.partner)'s across. A dash is a population \(m.partner) does not share."
                }
                el("div", .cls("table-wrap")) {
                    el("table", .cls("matrix stack")) {
                        el("thead") {
                            el("tr") {
                                el("th", Attr("scope", "col")) { "Yours \\ theirs" }
                                for p in m.matrixPopulations { el("th", Attr("scope", "col")) { label(p) } }
                            }
                        }
                        el("tbody") {
                            for row in m.matrix {
                                el("tr") {
                                    el("th", Attr("scope", "row"), Attr("data-label", "Yours")) {
                                        label(row.population)
                                    }
                                    for (i, c) in row.counts.enumerated() {
                                        let theirs =
                                            m.matrixPopulations.indices.contains(i)
                                            ? "\(m.partner)'s \(label(m.matrixPopulations[i]))" : m.partner
                                        el("td", .cls("num"), Attr("data-label", theirs)) {
                                            matrixCell(m, yours: row.population, column: i, count: c)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "targets-h")) {
                el("h2", .id("targets-h")) { "Target accounts" }
                if let counts = m.counts { TargetViews.countExplained(counts) }
                TargetViews.profileNote(m.profiles, yours: yours, partner: m.partner)
                el("p", .cls("muted")) {
                    "Ranked by both companies' ideal-customer-profile fit, then the play."
                        + (m.targetsTotal > m.targets.count ? " The best \(m.targets.count) below." : "")
                }
                TargetViews.table(
                    m.targets, partnershipID: m.id, yours: yours, partner: m.partner, csrf: m.chrome.csrf,
                    canStartDeals: m.canStartDeals, active: m.active)
                if m.active && m.targetsTotal > 0 {
                    el("p") {
                        link(
                            SiteRoute.targets(m.id),
                            "All \(DisplayFormat(localeIdentifier: m.counts?.localeIdentifier ?? "en-US").format(m.targetsTotal)) "
                                + "target\(m.targetsTotal == 1 ? "" : "s") — search and filter", .id("all-targets"))
                    }
                }
            }
        }
    }

    static func answerSection(_ m: PartnershipModel) -> Node {
        group {
            if let answer = m.answer {
                el("section", .cls("card"), .aria("labelledby", "answer-h")) {
                    el("h2", .id("answer-h")) { "Invitation" }
                    switch answer {
                    case .canAnswer(let from):
                        el("p") {
                            "\(from) invites \(m.chrome.organizationName ?? "your company") to co-sell. Accepting starts matching both companies' accounts at once; nothing is shared until each company chooses what to share."
                        }
                        Layout.postForm(
                            SiteRoute.partnershipAcceptance(m.id), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                        ) {
                            el("button", .type("submit")) { "Accept the partnership" }
                        }
                        " "
                        Layout.postForm(
                            SiteRoute.partnershipDecline(m.id), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                        ) {
                            el("button", .type("submit"), .cls("secondary")) { "Decline" }
                        }
                    case .waitingFor(let company):
                        el("p") { "Waiting for \(company) to accept. Its admins see the invitation when they sign in." }
                    case .askAdmins(let admins):
                        el("p") { "Your company's admins accept or decline this invitation (\(admins))." }
                    }
                }
            }
        }
    }

    static func readinessSection(_ m: PartnershipModel) -> Node {
        group {
            if m.active && !m.steps.isEmpty {
                let open = m.steps.contains { !$0.done }
                el("section", .cls("card"), .id("readiness"), .aria("labelledby", "readiness-h")) {
                    el("h2", .id("readiness-h")) {
                        open ? "What the target accounts wait for" : "Target accounts are ready"
                    }
                    el("ul", .cls("steps")) {
                        for step in m.steps {
                            el("li", .cls(step.done ? "done" : "todo")) {
                                el("span", .cls("visually-hidden")) { step.done ? "Done: " : "To do: " }
                                step.done ? "✓ " : "○ "
                                step.text
                                if let action = step.action {
                                    " "
                                    switch action {
                                    case .link(let href, let text): el("a", .href(href)) { text }
                                    case .matchAgain:
                                        Layout.postForm(
                                            SiteRoute.partnershipMatching(m.id), csrf: m.chrome.csrf,
                                            attrs: [.cls("inline")]
                                        ) {
                                            el("button", .type("submit"), .cls("secondary")) { "Match again" }
                                        }
                                    case .sharingPreset: sharingPresetForm(m)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func sharingPresetForm(_ m: PartnershipModel) -> Node {
        Layout.postForm(
            SiteRoute.sharingPreset(m.id), csrf: m.chrome.csrf, attrs: [.cls("inline"), .id("sharing-preset")]
        ) {
            el("label", .for("preset-\(m.id.uuidString)")) { "Share, for every population:" }
            " "
            el("select", .id("preset-\(m.id.uuidString)"), .name("preset")) {
                el("option", .value("overlapping")) {
                    "overlapping accounts (\(m.partner) sees the accounts you both have)"
                }
                el("option", .value("counts")) { "counts only" }
                el("option", .value("nothing")) { "nothing" }
            }
            " "
            el("button", .type("submit")) { "Save sharing" }
        }
    }

    /// A matrix count, linked to its accounts on the targets page when the other company shares
    /// that population as accounts (a count it shares as a number only stays a number).
    static func matrixCell(_ m: PartnershipModel, yours: String, column i: Int, count: Int?) -> Node {
        group {
            if let c = count, c > 0, m.matrixPopulations.indices.contains(i),
                let mine = Population(rawValue: yours), let theirs = Population(rawValue: m.matrixPopulations[i]),
                let shared = m.sharing.first(where: { $0.population == theirs.rawValue }),
                ["overlapping_accounts", "all_accounts"].contains(shared.theirs)
            {
                link(
                    SiteRoute.targets(
                        m.id, TargetQuery(population: mine, partnerPopulation: theirs, relation: .same_account)),
                    String(c))
            } else {
                count.map(String.init) ?? "–"
            }
        }
    }
}
