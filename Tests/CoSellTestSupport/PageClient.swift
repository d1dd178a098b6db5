import Foundation
import Vapor
import VaporTesting

/// A browser stand-in for page tests: keeps the cookies and reads the CSRF token off each page.
public final class PageClient {
    public let app: Application
    public var cookies: [String: String] = [:]
    public var csrf: String? = nil

    public init(_ app: Application) { self.app = app }

    public struct Page {
        public var status: HTTPStatus
        public var html: String
        public var location: String?

        public init(status: HTTPStatus, html: String, location: String?) {
            self.status = status
            self.html = html
            self.location = location
        }
    }

    public func send(
        _ method: HTTPMethod, _ path: String, form: [String: String]? = nil, headers extra: HTTPHeaders = [:]
    ) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body: ByteBuffer? = nil
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: form.map { "\($0.key)=\(formEncode($0.value))" }.joined(separator: "&"))
        }
        let res = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for raw in res.headers[.setCookie] {
            let pair = raw.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            if pair.count == 1 || pair[1].isEmpty { cookies.removeValue(forKey: String(pair[0])) }
        }
        let html = String(buffer: res.body)
        if let r = html.range(of: #"name="csrf_token" value="[^"]+""#, options: .regularExpression) {
            csrf = String(html[r].split(separator: "\"")[3])
        }
        return Page(status: res.status, html: html, location: res.headers.first(name: .location))
    }

    public func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> Page {
        try await send(.GET, path, headers: headers)
    }

    /// Posts a form with the CSRF token of the last page seen.
    public func post(_ path: String, _ form: [String: String] = [:]) async throws -> Page {
        var f = form
        if let csrf { f["csrf_token"] = csrf }
        return try await send(.POST, path, form: f)
    }

    public func signIn(_ email: String, password: String = "cosell-demo-password") async throws -> Page {
        _ = try await get("/sign-in")
        return try await post("/sign-in", ["email": email, "password": password, "next": "/"])
    }

    func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
