import CoSellDomain
import CoSellMatching
import Foundation

extension InMemoryStore {
    public func overlaps(of partnership: Partnership) async throws -> [StoredOverlap] {
        read { s in
            s.overlaps.filter { o in
                o.partnershipID == partnership.id
                    && o.accounts.allSatisfy { (s.crmAccounts[$0.id] ?? $0).status == "active" }
            }.map { o in
                var linked = o
                linked.accounts = o.accounts.map { s.crmAccounts[$0.id] ?? $0 }
                linked.jointAccountID = s.overlapLinks[o.id] ?? o.jointAccountID
                return linked
            }
        }
    }

    public func sharing(of partnership: Partnership) async throws -> [SharingSetting] {
        read { s in
            partnership.organizationIDs.flatMap { org in
                Population.allCases.map { pop in
                    SharingSetting(
                        organizationID: org, population: pop.rawValue,
                        level: s.sharing[Self.sharingKey(partnership.id, org, pop.rawValue)] ?? .hidden)
                }
            }
        }
    }

    public func idealCustomerProfile(of organizationID: UUID) async throws -> IdealCustomerProfile? {
        read { $0.profiles[organizationID] }
    }

    public func crmAccounts(of organizationID: UUID) async throws -> [CRMAccount] {
        read { s in
            s.crmAccounts.values.filter { $0.organizationID == organizationID && $0.status == "active" }
                .sorted { $0.name < $1.name }
        }
    }

    public func activeAccountCount(of organizationID: UUID) async throws -> Int {
        read { s in s.crmAccounts.values.count { $0.organizationID == organizationID && $0.status == "active" } }
    }
}

extension InMemoryStore {
    public func updatePlan(_ plan: CoSellPlan, of partnershipID: UUID) async throws {
        try write { s in
            guard s.partnerships[partnershipID] != nil else { throw WorkflowError.notFound("partnership") }
            s.partnerships[partnershipID]?.plan = plan
        }
    }
}
