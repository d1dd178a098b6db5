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
            section("Last review's decisions", id: "decisions-prev") {
                if r.previousDecisions.isEmpty {
                    el("p", .cls("muted")) {
                        r.previousWeek == nil ? "No earlier review was recorded." : "No decisions were recorded."
                    }
                } else {
                    el("p", .cls("muted")) { "From \(r.previousWeek.map { $0.description } ?? "")." }
                    el("ul") { for d in r.previousDecisions { el("li") { decisionLine(d, f) } } }
                }
            }
            pager(r)
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
                    el("ul") { for d in rec.decisions { el("li") { decisionLine(d, f) } } }
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
