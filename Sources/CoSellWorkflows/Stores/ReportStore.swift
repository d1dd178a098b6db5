import CoSellDomain
import Foundation

/// What the reports read: the facts of the deals of an organization's partnerships.
public protocol ReportStore: Sendable {
    /// The facts of the deals of the organization's partnerships (optionally of one partnership,
    /// with one status), newest first; not yet narrowed to what one person may see.
    func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID?, status: DealStatus?
    ) async throws
        -> [DealFacts]
}
