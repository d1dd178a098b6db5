import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
import Fluent
import Foundation

/// Demo credentials: well-known tokens, loaded only into a demo workspace.
public struct DemoToken: Sendable {
    public var token: String
    public var personEmail: String
    public var label: String
}

public enum DemoLoader {
    /// One token per person of the demo workspace, named after their company and role.
    /// The first person of each role in each company gets one.
    public static func tokens(for ws: DemoWorkspace) -> [DemoToken] {
        var seen = Set<String>()
        return ws.people.compactMap { p in
            let org = ws.organizations.first { $0.id == p.organizationID }
            let side = p.organizationID == ws.organizations.first?.id ? "host" : "partner"
            let token = "cosell_demo_\(side)_\(p.role.rawValue)"
            guard seen.insert(token).inserted else { return nil }
            return DemoToken(
                token: token, personEmail: p.email,
                label: "\(p.name), \(p.role.rawValue.replacingOccurrences(of: "_", with: " ")) at \(org?.name ?? "?")")
        }
    }

    /// The password of every demo person (demo workspaces only).
    public static let password = "cosell-demo-password"

    /// Writes the demo workspace with its credentials (`WorkspaceLoader.load`, one transaction).
    public static func load(
        _ ws: DemoWorkspace, into db: any Database, standardPlaybookID: UUID, passwordHash: String? = nil
    ) async throws {
        try await WorkspaceLoader.load(
            ws, into: CoSellStore(db: db), standardPlaybookID: standardPlaybookID, passwordHash: passwordHash,
            tokens: tokens(for: ws).map { ($0.personEmail, APITokens.hash($0.token)) })
    }
}
