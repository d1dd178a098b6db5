import Foundation

/// Optimal-string-alignment (Damerau-Levenshtein with adjacent transpositions) distance over bytes,
/// bounded: returns `maxDistance + 1` as soon as the distance must exceed `maxDistance`.
func boundedOSA(
    _ a: UnsafePointer<UInt8>, _ la: Int, _ b: UnsafePointer<UInt8>, _ lb: Int, maxDistance k: Int
) -> Int {
    if abs(la - lb) > k { return k + 1 }
    if la == 0 { return lb }
    if lb == 0 { return la }
    // Skip common prefix and suffix.
    var s = 0
    var ea = la
    var eb = lb
    while s < ea && s < eb && a[s] == b[s] { s += 1 }
    while ea > s && eb > s && a[ea - 1] == b[eb - 1] {
        ea -= 1
        eb -= 1
    }
    let n = ea - s
    let m = eb - s
    if n == 0 { return m <= k ? m : k + 1 }
    if m == 0 { return n <= k ? n : k + 1 }
    let pa = a + s
    let pb = b + s
    return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * (m + 1)) { buf -> Int in
        var prev2 = buf.baseAddress!
        var prev = prev2 + (m + 1)
        var cur = prev + (m + 1)
        for j in 0...m { prev[j] = Int32(j) }
        for i in 1...n {
            cur[0] = Int32(i)
            var rowMin = cur[0]
            let ca = pa[i - 1]
            for j in 1...m {
                let cb = pb[j - 1]
                let cost: Int32 = ca == cb ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && ca == pb[j - 2] && pa[i - 2] == cb {
                    v = min(v, prev2[j - 2] + 1)
                }
                cur[j] = v
                if v < rowMin { rowMin = v }
            }
            if Int(rowMin) > k { return k + 1 }
            let t = prev2
            prev2 = prev
            prev = cur
            cur = t
        }
        let d = Int(prev[m])
        return d <= k ? d : k + 1
    }
}

/// Similarity in 0...1 from the OSA distance relative to the longer string.
/// Returns 0 when the distance exceeds what `minimum` allows.
func nameSimilarity(
    _ a: UnsafePointer<UInt8>, _ la: Int, _ b: UnsafePointer<UInt8>, _ lb: Int, minimum: Double
) -> Double {
    let longest = max(la, lb)
    if longest == 0 { return 0 }
    let k = Int((1 - minimum) * Double(longest) + 1e-9)
    let d = boundedOSA(a, la, b, lb, maxDistance: k)
    if d > k { return 0 }
    return 1 - Double(d) / Double(longest)
}

public enum NameSimilarity {
    /// Similarity of two normalized name keys (1 = identical), OSA distance relative to the longer key.
    public static func score(_ a: String, _ b: String) -> Double {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        return x.withUnsafeBufferPointer { xb in
            y.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return x.isEmpty && y.isEmpty ? 1 : 0 }
                return nameSimilarity(xp, x.count, yp, y.count, minimum: 0)
            }
        }
    }
}

/// 0, 1, or 2 meaning "more than one edit" (substitution, insertion, deletion or adjacent
/// transposition), in linear time.
@inline(__always)
func oneEditDistance(_ a: UnsafePointer<UInt8>, _ la: Int, _ b: UnsafePointer<UInt8>, _ lb: Int) -> Int {
    if abs(la - lb) > 1 { return 2 }
    var s = 0
    let m = min(la, lb)
    while s < m && a[s] == b[s] { s += 1 }
    if s == la && s == lb { return 0 }
    var ea = la
    var eb = lb
    while ea > s && eb > s && a[ea - 1] == b[eb - 1] {
        ea -= 1
        eb -= 1
    }
    let ra = ea - s
    let rb = eb - s
    if ra <= 1 && rb <= 1 { return 1 }
    if ra == 2 && rb == 2 && a[s] == b[s + 1] && a[s + 1] == b[s] { return 1 }
    return 2
}
