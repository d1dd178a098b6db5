import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// An RFC 9457 problem: what went wrong, in words, with the field at fault.
public struct Problem: Error, Content, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// The request field at fault, as a JSON path such as `amount.currency` or `lessons[0].stage`.
    public var field: String?
    /// For a closed gate: every unmet part of the exit criterion.
    public var unmet: [GatePart]?
    /// Seconds to wait before trying again (the `Retry-After` header), for a 429; not in the body.
    public var retryAfter: Int?

    enum CodingKeys: String, CodingKey { case type, title, status, detail, field, unmet }

    public init(
        _ status: HTTPResponseStatus, type: String, title: String, detail: String, field: String? = nil,
        unmet: [GatePart]? = nil
    ) {
        self.type = "https://cosell.dev/problems/" + type
        self.title = title
        self.status = Int(status.code)
        self.detail = detail
        self.field = field
        self.unmet = unmet
    }

    public static func invalid(_ field: String, _ detail: String) -> Problem {
        Problem(.unprocessableEntity, type: "invalid-field", title: "A field is invalid", detail: detail, field: field)
    }

    public static func badRequest(_ field: String?, _ detail: String) -> Problem {
        Problem(.badRequest, type: "malformed-request", title: "The request is malformed", detail: detail, field: field)
    }

    public static func notFound(_ what: String, field: String? = nil) -> Problem {
        Problem(
            .notFound, type: "not-found", title: "Not found", detail: "No \(what) with that id is visible to you.",
            field: field)
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: "forbidden", title: "Not allowed", detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: "conflict", title: "Conflict", detail: detail)
    }
}

/// Turns every error into `application/problem+json`, so that clients see one shape of error.
public struct ProblemMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = Self.problem(for: error, request: request)
            if problem.status >= 500 {
                request.logger.report(error: error)
            }
            // A browser asking for a page that does not exist gets a page, not JSON.
            let path = request.url.path
            if !path.hasPrefix("/api/"), path != "/openapi.json", path != "/health",
                request.headers.accept.mediaTypes.contains(.html)
            {
                let page = Pages.html(
                    ErrorPage.render(
                        PageChrome(title: problem.title, section: .none), status: problem.status, problem: problem),
                    status: HTTPResponseStatus(statusCode: problem.status))
                Self.addRetryAfter(problem, to: page)
                return page
            }
            let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
            Self.addRetryAfter(problem, to: response)
            if problem.status == 401 {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"cosell\"")
            }
            response.body = .init(data: (try? APIJSON.encoder.encode(problem)) ?? Data())
            return response
        }
    }

    /// A 503 or a 429 says when to come back.
    static func addRetryAfter(_ problem: Problem, to response: Response) {
        if problem.status == 503 { response.headers.replaceOrAdd(name: .retryAfter, value: "1") }
        if problem.status == 429, let seconds = problem.retryAfter {
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        }
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let p as Problem:
            return p
        case let e as DealError:
            switch e {
            case .gateClosed(let report):
                return Problem(
                    .unprocessableEntity, type: "gate-closed",
                    title: "The exit criterion of \(report.stageName) is not met",
                    detail: e.message, unmet: report.unmet)
            case .forbidden(let m): return .forbidden(m)
            case .invalid(let field, let m): return .invalid(field, m)
            case .conflict(let m): return .conflict(m)
            case .notFound(let field, let m):
                return Problem(.notFound, type: "not-found", title: "Not found", detail: m, field: field)
            }
        case let e as WorkflowError:
            switch e {
            case .notFound(let what, let field): return .notFound(what, field: field)
            case .forbidden(let m): return .forbidden(m)
            case .conflict(let m): return .conflict(m)
            case .invalid(let field, let m): return .invalid(field, m)
            case .staleVersion:
                return Problem(
                    .preconditionFailed, type: "stale-version", title: "The deal has changed", detail: e.message,
                    field: "If-Match")
            case .busy: return busy
            case .limitReached(let field, let m, let retryAfter):
                var p = Problem(
                    .tooManyRequests, type: "limit-reached", title: "A limit is reached", detail: m, field: field)
                p.retryAfter = retryAfter
                return p
            }
        case let e as StoreError:
            switch e {
            case .conflict(let m): return .conflict(m)
            case .notFound(let what): return .notFound(what)
            case .invalid(let field, let m): return .invalid(field, m)
            }
        case let e as PlaybookError:
            switch e {
            case .invalid(let field, let m): return .invalid(field, "\(field) \(m)")
            }
        case let e as DecodingError:
            return Self.problem(for: e)
        case let e where isSQLiteWriteConflict(e):
            // Still locked after the transaction's retries (`CoSellStore.transaction`): busy, not broken.
            return busy
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed taken while the request waited: busy, not broken.
            return busy
        case let a as any AbortError:
            if a.status == .payloadTooLarge {
                return Problem(
                    .payloadTooLarge, type: "too-large", title: "The request body is too large",
                    detail: "The body is larger than the limit of \(bodyLimit(of: request)).", field: "body")
            }
            if a.status == .notFound {
                return Problem(
                    .notFound, type: "not-found", title: "Not found", detail: "No such resource: \(request.url.path).")
            }
            return Problem(a.status, type: "http-\(a.status.code)", title: a.status.reasonPhrase, detail: a.reason)
        default:
            return Problem(
                .internalServerError, type: "internal", title: "Internal server error",
                detail: "Something went wrong on our side; it has been logged.")
        }
    }

    /// The largest body the request's route reads, in words ("1 MB", "100 MB").
    static func bodyLimit(of request: Request) -> String {
        let bytes = RouteBody.limit(of: request) ?? APIJSON.maxBodyBytes
        let mb = Double(bytes) / 1_048_576
        if mb >= 1 { return mb == mb.rounded() ? "\(Int(mb)) MB" : String(format: "%.1f MB", mb) }
        return "\(bytes / 1024) KB"
    }

    /// The database stayed locked through every retry: busy, not broken (503 with `Retry-After`).
    static let busy = Problem(
        .serviceUnavailable, type: "busy", title: "The database is busy", detail: WorkflowError.busy.message)

    static func path(_ codingPath: [any CodingKey], last: (any CodingKey)? = nil) -> String {
        var out = ""
        for key in codingPath + (last.map { [$0] } ?? []) {
            if let i = key.intValue {
                out += "[\(i)]"
            } else {
                if !out.isEmpty { out += "." }
                out += CoSellWeb.snakeCase(key.stringValue)
            }
        }
        return out
    }

    static func problem(for e: DecodingError) -> Problem {
        switch e {
        case .keyNotFound(let key, let ctx):
            let field = path(ctx.codingPath, last: key)
            return .invalid(field, "\(field) is required.")
        case .valueNotFound(_, let ctx):
            let field = path(ctx.codingPath)
            return .invalid(field, "\(field) must not be null.")
        case .typeMismatch(let type, let ctx):
            let field = path(ctx.codingPath)
            return .invalid(
                field.isEmpty ? "body" : field,
                "\(field.isEmpty ? "The body" : field) has the wrong type: expected \(describe(type)).")
        case .dataCorrupted(let ctx):
            let field = path(ctx.codingPath)
            if field.isEmpty {
                return .badRequest("body", "The body is not valid JSON.")
            }
            return .invalid(field, "\(field): \(ctx.debugDescription)")
        @unknown default:
            return .badRequest("body", "The body could not be read.")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type, is Decimal.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
