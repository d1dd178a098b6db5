import CoSellPersistence
import Foundation
import Testing
import Vapor
import VaporTesting

/// A JSON answer from the API.
public struct Answer {
    public var status: HTTPStatus
    public var contentType: String
    public var json: Any?
    public var headers: HTTPHeaders

    public subscript(_ key: String) -> Any? { (json as? [String: Any])?[key] }

    public func path(_ keys: String...) -> Any? {
        var cur: Any? = json
        for k in keys {
            if let i = Int(k), let a = cur as? [Any] {
                cur = i < a.count ? a[i] : nil
            } else {
                cur = (cur as? [String: Any])?[k]
            }
        }
        return cur
    }
}

extension Application {
    public func call(
        _ method: HTTPMethod, _ path: String, token: String? = Token.hostAdmin, body: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var buffer: ByteBuffer? = nil
        if let body {
            if headers.contentType == nil { headers.contentType = .json }
            buffer = ByteBuffer(string: body)
        }
        let res = try await testing().sendRequest(method, path, headers: headers, body: buffer)
        let data = Data(buffer: res.body)
        let json = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return Answer(
            status: res.status, contentType: res.headers.first(name: .contentType) ?? "", json: json,
            headers: res.headers)
    }

    public var store: CoSellStore { CoSellStore(db: db) }
}

/// Moves the due date of the first open move of an open deal to `dueOn` through the API, as the host
/// admin; returns the deal's and the move's ids.
public func changeADueDate(_ app: Application, to dueOn: String) async throws -> (dealID: UUID, moveID: String) {
    let list = try await app.call(.GET, "/api/v1/deals?status=open&limit=1", token: Token.hostAdmin)
    let item = try #require((list["items"] as? [[String: Any]])?.first)
    let idText = try #require((item["deal"] as? [String: Any])?["id"] as? String)
    let move = try #require(
        ((item["deal"] as? [String: Any])?["moves"] as? [[String: Any]])?.first { $0["done_at"] == nil }?["id"]
            as? String)
    let r = try await app.call(
        .PATCH, "/api/v1/deals/\(idText)/moves/\(move)", token: Token.hostAdmin, body: jsonString(["due_on": dueOn]))
    #expect(r.status == .ok)
    return (try #require(UUID(uuidString: idText)), move)
}

public func jsonString(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}
