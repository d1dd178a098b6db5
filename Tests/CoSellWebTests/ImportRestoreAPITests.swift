import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@Suite("Restoring an account import over the API")
struct ImportRestoreAPITests {
    let api = MappingAPITests()

    @Test(
        "the latest import is restored once by an admin (200, audited); a seller gets 403, another company 404, an older or restored import 409, all as problem+json",
        arguments: TestDatabase.all)
    func restoration(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let hostOrg = try #require(try await app.call(.GET, "/api/v1/me").path("organization", "id") as? String)
            let first = try await api.importCSV(app, Token.hostAdmin, hostOrg, hostCSV)
            let firstID = try #require(first.path("job", "id") as? String)
            // Umbrella (001D) leaves the export and Hooli (001E) arrives.
            let second = try await api.importCSV(
                app, Token.hostAdmin, hostOrg,
                """
                Id,Name,Website,BillingCountry,Industry,NumberOfEmployees,Type
                001A,Acme Inc,https://www.acme.example/about,US,Software,500,Customer - Direct
                001B,Globex GmbH,globex.example,DE,Manufacturing,2000,Prospect
                001C,Initech LLC,initech.example,US,Software,300,Prospect
                001E,Hooli,hooli.example,US,Software,5000,Prospect

                """)
            #expect(second.path("job", "retired") as? Int == 1)
            let secondID = try #require(second.path("job", "id") as? String)
            let restore = { (id: String, token: String) in
                try await app.call(.POST, "/api/v1/account-imports/\(id)/restoration", token: token)
            }

            let seller = try await restore(secondID, Token.hostSeller)
            #expect(seller.status == .forbidden)
            #expect(seller.contentType.hasPrefix("application/problem+json"))
            let other = try await restore(secondID, Token.partnerAdmin)
            #expect(other.status == .notFound)
            #expect(other.contentType.hasPrefix("application/problem+json"))
            let unknown = try await restore(UUID().uuidString, Token.hostAdmin)
            #expect(unknown.status == .notFound)
            let older = try await restore(firstID, Token.hostAdmin)
            #expect(older.status == .conflict)
            #expect(older.contentType.hasPrefix("application/problem+json"))
            #expect((older["detail"] as? String)?.hasPrefix("Only the latest import can be restored") == true)

            let done = try await restore(secondID, Token.hostAdmin)
            #expect(done.status == .ok)
            #expect(done.path("job", "id") as? String == secondID)
            #expect(done.path("job", "status") as? String == "succeeded")
            #expect(done.path("job", "restored_at") is String)
            #expect(done.path("job", "restored_accounts") as? Int == 1)
            #expect(done.path("job", "restored_retired") as? Int == 1)
            #expect(done.path("job", "restored_by") as? String != nil)
            // The job says so when read again.
            let read = try await app.call(.GET, "/api/v1/account-imports/\(secondID)")
            #expect(read.path("job", "restored_retired") as? Int == 1)

            let again = try await restore(secondID, Token.hostAdmin)
            #expect(again.status == .conflict)
            #expect(again.contentType.hasPrefix("application/problem+json"))
            #expect(again["detail"] as? String == "The import of test.csv was restored already.")

            let audit = try await app.call(.GET, "/api/v1/audit")
            let restored = ((audit["items"] as? [[String: Any]]) ?? []).filter {
                $0["kind"] as? String == "accounts_restored"
            }
            #expect(restored.count == 1)
            #expect(
                (restored.first?["detail"] as? String)?.hasSuffix(
                    "restored the accounts as they were before the import of test.csv: 1 accounts back as they were, 1 accounts it added retired."
                ) == true)

            // The operation is in the OpenAPI document.
            let spec = try await app.call(.GET, "/openapi.json")
            #expect(spec.path("paths", "/api/v1/account-imports/{import_id}/restoration", "post") != nil)
        }
    }
}
