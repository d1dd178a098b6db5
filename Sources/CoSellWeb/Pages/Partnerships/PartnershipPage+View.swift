import CoSellDomain
import Foundation

public enum PartnershipViews {
    static func label(_ population: String) -> String { population.replacingOccurrences(of: "_", with: " ") }

    /// A play in words that name the companies ("Halyard Security opens the door"); the host of a
    /// target is the reader's company.
    static func playLabel(_ play: String, _ m: PartnershipModel) -> String {
        switch play {
        case "partner_opens_door": return "\(m.partner) opens the door"
        case "host_opens_door": return "\(m.chrome.organizationName ?? "your company") opens the door"
        default: return label(play)
        }
    }

    public static func detail(_ m: PartnershipModel) -> Node {
        Layout.page(m.chrome, refreshSeconds: m.matchingRuns ? 2 : nil) {
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
            answerSection(m)
            readinessSection(m)
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
                    "Accounts in both CRMs: your populations down, the partner's across. A dash is a population the partner does not share."
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
                                        el("td", .cls("num"), Attr("data-label", theirs)) { c.map(String.init) ?? "–" }
                                    }
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
                    el("table", .id("targets"), .cls("stack")) {
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
                                    el("td", Attr("data-label", "Account")) {
                                        t.account; el("br"); el("small", .cls("muted")) { label(t.yourPopulation) }
                                    }
                                    el("td", Attr("data-label", "Partner's record")) {
                                        t.partnersAccount; el("br");
                                        el("small", .cls("muted")) { label(t.partnerPopulation) }
                                    }
                                    el("td", Attr("data-label", "Your fit")) { t.yourFit }
                                    el("td", Attr("data-label", "Their fit")) { t.partnerFit }
                                    el("td", Attr("data-label", "Play")) { playLabel(t.play, m) }
                                    el("td", Attr("data-label", "Door-opener")) { t.doorOpener }
                                    el("td", .cls("main-action")) {
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
                    if let c = m.countExplained { el("p", .cls("muted")) { c } }
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
}
