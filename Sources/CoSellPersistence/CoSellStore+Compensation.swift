import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

final class CompensationPlanRecord: Model, @unchecked Sendable {
    static let schema = "compensation_plans"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "credits") var credits: String
    @OptionalField(key: "note") var note: String?
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "recorded_at") var recordedAt: Date
    init() {}

    init(_ p: CompensationPlan) {
        id = UUID()
        partnershipID = p.partnershipID
        organizationID = p.organizationID
        credits = p.credits.rawValue
        note = p.note
        recordedBy = p.recordedBy
        recordedAt = p.recordedAt
    }

    /// Nil for a value of `credits` this build does not know (a row written by a newer version):
    /// read as not recorded.
    var value: CompensationPlan? {
        CompensationCredit(rawValue: credits).map {
            CompensationPlan(
                partnershipID: partnershipID, organizationID: organizationID, credits: $0, note: note,
                recordedBy: recordedBy, recordedAt: recordedAt)
        }
    }
}

extension CoSellStore {
    public func compensationPlans(of partnershipID: UUID) async throws -> [CompensationPlan] {
        try await CompensationPlanRecord.query(on: db).filter(\.$partnershipID == partnershipID).all()
            .compactMap(\.value)
    }

    /// Replaces what the plan's organization recorded for the plan's partnership. Callers run it in
    /// a transaction (the row is deleted, then inserted).
    public func saveCompensationPlan(_ plan: CompensationPlan) async throws {
        try await CompensationPlanRecord.query(on: db).filter(\.$partnershipID == plan.partnershipID)
            .filter(\.$organizationID == plan.organizationID).delete()
        try await CompensationPlanRecord(plan).create(on: db)
    }
}

extension FluentWorkflowStore {
    public func compensationPlans(of partnershipID: UUID) async throws -> [CompensationPlan] {
        try await store.compensationPlans(of: partnershipID)
    }

    public func saveCompensationPlan(_ plan: CompensationPlan) async throws {
        try await store.saveCompensationPlan(plan)
    }
}
