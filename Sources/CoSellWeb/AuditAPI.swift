import CoSellDomain
import Foundation
import Vapor

extension SecurityAPI {
    /// The organization's audit log, as JSON pages and as CSV (admins).
    static func auditOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/audit", id: "listAuditEvents",
                summary: "Your organization's audit log, newest first (admins)",
                tag: "people", query: [API.limitParam, API.offsetParam], response: APISchemas.list("AuditEvent")
            ) { req in
                let p = try await req.principal()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
                let (limit, offset) = try API.paging(req)
                let page = try await req.store.auditEvents(of: p.person.organizationID, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items, total: page.total, limit: limit, offset: offset))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/audit.csv", id: "exportAuditEvents", summary: "The audit log as CSV (admins)",
                    tag: "people",
                    response: .string()
                ) { req in
                    let p = try await req.principal()
                    guard p.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
                    var csv = CSV.line(["at", "kind", "actor", "detail", "address"])
                    var offset = 0
                    while true {
                        let page = try await req.store.auditEvents(
                            of: p.person.organizationID, limit: 500, offset: offset)
                        for e in page.items {
                            let fields = [
                                ISO8601DateFormatter().string(from: e.at), e.kind, e.actorName ?? "", e.detail,
                                e.address ?? "",
                            ]
                            csv += CSV.line(fields)
                        }
                        offset += page.items.count
                        if page.items.isEmpty || offset >= page.total { break }
                    }
                    return APIOperation.csvResponse(csv, name: "audit")
                }),
        ]
    }
}
