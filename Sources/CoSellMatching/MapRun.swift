import Foundation

/// Options for `cosell map`.
public struct MapOptions: Sendable, Hashable, Codable {
    public var host: ImportOptions
    public var partner: ImportOptions
    public var match: MatchOptions
    /// Look for duplicate records inside each file (reported as counts and in `MapResult`).
    public var findDuplicates: Bool

    public init(
        host: ImportOptions = ImportOptions(), partner: ImportOptions = ImportOptions(),
        match: MatchOptions = MatchOptions(), findDuplicates: Bool = true
    ) {
        self.host = host
        self.partner = partner
        self.match = match
        self.findDuplicates = findDuplicates
    }
}

/// What `cosell map` prints.
public struct MapSummary: Sendable, Hashable, Codable {
    public var hostFile: String?
    public var partnerFile: String?
    public var hostFormat: CRMFormat
    public var partnerFormat: CRMFormat
    public var hostRecords: Int
    public var partnerRecords: Int
    /// Rows skipped because their name was blank.
    public var hostSkipped: Int
    public var partnerSkipped: Int
    /// Rows written to the overlaps file.
    public var overlaps: Int
    public var sameAccount: Int
    public var sameFamily: Int
    /// Distinct host / partner records in a same_account overlap.
    public var hostAccountsOverlapping: Int
    public var partnerAccountsOverlapping: Int
    /// Host populations x partner populations over same_account overlaps.
    public var matrix: PopulationMatrix
    /// The same over same_family overlaps.
    public var familyMatrix: PopulationMatrix
    public var plays: [Play: Int]
    public var hostDuplicatePairs: Int
    public var partnerDuplicatePairs: Int
    /// Wall-clock seconds per phase: read, match, write.
    public var seconds: [String: Double]

    /// Text for a terminal: counts, the population matrix, plays.
    public func renderText() -> String {
        var s = ""
        s += "host:    \(hostFile ?? "-") (\(hostFormat.rawValue)), \(hostRecords) accounts"
        s += hostSkipped > 0 ? ", \(hostSkipped) rows without a name skipped\n" : "\n"
        s += "partner: \(partnerFile ?? "-") (\(partnerFormat.rawValue)), \(partnerRecords) accounts"
        s += partnerSkipped > 0 ? ", \(partnerSkipped) rows without a name skipped\n" : "\n"
        s += "overlaps: \(overlaps) (\(sameAccount) same_account, \(sameFamily) same_family); "
        s += "\(hostAccountsOverlapping) host and \(partnerAccountsOverlapping) partner accounts overlap\n"
        s += "duplicates within files: host \(hostDuplicatePairs) pairs, partner \(partnerDuplicatePairs) pairs\n\n"
        s += matrix.renderText(title: "Population matrix (same_account overlaps)")
        if familyMatrix.total > 0 {
            s += "\n" + familyMatrix.renderText(title: "Population matrix (same_family overlaps)")
        }
        s += "\nPlays:\n"
        for p in Play.allCases {
            s += "  \(p.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(plays[p] ?? 0)\n"
        }
        return s
    }
}

/// Everything a run produced, for callers that want more than the summary (persistence, API).
public struct MapResult: Sendable {
    public var summary: MapSummary
    public var host: AccountTable
    public var partner: AccountTable
    public var match: MatchResult
}

/// The `cosell map HOST.csv PARTNER.csv --out overlaps.csv` run.
public enum AccountMapping {
    /// The overlaps file header, in this order.
    public static let overlapsHeader =
        "host_id,partner_id,relation,method,score,host_population,partner_population,play"

    /// Reads both files, matches, writes the overlaps CSV (atomically: temp file + rename) and returns
    /// the summary. `progress` receives fractions 0...1 (monotonic; may be called from worker threads).
    @discardableResult
    public static func run(
        hostPath: String, partnerPath: String, outputPath: String?, options: MapOptions = MapOptions(),
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> MapSummary {
        try runDetailed(
            hostPath: hostPath, partnerPath: partnerPath, outputPath: outputPath, options: options, progress: progress
        ).summary
    }

    public static func runDetailed(
        hostPath: String, partnerPath: String, outputPath: String?, options: MapOptions = MapOptions(),
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> MapResult {
        try runLoaded(
            load: { i, p throws(AccountImportError) in
                i == 0
                    ? try AccountTable.load(path: hostPath, options: options.host, progress: p)
                    : try AccountTable.load(path: partnerPath, options: options.partner, progress: p)
            }, outputPath: outputPath, options: options, progress: progress)
    }

    /// The same from data in memory.
    public static func run(
        hostData: Data, partnerData: Data, hostName: String? = "host", partnerName: String? = "partner",
        outputPath: String?, options: MapOptions = MapOptions(), progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> MapResult {
        try runLoaded(
            load: { i, p throws(AccountImportError) in
                i == 0
                    ? try AccountTable.load(data: hostData, fileName: hostName, options: options.host, progress: p)
                    : try AccountTable.load(
                        data: partnerData, fileName: partnerName, options: options.partner, progress: p)
            }, outputPath: outputPath, options: options, progress: progress)
    }

    static func runLoaded(
        load: @escaping @Sendable (Int, (@Sendable (Double) -> Void)?) throws(AccountImportError) -> AccountTable,
        outputPath: String?, options: MapOptions, progress: (@Sendable (Double) -> Void)?
    ) throws(AccountImportError) -> MapResult {
        let reporter = ProgressReporter(progress)
        let t0 = Date()
        let tables = Box<[AccountTable?]>([nil, nil])
        let errors = Box<[AccountImportError?]>([nil, nil])
        let lock = NSLock()
        parallelFor(min(2, max(1, options.match.threads))) { i in
            let indices = options.match.threads <= 1 ? [0, 1] : [i]
            for k in indices {
                do throws(AccountImportError) {
                    let t = try load(k) { f in reporter.set(part: k, value: f * 0.6) }
                    lock.lock()
                    tables.value[k] = t
                    lock.unlock()
                } catch {
                    lock.lock()
                    errors.value[k] = error
                    lock.unlock()
                }
            }
        }
        if let e = errors.value[0] ?? errors.value[1] { throw e }
        let host = tables.value[0]!
        let partner = tables.value[1]!
        let t1 = Date()
        reporter.set(part: 0, value: 0.6)
        reporter.set(part: 1, value: 0.6)
        let match = AccountMatcher.match(
            host: host, partner: partner, options: options.match, findDuplicates: options.findDuplicates)
        reporter.set(part: 0, value: 0.9)
        reporter.set(part: 1, value: 0.9)
        let t2 = Date()
        if let outputPath {
            let bytes = overlapsCSV(match.overlaps, host: host, partner: partner)
            try writeAtomically(bytes, to: outputPath)
        }
        let t3 = Date()
        reporter.set(part: 0, value: 1)
        reporter.set(part: 1, value: 1)
        var summary = summarize(match, host: host, partner: partner)
        summary.seconds = [
            "read": t1.timeIntervalSince(t0), "match": t2.timeIntervalSince(t1), "write": t3.timeIntervalSince(t2),
        ]
        return MapResult(summary: summary, host: host, partner: partner, match: match)
    }

    public static func summarize(_ match: MatchResult, host: AccountTable, partner: AccountTable) -> MapSummary {
        var plays: [Play: Int] = [:]
        var same = 0
        var hostSeen = [Bool](repeating: false, count: host.count)
        var partnerSeen = [Bool](repeating: false, count: partner.count)
        var hc = 0
        var pc = 0
        for o in match.overlaps {
            let play = Play.of(
                host: host.populationAt(o.hostIndex), partner: partner.populationAt(o.partnerIndex),
                relation: o.relation)
            plays[play, default: 0] += 1
            if o.relation == .same_account {
                same += 1
                if !hostSeen[o.hostIndex] {
                    hostSeen[o.hostIndex] = true
                    hc += 1
                }
                if !partnerSeen[o.partnerIndex] {
                    partnerSeen[o.partnerIndex] = true
                    pc += 1
                }
            }
        }
        return MapSummary(
            hostFile: host.fileName, partnerFile: partner.fileName, hostFormat: host.detection.format,
            partnerFormat: partner.detection.format, hostRecords: host.count, partnerRecords: partner.count,
            hostSkipped: host.skippedBlankNames, partnerSkipped: partner.skippedBlankNames,
            overlaps: match.overlaps.count, sameAccount: same, sameFamily: match.overlaps.count - same,
            hostAccountsOverlapping: hc, partnerAccountsOverlapping: pc,
            matrix: PopulationMatrix.from(match.overlaps, host: host, partner: partner, relation: .same_account),
            familyMatrix: PopulationMatrix.from(match.overlaps, host: host, partner: partner, relation: .same_family),
            plays: plays, hostDuplicatePairs: match.hostDuplicates.count,
            partnerDuplicatePairs: match.partnerDuplicates.count, seconds: [:])
    }

    /// The overlaps file content: header plus one row per overlap.
    public static func overlapsCSV(_ overlaps: [Overlap], host: AccountTable, partner: AccountTable) -> [UInt8] {
        var out = RawBuffer<UInt8>(capacity: overlaps.count * 100 + 256)
        defer { out.free() }
        func put(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { b in _ = out.appendSpan(b.baseAddress!, b.count) }
        }
        put(Array(overlapsHeader.utf8) + [0x0A])
        let relations = OverlapRelation.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let methods = MatchMethod.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let pops = Population.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let plays = Play.allCases.map { Array($0.rawValue.utf8) + [0x0A] }
        func appendField(_ arena: UnsafeMutablePointer<UInt8>, _ span: UInt64) {
            let p = arena + spanOffset(span)
            let n = spanLength(span)
            var needsQuotes = false
            for i in 0..<n {
                let c = p[i]
                if c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D {
                    needsQuotes = true
                    break
                }
            }
            if !needsQuotes {
                _ = out.appendSpan(p, n)
            } else {
                out.append(0x22)
                for i in 0..<n {
                    if p[i] == 0x22 { out.append(0x22) }
                    out.append(p[i])
                }
                out.append(0x22)
            }
            out.append(0x2C)
        }
        for o in overlaps {
            let hrow = host.rows[o.hostIndex]
            let prow = partner.rows[o.partnerIndex]
            appendField(host.arena, hrow.id)
            appendField(partner.arena, prow.id)
            put(relations[o.relation == .same_account ? 0 : 1])
            put(methods[o.method == .domain ? 0 : (o.method == .name ? 1 : 2)])
            let milli = Int((min(1, max(0, o.score)) * 1000).rounded())
            let t = out.tail(6)
            t[0] = UInt8(0x30 + milli / 1000)
            t[1] = 0x2E
            t[2] = UInt8(0x30 + (milli / 100) % 10)
            t[3] = UInt8(0x30 + (milli / 10) % 10)
            t[4] = UInt8(0x30 + milli % 10)
            t[5] = 0x2C
            out.commit(6)
            put(pops[Int(hrow.population)])
            put(pops[Int(prow.population)])
            let play = Play.of(
                host: Population.fromCode(hrow.population), partner: Population.fromCode(prow.population),
                relation: o.relation)
            put(plays[Play.allCases.firstIndex(of: play)!])
        }
        return Array(UnsafeBufferPointer(start: out.base, count: out.count))
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(AccountImportError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 {
            throw AccountImportError(
                kind: .io, file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let ok = bytes.withUnsafeBufferPointer { b -> Bool in
            while written < b.count {
                let r = write(fd, b.baseAddress! + written, b.count - written)
                if r < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += r
            }
            return true
        }
        close(fd)
        if !ok || rename(tmp, path) != 0 {
            unlink(tmp)
            throw AccountImportError(
                kind: .io, file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}

/// Combines per-file progress into one monotonic fraction.
final class ProgressReporter: @unchecked Sendable {
    private let callback: (@Sendable (Double) -> Void)?
    private var parts: [Double] = [0, 0]
    private var last = -1.0
    private let lock = NSLock()
    init(_ cb: (@Sendable (Double) -> Void)?) { callback = cb }
    func set(part: Int, value: Double) {
        guard let callback else { return }
        lock.lock()
        defer { lock.unlock() }
        parts[part] = max(parts[part], value)
        let v = min(1, (parts[0] + parts[1]) / 2)
        if v > last + 0.001 || (v >= 1 && last < 1) {
            last = v
            callback(v)
        }
    }
}
