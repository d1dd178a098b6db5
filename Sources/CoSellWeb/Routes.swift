import CoSellPersistence
import Vapor

/// Installs the web layer on an application: error shape, security headers, API and documentation.
public enum CoSellRoutes {
    public static func install(on app: Application, databaseKind: String) {
        app.middleware = Middlewares()
        app.middleware.use(ProblemMiddleware())
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(SQLiteRetryMiddleware())
        API.register(on: app, databaseKind: databaseKind)
        app.storage[BackgroundJobsKey.self] = BackgroundJobs()
        app.lifecycle.use(BackgroundJobsLifecycle())
        PageRoutes.register(on: app)
    }
}

struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let r = try await next.respond(to: request)
        r.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        r.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; frame-ancestors 'none'")
        r.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        return r
    }
}

/// Retries a request whose transaction SQLite refused for a concurrent writer (see
/// `isSQLiteWriteConflict`): the transaction was rolled back, so running the request again is safe.
/// After the last retry the error goes on to `ProblemMiddleware`, which answers 503 problem+json with
/// `Retry-After`.
struct SQLiteRetryMiddleware: AsyncMiddleware {
    /// Retries after the first attempt.
    static let maxRetries = 5

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var attempt = 0
        while true {
            do {
                return try await next.respond(to: request)
            } catch  where isSQLiteWriteConflict(error) && attempt < Self.maxRetries {
                attempt += 1
                request.logger.debug("SQLite write conflict; retrying the request (attempt \(attempt))")
                if let observe = request.application.storage[SQLiteRetryObserverKey.self] {
                    await observe(request, attempt)
                }
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...30_000_000) * UInt64(attempt))
            }
        }
    }
}

/// Called before each retry of `SQLiteRetryMiddleware` with the request and the retry's number
/// (1 for the first): lets a test act at that moment (release a lock) instead of after a delay.
public struct SQLiteRetryObserverKey: StorageKey {
    public typealias Value = @Sendable (Request, Int) async -> Void
}
