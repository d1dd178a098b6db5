import FluentKit

/// The facts format `f3` keeps each deal's pending next actions (`DealFacts.pendingActions`), which
/// the home page and `GET /api/v1/me/actions` read. Every facts row is written again in that format
/// (and each partnership's revision raised, so that running caches read them).
struct RebuildFactsWithActions: AsyncMigration {
    var name: String { "0016_rebuild_facts_with_actions" }

    func prepare(on db: any Database) async throws {
        try await CoSellStore(db: db).rebuildDealFacts()
    }

    /// Nothing to undo in the schema. The rows stay in `f3`; an older build does not read that
    /// marker and computes those deals' facts from their documents until it rebuilds them.
    func revert(on db: any Database) async throws {}
}
