import CoSellDomain
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("Home page: built from the gates' next actions")
struct PageHomeActionsTests {
    /// The HTML of one section of the home page, by its heading's id.
    static func section(_ html: String, _ id: String) -> String {
        guard let start = html.range(of: "<section aria-labelledby=\"\(id)\">") else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    /// The cards of one section that are about the deal titled `title`, joined.
    static func cards(_ html: String, _ id: String, _ title: String) -> String {
        section(html, id).components(separatedBy: "<li").filter { $0.contains(title) }.joined()
    }

    @Test(
        "each company's person sees their own company's part as theirs, and the other's as the partner's",
        arguments: TestDatabase.all)
    func actionsOnBothHomePages(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let title = "Home actions deal \(UUID().uuidString.prefix(8))"
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostAdmin,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": title,
                ]))
            #expect(created.status == .created)
            let id = try #require(created.path("deal", "id") as? String)

            // Daniel (Quarry Data's partner manager) and Marcus (Halyard Security's).
            let daniel = PageClient(app)
            _ = try await daniel.signIn(People.hostPM)
            let marcus = PageClient(app)
            _ = try await marcus.signIn(People.partnerPM)
            let danielHome = try await daniel.get("/").html
            let marcusHome = try await marcus.get("/").html

            let commitQuarry = "Quarry Data: commit a named person to working the account"
            let commitHalyard = "Halyard Security: commit a named person to working the account"
            let danielMine = Self.cards(danielHome, "mine-h", title)
            let marcusMine = Self.cards(marcusHome, "mine-h", title)
            #expect(danielMine.contains(commitQuarry))
            #expect(!danielMine.contains(commitHalyard))
            #expect(marcusMine.contains(commitHalyard))
            #expect(!marcusMine.contains(commitQuarry))
            // The partner lists show the ten most urgent, so the undated commitment may be further down:
            // what they show of this deal is the other company's, and only that.
            let danielPartners = Self.section(danielHome, "partners-h").components(separatedBy: "<li").filter {
                $0.contains(title)
            }
            let marcusPartners = Self.section(marcusHome, "partners-h").components(separatedBy: "<li").filter {
                $0.contains(title)
            }
            #expect(!danielPartners.isEmpty && danielPartners.allSatisfy { $0.contains("<strong>Halyard Security:") })
            #expect(!marcusPartners.isEmpty && marcusPartners.allSatisfy { $0.contains("<strong>Quarry Data:") })
            #expect(!danielHome.contains(">Host<") && !danielHome.contains("(host)"))

            // Once Halyard Security commits, its part leaves both pages.
            let committed = try await app.call(.POST, "/api/v1/deals/\(id)/commitment", token: Token.partnerAdmin)
            #expect(committed.status == .ok)
            let after = try await marcus.get("/").html
            #expect(!Self.cards(after, "mine-h", title).contains(commitHalyard))
            #expect(
                Self.cards(after, "mine-h", title).contains("Halyard Security: record your ideal-customer-profile fit"))
            #expect(!Self.cards(try await daniel.get("/").html, "partners-h", title).contains(commitHalyard))
        }
    }
}
