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
            sources: [.path(hostPath), .path(partnerPath)], outputPath: outputPath, options: options, progress: progress
        )
    }

    /// The same from data in memory.
    public static func run(
        hostData: Data, partnerData: Data, hostName: String? = "host", partnerName: String? = "partner",
        outputPath: String?, options: MapOptions = MapOptions(), progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> MapResult {
        try runLoaded(
            sources: [.data(hostData, hostName), .data(partnerData, partnerName)], outputPath: outputPath,
            options: options, progress: progress)
    }

    enum Source: Sendable {
        case path(String)
        case data(Data, String?)
    }

    static func runLoaded(
        sources: [Source], outputPath: String?, options: MapOptions, progress: (@Sendable (Double) -> Void)?
    ) throws(AccountImportError) -> MapResult {
        let reporter = ProgressReporter(progress)
        let t0 = Date()
        let threads = max(1, options.match.threads)
        // Read and cut both files (concurrently), then parse all chunks of both with one pool.
        let prepared = Box<[PreparedFile?]>([nil, nil])
        let errors = Box<[AccountImportError?]>([nil, nil])
        let lock = NSLock()
        let importOptions = [options.host, options.partner]
        parallelFor(min(2, threads)) { i in
            for k in (threads <= 1 ? [0, 1] : [i]) {
                do throws(AccountImportError) {
                    let file: PreparedFile
                    switch sources[k] {
                    case .path(let path):
                        let name = (path as NSString).lastPathComponent
                        let bytes = try AccountTable.readFile(
                            path: path, maxBytes: importOptions[k].maxBytes, fileName: name)
                        file = try PreparedFile(
                            bytes: bytes, fileName: name, options: importOptions[k],
                            parts: threads > 1 ? 2 * threads : 1)
                    case .data(let data, let name):
                        if data.count > importOptions[k].maxBytes {
                            throw AccountImportError(
                                kind: .tooLarge, file: name,
                                message:
                                    "file is \(data.count) bytes, more than the limit of \(importOptions[k].maxBytes) bytes"
                            )
                        }
                        file = try PreparedFile(
                            bytes: ByteSource(data), fileName: name, options: importOptions[k],
                            parts: threads > 1 ? 2 * threads : 1)
                    }
                    lock.lock()
                    prepared.value[k] = file
                    lock.unlock()
                } catch {
                    lock.lock()
                    errors.value[k] = error
                    lock.unlock()
                }
            }
        }
        if let e = errors.value[0] ?? errors.value[1] { throw e }
        let tables = try AccountTable.loadPrepared(
            [prepared.value[0]!, prepared.value[1]!], threads: threads,
            progress: { f, v in reporter.set(part: f, value: v * 0.6) })
        prepared.value = [nil, nil]  // release the raw file bytes before matching
        let host = tables[0]
        let partner = tables[1]
        let t1 = Date()
        reporter.set(part: 0, value: 0.6)
        reporter.set(part: 1, value: 0.6)
        let (matchOnly, hostIndex, partnerIndex) = AccountMatcher.matchOnly(
            host: host, partner: partner, options: options.match)
        var match = matchOnly
        reporter.set(part: 0, value: 0.9)
        reporter.set(part: 1, value: 0.9)
        let t2 = Date()
        // Write the overlaps while the other core looks for duplicates within each file.
        let writeError = Box<AccountImportError?>(nil)
        let hostDuplicates = Box<[DuplicatePair]>([])
        let partnerDuplicates = Box<[DuplicatePair]>([])
        let matched = match
        let matchOptions = options.match
        let findDuplicates = options.findDuplicates
        let nextTask = Box<Int>(0)
        let taskLock = NSLock()
        parallelFor(threads > 1 ? 2 : 1) { _ in
            while true {
                taskLock.lock()
                let task = nextTask.value
                nextTask.value += 1
                taskLock.unlock()
                switch task {
                case 0:
                    guard let outputPath else { continue }
                    do throws(AccountImportError) {
                        try withOverlapsCSV(matched.overlaps, host: host, partner: partner) {
                            (b) throws(AccountImportError) in try writeAtomically(b, to: outputPath)
                        }
                    } catch {
                        writeError.value = error
                    }
                case 1:
                    if findDuplicates {
                        hostDuplicates.value = AccountMatcher.duplicates(
                            in: host, index: hostIndex, options: matchOptions)
                    }
                case 2:
                    if findDuplicates {
                        partnerDuplicates.value = AccountMatcher.duplicates(
                            in: partner, index: partnerIndex, options: matchOptions)
                    }
                default:
                    return
                }
            }
        }
        if let e = writeError.value { throw e }
        match.hostDuplicates = hostDuplicates.value
        match.partnerDuplicates = partnerDuplicates.value
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
        var playCounts = [Int](repeating: 0, count: Play.allCases.count)
        var same = 0
        var hostSeen = [Bool](repeating: false, count: host.count)
        var partnerSeen = [Bool](repeating: false, count: partner.count)
        var hc = 0
        var pc = 0
        for o in match.overlaps {
            let play = Play.of(
                host: host.populationAt(o.hostIndex), partner: partner.populationAt(o.partnerIndex),
                relation: o.relation)
            playCounts[play.index] += 1
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
        var plays: [Play: Int] = [:]
        for p in Play.allCases { plays[p] = playCounts[p.index] }
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
        // The body does not throw, so neither does the rendering.
        (try? withOverlapsCSV(overlaps, host: host, partner: partner) { Array($0) }) ?? []
    }

    /// Renders the overlaps file into a temporary buffer and passes it to `body`.
    static func withOverlapsCSV<R>(
        _ overlaps: [Overlap], host: AccountTable, partner: AccountTable,
        _ body: (UnsafeBufferPointer<UInt8>) throws(AccountImportError) -> R
    ) throws(AccountImportError) -> R {
        let header = Array(overlapsHeader.utf8) + [0x0A]
        let relations = OverlapRelation.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let methods = MatchMethod.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let pops = Population.allCases.map { Array($0.rawValue.utf8) + [0x2C] }
        let plays = Play.allCases.map { Array($0.rawValue.utf8) + [0x0A] }
        // Upper bound: ids may double when quoted, fixed parts are under 100 bytes.
        var capacity = header.count + 16
        for o in overlaps {
            capacity +=
                2 * spanLength(host.rows[o.hostIndex].id) + 2 * spanLength(partner.rows[o.partnerIndex].id) + 110
        }
        var outBuffer = RawBuffer<UInt8>(capacity: capacity)
        defer { outBuffer.free() }
        let out = outBuffer.tail(capacity)
        var n = 0
        @inline(__always) func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            (out + n).update(from: bytes.baseAddress!, count: bytes.count)
            n += bytes.count
        }
        @inline(__always) func putField(_ arena: UnsafeMutablePointer<UInt8>, _ span: UInt64) {
            let p = arena + spanOffset(span)
            let len = spanLength(span)
            var needsQuotes = false
            for i in 0..<len {
                let c = p[i]
                if c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D {
                    needsQuotes = true
                    break
                }
            }
            if !needsQuotes {
                (out + n).update(from: p, count: len)
                n += len
            } else {
                out[n] = 0x22
                n += 1
                for i in 0..<len {
                    if p[i] == 0x22 {
                        out[n] = 0x22
                        n += 1
                    }
                    out[n] = p[i]
                    n += 1
                }
                out[n] = 0x22
                n += 1
            }
            out[n] = 0x2C
            n += 1
        }
        header.withUnsafeBufferPointer { put($0) }
        let relationBufs = relations.map {
            UnsafeBufferPointer(start: UnsafeMutablePointer<UInt8>.allocate(capacity: $0.count), count: $0.count)
        }
        let methodBufs = methods.map {
            UnsafeBufferPointer(start: UnsafeMutablePointer<UInt8>.allocate(capacity: $0.count), count: $0.count)
        }
        let popBufs = pops.map {
            UnsafeBufferPointer(start: UnsafeMutablePointer<UInt8>.allocate(capacity: $0.count), count: $0.count)
        }
        let playBufs = plays.map {
            UnsafeBufferPointer(start: UnsafeMutablePointer<UInt8>.allocate(capacity: $0.count), count: $0.count)
        }
        for (bufs, arrays) in [(relationBufs, relations), (methodBufs, methods), (popBufs, pops), (playBufs, plays)] {
            for (b, a) in zip(bufs, arrays) {
                UnsafeMutablePointer(mutating: b.baseAddress!).update(from: a, count: a.count)
            }
        }
        defer { for b in relationBufs + methodBufs + popBufs + playBufs { b.baseAddress!.deallocate() } }
        for o in overlaps {
            let hrow = host.rows[o.hostIndex]
            let prow = partner.rows[o.partnerIndex]
            putField(host.arena, hrow.id)
            putField(partner.arena, prow.id)
            put(relationBufs[o.relation == .same_account ? 0 : 1])
            put(methodBufs[o.method == .domain ? 0 : (o.method == .name ? 1 : 2)])
            let milli = Int((min(1, max(0, o.score)) * 1000).rounded())
            out[n] = UInt8(0x30 + milli / 1000)
            out[n + 1] = 0x2E
            out[n + 2] = UInt8(0x30 + (milli / 100) % 10)
            out[n + 3] = UInt8(0x30 + (milli / 10) % 10)
            out[n + 4] = UInt8(0x30 + milli % 10)
            out[n + 5] = 0x2C
            n += 6
            put(popBufs[Int(hrow.population)])
            put(popBufs[Int(prow.population)])
            let play = Play.of(
                host: Population.fromCode(hrow.population), partner: Population.fromCode(prow.population),
                relation: o.relation)
            put(playBufs[play.index])
        }
        return try body(UnsafeBufferPointer(start: out, count: n))
    }

    static func writeAtomically(_ bytes: UnsafeBufferPointer<UInt8>, to path: String) throws(AccountImportError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 {
            throw AccountImportError(
                kind: .io, file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        var written = 0
        var ok = true
        while written < bytes.count {
            let r = write(fd, bytes.baseAddress! + written, bytes.count - written)
            if r < 0 {
                if errno == EINTR { continue }
                ok = false
                break
            }
            written += r
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
