import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

/// Keeps the searchable lesson library in step with deals' reviews. Lessons only add up (the engine
/// never edits or removes one), so a sync inserts the ones the library does not hold yet.
public enum LessonLibrary {
    public static func sync(_ deal: Deal, on db: any Database) async throws {
        let lessons = deal.evidence.close.review?.lessons ?? []
        guard !lessons.isEmpty else { return }
        let known = Set(try await LessonRecord.query(on: db).filter(\.$dealID == deal.id).all(\.$id))
        let missing = lessons.filter { !known.contains($0.id) }
        guard !missing.isEmpty else { return }
        let play = try await Self.play(of: deal, on: db)
        for l in missing { try await LessonRecord(l, deal: deal, play: play).create(on: db) }
    }

    /// The play of the deal's joint account, from each side's population of it (nil when a side's
    /// population is unknown).
    public static func play(of deal: Deal, on db: any Database) async throws -> String? {
        guard let account = try await JointAccountRecord.find(deal.jointAccountID, on: db)?.domainValue() else {
            return nil
        }
        return play(
            of: account, hostOrganizationID: deal.hostOrganizationID,
            partnerOrganizationID: deal.partnerOrganizationID)
    }

    public static func play(
        of account: JointAccount, hostOrganizationID: UUID, partnerOrganizationID: UUID
    )
        -> String?
    {
        func population(_ org: UUID) -> Population? {
            account.populations.first { $0.organizationID == org }.flatMap { Population(rawValue: $0.population) }
        }
        guard let host = population(hostOrganizationID), let partner = population(partnerOrganizationID) else {
            return nil
        }
        return Play.of(host: host, partner: partner).rawValue
    }
}
