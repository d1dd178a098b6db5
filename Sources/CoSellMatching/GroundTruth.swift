import Foundation

/// Which company (entity) and family each synthetic record really belongs to.
public struct GroundTruth: Sendable {
    public var hostEntity: [String: Int32] = [:]
    public var hostFamily: [String: Int32] = [:]
    public var partnerEntity: [String: Int32] = [:]
    public var partnerFamily: [String: Int32] = [:]
    public init() {}

    /// Number of true same_account pairs (host record x partner record of one company).
    public var trueSameAccountPairs: Int {
        var partnerCounts: [Int32: Int] = [:]
        for (_, e) in partnerEntity { partnerCounts[e, default: 0] += 1 }
        var n = 0
        for (_, e) in hostEntity { n += partnerCounts[e] ?? 0 }
        return n
    }

    /// Truth as CSV (`side,id,entity,family`).
    public func csv() -> [UInt8] {
        var out: [UInt8] = Array("side,id,entity,family\n".utf8)
        for (id, e) in hostEntity.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: "host,\(id),\(e),\(hostFamily[id] ?? e)\n".utf8)
        }
        for (id, e) in partnerEntity.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: "partner,\(id),\(e),\(partnerFamily[id] ?? e)\n".utf8)
        }
        return out
    }

    public static func parse(csv data: Data) throws(AccountImportError) -> GroundTruth {
        var t = GroundTruth()
        for row in try CSV.parse(data).dropFirst() where row.count == 4 {
            guard let e = Int32(row[2]), let f = Int32(row[3]) else { continue }
            if row[0] == "host" {
                t.hostEntity[row[1]] = e
                t.hostFamily[row[1]] = f
            } else {
                t.partnerEntity[row[1]] = e
                t.partnerFamily[row[1]] = f
            }
        }
        return t
    }
}
