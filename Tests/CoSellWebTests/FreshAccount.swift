import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Vapor

/// The demo partnership and an overlap account that no demo deal uses yet.
func freshAccount(_ app: Application) async throws -> (partnership: Partnership, account: JointAccount) {
    let people = try await app.store.people(inOrganizations: [])
    _ = people
    let orgs = try await app.call(.GET, "/api/v1/partnerships")
    let list = orgs.json as! [[String: Any]]
    let pid = UUID(uuidString: list[0]["id"] as! String)!
    let partnership = try await app.store.partnership(pid)!
    let account = JointAccount(
        id: UUID(), partnershipID: pid, name: "Test Account \(UUID().uuidString.prefix(6))",
        domain: "test-\(UUID().uuidString.prefix(8).lowercased()).example",
        country: "DE", industry: "Software", employees: 500, origin: .overlap, reason: nil,
        populations: partnership.organizationIDs.map { AccountPopulation(organizationID: $0, population: "prospect") },
        createdAt: Date())
    try await app.store.insert(account)
    return (partnership, account)
}
