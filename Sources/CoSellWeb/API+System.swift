import CoSellPersistence
import Foundation
import Vapor

extension API {
    /// `/health` and `/openapi.json`: open to anyone, no token needed.
    static func systemOperations(databaseKind: String) -> [APIOperation] {
        [
            APIOperation(
                .GET, "/health", id: "getHealth", summary: "The database in use and its schema version", tag: "system",
                response: .ref("Health"), authenticated: false
            ) { req in
                let applied = try await req.store.appliedMigrations()
                return try APIJSON.response(
                    Health(
                        status: applied == CoSellMigrations.schemaVersion ? "ok" : "schema_mismatch",
                        database: databaseKind,
                        schemaVersion: applied, expectedSchemaVersion: CoSellMigrations.schemaVersion, version: version)
                )
            },
            APIOperation(
                .GET, "/openapi.json", id: "getOpenAPI", summary: "This API, as an OpenAPI 3.1 document", tag: "system",
                response: .any, authenticated: false
            ) { _ in
                // The document's keys are OpenAPI's own (camelCase, `$ref`): no snake_case conversion.
                let r = Response(status: .ok)
                r.headers.contentType = .json
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                r.body = .init(data: try encoder.encode(document(databaseKind: databaseKind)))
                return r
            },
        ]
    }
}
