import CoSellDomain
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
import Foundation

/// How `cosell review` prints the review.
public enum ReviewFormat: String, CaseIterable, Sendable {
    case markdown
    case json
}

extension CoSellRunner {
    /// `cosell review`: the weekly co-sell deal review of a partnership, with every deal of it (the
    /// command line is the operator's).
    public static func weeklyReview(
        _ database: DatabaseChoice, partnershipID: UUID, week: ISOWeek, format: ReviewFormat, now: Date = Date()
    ) async throws -> String {
        try await withPreparedApp(database) { _, store in
            guard let partnership = try await store.partnership(partnershipID) else {
                throw CoSellSetupError("--partnership: no partnership with the id \(partnershipID.uuidString).")
            }
            let loaded = try await WeeklyReviewLoader.load(
                store: store, partnership: partnership, week: week, viewer: nil, now: now)
            // The decisions carried from earlier reviews; no named accounts (each company's list is
            // read as that company: the command line is no company).
            let carried = try await Workflows(store: FluentWorkflowStore(store), clock: { now }).reviews
                .carriedDecisions(partnership, before: loaded.previousWeek, reading: week)
            let review = loaded.adding(namedAccounts: [], carriedDecisions: carried)
            switch format {
            case .markdown:
                return review.markdown()
            case .json:
                let compact = try APIJSON.encoder.encode(review)
                let pretty = try JSONSerialization.data(
                    withJSONObject: try JSONSerialization.jsonObject(with: compact),
                    options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                return String(decoding: pretty, as: UTF8.self) + "\n"
            }
        }
    }
}
