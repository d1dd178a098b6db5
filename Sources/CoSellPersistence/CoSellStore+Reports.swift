import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

extension CoSellStore {
    /// The deals of an organization's partnerships (optionally of one partnership, with one status),
    /// newest first, for the reports and the weekly review. Reads only each deal's stored document and
    /// version (no other column, no count) and decodes the documents on every core.
    public func reportDeals(
        visibleTo organizationID: UUID, partnershipID: UUID? = nil, status: DealStatus? = nil
    ) async throws -> [Deal] {
        guard let sql = db as? any SQLDatabase else {
            let filter = DealFilter(partnershipID: partnershipID, status: status, limit: 10_000_000, offset: 0)
            return try await deals(visibleTo: organizationID, filter: filter).items
        }
        var q = sql.select().column("document").column("version").from(DealRecord.schema)
            .where {
                $0.where("host_organization_id", .equal, organizationID)
                    .orWhere("partner_organization_id", .equal, organizationID)
            }
        if let partnershipID { q = q.where("partnership_id", .equal, partnershipID) }
        if let status { q = q.where("status", .equal, status.rawValue) }
        let rows = try await q.orderBy("created_at", .descending).orderBy("id").all()
        var documents: [(String, Int)] = []
        documents.reserveCapacity(rows.count)
        for row in rows {
            documents.append(
                (try row.decode(column: "document", as: String.self), try row.decode(column: "version", as: Int.self)))
        }
        return try await Self.decodeDeals(documents)
    }

    /// Decodes stored deal documents, in order, in as many slices as there are cores.
    static func decodeDeals(_ documents: [(String, Int)]) async throws -> [Deal] {
        let slices = documents.count < 2_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (documents.count + slices - 1) / max(1, slices)
        guard slices > 1 else { return try decodeSlice(documents[...]) }
        return try await withThrowingTaskGroup(of: (Int, [Deal]).self) { group in
            for s in 0..<slices {
                let start = s * size
                let end = min(documents.count, start + size)
                guard start < end else { continue }
                let slice = Array(documents[start..<end])
                group.addTask { (s, try decodeSlice(slice[...])) }
            }
            var parts: [[Deal]] = Array(repeating: [], count: slices)
            for try await (s, deals) in group { parts[s] = deals }
            return parts.flatMap { $0 }
        }
    }

    static func decodeSlice(_ documents: ArraySlice<(String, Int)>) throws -> [Deal] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        var out: [Deal] = []
        out.reserveCapacity(documents.count)
        for (text, version) in documents {
            var d = try decoder.decode(Deal.self, from: Data(text.utf8))
            d.version = version
            out.append(d)
        }
        return out
    }
}
