import CoSellApp
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("the document and the registered routes agree, route for route")
    func documentMatchesRoutes() async throws {
        try await withTestApp(.sqlite, demo: false) { app in
            let r = try await app.call(.GET, "/openapi.json", token: nil)
            #expect(r.status == .ok)
            #expect(r["openapi"] as? String == "3.1.0")
            let paths = try #require(r["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, methods) in paths {
                for method in methods.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            var registered = Set<String>()
            for route in app.routes.all {
                let path =
                    "/"
                    + route.path.map { c -> String in
                        if case .parameter(let name) = c { return "{\(name)}" }
                        return c.description
                    }.joined(separator: "/")
                // The HTML pages and their assets are not part of the API.
                if !(path.hasPrefix("/api/") || path == "/openapi.json" || path == "/health") { continue }
                registered.insert("\(route.method.rawValue) \(path)")
            }
            #expect(documented == registered)
            #expect(documented.count > 30)
            // Every operation has an id, and every $ref points at a component.
            let schemas = try #require((r["components"] as? [String: Any])?["schemas"] as? [String: Any])
            var refs: [String] = []
            func collect(_ value: Any) {
                if let object = value as? [String: Any] {
                    if let ref = object["$ref"] as? String { refs.append(ref) }
                    object.values.forEach(collect)
                } else if let array = value as? [Any] {
                    array.forEach(collect)
                }
            }
            collect(r.json!)
            #expect(refs.count > 40)
            for ref in refs {
                #expect(ref.hasPrefix("#/components/schemas/"), "\(ref)")
                #expect(
                    schemas[String(ref.dropFirst("#/components/schemas/".count))] != nil, "missing component \(ref)")
            }
            let operation = try #require(paths["/api/v1/deals/{deal_id}/advance"]?["post"] as? [String: Any])
            #expect(operation["operationId"] as? String == "advance")
        }
    }

    @Test("demo deals answer with the documented required fields", arguments: TestDatabase.all)
    func dealViewShape(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let list = try await app.call(.GET, "/api/v1/deals?limit=200")
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count >= 10)
            for item in items {
                for key in ["deal", "stage_key", "stage_name", "gate", "stalled"] { #expect(item[key] != nil) }
                let deal = try #require(item["deal"] as? [String: Any])
                for key in ["id", "partnership_id", "title", "status", "moves", "evidence", "passages", "version"] {
                    #expect(deal[key] != nil, "deal lacks \(key)")
                }
            }
        }
    }
}
