import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The signed-in person of a page request, with what the page chrome needs.
struct PageSession: Sendable {
    static let csrfField = "csrf_token"
    static let signInCSRFCookie = "cosell_signin_csrf"

    var person: Person
    var organization: Organization
    var csrf: String
    /// The client's address, for the audit lines the page's verbs write.
    var address: String? = nil
    var principal: Principal { Principal(person: person, scope: .readWrite, address: address) }

    func chrome(_ title: String, _ section: PageChrome.Section, notice: String? = nil) -> PageChrome {
        PageChrome(
            title: title, section: section, personName: person.name, organizationName: organization.name,
            isAdmin: person.role == .admin, csrf: csrf, notice: notice)
    }
}

/// Sends the browser elsewhere (sign-in, or the page after a change).
struct PageRedirect: Error {
    var location: String
}

extension Request {
    /// The session behind the cookie, or nil. Sets the principal the API's visibility functions use.
    func pageSession() async throws -> PageSession? {
        guard let cookie = cookies[SecuritySettings.sessionCookie]?.string, !cookie.isEmpty, cookie.count < 200,
            let (person, csrf) = try await store.session(tokenHash: APITokens.hash(cookie), at: Date()),
            let org = try await store.organization(person.organizationID)
        else { return nil }
        let s = PageSession(person: person, organization: org, csrf: csrf, address: clientAddress)
        storage[PrincipalKey.self] = s.principal
        return s
    }

    /// The session, or a redirect to the sign-in page that comes back here. A form post must carry
    /// the session's CSRF token.
    func requirePageSession() async throws -> PageSession {
        guard let s = try await pageSession() else {
            let back = method == .GET ? url.path + (url.query.map { "?" + $0 } ?? "") : "/"
            throw PageRedirect(location: SiteRoute.signIn(next: back).href)
        }
        if method == .POST {
            let sent = try? content.get(String.self, at: PageSession.csrfField)
            guard sent == s.csrf else {
                throw Problem(
                    .forbidden, type: "csrf", title: "The form has expired",
                    detail: "The form was not sent from this session; reload the page and try again.")
            }
        }
        return s
    }

    var displayFormat: DisplayFormat {
        DisplayFormat(
            localeIdentifier: DisplayFormat.localeIdentifier(acceptLanguage: headers.first(name: .acceptLanguage)))
    }

    /// A form field, trimmed; nil when absent or blank.
    func formValue(_ name: String) -> String? {
        guard let v = try? content.get(String.self, at: name) else { return nil }
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Every field of a url-encoded form, as typed (to show it again after an error).
    func formValues() -> [String: String] {
        guard let d = try? content.decode([String: String].self) else { return [:] }
        return d
    }
}

enum Pages {
    /// Wraps a page handler: redirects, HTML error pages for the errors the API answers with
    /// problem+json, and the page headers.
    static func handler(
        _ body: @escaping @Sendable (Request) async throws -> Response
    ) -> @Sendable (Request) async throws -> Response {
        { req in
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let r = try await body(req)
                // The time the server spent on the page, for the browser's developer tools and the benchmark.
                let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
                r.headers.replaceOrAdd(name: "Server-Timing", value: String(format: "app;dur=%.1f", ms))
                return r
            } catch let r as PageRedirect {
                return req.redirect(to: r.location, redirectType: .normal)
            } catch {
                let problem = ProblemMiddleware.problem(for: error, request: req)
                if problem.status >= 500 { req.logger.report(error: error) }
                let session = try? await req.pageSession()
                let chrome =
                    session?.chrome(problem.title, .none)
                    ?? PageChrome(title: problem.title, section: .none)
                let page = html(
                    ErrorPage.render(chrome, status: problem.status, problem: problem),
                    status: HTTPResponseStatus(statusCode: problem.status))
                ProblemMiddleware.addRetryAfter(problem, to: page)
                return page
            }
        }
    }

    static func html(_ node: Node, status: HTTPResponseStatus = .ok) -> Response {
        let r = Response(status: status, body: .init(string: node.render()))
        r.headers.contentType = .html
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }

    /// After a change: back to a page (Post/Redirect/Get), with a notice in the query.
    static func seeOther(_ route: SiteRoute, notice: String? = nil) -> Response {
        seeOther(checkedPath: route.href, notice: notice)
    }

    /// After sign-in: back to the local path the person came from (`SignInController.safeNext`).
    static func seeOther(checkedPath path: String, notice: String? = nil) -> Response {
        let sep = path.contains("?") ? "&" : "?"
        let location = notice.map { path + sep + "notice=" + queryValue($0) } ?? path
        return Response(status: .seeOther, headers: ["Location": location])
    }

    static func notice(_ req: Request) -> String? {
        guard let n = try? req.query.get(String.self, at: "notice"), !n.isEmpty else { return nil }
        return String(n.prefix(300))
    }
}

enum ErrorPage {
    static func render(_ chrome: PageChrome, status: Int, problem: Problem) -> Node {
        Layout.page(chrome) {
            el("h1") { status == 404 ? "Not found" : problem.title }
            el("p") {
                status == 404
                    ? "There is nothing here, or it is not yours to see." : problem.detail
            }
            el("p") { link(SiteRoute.home, "Back to your home page") }
        }
    }
}
