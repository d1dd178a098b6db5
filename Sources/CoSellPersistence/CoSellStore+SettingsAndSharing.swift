import CoSellDomain
import CoSellMatching
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    public func settings(of organizationID: UUID) async throws -> OrganizationSettings {
        guard let r = try await OrganizationSettingsRecord.find(organizationID, on: db) else { return .init() }
        return OrganizationSettings(
            idealCustomerProfile: try r.icp.map { try JSONColumn.decode(IdealCustomerProfile.self, from: $0) },
            populationRules: try r.populationRules.map { try JSONColumn.decode(PopulationRules.self, from: $0) })
    }

    public func saveSettings(_ s: OrganizationSettings, of organizationID: UUID, at: Date) async throws {
        let r = try await OrganizationSettingsRecord.find(organizationID, on: db) ?? OrganizationSettingsRecord()
        let isNew = r.id == nil
        r.id = organizationID
        r.icp = try s.idealCustomerProfile.map(JSONColumn.encode)
        r.populationRules = try s.populationRules.map(JSONColumn.encode)
        r.updatedAt = at
        if isNew { try await r.create(on: db) } else { try await r.update(on: db) }
    }

    /// Every population's sharing level for both organizations; unset ones are `hidden`.
    public func sharing(of partnership: Partnership) async throws -> [SharingSetting] {
        let rows = try await SharingRecord.query(on: db).filter(\.$partnershipID == partnership.id).all()
        var out: [SharingSetting] = []
        for org in partnership.organizationIDs {
            for pop in Population.allCases {
                let level =
                    rows.first { $0.organizationID == org && $0.population == pop.rawValue }
                    .flatMap { SharingLevel(rawValue: $0.level) } ?? .hidden
                out.append(SharingSetting(organizationID: org, population: pop.rawValue, level: level))
            }
        }
        return out
    }

    /// Sets one level in one statement (`INSERT … ON CONFLICT … DO UPDATE` on both engines): two first
    /// choices made at once cannot both insert.
    public func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        try await sqlDB.raw(
            """
            INSERT INTO partnership_sharing (id, partnership_id, organization_id, population, level, updated_at) \
            VALUES (\(bind: UUID()), \(bind: partnershipID), \(bind: organizationID), \(bind: population), \
            \(bind: level.rawValue), \(bind: at)) ON CONFLICT (partnership_id, organization_id, population) \
            DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at
            """
        ).run()
    }
}
