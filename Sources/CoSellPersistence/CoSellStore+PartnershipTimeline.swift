import CoSellDomain
import FluentSQL
import Foundation

extension CoSellStore {
    /// Timeline entries of a partnership's deals within [from, to), of the given kinds when named.
    public func events(
        ofPartnership partnershipID: UUID, from: Date, to: Date, kinds: [String]? = nil
    )
        async throws -> [DealEvent]
    {
        // The event columns only, by the (partnership, time) index: no join, no deal read.
        let columns = [
            "id", "deal_id", "sequence", "at", "actor_id", "actor_name", "kind", "summary", "before", "after",
        ]
        var q = try sql.select()
        for c in columns { q = q.column(SQLColumn(c)) }
        q = q.from(DealEventRecord.schema).where("partnership_id", .equal, partnershipID)
            .where("at", .greaterThanOrEqual, from).where("at", .lessThan, to)
        if let kinds { q = q.where("kind", .in, kinds) }
        let rows = try await q.orderBy("at").orderBy("sequence").all()
        return try rows.map {
            DealEvent(
                id: try $0.decode(column: "id", as: UUID.self), dealID: try $0.decode(column: "deal_id", as: UUID.self),
                sequence: try $0.decode(column: "sequence", as: Int.self),
                at: try $0.decode(column: "at", as: Date.self),
                actorID: try $0.decode(column: "actor_id", as: UUID.self),
                actorName: try $0.decode(column: "actor_name", as: String.self),
                kind: try $0.decode(column: "kind", as: String.self),
                summary: try $0.decode(column: "summary", as: String.self),
                before: try $0.decode(column: "before", as: String?.self),
                after: try $0.decode(column: "after", as: String?.self))
        }
    }
}
