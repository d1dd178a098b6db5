import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

let hostCSV = """
    Id,Name,Website,BillingCountry,Industry,NumberOfEmployees,Type
    001A,Acme Inc,https://www.acme.example/about,US,Software,500,Customer - Direct
    001B,Globex GmbH,globex.example,DE,Manufacturing,2000,Prospect
    001C,Initech LLC,initech.example,US,Software,300,Prospect
    001D,Umbrella Corp,umbrella.example,US,Pharma,9000,Prospect

    """

let partnerCSV = """
    hs_object_id,name,domain,country,industry,numberofemployees,lifecyclestage
    9,ACME Corporation,acme.example,United States,Software,480,lead
    8,Globex,www.globex.example,Germany,Manufacturing,2100,customer
    7,Initech,initech.example,US,Software,310,customer
    6,Hooli,hooli.example,US,Software,5000,customer

    """

@Suite("Account mapping API")
struct MappingAPITests {
    func importCSV(_ app: Application, _ token: String, _ org: String, _ csv: String) async throws -> Answer {
        let started = try await app.call(
            .POST, "/api/v1/organizations/\(org)/account-imports?file_name=test.csv&confirm_retirements=true",
            token: token, body: csv,
            headers: ["Content-Type": "text/csv"])
        guard started.status == .accepted else { return started }
        let id = try #require(started.path("job", "id") as? String)
        return try await finishedImport(app, id, token: token)
    }

    @Test(
        "a deal started on a target takes the billing address of the host's export, else the partner's",
        arguments: TestDatabase.all)
    func addressOfStartedDeal(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let hostOrg = try #require(try await app.call(.GET, "/api/v1/me").path("organization", "id") as? String)
            let partnerOrg = try #require(
                try await app.call(.GET, "/api/v1/me", token: Token.partnerAdmin).path("organization", "id") as? String)
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let host = try await importCSV(
                app, Token.hostAdmin, hostOrg,
                """
                Id,Name,Website,BillingStreet,BillingCity,BillingState,BillingPostalCode,BillingCountry,Industry,Type
                001B,Globex GmbH,globex.example,,,,,DE,Manufacturing,Prospect
                001C,Initech LLC,initech.example,1 Initech Way,Austin,TX,78701,US,Software,Prospect

                """)
            #expect(host.path("job", "status") as? String == "succeeded")
            let partner = try await importCSV(
                app, Token.partnerAdmin, partnerOrg,
                """
                hs_object_id,name,domain,address,city,state,zip,country,industry,lifecyclestage
                8,Globex,www.globex.example,Invalidenstrasse 1,Berlin,,10115,Germany,Manufacturing,customer
                7,Initech,initech.example,9 Other Rd,Dallas,TX,75201,US,Software,customer

                """)
            #expect(partner.path("job", "status") as? String == "succeeded")
            let targets = try await app.call(.GET, "/api/v1/partnerships/\(ps)/targets")
            var addresses: [String: [String: Any]] = [:]
            for t in (targets["items"] as? [[String: Any]]) ?? [] {
                let crm = try #require((t["yours"] as? [String: Any])?["crm_id"] as? String)
                let overlap = try #require(t["overlap_id"] as? String)
                let deal = try await app.call(
                    .POST, "/api/v1/partnerships/\(ps)/targets/\(overlap)/deal", body: jsonString(["title": crm]))
                #expect(deal.status == .created)
                let account = try #require(deal.path("deal", "joint_account_id") as? String)
                addresses[crm] = try await app.call(.GET, "/api/v1/accounts/\(account)")["address"] as? [String: Any]
            }
            // Initech: the host's own address, not the partner's.
            #expect(addresses["001C"]?["line1"] as? String == "1 Initech Way")
            #expect(addresses["001C"]?["postal_code"] as? String == "78701")
            // Globex: the host's export has none, so the partner's.
            #expect(addresses["001B"]?["line1"] as? String == "Invalidenstrasse 1")
            #expect(addresses["001B"]?["city"] as? String == "Berlin")
            #expect(addresses["001B"]?["state"] == nil)
        }
    }

    @Test(
        "import both exports, share, see the matrix and ranked targets, start a deal from one",
        arguments: TestDatabase.all)
    func endToEnd(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let hostOrg = try #require(try await app.call(.GET, "/api/v1/me").path("organization", "id") as? String)
            let partnerOrg = try #require(
                try await app.call(.GET, "/api/v1/me", token: Token.partnerAdmin).path("organization", "id") as? String)
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)

            let hostImport = try await importCSV(app, Token.hostAdmin, hostOrg, hostCSV)
            #expect(hostImport.path("job", "status") as? String == "succeeded")
            #expect(hostImport.path("job", "format") as? String == "salesforce")
            #expect(hostImport.path("job", "added") as? Int == 4)
            #expect(hostImport.path("percent") as? Int == 100)
            let partnerImport = try await importCSV(app, Token.partnerAdmin, partnerOrg, partnerCSV)
            #expect(partnerImport.path("job", "format") as? String == "hubspot")
            #expect(partnerImport.path("job", "added") as? Int == 4)

            // The partner hides every population: no targets, and the matrix hides every partner column.
            for population in ["customer", "open_opportunity", "prospect"] {
                let r = try await app.call(
                    .PUT, "/api/v1/partnerships/\(ps)/sharing", token: Token.partnerAdmin,
                    body: jsonString(["population": population, "level": "hidden"]))
                #expect(r.status == .ok)
            }
            var targets = try await app.call(.GET, "/api/v1/partnerships/\(ps)/targets")
            #expect(targets["total"] as? Int == 0)
            var matrix = try await app.call(.GET, "/api/v1/partnerships/\(ps)/matrix")
            #expect((matrix.path("rows", "0", "counts") as? [Any])?.allSatisfy { $0 is NSNull } == true)

            // Only admins change sharing, and only their own organization's.
            let seller = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/sharing", token: Token.partnerSeller,
                body: jsonString(["population": "customer", "level": "overlapping_accounts"]))
            #expect(seller.status == .forbidden)
            _ = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/sharing", token: Token.partnerAdmin,
                body: jsonString(["population": "customer", "level": "overlapping_accounts"]))
            _ = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/sharing", token: Token.partnerAdmin,
                body: jsonString(["population": "prospect", "level": "counts"]))

            matrix = try await app.call(.GET, "/api/v1/partnerships/\(ps)/matrix")
            // Host prospect row: partner customer column 2 (Globex, Initech), open_opportunity hidden, prospect counted.
            let prospectRow = try #require(matrix.path("rows", "2", "counts") as? [Any])
            #expect(prospectRow[0] as? Int == 2)
            #expect(prospectRow[1] is NSNull)
            // Acme: host customer x partner prospect.
            #expect((matrix.path("rows", "0", "counts") as? [Any])?[2] as? Int == 1)

            // Targets: only overlaps whose partner account is in a population shared at overlapping_accounts.
            _ = try await app.call(
                .PUT, "/api/v1/organizations/\(hostOrg)/settings",
                body: jsonString(["ideal_customer_profile": ["industries": ["Software"], "countries": ["US"]]]))
            targets = try await app.call(.GET, "/api/v1/partnerships/\(ps)/targets")
            let items = try #require(targets["items"] as? [[String: Any]])
            #expect(
                Set(items.compactMap { ($0["yours"] as? [String: Any])?["crm_id"] as? String }) == ["001B", "001C"])
            // The strong fit ranks first.
            #expect(items.first.flatMap { ($0["yours"] as? [String: Any])?["crm_id"] as? String } == "001C")
            #expect(
                items.allSatisfy {
                    $0["play"] as? String == "partner_opens_door" && $0["door_opener"] as? String == "partner"
                })
            #expect(items.first?["your_fit"] as? String == "strong")

            // The partner side sees nothing of the host's accounts once the host shares nothing.
            for population in ["customer", "open_opportunity", "prospect"] {
                _ = try await app.call(
                    .PUT, "/api/v1/partnerships/\(ps)/sharing",
                    body: jsonString(["population": population, "level": "hidden"]))
            }
            let partnerView = try await app.call(.GET, "/api/v1/partnerships/\(ps)/targets", token: Token.partnerAdmin)
            #expect(partnerView["total"] as? Int == 0)

            // all_accounts shows the partner's accounts of that population, overlapping or not.
            var greenfield = try await app.call(.GET, "/api/v1/partnerships/\(ps)/partner-accounts")
            #expect(greenfield["total"] as? Int == 0)
            _ = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/sharing", token: Token.partnerAdmin,
                body: jsonString(["population": "customer", "level": "all_accounts"]))
            greenfield = try await app.call(.GET, "/api/v1/partnerships/\(ps)/partner-accounts")
            let names = ((greenfield["items"] as? [[String: Any]]) ?? []).compactMap { $0["crm_id"] as? String }
            #expect(Set(names) == ["8", "7", "6"])

            // Population rules are the organization's own: "lead" can count as an open opportunity.
            let rules = try await app.call(
                .PUT, "/api/v1/organizations/\(partnerOrg)/settings", token: Token.partnerAdmin,
                body: jsonString([
                    "population_rules": [
                        "rules": [
                            ["match": "equals", "value": "customer", "population": "customer"],
                            ["match": "equals", "value": "lead", "population": "open_opportunity"],
                        ],
                        "default_population": "prospect",
                    ]
                ]))
            #expect(rules.status == .ok)
            let relabelled = try await importCSV(app, Token.partnerAdmin, partnerOrg, partnerCSV)
            #expect(relabelled.path("job", "updated") as? Int == 1)

            // Start a deal from the top target: fits and the door-opener side are filled in.
            let overlap = try #require(items.first?["overlap_id"] as? String)
            let deal = try await app.call(
                .POST, "/api/v1/partnerships/\(ps)/targets/\(overlap)/deal",
                body: jsonString(["title": "Initech joint"]))
            #expect(deal.status == .created)
            #expect(deal.path("deal", "evidence", "target_selection", "icp_fit", "host", "fit") as? String == "strong")
            #expect(deal.path("deal", "suggested_door_opener") as? String == "partner")
            #expect(deal.path("deal", "account_on_overlap") as? Bool == true)

            // Re-import without Umbrella: it is retired, not lost; a broken file changes nothing.
            let reimport = try await importCSV(
                app, Token.hostAdmin, hostOrg,
                hostCSV.replacingOccurrences(
                    of: "001D,Umbrella Corp,umbrella.example,US,Pharma,9000,Prospect\n", with: ""))
            #expect(reimport.path("job", "retired") as? Int == 1)
            #expect(reimport.path("job", "unchanged") as? Int == 3)
            let broken = try await importCSV(
                app, Token.hostAdmin, hostOrg, "Id,Name,Website\n1,Ok,ok.example\n2,\"Broken,x.example\n")
            #expect(broken.status == .unprocessableEntity)
            #expect((broken["detail"] as? String)?.contains("line 3") == true)
            #expect(try await app.store.accountCount(of: UUID(uuidString: hostOrg)!) == 3)
            let noName = try await importCSV(app, Token.hostAdmin, hostOrg, "Id,Website\n1,ok.example\n")
            #expect(noName.status == .unprocessableEntity)

            // Headers the detector does not know can be named explicitly.
            let custom = try await app.call(
                .POST,
                "/api/v1/organizations/\(hostOrg)/account-imports?columns=id%3DRef%3Bname%3DCompany%3Bwebsite%3DWeb&confirm_retirements=true",
                body: "Ref,Company,Web\nX1,Acme Inc,acme.example\n", headers: ["Content-Type": "text/csv"])
            #expect(custom.status == .accepted)
            #expect(custom.path("job", "status") as? String == "running")
            let badColumns = try await app.call(
                .POST, "/api/v1/organizations/\(hostOrg)/account-imports?columns=nonsense",
                body: "Ref,Company\nX1,Acme\n", headers: ["Content-Type": "text/csv"])
            #expect(badColumns.status == .unprocessableEntity)
            #expect(badColumns["field"] as? String == "columns")
            let customID = try #require(custom.path("job", "id") as? String)
            let customDone = try await finishedImport(app, customID)
            #expect(customDone.path("job", "status") as? String == "succeeded")
            #expect(customDone.path("job", "format") as? String == "custom")

            // Another company's accounts and settings are not found.
            let probe = try await app.call(.GET, "/api/v1/organizations/\(hostOrg)/settings", token: Token.partnerAdmin)
            #expect(probe.status == .notFound)
            let upload = try await app.call(
                .POST, "/api/v1/organizations/\(hostOrg)/account-imports", token: Token.partnerAdmin, body: hostCSV,
                headers: ["Content-Type": "text/csv"])
            #expect(upload.status == .notFound)
        }
    }
}

@Suite("Account mapping in the demo workspace")
struct DemoMappingTests {
    @Test("the demo has both CRMs imported, a matrix, and ranked targets that point at existing joint accounts")
    func demoMapping() async throws {
        try await withTestApp(.sqlite) { app in
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let matrix = try await app.call(.GET, "/api/v1/partnerships/\(ps)/matrix")
            let rows = try #require(matrix["rows"] as? [[String: Any]])
            let total = rows.flatMap { ($0["counts"] as? [Any]) ?? [] }.compactMap { $0 as? Int }.reduce(0, +)
            #expect(total >= 15)
            let targets = try await app.call(.GET, "/api/v1/partnerships/\(ps)/targets?limit=200")
            let items = try #require(targets["items"] as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.contains { $0["joint_account_id"] != nil })
            let priorities = items.compactMap { $0["priority"] as? Int }
            #expect(priorities == priorities.sorted(by: >))
            // Sharing holds: no target shows a partner account of a population shared only as counts.
            #expect(items.allSatisfy { ($0["partners"] as? [String: Any])?["population"] as? String != "prospect" })
        }
    }
}

/// The import job once it is no longer running. A loaded CI machine runs the background job late, so
/// this waits up to two minutes (a bound for a hung job, not a speed check) and records an issue past it.
func finishedImport(_ app: Application, _ id: String, token: String = Token.hostAdmin) async throws -> Answer {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(120))
    while true {
        let r = try await app.call(.GET, "/api/v1/account-imports/\(id)", token: token)
        if r.path("job", "status") as? String != "running" { return r }
        if clock.now >= deadline {
            Issue.record("import \(id) was still running after two minutes")
            return r
        }
        try await Task.sleep(for: .milliseconds(25))
    }
}
