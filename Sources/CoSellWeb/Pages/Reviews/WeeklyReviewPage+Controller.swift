import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum ReviewPageController {
    static func current(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        return Pages.seeOther(SiteRoute.review(ps.id, week: "\(ISOWeek(containing: Date()))"))
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let review = try await weeklyReview(req, s)
        let model = ReviewPageModel(
            chrome: s.chrome("Weekly review \(review.week)", .reviews, notice: Pages.notice(req)), review: review,
            canRecord: s.person.role.canWrite && review.week <= ISOWeek(containing: Date()),
            attendees: review.record?.attendees.joined(separator: "\n") ?? "",
            decisions: review.record?.decisions.map(decisionText).joined(separator: "\n") ?? "", errors: [:],
            message: nil, localeIdentifier: req.displayFormat.locale.identifier)
        var shown = model
        shown.canCheckOff = s.person.role.canWrite
        return Pages.html(ReviewPageView.render(shown))
    }

    static func decisionText(_ d: ReviewDecision) -> String {
        [d.text, d.ownerName ?? "", d.dueOn?.description ?? ""].joined(separator: " | ")
    }

    /// The review as the page shows it: the same verb and paging as `GET /api/v1/…/reviews/{week}`.
    static func weeklyReview(_ req: Request, _ s: PageSession) async throws -> WeeklyReview {
        try await req.workflows.reviews.weeklyReview(of: try req.id("partnership_id", "partnership"), by: s.principal) {
            try RequestInput.reviewWeek(req)
        }
    }

    /// The form's refusals, by field (`attendees`, `decisions`).
    struct FormRefused: Error {
        var errors: [String: String]
    }

    /// Decisions as the form writes them, one a line: `text | owner (name or e-mail) | due date`.
    static func decisions(_ text: String, people: [Person]) throws(FormRefused) -> [ReviewDecision] {
        var decisions: [ReviewDecision] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
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
                    throw FormRefused(errors: [
                        "decisions": "Line \(i + 1): \"\(c[1])\" is not a person of either company."
                    ])
                }
                d.ownerID = person.id
            }
            if c.count > 2, !c[2].isEmpty {
                guard let due = LocalDate(c[2]) else {
                    throw FormRefused(errors: ["decisions": "Line \(i + 1): write the due date as YYYY-MM-DD."])
                }
                d.dueOn = due
            }
            decisions.append(d)
        }
        return decisions
    }

    /// Checks off a decision (the form's `status`: done, dropped or open), then back to the review
    /// the person was reading (`back`: its week), at the decisions.
    static func checkOff(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let partnershipID = try req.id("partnership_id", "partnership")
        let week = try RequestInput.week(req)
        let decisionID = try req.id("decision_id", "decision")
        let back = req.formValue("back").flatMap(ISOWeek.init) ?? week
        let status = req.formValue("status")
        let saved = try await req.workflows.reviews.checkOff(
            decisionID, of: week, in: partnershipID,
            as: {
                guard let status, let v = ReviewDecision.Status(rawValue: status) else {
                    throw Problem.invalid("status", "status must be one of: done, dropped, open.")
                }
                return v
            }, by: s.principal)
        let text = saved.decisions.first { $0.id == decisionID }.map { "\"\($0.text)\"" } ?? "The decision"
        let words: String
        switch ReviewDecision.Status(rawValue: status ?? "") ?? .open {
        case .done: words = "is done"
        case .dropped: words = "is dropped"
        case .open: words = "is open again"
        }
        let r = Pages.seeOther(SiteRoute.review(partnershipID, week: "\(back)"), notice: "\(text) \(words).")
        r.headers.replaceOrAdd(name: "Location", value: (r.headers.first(name: "Location") ?? "") + "#decisions")
        return r
    }

    static func record(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let attendeesText = req.formValue("attendees") ?? ""
        let decisionsText = req.formValue("decisions") ?? ""
        var errors: [String: String] = [:]
        do {
            let saved = try await req.workflows.reviews.record(
                in: try req.id("partnership_id", "partnership"), week: { try RequestInput.week(req) },
                by: s.principal
            ) { people in
                ReviewWorkflows.Entry(
                    attendees: attendeesText.split(whereSeparator: \.isNewline).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }.filter { !$0.isEmpty },
                    decisions: try decisions(decisionsText, people: people))
            }
            return Pages.seeOther(
                SiteRoute.review(saved.partnershipID, week: "\(saved.week)"), notice: "The review is recorded.")
        } catch let refused as FormRefused {
            errors = refused.errors
        } catch WorkflowError.invalid(let field, let m) {
            // The week not begun yet (`week`) and the record's own limits are shown beside the form.
            errors[field.hasPrefix("attendees") ? "attendees" : "decisions"] = m
        }
        let review = try await weeklyReview(req, s)
        let model = ReviewPageModel(
            chrome: s.chrome("Weekly review \(review.week)", .reviews), review: review, canRecord: true,
            attendees: attendeesText, decisions: decisionsText, errors: errors,
            message: "Nothing was saved: fix the marked field.", localeIdentifier: req.displayFormat.locale.identifier)
        var shown = model
        shown.canCheckOff = s.person.role.canWrite
        return Pages.html(ReviewPageView.render(shown), status: .unprocessableEntity)
    }
}
