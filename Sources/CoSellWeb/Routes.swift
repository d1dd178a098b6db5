import CoSellPersistence
import Vapor

/// Installs the web layer on an application: error shape, security headers, API and documentation.
public enum CoSellRoutes {
    public static func install(on app: Application, databaseKind: String) {
        app.middleware = Middlewares()
        app.middleware.use(ProblemMiddleware())
        app.middleware.use(SecurityHeadersMiddleware())
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

/// Called before each retry of a transaction SQLite refused for a concurrent writer
/// (`CoSellStore.transaction`), with the request and the retry's number (1 for the first): lets a
/// test act at that moment (release a lock) instead of after a delay.
public struct SQLiteRetryObserverKey: StorageKey {
    public typealias Value = @Sendable (Request, Int) async -> Void
}
