import Foundation
import Vapor

/// A JSON value, for building the OpenAPI document.
public indirect enum JSONValue: Encodable, Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in pairs { try c.encode(v, forKey: AnyKey(k)) }
        }
    }

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// A JSON Schema (OpenAPI 3.1 dialect), written compactly.
public indirect enum Schema: Sendable {
    case string(minLength: Int? = nil, maxLength: Int? = nil, format: String? = nil)
    case enumeration([String])
    case integer(min: Int? = nil, max: Int? = nil)
    case boolean
    case array(Schema, maxItems: Int? = nil)
    /// Properties in order; the ones marked required first in `required`.
    case object([(String, Schema)], required: [String])
    case ref(String)
    case nullable(Schema)
    case any

    public static let uuid = Schema.string(format: "uuid")
    public static let dateTime = Schema.string(format: "date-time")
    public static let date = Schema.string(format: "date")
    public static let text = Schema.string(minLength: 1, maxLength: 10_000)
    public static let name = Schema.string(minLength: 1, maxLength: 200)

    var json: JSONValue {
        switch self {
        case .string(let minLength, let maxLength, let format):
            var p: [(String, JSONValue)] = [("type", .string("string"))]
            if let minLength { p.append(("minLength", .int(minLength))) }
            if let maxLength { p.append(("maxLength", .int(maxLength))) }
            if let format { p.append(("format", .string(format))) }
            return .object(p)
        case .enumeration(let values):
            return .object([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
        case .integer(let min, let max):
            var p: [(String, JSONValue)] = [("type", .string("integer"))]
            if let min { p.append(("minimum", .int(min))) }
            if let max { p.append(("maximum", .int(max))) }
            return .object(p)
        case .boolean:
            return .object([("type", .string("boolean"))])
        case .array(let items, let maxItems):
            var p: [(String, JSONValue)] = [("type", .string("array")), ("items", items.json)]
            if let maxItems { p.append(("maxItems", .int(maxItems))) }
            return .object(p)
        case .object(let props, let required):
            var p: [(String, JSONValue)] = [
                ("type", .string("object")),
                ("properties", .object(props.map { ($0.0, $0.1.json) })),
            ]
            if !required.isEmpty { p.append(("required", .array(required.map(JSONValue.string)))) }
            return .object(p)
        case .ref(let name):
            return .object([("$ref", .string("#/components/schemas/\(name)"))])
        case .nullable(let inner):
            return .object([("anyOf", .array([inner.json, .object([("type", .string("null"))])]))])
        case .any:
            return .object([])
        }
    }
}

/// A query parameter of an operation.
public struct QueryParameter: Sendable {
    public var name: String
    public var schema: Schema
    public var description: String
}

/// One API operation: how it is routed, how it is described, and what handles it. Routes are
/// registered from this table and the OpenAPI document is written from it, so the two agree.
public struct APIOperation: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var operationID: String
    public var summary: String
    public var tag: String
    public var query: [QueryParameter]
    public var body: Schema?
    public var successStatus: Int
    public var response: Schema
    public var authenticated: Bool
    /// The media type of the request body (JSON unless said otherwise).
    public var bodyContentType = "application/json"
    /// The media type of the success response (JSON unless said otherwise).
    public var responseContentType = "application/json"
    /// The largest body the route reads, as Vapor's size string.
    public var maxBody: ByteCount = "1mb"
    public var handler: @Sendable (Request) async throws -> Response

    public init(
        _ method: HTTPMethod, _ path: String, id: String, summary: String, tag: String, query: [QueryParameter] = [],
        body: Schema? = nil, status: Int = 200, response: Schema, authenticated: Bool = true,
        handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.operationID = id
        self.summary = summary
        self.tag = tag
        self.query = query
        self.body = body
        self.successStatus = status
        self.response = response
        self.authenticated = authenticated
        self.handler = handler
    }

    /// The path as Vapor path components (`{deal_id}` becomes `:deal_id`).
    public var pathComponents: [PathComponent] {
        path.split(separator: "/").map { part in
            part.hasPrefix("{") ? .parameter(String(part.dropFirst().dropLast())) : .constant(String(part))
        }
    }

    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

public enum OpenAPIDocument {
    public static func make(operations: [APIOperation], components: [(String, Schema)], version: String) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for op in operations {
            var parameters: [JSONValue] = op.pathParameters.map { name in
                .object([
                    ("name", .string(name)), ("in", .string("path")), ("required", .bool(true)),
                    ("schema", Schema.string(minLength: 1, maxLength: 64).json),
                ])
            }
            parameters += op.query.map { q in
                .object([
                    ("name", .string(q.name)), ("in", .string("query")), ("required", .bool(false)),
                    ("description", .string(q.description)), ("schema", q.schema.json),
                ])
            }
            var operation: [(String, JSONValue)] = [
                ("operationId", .string(op.operationID)),
                ("summary", .string(op.summary)),
                ("tags", .array([.string(op.tag)])),
            ]
            if !parameters.isEmpty { operation.append(("parameters", .array(parameters))) }
            if let body = op.body {
                operation.append(
                    (
                        "requestBody",
                        .object([
                            ("required", .bool(true)),
                            ("content", .object([(op.bodyContentType, .object([("schema", body.json)]))])),
                        ])
                    ))
            }
            operation.append(
                (
                    "responses",
                    .object([
                        (
                            String(op.successStatus),
                            .object([
                                ("description", .string("Success")),
                                (
                                    "content",
                                    .object([(op.responseContentType, .object([("schema", op.response.json)]))])
                                ),
                            ])
                        ),
                        (
                            "default",
                            .object([
                                ("description", .string("An RFC 9457 problem naming what is wrong")),
                                (
                                    "content",
                                    .object([
                                        ("application/problem+json", .object([("schema", Schema.ref("Problem").json)]))
                                    ])
                                ),
                            ])
                        ),
                    ])
                ))
            if op.authenticated { operation.append(("security", .array([.object([("bearer", .array([]))])]))) }
            let method = op.method.rawValue.lowercased()
            if let i = paths.firstIndex(where: { $0.0 == op.path }) {
                paths[i].1.append((method, .object(operation)))
            } else {
                paths.append((op.path, [(method, .object(operation))]))
            }
        }
        return .object([
            ("openapi", .string("3.1.0")),
            (
                "info",
                .object([
                    ("title", .string("cosell API")),
                    ("version", .string(version)),
                    (
                        "description",
                        .string(
                            "Run joint B2B deals through the five gated stages of the co-sell playbook. Errors are RFC 9457 problem+json naming the field at fault."
                        )
                    ),
                ])
            ),
            ("servers", .array([.object([("url", .string("/"))])])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            (
                "components",
                .object([
                    ("schemas", .object(components.map { ($0.0, $0.1.json) })),
                    (
                        "securitySchemes",
                        .object([("bearer", .object([("type", .string("http")), ("scheme", .string("bearer"))]))])
                    ),
                ])
            ),
        ])
    }
}

extension APIOperation {
    /// The same operation, documented as answering `text/csv`.
    static func csv(_ op: APIOperation) -> APIOperation {
        var o = op
        o.responseContentType = "text/csv"
        return o
    }

    /// A CSV download named `cosell-<name>.csv`.
    static func csvResponse(_ text: String, name: String) -> Response {
        let r = Response(status: .ok, body: .init(string: text))
        r.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"cosell-\(name).csv\"")
        return r
    }
}
