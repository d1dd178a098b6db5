import CoSellPersistence
import Vapor

/// Installs the web layer on an application: error shape, security headers, API and documentation.
public enum CoSellRoutes {
    public static func install(on app: Application, databaseKind: String) {
        app.middleware = Middlewares()
        // Outermost, so that every answer carries the headers: errors the problem middleware shapes too.
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(ProblemMiddleware())
        app.middleware.use(NULGuardMiddleware())
        _ = app.passwordHashPool  // made here, before any request can race to make it
        API.register(on: app, databaseKind: databaseKind)
        app.storage[BackgroundJobsKey.self] = BackgroundJobs()
        app.lifecycle.use(BackgroundJobsLifecycle())
        PageRoutes.register(on: app)
    }
}

/// The headers every answer carries, errors included: no sniffing, no framing (CSP's
/// `frame-ancestors`, and `X-Frame-Options` for older browsers), same-origin referrers.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let r: Response
        do {
            r = try await next.respond(to: request)
        } catch {
            // Only an error the problem middleware could not shape reaches here: answer it anyway.
            r = Response(status: .internalServerError)
        }
        Self.apply(to: r)
        return r
    }

    static func apply(to r: Response) {
        r.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        r.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; frame-ancestors 'none'")
        r.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        r.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
    }
}

/// Called before each retry of a transaction SQLite refused for a concurrent writer
/// (`CoSellStore.transaction`), with the request and the retry's number (1 for the first): lets a
/// test act at that moment (release a lock) instead of after a delay.
public struct SQLiteRetryObserverKey: StorageKey {
    public typealias Value = @Sendable (Request, Int) async -> Void
}
