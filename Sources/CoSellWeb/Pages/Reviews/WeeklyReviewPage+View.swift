import CoSellDomain
import Foundation

public enum ReviewPageView {
    static func decisionLine(_ d: ReviewDecision, _ f: DisplayFormat) -> String {
        d.text + (d.ownerName.map { " — \($0)" } ?? "") + (d.dueOn.map { ", by \(f.format($0))" } ?? "")
    }

    public static func render(_ m: ReviewPageModel) -> Node {
        let r = m.review
        let f = DisplayFormat(localeIdentifier: m.localeIdentifier)
        let week = SiteRoute.review(r.partnershipID, week: "\(r.week)")
        return Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnership(r.partnershipID), r.partnershipName); " › Weekly review"
            }
            el("h1") { "Weekly co-sell deal review, \(r.week)" }
            el("p", .cls("muted")) {
                "\(f.format(LocalDate(r.startsAt))) to \(f.format(LocalDate(r.endsAt.addingTimeInterval(-1)))). "
                link(SiteRoute.review(r.partnershipID, week: "\(r.week.previous)"), "Previous week")
                " · "
                link(SiteRoute.review(r.partnershipID, week: "\(r.week.next)"), "Next week")
                " · "
                link(SiteRoute.apiReview(r.partnershipID, week: "\(r.week)", markdown: true), "Markdown")
                " · "
                link(SiteRoute.apiReview(r.partnershipID, week: "\(r.week)", markdown: false), "JSON")
            }
            agenda(r)
            section("Decisions to check off", id: "decisions") {
                if r.previousDecisions.isEmpty && r.carriedDecisions.isEmpty {
                    el("p", .cls("muted")) {
                        r.previousWeek == nil ? "No earlier review was recorded." : "No decisions were recorded."
                    }
                }
                if let prev = r.previousWeek, !r.previousDecisions.isEmpty {
                    el("p", .cls("muted")) { "From the review of \(prev)." }
                    decisionList(r.previousDecisions.map { WeekDecision(week: prev, decision: $0) }, m, f)
                }
                if !r.carriedDecisions.isEmpty {
                    el("p", .cls("muted")) { "Carried from earlier reviews." }
                    decisionList(r.carriedDecisions, m, f)
                }
            }
            pager(r)
            namedAccounts(r)
            section("New target accounts since the last review", id: "accounts") {
                if r.newTargetAccounts.isEmpty { el("p", .cls("muted")) { none(r, .newTargetAccounts, "None.") } }
                el("ul") {
                    for a in r.newTargetAccounts {
                        el("li") { a.name + (a.origin == .overlap ? " (overlap)" : " — \(a.reason ?? "added")") }
                    }
                }
            }
            section("Deals that advanced", id: "advanced") {
                if r.advanced.isEmpty { el("p", .cls("muted")) { none(r, .advanced, "None this week.") } }
                el("ul") {
                    for a in r.advanced {
                        el("li") {
                            link(SiteRoute.deal(a.dealID), a.title)
                            " — \(a.fromStageName) → \(a.toStageName ?? "completed") by \(a.by)"
                            if a.overridden {
                                " "
                                Layout.badge("overridden", "bad")
                            }
                        }
                    }
                }
            }
            section("Stalled deals", id: "stalled") {
                if r.stalled.isEmpty { el("p", .cls("muted")) { none(r, .stalled, "None.") } }
                for s in r.stalled {
                    el("div", .cls("card")) {
                        el("h3") { link(SiteRoute.deal(s.dealID), s.title) }
                        el("p") {
                            Layout.badge("stalled in \(s.stageName)", "warn")
                            if let c = s.diagnosis.likelyCause {
                                " "
                                Layout.badge(c.pitfall.title, "bad")
                            }
                        }
                        el("p") { s.diagnosis.explanation }
                        for g in s.overdue {
                            el("p") {
                                el("strong") {
                                    "\(g.company ?? g.side.rawValue.replacingOccurrences(of: "_", with: "-")) · \(g.ownerName ?? "no owner named"): "
                                }
                                g.moves.map { "\($0.description) (\($0.daysOverdue) days overdue)" }.joined(
                                    separator: "; ")
                            }
                        }
                    }
                }
            }
            inTheRoom(r, f)
            section("Gates refused or overridden", id: "gates") {
                if r.gates.isEmpty { el("p", .cls("muted")) { none(r, .gates, "None this week.") } }
                el("ul") {
                    for g in r.gates {
                        el("li") {
                            link(SiteRoute.deal(g.dealID), g.title)
                            " — \(g.stageName): \(g.kind == .refused ? "refused" : "overridden") by \(g.by)"
                            if let reason = g.reason { " (\(reason))" }
                            if !g.unmet.isEmpty {
                                el("br")
                                el("small", .cls("muted")) { g.unmet.joined(separator: " ") }
                            }
                        }
                    }
                }
            }
            section("Closed and waiting for their review", id: "awaiting") {
                if r.awaitingReview.isEmpty { el("p", .cls("muted")) { none(r, .awaitingReview, "None.") } }
                el("ul") {
                    for a in r.awaitingReview {
                        el("li") {
                            link(SiteRoute.deal(a.dealID), a.title)
                            " — \(a.result.rawValue) on \(f.format(a.closeDate)), \(a.daysSinceOutcome) days ago"
                            if !a.registered && a.result == .won {
                                " "
                                Layout.badge("not registered", "warn")
                            }
                            if a.overdue {
                                " "
                                Layout.badge("No review", "bad")
                            }
                        }
                    }
                }
            }
            section("Abandoned this week", id: "abandoned") {
                if r.abandoned.isEmpty { el("p", .cls("muted")) { none(r, .abandoned, "None this week.") } }
                el("ul") {
                    for a in r.abandoned {
                        el("li") {
                            link(SiteRoute.deal(a.dealID), a.title)
                            " — at \(a.stageName), \(f.format(a.at)): \(a.summary)"
                        }
                    }
                }
            }
            section("Lessons captured", id: "lessons") {
                if r.lessons.isEmpty { el("p", .cls("muted")) { none(r, .lessons, "None this week.") } }
                el("ul") {
                    for l in r.lessons {
                        el("li") {
                            "\(l.stageName): \(l.text) — "
                            link(SiteRoute.deal(l.dealID), l.title)
                        }
                    }
                }
            }
            pager(r)
            section("This meeting", id: "record") {
                if let rec = r.record {
                    el("p", .cls("muted")) { "Recorded by \(rec.recordedByName), \(f.format(rec.updatedAt))." }
                    el("p") {
                        "Attended: "
                            + (rec.attendees.isEmpty ? "nobody recorded" : rec.attendees.joined(separator: ", "))
                    }
                    decisionList(rec.decisions.map { WeekDecision(week: rec.week, decision: $0) }, m, f)
                }
                if m.canRecord {
                    Layout.formError(m.message)
                    Layout.postForm(week, csrf: m.chrome.csrf) {
                        Layout.textArea(
                            "attendees", "Who attended, one per line", value: m.attendees, rows: 3,
                            error: m.errors["attendees"], formID: "review")
                        Layout.textArea(
                            "decisions",
                            "Decisions, one per line: decision | owner's name (optional) | due YYYY-MM-DD (optional)",
                            value: m.decisions, rows: 4, error: m.errors["decisions"], formID: "review")
                        el("button", .type("submit")) { r.record == nil ? "Record the review" : "Save the review" }
                    }
                }
            }
        }
    }

    /// The thirty-minute agenda: what needs a decision first, with its minutes.
    static func agenda(_ r: WeeklyReview) -> Node {
        let total = r.agenda.reduce(0) { $0 + $1.minutes }
        let anchors: [ReviewAgendaItem.Topic: String] = [
            .stalled: "#stalled", .decisions: "#decisions", .gates: "#gates", .awaitingReview: "#awaiting",
            .namedAccounts: "#named-accounts", .newTargetAccounts: "#accounts", .progress: "#advanced",
            .wrapUp: "#record",
        ]
        return section("Agenda: \(total) minutes", id: "agenda") {
            el("ol", .cls("agenda")) {
                for item in r.agenda {
                    el("li") {
                        el("span", .cls("minutes")) { item.minutes == 0 ? "after" : "\(item.minutes) min" }
                        " "
                        el("a", .href(anchors[item.topic] ?? "#agenda")) { item.title }
                        if let q = item.question {
                            el("br")
                            el("small", .cls("muted")) { q }
                        }
                    }
                }
            }
            if r.agenda.contains(where: { $0.minutes == 0 && $0.topic != .wrapUp }) {
                el("p", .cls("muted")) {
                    "Items marked \"after\" did not fit in thirty minutes: take them after the meeting."
                }
            }
        }
    }

    /// Decisions with who owns them, by when, and whether they were checked off; a writer checks
    /// each off (done or dropped) or opens it again.
    static func decisionList(_ list: [WeekDecision], _ m: ReviewPageModel, _ f: DisplayFormat) -> Node {
        let today = LocalDate(Date())
        return el("ul", .cls("plain decisions")) {
            for wd in list {
                let d = wd.decision
                el("li", .cls("card")) {
                    el("p") {
                        el("strong") { d.text }
                        if let owner = d.ownerName { " — \(owner)" }
                        if let due = d.dueOn { ", by \(f.format(due))" }
                        " "
                        switch d.status ?? .open {
                        case .done: Layout.badge("done", "ok")
                        case .dropped: Layout.badge("dropped", "muted")
                        case .open:
                            d.isOverdue(today: today) ? Layout.badge("overdue", "bad") : Layout.badge("open", "warn")
                        }
                    }
                    if let by = d.checkedByName, let at = d.checkedAt {
                        el("p", .cls("muted")) { "Checked off by \(by), \(f.format(LocalDate(at)))." }
                    }
                    if m.canCheckOff, let id = d.id {
                        let route = SiteRoute.reviewDecision(m.review.partnershipID, week: "\(wd.week)", decision: id)
                        el("div", .cls("actions")) {
                            for (status, label) in d.isOpen
                                ? [("done", "Done"), ("dropped", "Drop")] : [("open", "Open again")]
                            {
                                Layout.postForm(route, csrf: m.chrome.csrf, attrs: [.cls("inline")]) {
                                    el("input", .type("hidden"), .name("status"), .value(status))
                                    el("input", .type("hidden"), .name("back"), .value("\(m.review.week)"))
                                    el(
                                        "button", .type("submit"), .cls(status == "done" ? "" : "secondary"),
                                        .aria("label", "\(label): \(d.text)")
                                    ) { label }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Named accounts per account executive, with what moved on them this week.
    static func namedAccounts(_ r: WeeklyReview) -> Node {
        section("Named accounts this week", id: "named-accounts") {
            if r.namedAccounts.isEmpty {
                el("p", .cls("muted")) {
                    "No account executive has named accounts in this partnership yet. "
                    link(SiteRoute.namedAccounts(r.partnershipID), "Name them")
                }
            } else {
                el("div", .cls("table-wrap")) {
                    el("table", .cls("stack"), .id("review-named-accounts")) {
                        el("thead") {
                            el("tr") {
                                el("th", Attr("scope", "col")) { "Account executive" }
                                el("th", Attr("scope", "col")) { "Named account" }
                                el("th", Attr("scope", "col")) { "Where it stands" }
                                el("th", Attr("scope", "col")) { "This week" }
                            }
                        }
                        el("tbody") {
                            for seller in r.namedAccounts {
                                for a in seller.accounts {
                                    el("tr") {
                                        el("th", Attr("scope", "row"), Attr("data-label", "Account executive")) {
                                            seller.personName
                                            if let c = seller.companyName { el("span", .cls("muted")) { " · \(c)" } }
                                        }
                                        el("td", Attr("data-label", "Named account")) { a.accountName }
                                        el("td", Attr("data-label", "Where it stands")) {
                                            Layout.badge(stateWords(a.state), stateKind(a.state))
                                            if let d = a.dealID {
                                                " "
                                                link(SiteRoute.deal(d), a.dealTitle ?? "the deal")
                                            }
                                            if let st = a.stageName { el("span", .cls("muted")) { " · \(st)" } }
                                        }
                                        el("td", Attr("data-label", "This week")) {
                                            if a.notes.isEmpty {
                                                el("span", .cls("muted")) { "No movement" }
                                            } else {
                                                a.notes.joined(separator: "; ")
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

    static func stateWords(_ key: String) -> String {
        switch key {
        case "no_deal": return "no deal"
        default: return key
        }
    }

    static func stateKind(_ key: String) -> String {
        switch key {
        case "stalled": return "warn"
        case "won": return "ok"
        case "lost": return "bad"
        default: return "muted"
        }
    }

    /// Each deal in the room with its adoption audit: how it got past its gates, and its late moves.
    static func inTheRoom(_ r: WeeklyReview, _ f: DisplayFormat) -> Node {
        section("Deals in the room: gates and late moves", id: "in-the-room") {
            if r.inTheRoom.isEmpty { el("p", .cls("muted")) { none(r, .inTheRoom, "No deal to discuss this week.") } }
            for d in r.inTheRoom {
                el("div", .cls("card deal-audit")) {
                    el("h3") { link(SiteRoute.deal(d.dealID), d.title) }
                    el("p", .cls("muted")) {
                        "\(d.accountName) · \(d.status == .open ? "in \(d.stageName)" : d.status.rawValue)"
                    }
                    if d.gates.isEmpty {
                        el("p", .cls("muted")) { "No gate passed yet." }
                    } else {
                        el("p") {
                            "Gates: "
                            for (i, g) in d.gates.enumerated() {
                                if i > 0 { " · " }
                                "\(g.stageName) "
                                switch g.outcome {
                                case .passed: Layout.badge("passed", "ok")
                                case .overridden: Layout.badge("overridden", "bad")
                                case .skipped: Layout.badge("skipped", "warn")
                                }
                            }
                        }
                    }
                    if !d.lateMoves.isEmpty {
                        el("ul") {
                            for mv in d.lateMoves {
                                el("li") {
                                    "Late: \(mv.description) — "
                                    "\(mv.ownerName ?? "no owner named")\(mv.company.map { " (\($0))" } ?? ""), due \(f.format(mv.dueOn)), \(mv.daysLate) day\(mv.daysLate == 1 ? "" : "s") late"
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// What an empty list says: its own words, or that this page holds none of the list's items.
    static func none(_ r: WeeklyReview, _ list: ReviewList, _ text: String) -> String {
        guard let page = r.page, page.total(list) > 0 else { return text }
        return "None on this page (\(page.total(list)) in all)."
    }

    /// Links to the previous and next page of the long lists, when they do not fit on one.
    static func pager(_ r: WeeklyReview) -> Node {
        let week = { (limit: Int, offset: Int) in
            SiteRoute.review(r.partnershipID, week: "\(r.week)", limit: limit, offset: offset)
        }
        guard let page = r.page, page.offset > 0 || page.hasNext else { return .group([]) }
        let longest = ReviewList.allCases.map { page.total($0) }.max() ?? 0
        return el("nav", .cls("pager"), .aria("label", "Pages of the review's lists")) {
            el("p") {
                "Each list shows items \(page.offset + 1) to \(min(longest, page.offset + page.limit)) (the longest has \(longest)). "
                if page.offset > 0 {
                    link(
                        week(page.limit, max(0, page.offset - page.limit)), "Previous page",
                        Attr("rel", "prev"))
                }
                if page.offset > 0 && page.hasNext { " · " }
                if page.hasNext {
                    link(
                        week(page.limit, page.offset + page.limit), "Next page",
                        Attr("rel", "next"))
                }
            }
        }
    }

    static func section(_ title: String, id: String, @HTMLBuilder _ body: () -> [Node]) -> Node {
        let inner = body()
        return el("section", .aria("labelledby", id + "-h")) {
            el("h2", .id(id + "-h")) { title }
            inner
        }
    }
}
