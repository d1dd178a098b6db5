import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The weekly co-sell deal review of one partnership as a page, with the form that records who
/// attended and what was decided.
public struct ReviewPageModel: Sendable {
    public var chrome: PageChrome
    public var review: WeeklyReview
    public var canRecord: Bool
    public var attendees: String
    public var decisions: String
    public var errors: [String: String]
    public var message: String?
    public var localeIdentifier: String
}

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
                                    "\(g.side.rawValue.replacingOccurrences(of: "_", with: "-")) · \(g.ownerName ?? "no owner named"): "
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

public struct LessonsPageModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var text: String
        public var stage: String
        public var play: String?
        public var dealID: UUID
        public var appliedCount: Int
        public var captured: String
    }

    public var chrome: PageChrome
    public var query: String
    public var stage: String?
    public var stages: [(key: String, name: String)]
    public var items: [Item]
    public var total: Int

    public static func == (a: LessonsPageModel, b: LessonsPageModel) -> Bool {
        a.chrome == b.chrome && a.query == b.query && a.stage == b.stage && a.items == b.items && a.total == b.total
    }
}

public enum LessonsView {
    public static func render(_ m: LessonsPageModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Lesson library" }
            el(
                "form", Attr("method", "get"), Attr("action", SiteRoute.lessons), .cls("filters"),
                Attr("role", "search")
            ) {
                Layout.field("q", "Words", value: m.query, type: "search", formID: "lessons")
                Layout.select(
                    "stage", "Stage", options: m.stages.map { ($0.key, $0.name) }, selected: m.stage,
                    formID: "lessons", includeBlank: true)
                el("div", .cls("field")) { el("button", .type("submit")) { "Search" } }
            }
            el("p", .cls("muted")) { "\(m.total) lesson\(m.total == 1 ? "" : "s"), most applied first, then newest." }
            el("ul", .cls("plain")) {
                for l in m.items {
                    el("li", .cls("card")) {
                        el("p") { l.text }
                        el("p", .cls("muted")) {
                            "\(l.stage)"
                                + (l.play.map { " · play: \($0.replacingOccurrences(of: "_", with: " "))" } ?? "")
                                + " · applied on \(l.appliedCount) deal\(l.appliedCount == 1 ? "" : "s") · \(l.captured) · "
                            link(SiteRoute.deal(l.dealID), "its deal")
                        }
                    }
                }
            }
        }
    }
}

enum ReviewPageController {
    static func current(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        return Pages.seeOther(SiteRoute.review(ps.id, week: "\(ISOWeek(containing: Date()))"))
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let review = try await ReviewsAPI.weeklyReview(req)
        let model = ReviewPageModel(
            chrome: s.chrome("Weekly review \(review.week)", .partnerships, notice: Pages.notice(req)), review: review,
            canRecord: s.person.role.canWrite && review.week <= ISOWeek(containing: Date()),
            attendees: review.record?.attendees.joined(separator: "\n") ?? "",
            decisions: review.record?.decisions.map(decisionText).joined(separator: "\n") ?? "", errors: [:],
            message: nil, localeIdentifier: req.displayFormat.locale.identifier)
        return Pages.html(ReviewPageView.render(model))
    }

    static func decisionText(_ d: ReviewDecision) -> String {
        [d.text, d.ownerName ?? "", d.dueOn?.description ?? ""].joined(separator: " | ")
    }

    static func record(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        let week = try ReviewsAPI.parseWeek(req)
        try s.principal.requireWrite()
        let attendeesText = req.formValue("attendees") ?? ""
        let decisionsText = req.formValue("decisions") ?? ""
        var errors: [String: String] = [:]
        var decisions: [ReviewDecision] = []
        let people = try await req.store.people(inOrganizations: ps.organizationIDs)
        for (i, line) in decisionsText.split(whereSeparator: \.isNewline).enumerated() {
            let c = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard !c[0].isEmpty else { continue }
            var d = ReviewDecision(text: c[0], dueOn: nil)
            if c.count > 1, !c[1].isEmpty {
                guard
                    let person = people.first(where: {
                        $0.name.lowercased() == c[1].lowercased() || $0.email == c[1].lowercased()
                    })
                else {
                    errors["decisions"] = "Line \(i + 1): \"\(c[1])\" is not a person of either company."
                    break
                }
                d.ownerID = person.id
                d.ownerName = person.name
            }
            if c.count > 2, !c[2].isEmpty {
                guard let due = LocalDate(c[2]) else {
                    errors["decisions"] = "Line \(i + 1): write the due date as YYYY-MM-DD."
                    break
                }
                d.dueOn = due
            }
            decisions.append(d)
        }
        let attendees = attendeesText.split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        if errors.isEmpty && week > ISOWeek(containing: Date()) {
            errors["decisions"] = "\(week) has not started yet: record a review once its week has begun."
        }
        if errors.isEmpty {
            switch Result(catching: { () throws(DealError) in
                try ReviewRecord.validated(attendees: attendees, decisions: decisions)
            }) {
            case .success(let (a, checked)):
                let now = Date()
                _ = try await req.store.saveReviewRecord(
                    ReviewRecord(
                        partnershipID: ps.id, week: week, attendees: a, decisions: checked, recordedBy: s.person.id,
                        recordedByName: s.person.name, recordedAt: now, updatedAt: now))
                return Pages.seeOther(
                    SiteRoute.review(ps.id, week: "\(week)"), notice: "The review is recorded.")
            case .failure(let error):
                if case .invalid(let field, let m) = error {
                    errors[field.hasPrefix("attendees") ? "attendees" : "decisions"] = m
                } else {
                    errors["decisions"] = error.message
                }
            }
        }
        let review = try await ReviewsAPI.weeklyReview(req)
        let model = ReviewPageModel(
            chrome: s.chrome("Weekly review \(review.week)", .partnerships), review: review, canRecord: true,
            attendees: attendeesText, decisions: decisionsText, errors: errors,
            message: "Nothing was saved: fix the marked field.", localeIdentifier: req.displayFormat.locale.identifier)
        return Pages.html(ReviewPageView.render(model), status: .unprocessableEntity)
    }
}

enum LessonsController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let q = (try? req.query.get(String.self, at: "q")).map { String($0.prefix(200)) } ?? ""
        let stage = (try? req.query.get(String.self, at: "stage")).flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        let standard = try await req.store.playbook(Playbook.standardID)
        let stages = standard?.stages.map { (key: $0.key, name: $0.name) } ?? []
        let page = try await req.store.libraryLessons(
            LessonQuery(
                partnershipIDs: Array(data.partnerships.keys), text: q.isEmpty ? nil : q, stageKey: stage, limit: 100))
        let items = page.items.map { l in
            LessonsPageModel.Item(
                text: l.text, stage: stages.first { $0.key == l.stageKey }?.name ?? l.stageKey, play: l.play,
                dealID: l.dealID, appliedCount: l.appliedCount, captured: data.format.format(LocalDate(l.createdAt)))
        }
        return Pages.html(
            LessonsView.render(
                LessonsPageModel(
                    chrome: s.chrome("Lessons", .lessons), query: q, stage: stage, stages: stages, items: items,
                    total: page.total)))
    }
}
