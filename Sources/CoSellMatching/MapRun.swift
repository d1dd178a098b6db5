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
        // Only the summary and the overlaps file leave this run: the rows keep what matching reads.
        try runLoaded(
            sources: [.path(hostPath), .path(partnerPath)], outputPath: outputPath, options: options,
            matchingFieldsOnly: true, progress: progress
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
        sources: [Source], outputPath: String?, options: MapOptions, matchingFieldsOnly: Bool = false,
        progress: (@Sendable (Double) -> Void)?
    ) throws(AccountImportError) -> MapResult {
        let reporter = ProgressReporter(progress)
        let t0 = Date()
        var clock = PhaseClock()
        let threads = max(1, options.match.threads)
        // Read and cut both files (concurrently), then parse all chunks of both with one pool.
        let prepared = Box<[PreparedFile?]>([nil, nil])
        let errors = Box<[AccountImportError?]>([nil, nil])
        let lock = NSLock()
        let importOptions = [options.host, options.partner]
        parallelFor(min(2, threads)) { i in
            for k in (threads <= 1 ? [0, 1] : [i]) {
                do throws(AccountImportError) {
                    var file: PreparedFile
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
                            bytes: ByteSource(sharing: data), fileName: name, options: importOptions[k],
                            parts: threads > 1 ? 2 * threads : 1)
                    }
                    file.matchingFieldsOnly = matchingFieldsOnly
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
        clock.mark("open, header, chunks")
        let tables = try AccountTable.loadPrepared(
            [prepared.value[0]!, prepared.value[1]!], threads: threads,
            progress: { f, v in reporter.set(part: f, value: v * 0.6) })
        prepared.value = [nil, nil]  // release the raw file bytes before matching
        let host = tables[0]
        let partner = tables[1]
        let t1 = Date()
        clock.mark("parse, assemble")
        reporter.set(part: 0, value: 0.6)
        reporter.set(part: 1, value: 0.6)
        let (matchOnly, hostIndex, partnerIndex) = AccountMatcher.matchOnly(
            host: host, partner: partner, options: options.match)
        var match = matchOnly
        clock.mark("match")
        reporter.set(part: 0, value: 0.9)
        reporter.set(part: 1, value: 0.9)
        let t2 = Date()
        // Write the overlaps while the other cores sum up and look for duplicates within each file, in
        // parts small enough that no core waits long for the others at the end.
        let writeError = Box<AccountImportError?>(nil)
        let tailThreads = min(threads, 8)
        let parts = tailThreads > 1 ? 4 * tailThreads : 1
        let duplicateParts = Box<[[DuplicatePair]]>(Array(repeating: [], count: 2 * parts))
        let summed = Box<MapSummary?>(nil)
        let partsLock = NSLock()
        let matched = match
        let matchOptions = options.match
        let findDuplicates = options.findDuplicates
        forEachTask(findDuplicates ? 2 + 2 * parts : 2, threads: tailThreads) { task in
            switch task {
            case 0:
                guard let outputPath else { return }
                do throws(AccountImportError) {
                    try withOverlapsCSV(matched.overlaps, host: host, partner: partner) {
                        (b) throws(AccountImportError) in try writeAtomically(b, to: outputPath)
                    }
                } catch {
                    writeError.value = error
                }
            case 1:
                let s = summarize(matched, host: host, partner: partner)
                partsLock.withLock { summed.value = s }
            default:
                let part = task - 2
                let (table, index) = part < parts ? (host, hostIndex) : (partner, partnerIndex)
                let k = part % parts
                let records = (table.count * k / parts)..<(table.count * (k + 1) / parts)
                let pairs = AccountMatcher.duplicatePairs(
                    in: table, index: index, options: matchOptions, records: records)
                partsLock.withLock { duplicateParts.value[part] = pairs }
            }
        }
        if let e = writeError.value { throw e }
        match.hostDuplicates = AccountMatcher.inOrder(duplicateParts.value[..<parts].flatMap { $0 })
        match.partnerDuplicates = AccountMatcher.inOrder(duplicateParts.value[parts...].flatMap { $0 })
        let t3 = Date()
        reporter.set(part: 0, value: 1)
        reporter.set(part: 1, value: 1)
        var summary = summed.value!
        summary.hostDuplicatePairs = match.hostDuplicates.count
        summary.partnerDuplicatePairs = match.partnerDuplicates.count
        clock.mark("write, summary, duplicates")
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
}
