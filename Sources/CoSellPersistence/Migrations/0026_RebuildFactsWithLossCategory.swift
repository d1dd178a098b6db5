import FluentKit

/// A lost deal's facts carry the category its loss was logged with, which its diagnosis starts
/// from: every deal's facts are written again (facts of the older format are read from the deals'
/// documents until then, so nothing is wrong meanwhile, only slower).
struct RebuildFactsWithLossCategory: AsyncMigration {
    var name: String { "0026_rebuild_facts_with_loss_category" }

    func prepare(on db: any Database) async throws {
        try await CoSellStore(db: db).rebuildDealFacts()
    }

    /// Nothing to undo: an older build reads the fifth part of an outcome as a format it does not
    /// know and reads the deal's document instead.
    func revert(on db: any Database) async throws {}
}
