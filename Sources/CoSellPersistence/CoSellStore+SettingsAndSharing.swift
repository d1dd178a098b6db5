import CoSellDomain
import CoSellMatching
import FluentKit
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

    public func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        if let r = try await SharingRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$organizationID == organizationID).filter(\.$population == population).first()
        {
            r.level = level.rawValue
            r.updatedAt = at
            try await r.update(on: db)
        } else {
            let r = SharingRecord()
            r.id = UUID()
            r.partnershipID = partnershipID
            r.organizationID = organizationID
            r.population = population
            r.level = level.rawValue
            r.updatedAt = at
            try await r.create(on: db)
        }
    }
}
