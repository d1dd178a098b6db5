import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The JSON API under `/api/v1`, as a table of operations.
public enum API {
    public static let version = "0.1.0"
    /// Fixed id of the standard playbook, so every install names it the same way.
    public static let standardPlaybookID = Playbook.standardID

    /// Registers every operation, `/openapi.json` and `/health`.
    public static func register(on app: Application, databaseKind: String) {
        let ops = allOperations(databaseKind: databaseKind)
        for op in ops {
            app.on(op.method, op.pathComponents, body: .collect(maxSize: op.maxBody), use: op.handler)
                .userInfo[RouteBody.limitKey] = op.maxBody.value
        }
    }

    public static func document(databaseKind: String = "sqlite") -> JSONValue {
        OpenAPIDocument.make(
            operations: allOperations(databaseKind: databaseKind),
            components: APISchemas.components + MappingAPI.components + SecurityAPI.components
                + ReviewsAPI.components + RevenueAPI.components + WebhooksAPI.components + ExportsAPI.components
                + DiscoveryCallAPI.components
                + NamedAccountsAPI.components + ValuePropositionAPI.components
                + PrivateMappingAPI.components,
            version: version)
    }

    /// Every operation of the API: the one list that both registers the routes and writes the document.
    public static func allOperations(databaseKind: String) -> [APIOperation] {
        operations(databaseKind: databaseKind) + MappingAPI.operations() + SecurityAPI.operations()
            + ReportsAPI.operations() + ReviewsAPI.operations() + RevenueAPI.operations()
            + WebhooksAPI.operations() + ExportsAPI.operations() + DiscoveryCallAPI.operations()
            + NamedAccountsAPI.operations() + ValuePropositionAPI.operations()
            + PrivateMappingAPI.operations()
    }

    static let limitParam = QueryParameter(
        name: "limit", schema: .integer(min: 1, max: 200), description: "Page size (1-200, default 50).")
    static let offsetParam = QueryParameter(name: "offset", schema: .integer(min: 0), description: "Items to skip.")

    /// The core API's operations, resource by resource, in the order of the document and the route table.
    public static func operations(databaseKind: String) -> [APIOperation] {
        systemOperations(databaseKind: databaseKind) + organizationOperations() + partnershipOperations()
            + accountOperations() + playbookOperations() + dealOperations() + actionOperations()
            + dealChangeOperations()
    }

    // MARK: visibility: `Access`, with the id from the request's path

    static func visiblePlaybookOwners(_ req: Request, _ p: Principal) async throws -> Set<UUID?> {
        try await req.workflows.access.visiblePlaybookOwners(p)
    }

    static func visiblePlaybook(_ req: Request, _ p: Principal) async throws -> Playbook {
        try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), p)
    }

    static func visibleOrganizationIDs(_ req: Request, _ p: Principal) async throws -> [UUID] {
        try await req.workflows.access.visibleOrganizationIDs(p)
    }

    static func visiblePartnership(_ req: Request, _ p: Principal) async throws -> Partnership {
        try await req.workflows.access.visiblePartnership(try req.id("partnership_id", "partnership"), p)
    }

    static func visibleDeal(_ req: Request, _ p: Principal) async throws -> (Deal, Playbook) {
        try await req.workflows.access.visibleDeal(try req.id("deal_id", "deal"), p)
    }

    static func paging(_ req: Request) throws -> (Int, Int) {
        var limit = 50
        var offset = 0
        if let raw = try? req.query.get(String.self, at: "limit") {
            guard let l = Int(raw), (1...200).contains(l) else {
                throw Problem.invalid("limit", "limit must be an integer from 1 to 200.")
            }
            limit = l
        }
        if let raw = try? req.query.get(String.self, at: "offset") {
            guard let o = Int(raw), o >= 0, o <= 10_000_000 else {
                throw Problem.invalid("offset", "offset must be a non-negative integer.")
            }
            offset = o
        }
        return (limit, offset)
    }
}
