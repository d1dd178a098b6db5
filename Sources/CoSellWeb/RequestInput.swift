import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// Reading the values of a request's path and query that the JSON API and the pages both take:
/// each refusal is a 422 naming the parameter.
enum RequestInput {
    static let weekNote = "an ISO week such as 2026-W48 (Monday 00:00 UTC to the next Monday)"

    /// The `week` path parameter.
    static func week(_ req: Request) throws -> ISOWeek {
        let raw = req.parameters.get("week") ?? ""
        switch ISOWeek.check(raw) {
        case .success(let week): return week
        case .failure(let error): throw Problem.invalid("week", "week must be \(weekNote): \(error.message)")
        }
    }

    /// The `week` path parameter and the page (`limit`, `offset`) of the review's long lists.
    static func reviewWeek(_ req: Request) throws -> ReviewWorkflows.WeekPage {
        let week = try week(req)
        let (limit, offset) = try API.paging(req)
        return ReviewWorkflows.WeekPage(week: week, page: (limit, offset))
    }

    /// A currency query parameter, required: an active ISO 4217 code (in any case).
    static func currency(_ req: Request, _ name: String) throws -> Currency {
        guard let raw = try? req.query.get(String.self, at: name), !raw.isEmpty else {
            throw Problem.invalid(name, "\(name) is required: an ISO 4217 currency code such as EUR.")
        }
        guard raw.count == 3, let c = Currency(code: raw.uppercased()) else {
            throw Problem.invalid(name, "\(name) must be an active ISO 4217 currency code such as EUR.")
        }
        return c
    }

    /// A date query parameter (`YYYY-MM-DD`), nil when absent.
    static func date(_ req: Request, _ name: String) throws -> LocalDate? {
        guard let raw = try? req.query.get(String.self, at: name) else { return nil }
        guard let d = LocalDate(raw) else { throw Problem.invalid(name, "\(name) must be a date as YYYY-MM-DD.") }
        return d
    }
}
