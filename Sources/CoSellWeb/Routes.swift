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
        app.get { _ -> Response in
            let r = Response(status: .ok)
            r.headers.contentType = .html
            r.body = .init(
                string: """
                    <!doctype html><html lang="en"><meta charset="utf-8"><title>cosell</title>
                    <body><h1>cosell</h1><p>The co-sell deal engine is running. The JSON API lives under
                    <code>/api/v1</code> and is described at <a href="/openapi.json">/openapi.json</a>;
                    <a href="/health">/health</a> reports the database.</p></body></html>
                    """)
            return r
        }
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
