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
