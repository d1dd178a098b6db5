import CoSellDomain
import Foundation

extension WorkspaceLoader {
    /// Each company's named accounts of the workspace (in the caller's transaction).
    static func loadNamedAccounts(_ ws: DemoWorkspace, store: CoSellStore) async throws {
        let all = ws.namedAccounts
        for org in ws.organizations {
            try await store.replaceNamedAccounts(
                all.filter { $0.organizationID == org.id }, of: org.id, in: ws.partnership.id)
        }
    }
}
