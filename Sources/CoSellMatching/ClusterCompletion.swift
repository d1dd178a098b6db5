import Foundation

/// Several records of one company on each side: every host record paired with every partner record of
/// it, also when two of them were not compared directly. A company's records are the records that
/// `same_account` pairs link, one to the next (host "Hoechst Aktiengesellschaft" ~ partner "Hoechst
/// AG" ~ host "Hoechst Aktiengesellchaft" ~ partner "Hoechst Aktiengesellschaft AG"). A pair added this
/// way has the method `group`, and is scored as the weaker of its two records' best direct pairs, and
/// only where the two records do not contradict each other: another registrable domain on both sides,
/// or another country. A group of more than `maximumRecords` records is left as its direct pairs: a
/// chain that long is more likely to pass through one wrong pair than to be one company.
enum ClusterCompletion {
    static func complete(
        _ raw: inout [RawOverlap], context: PairContext, hostCount: Int, partnerCount: Int, maximumRecords: Int
    ) {
        // Union-find over host records (0..<hostCount) and partner records (hostCount...).
        // A plain buffer: the nested function below would otherwise check exclusive access to an array it
        // captures on every step.
        let parent = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, hostCount + partnerCount))
        parent.initialize(repeating: -1, count: hostCount + partnerCount)
        defer { parent.deallocate() }
        func find(_ x: Int32) -> Int32 {
            var r = x
            while parent[Int(r)] >= 0 { r = parent[Int(r)] }
            var y = x
            while parent[Int(y)] >= 0 {
                let next = parent[Int(y)]
                parent[Int(y)] = r
                y = next
            }
            return r
        }
        var linked = 0
        for o in raw where o.relation == 0 {
            let a = find(o.h)
            let b = find(Int32(hostCount) + o.p)
            if a != b {
                parent[Int(max(a, b))] = min(a, b)
                linked += 1
            }
        }
        if linked == 0 { return }
        // How many records each group has (at its root): a pair alone (two records) gains nothing, and
        // most groups are pairs, so only the larger ones are looked at further.
        var size = [Int32](repeating: 0, count: hostCount + partnerCount)
        var counted = [Bool](repeating: false, count: hostCount + partnerCount)
        for o in raw where o.relation == 0 {
            for side in 0..<2 {
                let node = side == 0 ? o.h : Int32(hostCount) + o.p
                if counted[Int(node)] { continue }
                counted[Int(node)] = true
                size[Int(find(node))] += 1
            }
        }
        // The larger groups' records, and each record's best score.
        var members: [Int32: [Int32]] = [:]
        var best: [Int32: Float] = [:]
        var existing = Set<UInt64>()
        for o in raw {
            let root = find(o.h)
            let groupSize = size[Int(root)]
            if groupSize <= 2 || groupSize > Int32(maximumRecords) { continue }
            existing.insert(UInt64(UInt32(o.h)) << 32 | UInt64(UInt32(o.p)))
            if o.relation != 0 { continue }
            for side in 0..<2 {
                let node = side == 0 ? o.h : Int32(hostCount) + o.p
                if let b = best[node] {
                    best[node] = max(b, o.score)
                } else {
                    best[node] = o.score
                    members[root, default: []].append(node)
                }
            }
        }
        var added: [RawOverlap] = []
        for (_, nodes) in members {
            let hosts = nodes.filter { $0 < Int32(hostCount) }
            let partners = nodes.filter { $0 >= Int32(hostCount) }.map { $0 - Int32(hostCount) }
            if hosts.count < 2 && partners.count < 2 { continue }
            for h in hosts {
                for p in partners where !existing.contains(UInt64(UInt32(h)) << 32 | UInt64(UInt32(p))) {
                    let hi = Int(h)
                    let pi = Int(p)
                    if context.countryRelation(hi, pi) == .conflict { continue }
                    if context.hr[hi].hasDomain && context.pr[pi].hasDomain && !context.sameDomain(hi, pi) { continue }
                    let score = min(best[h] ?? 0, best[Int32(hostCount) + p] ?? 0)
                    added.append(RawOverlap(h: h, p: p, relation: 0, method: 3, score: score))
                }
            }
        }
        raw.append(contentsOf: added)
    }
}
