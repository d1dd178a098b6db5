import CoSellDomain
import CoSellMatching
import Foundation

extension TargetWorkflows {
    /// What a partnership's targets wait for, as the principal's company sees it: each company's
    /// imported accounts, what each shares, the overlaps found by relation, and which company has an
    /// ideal customer profile. The pages turn it into "what is missing, and who can fix it".
    public struct Readiness: Sendable, Equatable {
        public var yourAccounts: Int
        public var partnerAccounts: Int
        /// Each population's level, yours and the partner's, in population order.
        public var yourSharing: [String: SharingLevel]
        public var partnerSharing: [String: SharingLevel]
        /// Overlaps found, all relations, whatever is shared.
        public var sameAccount: Int
        public var sameFamily: Int
        /// Overlaps whose partner account is shared at least as overlapping accounts (the targets).
        public var visibleTargets: Int
        public var youHaveProfile: Bool
        public var partnerHasProfile: Bool

        /// The populations the partner shares as accounts (at least overlapping accounts).
        public var partnerSharesAccounts: [String] {
            Population.allCases.map(\.rawValue).filter { (partnerSharing[$0] ?? .hidden) >= .overlappingAccounts }
        }

        public var yourSharesAccounts: [String] {
            Population.allCases.map(\.rawValue).filter { (yourSharing[$0] ?? .hidden) >= .overlappingAccounts }
        }

        /// Whether the principal's company shares nothing at all.
        public var youShareNothing: Bool { yourSharing.values.allSatisfy { $0 == .hidden } }
        public var partnerSharesNothing: Bool { partnerSharing.values.allSatisfy { $0 == .hidden } }
    }

    /// The readiness of an active partnership of the principal's organization.
    public func readiness(in partnershipID: UUID, by p: Principal) async throws -> Readiness {
        let ps = try await Self.activePartnership(partnershipID, p, on: store)
        let (mine, theirs) = Self.sides(ps, p)
        let (me, partner) = (ps.organizationIDs[mine], ps.organizationIDs[theirs])
        let sharing = try await store.sharing(of: ps)
        let overlaps = try await store.overlaps(of: ps)
        let pops = Population.allCases.map(\.rawValue)
        func levels(_ org: UUID) -> [String: SharingLevel] {
            Dictionary(uniqueKeysWithValues: pops.map { ($0, sharing.level(of: org, $0)) })
        }
        let partnerLevels = levels(partner)
        return Readiness(
            yourAccounts: try await store.activeAccountCount(of: me),
            partnerAccounts: try await store.activeAccountCount(of: partner),
            yourSharing: levels(me), partnerSharing: partnerLevels,
            sameAccount: overlaps.count { $0.relation == OverlapRelation.same_account.rawValue },
            sameFamily: overlaps.count { $0.relation == OverlapRelation.same_family.rawValue },
            visibleTargets: overlaps.count {
                (partnerLevels[$0.accounts[theirs].population] ?? .hidden) >= .overlappingAccounts
            },
            youHaveProfile: try await store.idealCustomerProfile(of: me) != nil,
            partnerHasProfile: try await store.idealCustomerProfile(of: partner) != nil)
    }
}
