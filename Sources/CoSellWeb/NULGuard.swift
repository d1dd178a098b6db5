import Foundation
import Vapor

/// Refuses the NUL character (U+0000) in every text a request carries, before any handler reads it:
/// PostgreSQL cannot store it in a text column and answered 500, SQLite would keep it and truncate
/// it in other tools. The answer is 422 naming the field: the query parameter, the JSON path
/// (`attendees[0].name`) or the form field. A CSV body (an import, exchange rates) is left to its
/// reader, which names the line.
struct NULGuardMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let field = Self.fieldInURL(request.url) { throw Self.refusal(field) }
        if let type = request.headers.contentType, type.type == "application",
            type.subType == "json" || type.subType.hasSuffix("+json")
                || type.subType == "x-www-form-urlencoded"
        {
            // Collect the body the way the route would (the handler then finds it collected).
            if request.body.data == nil, let limit = RouteBody.limit(of: request) {
                _ = try await request.body.collect(max: limit).get()
            }
            if let data = request.body.data {
                let bytes = Data(buffer: data)
                let field =
                    type.subType == "x-www-form-urlencoded"
                    ? Self.fieldInForm(bytes) : Self.fieldInJSON(bytes)
                if let field { throw Self.refusal(field) }
            }
        }
        return try await next.respond(to: request)
    }

    static func refusal(_ field: String) -> Problem {
        .invalid(field, "\(field) must not contain the NUL character (U+0000).")
    }

    /// The query parameter (or `path`) holding an encoded or raw NUL.
    static func fieldInURL(_ url: URI) -> String? {
        if url.path.contains("\0") || url.path.lowercased().contains("%00") { return "path" }
        guard let query = url.query else { return nil }
        return fieldInPairs(query)
    }

    /// The first `name=value` pair of a url-encoded text whose name or value decodes to a NUL.
    static func fieldInPairs(_ text: String) -> String? {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if name.contains("\0") || value.contains("\0") {
                let shown = name.replacingOccurrences(of: "\0", with: "")
                return shown.isEmpty ? "query" : shown
            }
        }
        return nil
    }

    static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    static func fieldInForm(_ body: Data) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        if !text.contains("\0") && !text.lowercased().contains("%00") { return nil }
        return fieldInPairs(text) ?? "body"
    }

    /// The JSON path (snake_case keys as sent, `[i]` for elements) of a key or string holding a NUL.
    static func fieldInJSON(_ body: Data) -> String? {
        if body.contains(0) { return "body" }
        // Cheap test first: a NUL in JSON text is written \u0000.
        guard let text = String(data: body, encoding: .utf8),
            text.range(of: "\\u0000", options: .caseInsensitive) != nil
        else { return nil }
        guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return nil
        }
        return find(in: value, at: "")
    }

    private static func find(in value: Any, at path: String) -> String? {
        switch value {
        case let s as String:
            return s.contains("\0") ? (path.isEmpty ? "body" : path) : nil
        case let list as [Any]:
            for (i, v) in list.enumerated() {
                if let hit = find(in: v, at: path + "[\(i)]") { return hit }
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let here = path.isEmpty ? key : path + "." + key
                if key.contains("\0") { return path.isEmpty ? "body" : path }
                if let hit = find(in: object[key]!, at: here) { return hit }
            }
        default:
            return nil
        }
        return nil
    }
}

/// The body limit a route collects up to, kept on the route when it is registered (Vapor keeps the
/// strategy only inside the route's responder); nil for a streamed body.
enum RouteBody {
    static let limitKey = "cosell.body-limit"

    static func limit(of request: Request) -> Int? {
        request.route?.userInfo[limitKey] as? Int
    }
}
