import FluentKit

/// A deal whose gate is met now owes one action, the advance (waiting on whoever met the gate's last
/// part), and moves entered without an owner belong to whoever entered the stage: every deal's facts
/// are written again so that the home page and `GET /api/v1/me/actions` list the advances of deals
/// saved before.
struct RebuildFactsWithAdvance: AsyncMigration {
    var name: String { "0018_rebuild_facts_with_advance" }

    func prepare(on db: any Database) async throws {
        try await CoSellStore(db: db).rebuildDealFacts()
    }

    /// Nothing to undo: the facts keep their format; an older build reads the advance as one more
    /// pending action it has no words for.
    func revert(on db: any Database) async throws {}
}
