import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import FluentSQL
import Foundation
import Testing
import Vapor

/// The authorization matrix, generated from the registered operation table: every route × every role ×
/// own organization / partner organization / unrelated organization / no credentials. A new route is
/// in it the moment it is registered.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    static let personal: Set<String> = ["signOut", "listTokens", "createToken", "revokeToken", "getMe"]
    static let adminOnly: Set<String> = [
        "putSharing", "putOrganizationSettings", "createPlaybookVersion", "copyPlaybook", "invitePerson",
        "deactivatePerson", "changePersonRole",
        "listAuditEvents", "exportAuditEvents", "invitePartnership", "acceptPartnership", "endPartnership",
        "putExchangeRates", "startPrivateMappingRun", "evaluatePrivateMappingBatch", "completePrivateMappingRun",
        "rotatePrivateMappingKey",
        "listWebhooks", "createWebhook", "getWebhook", "updateWebhook", "deleteWebhook", "rotateWebhookSecret",
        "listWebhookDeliveries", "redeliverWebhook",
    ]
    /// Routes about one organization's own data: another organization (even a partner) gets 404.
    static let ownOrganizationOnly: Set<String> = [
        "importAccounts", "restoreAccountImport", "getOrganizationSettings", "putOrganizationSettings", "invitePerson",
        "deactivatePerson",
        "changePersonRole", "getWebhook", "updateWebhook", "deleteWebhook", "rotateWebhookSecret",
        "listWebhookDeliveries",
        "redeliverWebhook",
    ]
    /// The settings an operation cannot run without, as a query string.
    static let requiredQuery: [String: String] = [
        "exportAce": "solution_offered=S-1&delivery_model=Resell&use_case=Analytics&skip_invalid=true",
        "validateAceExport": "solution_offered=S-1&delivery_model=Resell&use_case=Analytics",
        "exportPartnerCenter": "solution_id=SOL-1&skip_invalid=true",
        "validatePartnerCenterExport": "solution_id=SOL-1",
    ]
    /// Global data every signed-in person may read.
    static let global: Set<String> = ["listPlaybooks", "getPlaybook", "listPlaybookVersions", "createPlaybookVersion"]

    struct Principal {
        var label: String
        var token: String?
        var organization: String  // host, partner, outsider, none
        var role: Role?
    }

    @Test("every route answers every role and organization as the rules say", arguments: TestDatabase.all)
    func matrix(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            // Outsiders: one person of each role in an unrelated organization.
            let outsider = Organization(id: UUID(), name: "Outsider", domain: "outsider.example", createdAt: Date())
            try await app.store.insert(outsider)
            var principals: [Principal] = [Principal(label: "anonymous", token: nil, organization: "none", role: nil)]
            for role in Role.allCases {
                let person = Person(
                    id: UUID(), organizationID: outsider.id, name: "Out \(role.rawValue)",
                    email: "\(role.rawValue)@outsider.example", role: role)
                try await app.store.insert(person, at: Date())
                let token = "cosell_out_\(role.rawValue)"
                try await app.store.insertToken(
                    id: UUID(), personID: person.id, name: "t", hash: APITokens.hash(token), scope: "read_write",
                    at: Date())
                principals.append(
                    Principal(label: "outsider \(role.rawValue)", token: token, organization: "outsider", role: role))
                principals.append(
                    Principal(
                        label: "host \(role.rawValue)", token: "cosell_demo_host_\(role.rawValue)",
                        organization: "host", role: role))
                principals.append(
                    Principal(
                        label: "partner \(role.rawValue)", token: "cosell_demo_partner_\(role.rawValue)",
                        organization: "partner", role: role))
            }

            // Real ids of the host's data, for the path parameters.
            let me = try await app.call(.GET, "/api/v1/me")
            let hostOrg = try #require(me.path("organization", "id") as? String)
            let partnership = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let deal = try #require(
                (try await app.call(.GET, "/api/v1/deals")).path("items", "0", "deal") as? [String: Any])
            let account = try #require(
                (try await app.call(.GET, "/api/v1/partnerships/\(partnership)/accounts")).path("items", "0", "id")
                    as? String)
            let overlap = try #require(
                (try await app.call(.GET, "/api/v1/partnerships/\(partnership)/targets")).path(
                    "items", "0", "overlap_id") as? String)
            let tokenID = try #require(
                ((try await app.call(.GET, "/api/v1/tokens")).json as? [[String: Any]])?.first?["id"] as? String)
            let seller = try #require(
                (try await app.call(.GET, "/api/v1/me", token: Token.hostSeller)).path("person", "id") as? String)
            // The host's own import (the demo imported both companies' exports).
            var importID = ""
            for row in try await (app.db as! any SQLDatabase).raw("SELECT id FROM account_imports").all() {
                let id = try row.decode(column: "id", as: UUID.self).uuidString
                if try await app.call(.GET, "/api/v1/account-imports/\(id)").status == .ok { importID = id }
            }
            #expect(!importID.isEmpty)
            // A webhook of the host with one delivery in its log.
            let hook = try await app.call(
                .POST, "/api/v1/webhooks", body: #"{"url": "https://hooks.example.com/x", "events": ["deal.created"]}"#)
            let webhookID = try #require(hook["id"] as? String)
            let hostOrgID = try #require(UUID(uuidString: hostOrg))
            try await EventOutbox.enqueue(
                [
                    WebhookPayload(
                        id: UUID(), kind: .dealCreated, occurredAt: Date(), organizationID: hostOrgID, summary: "x",
                        links: [:])
                ], dealID: nil, at: Date(), on: app.db)
            let deliveryID = try #require(
                (try await app.call(.GET, "/api/v1/webhooks/\(webhookID)/deliveries")).path("items", "0", "id")
                    as? String)
            let discoveryCallID = try #require(
                (try await app.call(.GET, "/api/v1/partnerships/\(partnership)/discovery-calls")).path(
                    "calls", "0", "id") as? String)
            // A decision of the demo's last weekly review.
            let partnershipUUID = try #require(UUID(uuidString: partnership))
            let decisionID = try #require(
                try await app.store.reviewRecords(
                    partnershipID: partnershipUUID, from: ISOWeek(containing: Date()).previous
                ).first?.decisions.first?.id?.uuidString)
            let lessonID = try #require(
                (try await app.call(.GET, "/api/v1/lessons")).path("items", "0", "id") as? String)
            let ids: [String: String] = [
                "deal_id": deal["id"] as! String, "partnership_id": partnership, "organization_id": hostOrg,
                "account_id": account,
                "playbook_id": API.standardPlaybookID.uuidString, "import_id": importID, "overlap_id": overlap,
                "move_id": ((deal["moves"] as? [[String: Any]])?.first?["id"] as? String) ?? UUID().uuidString,
                "brief_id": UUID().uuidString, "plan_id": UUID().uuidString, "token_id": tokenID, "person_id": seller,
                "week": ISOWeek(containing: Date()).description, "lesson_id": lessonID, "webhook_id": webhookID,
                "delivery_id": deliveryID, "call_id": discoveryCallID, "decision_id": decisionID,
                "run_id": UUID().uuidString,
            ]

            var checked = 0
            for op in API.allOperations(databaseKind: "sqlite") {
                let params = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                    String($0.dropFirst().dropLast())
                }
                var path = op.path
                for p in params { path = path.replacingOccurrences(of: "{\(p)}", with: ids[p]!) }
                if let query = Self.requiredQuery[op.operationID] { path += "?" + query }
                let body: String? = op.method == .GET || op.method == .DELETE ? nil : "{}"
                for who in principals {
                    // Changing calls go last and one at a time; reads may run for everybody.
                    if who.organization == "host" && who.role == .admin && op.method != .GET { continue }
                    let r = try await app.call(op.method, path, token: who.token, body: body)
                    let what = "\(op.method.rawValue) \(op.path) as \(who.label): \(r.status.code)"
                    checked += 1
                    guard op.authenticated else { continue }
                    #expect(r.status != .internalServerError, "\(what)")
                    #expect(
                        r.contentType.hasPrefix("application/json")
                            || r.contentType.hasPrefix("application/problem+json")
                            || r.contentType.hasPrefix("text/csv") || r.contentType.hasPrefix("text/markdown"),
                        "\(what)")
                    if who.organization == "none" {
                        #expect(r.status == .unauthorized, "\(what)")
                        continue
                    }
                    let scoped =
                        !params.isEmpty && !Self.global.contains(op.operationID) && op.operationID != "revokeToken"
                    if who.organization == "outsider" && scoped {
                        #expect(
                            r.status == .notFound, "an unrelated organization must not learn that it exists: \(what)")
                    }
                    if who.organization == "partner" && Self.ownOrganizationOnly.contains(op.operationID) {
                        #expect(r.status == .notFound, "another organization's own data: \(what)")
                    }
                    if who.role == .viewer && op.method != .GET && !Self.personal.contains(op.operationID) {
                        #expect(
                            r.status == .forbidden || r.status == .notFound, "a viewer cannot change anything: \(what)")
                    }
                    if let role = who.role, role != .admin, Self.adminOnly.contains(op.operationID) {
                        #expect([.forbidden, .notFound].contains(r.status), "admins only: \(what)")
                    }
                    if op.operationID == "confirmDiscoveryCall", let role = who.role, role == .seller {
                        #expect(
                            r.status == .forbidden || r.status == .notFound,
                            "only partner managers and admins confirm: \(what)")
                    }
                    if ["putValueProposition", "approveValueProposition"].contains(op.operationID),
                        who.role == .seller, ["host", "partner"].contains(who.organization)
                    {
                        #expect(
                            r.status == .forbidden,
                            "only partner managers and admins write and approve the value proposition: \(what)")
                    }
                    if op.operationID == "createPlaybookVersion" {
                        #expect(r.status == .forbidden, "the standard playbook is nobody's to edit: \(what)")
                    }
                    if op.operationID == "putNamedAccounts" && ["host", "partner"].contains(who.organization) {
                        // Each company changes its own list: a viewer may not; the others' empty body is refused naming it.
                        #expect(
                            r.status == (who.role == .viewer ? .forbidden : .unprocessableEntity),
                            "named accounts: \(what)")
                    }
                    if op.operationID == "revokeToken" && who.organization != "host" {
                        #expect(r.status == .notFound, "someone else's token: \(what)")
                    }
                }
                // The host admin may read everything of their own.
                if op.method == .GET {
                    let r = try await app.call(op.method, path, token: Token.hostAdmin)
                    // The hyperscaler exports refuse (422, naming what is missing) until their settings are given.
                    let refusedExport =
                        ["exportAce", "exportPartnerCenter"].contains(op.operationID)
                        && r.status == .unprocessableEntity
                    #expect(
                        (200..<300).contains(r.status.code) || refusedExport,
                        "host admin reading \(op.path): \(r.status.code)")
                }
            }
            #expect(checked > 400)
            // Lists never show an unrelated organization anything.
            for path in ["/api/v1/deals", "/api/v1/partnerships", "/api/v1/organizations"] {
                let r = try await app.call(.GET, path, token: "cosell_out_admin")
                let items = (r["items"] as? [Any]) ?? (r.json as? [Any]) ?? []
                #expect(items.count == (path.hasSuffix("organizations") ? 1 : 0), "\(path)")
            }
        }
    }
}
