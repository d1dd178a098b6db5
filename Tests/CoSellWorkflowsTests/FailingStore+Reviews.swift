import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func weeklyReview(
        of partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date, page: (limit: Int, offset: Int)?
    ) async throws -> WeeklyReview {
        try await base.weeklyReview(of: partnership, week: week, viewer: viewer, now: now, page: page)
    }
    func saveReviewRecord(_ record: ReviewRecord) async throws -> ReviewRecord {
        try await base.saveReviewRecord(record)
    }
    func reviewRecord(partnershipID: UUID, week: ISOWeek) async throws -> ReviewRecord? {
        try await base.reviewRecord(partnershipID: partnershipID, week: week)
    }
    func openReviewDecisions(ofPartnerships ids: [UUID], from week: ISOWeek) async throws -> [UUID: [WeekDecision]] {
        try await base.openReviewDecisions(ofPartnerships: ids, from: week)
    }
    func reviewRecords(partnershipID: UUID, from week: ISOWeek) async throws -> [ReviewRecord] {
        try await base.reviewRecords(partnershipID: partnershipID, from: week)
    }
    func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates] {
        try await base.exchangeRateTables(organizationID: organizationID)
    }
    func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates? {
        try await base.exchangeRates(organizationID: organizationID, reportingCurrency: reportingCurrency)
    }
    func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws {
        try await base.replaceExchangeRates(table, organizationID: organizationID, at: at)
    }
    func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID?, status: DealStatus?
    ) async throws
        -> [DealFacts]
    {
        try await base.reportFacts(visibleTo: organizationID, partnershipID: partnershipID, status: status)
    }
    func playbookVersions(_ id: UUID) async throws -> [Playbook] { try await base.playbookVersions(id) }
    func insertPlaybook(_ playbook: Playbook) async throws { try await base.insertPlaybook(playbook) }
}
