import Foundation

/// One account as read and normalized, for persistence and display.
public struct AccountRecord: Sendable, Codable, Hashable {
    /// The CRM's own record id (or `line-N` when the file has no id column or the value is blank).
    public var id: String
    public var name: String
    public var website: String?
    /// Registrable domain / free-mail / none, from the website (or domain) column.
    public var domain: DomainResult
    /// Normalized name key used for matching.
    public var nameKey: String
    /// ISO 3166-1 alpha-2 code when recognised, else the lowercased value.
    public var country: String?
    public var industry: String?
    public var employees: Int?
    public var population: Population
    /// 1-based line in the file where the record starts.
    public var line: Int
    /// The postal address, as written (Salesforce: the billing address).
    public var street: String? = nil
    public var city: String? = nil
    public var state: String? = nil
    public var postalCode: String? = nil
}

/// Options for reading an account export.
public struct ImportOptions: Sendable, Hashable, Codable {
    /// Explicit field -> header mapping; overrides detection for the fields it names.
    public var mapping: ColumnMapping?
    /// Population rules; nil means the detected format's defaults.
    public var populationRules: PopulationRules?
    /// Files larger than this are refused before reading (default 1 GiB).
    public var maxBytes: Int

    public init(mapping: ColumnMapping? = nil, populationRules: PopulationRules? = nil, maxBytes: Int = 1 << 30) {
        self.mapping = mapping
        self.populationRules = populationRules
        self.maxBytes = maxBytes
    }
}

/// One normalized record inside an `AccountTable`: spans (offset << 16 | length) into the table's byte
/// arena, plus hashes and small fields.
struct Row {
    var id: UInt64 = 0
    var name: UInt64 = 0
    var key: UInt64 = 0
    var domain: UInt64 = 0
    var country: UInt64 = 0
    var industry: UInt64 = 0
    var website: UInt64 = 0
    var street: UInt64 = 0
    var city: UInt64 = 0
    var state: UInt64 = 0
    var postalCode: UInt64 = 0
    var keyHash: UInt64 = 0
    var domainHash: UInt64 = 0
    var employees: Int32 = -1
    var line: Int32 = 0
    var domainStatus: UInt8 = 0
    var population: UInt8 = 0
    /// 1 + index of the country code (bit index for `formRegions`), 0 if unknown.
    var countryIndex: UInt8 = 0
    /// Countries implied by the stripped legal form (CountryNormalizer bits), 0 = no signal.
    var formRegions: UInt64 = 0

    @inline(__always) var hasDomain: Bool { domainStatus == DomainStatus.domain.rawValue }
}

@inline(__always) func spanLength(_ s: UInt64) -> Int { Int(s & 0xFFFF) }
@inline(__always) func spanOffset(_ s: UInt64) -> Int { Int(s >> 16) }

/// Large working buffers: anonymous mappings with transparent huge pages requested (far fewer page
/// faults when a buffer of hundreds of megabytes is filled), small ones from malloc.
enum BigAlloc {
    static let threshold = 4 << 20

    static func allocate(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if bytes >= threshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                _ = madvise(p, bytes, 14)  // MADV_HUGEPAGE
                return p
            }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes), alignment: alignment)
    }

    static func free(_ p: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= threshold {
            munmap(p, bytes)
        } else {
            p.deallocate()
        }
    }
}

/// The raw bytes of one input file (huge-page backed when large), shared read-only by the chunk parsers.
final class ByteSource: @unchecked Sendable {
    private let buffer: RawBuffer<UInt8>
    let count: Int

    init(capacity: Int, fill: (UnsafeMutablePointer<UInt8>) -> Int) {
        var b = RawBuffer<UInt8>(capacity: capacity)
        let n = fill(b.tail(capacity))
        b.commit(n)
        buffer = b
        count = n
    }

    convenience init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count) { p in
            bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { p.update(from: b, count: $0.count) } }
            return bytes.count
        }
    }

    convenience init(_ data: Data) {
        self.init(capacity: data.count) { p in
            data.withUnsafeBytes {
                if let b = $0.baseAddress { p.update(from: b.assumingMemoryBound(to: UInt8.self), count: $0.count) }
            }
            return data.count
        }
    }

    deinit { buffer.free() }

    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: buffer.base, count: count))
    }
}

/// A growable buffer of trivial values with manual memory management (no copy-on-write checks).
struct RawBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = RawBuffer.allocate(self.capacity)
    }

    private static func allocate(_ n: Int) -> UnsafeMutablePointer<T> {
        BigAlloc.allocate(bytes: n * MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: n)
    }

    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity {
            var c = capacity * 2
            while c < count + extra { c *= 2 }
            let nb = RawBuffer.allocate(c)
            nb.moveInitialize(from: base, count: count)
            BigAlloc.free(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride)
            base = nb
            capacity = c
        }
    }

    @inline(__always) mutating func append(_ v: T) {
        reserve(1)
        (base + count).initialize(to: v)
        count += 1
    }

    /// Pointer to `n` writable slots at the end; call `commit(n)` after writing.
    @inline(__always) mutating func tail(_ n: Int) -> UnsafeMutablePointer<T> {
        reserve(n)
        return base + count
    }

    @inline(__always) mutating func commit(_ n: Int) { count += n }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) subscript(i: Int) -> T { base[i] }

    func free() { BigAlloc.free(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride) }
}

extension RawBuffer where T == UInt8 {
    /// Appends bytes and returns their span.
    @inline(__always) mutating func appendSpan(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let n = min(n, 0xFFFF)
        let off = count
        let t = tail(n)
        t.update(from: p, count: n)
        commit(n)
        return UInt64(off) << 16 | UInt64(n)
    }
}

/// A compact table of normalized accounts: one `Row` per record, all strings in one byte arena.
/// Immutable after loading; safe to share across threads.
public final class AccountTable: @unchecked Sendable {
    public let fileName: String?
    public let detection: FormatDetection
    /// Rows skipped because the name was blank.
    public let skippedBlankNames: Int

    let arena: UnsafeMutablePointer<UInt8>
    let arenaCount: Int
    let rows: UnsafeMutablePointer<Row>
    public let count: Int
    private let arenaBuffer: RawBuffer<UInt8>
    private let rowBuffer: RawBuffer<Row>

    init(fileName: String?, detection: FormatDetection, arena: RawBuffer<UInt8>, rows: RawBuffer<Row>, skipped: Int) {
        self.fileName = fileName
        self.detection = detection
        self.arena = arena.base
        self.arenaCount = arena.count
        self.rows = rows.base
        self.count = rows.count
        self.skippedBlankNames = skipped
        arenaBuffer = arena
        rowBuffer = rows
    }

    deinit {
        arenaBuffer.free()
        rowBuffer.free()
    }

    /// How many chunks the file was parsed in (0: a failed attempt placeholder).
    var chunkCount = 0

    static func empty(_ file: PreparedFile) -> AccountTable {
        AccountTable(
            fileName: file.fileName, detection: file.detection, arena: RawBuffer(capacity: 16),
            rows: RawBuffer(capacity: 16), skipped: 0)
    }

    /// Parses all chunks of one file in parallel; nil if any chunk fails or does not line up.
    static func parseChunksInParallel(_ file: PreparedFile, threads: Int) throws(AccountImportError) -> [ChunkResult]? {
        let count = file.boundaries.count - 1
        let results = Box<[ChunkResult?]>(Array(repeating: nil, count: count))
        let failed = Box<Bool>(false)
        let next = Box<Int>(0)
        let lock = NSLock()
        parallelFor(max(1, min(threads, count))) { _ in
            while true {
                lock.lock()
                let c = next.value
                next.value += 1
                lock.unlock()
                if c >= count { break }
                let r = try? file.parseChunk(c, tick: { _ in })
                lock.lock()
                if let r { results.value[c] = r } else { failed.value = true }
                lock.unlock()
            }
        }
        var ok = !failed.value
        for (c, r) in results.value.enumerated() where r?.endOffset != file.boundaries[c + 1] { ok = false }
        if !ok {
            for r in results.value { r?.free() }
            return nil
        }
        return results.value.map { $0! }
    }

    @inline(__always) func string(_ span: UInt64) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + spanOffset(span), count: spanLength(span)), as: UTF8.self)
    }

    @inline(__always) func optionalString(_ span: UInt64) -> String? {
        spanLength(span) == 0 ? nil : string(span)
    }

    public func id(at i: Int) -> String { string(rows[i].id) }
    public func populationAt(_ i: Int) -> Population { Population.fromCode(rows[i].population) }

    public func record(at i: Int) -> AccountRecord {
        let r = rows[i]
        let d: DomainResult
        switch DomainStatus(rawValue: r.domainStatus) ?? .none {
        case .none: d = .none
        case .domain: d = .domain(string(r.domain))
        case .freeMail: d = .freeMail(string(r.domain))
        }
        return AccountRecord(
            id: string(r.id), name: string(r.name), website: optionalString(r.website), domain: d,
            nameKey: string(r.key), country: optionalString(r.country), industry: optionalString(r.industry),
            employees: r.employees < 0 ? nil : Int(r.employees), population: Population.fromCode(r.population),
            line: Int(r.line), street: optionalString(r.street), city: optionalString(r.city),
            state: optionalString(r.state), postalCode: optionalString(r.postalCode))
    }

    /// All records as values (allocates strings; for persistence and small files).
    public var records: [AccountRecord] { (0..<count).map(record(at:)) }

    // MARK: Loading

    /// Reads and normalizes an account export file.
    public static func load(
        path: String, options: ImportOptions = ImportOptions(),
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> AccountTable {
        let name = (path as NSString).lastPathComponent
        let bytes = try readFile(path: path, maxBytes: options.maxBytes, fileName: name)
        return try load(source: bytes, fileName: name, options: options, progress: progress)
    }

    /// Reads and normalizes an account export held in memory.
    public static func load(
        data: Data, fileName: String? = nil, options: ImportOptions = ImportOptions(),
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> AccountTable {
        if data.count > options.maxBytes {
            throw AccountImportError(
                kind: .tooLarge, file: fileName,
                message: "file is \(data.count) bytes, more than the limit of \(options.maxBytes) bytes")
        }
        return try load(source: ByteSource(data), fileName: fileName, options: options, progress: progress)
    }

    /// Builds a table from values already in memory (tests, API uploads already parsed).
    public static func from(
        rows: [[AccountField: String]], options: ImportOptions = ImportOptions(), fileName: String? = nil
    ) throws(AccountImportError) -> AccountTable {
        let fields: [AccountField] = AccountField.allCases
        var csv = fields.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "\n"
        var o = options
        o.mapping = ColumnMapping(Dictionary(uniqueKeysWithValues: fields.map { ($0, $0.rawValue) }))
        if o.populationRules == nil { o.populationRules = .generic }
        for r in rows {
            csv += fields.map { CSV.escape(r[$0] ?? "") }.joined(separator: ",") + "\n"
        }
        return try load(bytes: Array(csv.utf8), fileName: fileName, options: o, progress: nil)
    }

    static func readFile(path: String, maxBytes: Int, fileName: String) throws(AccountImportError) -> ByteSource {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw AccountImportError(
                kind: .io, file: fileName, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 {
            throw AccountImportError(kind: .io, file: fileName, message: "cannot stat the file")
        }
        let size = Int(st.st_size)
        if size > maxBytes {
            throw AccountImportError(
                kind: .tooLarge, file: fileName,
                message: "file is \(size) bytes, more than the limit of \(maxBytes) bytes")
        }
        var failed = false
        let bytes = ByteSource(capacity: size) { buf in
            var got = 0
            while got < size {
                let r = read(fd, buf + got, size - got)
                if r <= 0 {
                    if r < 0 && errno == EINTR { continue }
                    break
                }
                got += r
            }
            if got != size { failed = true }
            return got
        }
        if failed { throw AccountImportError(kind: .io, file: fileName, message: "short read") }
        return bytes
    }

    static func load(
        bytes: [UInt8], fileName: String?, options: ImportOptions, progress: (@Sendable (Double) -> Void)?,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(AccountImportError) -> AccountTable {
        try load(source: ByteSource(bytes), fileName: fileName, options: options, progress: progress, threads: threads)
    }

    static func load(
        source bytes: ByteSource, fileName: String?, options: ImportOptions, progress: (@Sendable (Double) -> Void)?,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(AccountImportError) -> AccountTable {
        let file = try PreparedFile(
            bytes: bytes, fileName: fileName, options: options, parts: threads > 1 ? 2 * threads : 1)
        var perFile: (@Sendable (Int, Double) -> Void)? = nil
        if let progress { perFile = { (_: Int, f: Double) in progress(f) } }
        return try loadPrepared([file], threads: threads, progress: perFile)[0]
    }

    /// Parses several prepared files with one pool of threads over all their chunks.
    static func loadPrepared(
        _ files: [PreparedFile], threads: Int, progress: (@Sendable (Int, Double) -> Void)?, allowRetry: Bool = true
    ) throws(AccountImportError) -> [AccountTable] {
        if !allowRetry {
            // Second attempt with quote-aware boundaries: succeed only if every chunk lines up.
            return try files.map { (file) throws(AccountImportError) -> AccountTable in
                let parts = try parseChunksInParallel(file, threads: threads)
                guard let parts else { return AccountTable.empty(file) }
                let t = file.assemble(parts)
                t.chunkCount = parts.count
                return t
            }
        }
        var tasks: [(file: Int, chunk: Int)] = []
        for (f, file) in files.enumerated() {
            for c in 0..<(file.boundaries.count - 1) { tasks.append((f, c)) }
        }
        // Biggest chunks first for balance.
        tasks.sort {
            let a = files[$0.file].boundaries
            let b = files[$1.file].boundaries
            return a[$0.chunk + 1] - a[$0.chunk] > b[$1.chunk + 1] - b[$1.chunk]
        }
        let results = Box<[[ChunkResult?]]>(files.map { Array(repeating: nil, count: $0.boundaries.count - 1) })
        let failures = Box<[[AccountImportError?]]>(files.map { Array(repeating: nil, count: $0.boundaries.count - 1) })
        let done = Box<[Int]>(Array(repeating: 0, count: files.count))
        let next = Box<Int>(0)
        let lock = NSLock()
        let taskList = tasks
        parallelFor(max(1, min(threads, taskList.count))) { _ in
            while true {
                lock.lock()
                let t = next.value
                next.value += 1
                lock.unlock()
                if t >= taskList.count { break }
                let (f, c) = taskList[t]
                let file = files[f]
                let tick: (Int) -> Void = { delta in
                    lock.lock()
                    done.value[f] += delta
                    let fraction = Double(done.value[f]) / Double(max(1, file.bytes.count))
                    lock.unlock()
                    progress?(f, min(1, fraction))
                }
                do throws(AccountImportError) {
                    let r = try file.parseChunk(c, tick: tick)
                    lock.lock()
                    results.value[f][c] = r
                    lock.unlock()
                } catch {
                    lock.lock()
                    failures.value[f][c] = error
                    lock.unlock()
                }
            }
        }
        var tables: [AccountTable] = []
        for (f, file) in files.enumerated() {
            let chunks = results.value[f]
            var consistent = failures.value[f].allSatisfy { $0 == nil }
            for (c, r) in chunks.enumerated() where r?.endOffset != file.boundaries[c + 1] { consistent = false }
            if consistent {
                let t = file.assemble(chunks.map { $0! })
                t.chunkCount = chunks.count
                tables.append(t)
                progress?(f, 1)
                continue
            }
            for r in chunks { r?.free() }
            // A guessed boundary fell inside a quoted field: cut again counting quotes and retry in
            // parallel. A failure or mismatch then means a malformed file: parse it in one piece so the
            // error names the right line.
            // (A chunk that starts inside a quoted field usually fails, so failures are retried too.)
            if file.boundaries.count > 2 {
                let exact = file.withQuoteAwareBoundaries()
                if let t = try? loadPrepared([exact], threads: threads, progress: nil, allowRetry: false)[0],
                    t.chunkCount > 0
                {
                    tables.append(t)
                    progress?(f, 1)
                    continue
                }
            }
            let whole = file.singleChunk()
            do throws(AccountImportError) {
                let t = whole.assemble([try whole.parseChunk(0, tick: { _ in })])
                t.chunkCount = 1
                tables.append(t)
            } catch {
                throw error.inFile(file.fileName)
            }
            progress?(f, 1)
        }
        return tables
    }
}

/// One chunk's output.
struct ChunkResult {
    var arena: RawBuffer<UInt8>
    var rows: RawBuffer<Row>
    var skipped: Int
    var endOffset: Int
    /// Line the cursor was on at the end (lines are relative for all but the first chunk: 1 = its first row).
    var endLine: Int
    func free() {
        arena.free()
        rows.free()
    }
}

/// A file whose header has been read and whose body has been cut into chunks at row boundaries.
struct PreparedFile: @unchecked Sendable {
    let bytes: ByteSource
    let fileName: String?
    let detection: FormatDetection
    let expected: Int
    let columns: [Int]  // id, name, website, country, industry, employees, population
    let rules: CompiledPopulationRules
    var boundaries: [Int]
    /// Line of the first data row (after the header).
    let firstLine: Int

    init(bytes: ByteSource, fileName: String?, options: ImportOptions, parts: Int) throws(AccountImportError) {
        self.bytes = bytes
        self.fileName = fileName
        do throws(AccountImportError) {
            let prepared = try bytes.withUnsafeBufferPointer {
                (buf) throws(AccountImportError) -> (FormatDetection, Int, Int, Int) in
                var cursor = CSVCursor(buf)
                var fields: [FieldSpan] = []
                var scratch: [UInt8] = []
                // Validate the header's encoding here; chunks validate their own bytes.
                var headerEnd = 0
                while headerEnd < buf.count && buf[headerEnd] != 0x0A { headerEnd += 1 }
                if let bad = firstInvalidUTF8(UnsafeBufferPointer(rebasing: buf[0..<headerEnd])) {
                    throw AccountImportError(
                        kind: .encoding, line: lineNumber(ofOffset: bad, in: buf), message: "not valid UTF-8")
                }
                guard try cursor.nextRow(into: &fields) != nil else {
                    throw AccountImportError(kind: .emptyFile, line: 1, message: "the file is empty (no header row)")
                }
                if cursor.pos > headerEnd + 1,
                    let bad = firstInvalidUTF8(UnsafeBufferPointer(rebasing: buf[0..<cursor.pos]))
                {
                    throw AccountImportError(
                        kind: .encoding, line: lineNumber(ofOffset: bad, in: buf), message: "not valid UTF-8")
                }
                let header = fields.map { f -> String in
                    cursor.copyField(f, into: &scratch)
                    return String(decoding: scratch, as: UTF8.self)
                }
                let detection = try FormatDetector.detect(header: header, mapping: options.mapping)
                return (detection, header.count, cursor.pos, cursor.line)
            }
            detection = prepared.0
            expected = prepared.1
            firstLine = prepared.3
            boundaries = bytes.withUnsafeBufferPointer { chunkBoundaries($0, from: prepared.2, parts: parts) }
        } catch {
            throw error.inFile(fileName)
        }
        let d = detection
        columns = [
            AccountField.id, .name, .website, .country, .industry, .employees, .population, .street, .city, .state,
            .postalCode,
        ].map {
            d.columns[$0] ?? -1
        }
        rules = (options.populationRules ?? detection.detectedFormat.defaultPopulationRules).compiled()
    }

    func withQuoteAwareBoundaries() -> PreparedFile {
        var f = self
        f.boundaries = bytes.withUnsafeBufferPointer {
            quoteAwareChunkBoundaries($0, from: boundaries[0], parts: boundaries.count - 1)
        }
        return f
    }

    func singleChunk() -> PreparedFile {
        var f = self
        f.boundaries = [boundaries[0], bytes.count]
        return f
    }

    /// Concatenates chunk outputs into one table (spans are rebased into one arena).
    func assemble(_ chunks: [ChunkResult]) -> AccountTable {
        let totalBytes = chunks.reduce(0) { $0 + $1.arena.count }
        let totalRows = chunks.reduce(0) { $0 + $1.rows.count }
        if chunks.count == 1 {
            return AccountTable(
                fileName: fileName, detection: detection, arena: chunks[0].arena, rows: chunks[0].rows,
                skipped: chunks[0].skipped)
        }
        var arena = RawBuffer<UInt8>(capacity: totalBytes + 16)
        var rows = RawBuffer<Row>(capacity: totalRows + 1)
        var skipped = 0
        var lineOffset: Int32 = 0  // added to the relative lines of chunks after the first
        for (index, c) in chunks.enumerated() {
            let shift = UInt64(arena.count) << 16
            let lineShift: Int32 = index == 0 ? 0 : lineOffset
            _ = arena.appendSpan(c.arena.base, 0)
            let dst = arena.tail(c.arena.count)
            dst.update(from: c.arena.base, count: c.arena.count)
            arena.commit(c.arena.count)
            let rdst = rows.tail(c.rows.count)
            for i in 0..<c.rows.count {
                var r = c.rows.base[i]
                r.id &+= shift
                r.name &+= shift
                r.key &+= shift
                r.domain &+= shift
                r.country &+= shift
                r.industry &+= shift
                r.website &+= shift
                r.street &+= shift
                r.city &+= shift
                r.state &+= shift
                r.postalCode &+= shift
                r.line &+= lineShift
                (rdst + i).initialize(to: r)
            }
            rows.commit(c.rows.count)
            // The next chunk's relative line 1 is this chunk's (absolute) end line.
            lineOffset = Int32(clamping: c.endLine) + (index == 0 ? 0 : lineShift) - 1
            skipped += c.skipped
            c.free()
        }
        return AccountTable(fileName: fileName, detection: detection, arena: arena, rows: rows, skipped: skipped)
    }

    func parseChunk(_ chunk: Int, tick: (Int) -> Void) throws(AccountImportError) -> ChunkResult {
        let start = boundaries[chunk]
        let end = boundaries[chunk + 1]
        let firstLine = chunk == 0 ? self.firstLine : 1
        return try bytes.withUnsafeBufferPointer { (buf) throws(AccountImportError) -> ChunkResult in
            if let bad = firstInvalidUTF8(UnsafeBufferPointer(rebasing: buf[start..<end])) {
                var line = firstLine
                for i in start..<(start + bad) where buf[i] == 0x0A { line += 1 }
                throw AccountImportError(kind: .encoding, line: line, message: "not valid UTF-8")
            }
            return try parseRows(buf, start: start, end: end, firstLine: firstLine, tick: tick)
        }
    }

    private func parseRows(
        _ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, firstLine: Int, tick: (Int) -> Void
    ) throws(AccountImportError) -> ChunkResult {
        var cursor = CSVCursor(buf, start: start, limit: end, line: firstLine)
        var fields = RawBuffer<FieldSpan>(capacity: 64)
        defer { fields.free() }
        let cId = columns[0]
        let cName = columns[1]
        let cWeb = columns[2]
        let cCountry = columns[3]
        let cIndustry = columns[4]
        let cEmployees = columns[5]
        let cPop = columns[6]
        let cStreet = columns[7]
        let cCity = columns[8]
        let cState = columns[9]
        let cPostal = columns[10]
        let domains = DomainNormalizer.shared
        let names = NameNormalizer.shared
        let size = end - start
        var arena = RawBuffer<UInt8>(capacity: size + size / 2)
        var rows = RawBuffer<Row>(capacity: max(16, size / 64))
        let keyOut = UnsafeMutablePointer<UInt8>.allocate(capacity: NameNormalizer.outCapacity)
        let starts = UnsafeMutablePointer<Int32>.allocate(capacity: NameNormalizer.maxInput + 2)
        let domOut = UnsafeMutablePointer<UInt8>.allocate(capacity: DomainNormalizer.bufferCapacity)
        let domScratch = UnsafeMutablePointer<UInt8>.allocate(capacity: DomainNormalizer.bufferCapacity)
        let countryOut = UnsafeMutablePointer<UInt8>.allocate(capacity: CountryNormalizer.maxInput * 4 + 16)
        defer {
            keyOut.deallocate()
            starts.deallocate()
            domOut.deallocate()
            domScratch.deallocate()
            countryOut.deallocate()
        }
        var esc: [UInt8] = []
        esc.reserveCapacity(256)
        var lineText: [UInt8] = []
        let base = buf.baseAddress!
        var reported = start
        var skipped = 0
        var ok = false
        defer {
            if !ok {
                arena.free()
                rows.free()
            }
        }
        let expected = self.expected
        let rules = self.rules

        while true {
            guard let line = try cursor.nextRow(into: &fields) else { break }
            if fields.count != expected {
                throw AccountImportError(
                    kind: .raggedRow, line: line, message: "expected \(expected) fields, found \(fields.count)")
            }
            // Trimmed view of a field; escaped fields are unescaped into `esc` (valid until the next call).
            @inline(__always) func field(_ c: Int) -> (UnsafePointer<UInt8>, Int) {
                if c < 0 { return (base, 0) }
                let f = fields[c]
                var s = f.start
                var e = f.end
                if f.escaped {
                    cursor.copyField(f, into: &esc)
                    return esc.withUnsafeBufferPointer { eb in
                        var s2 = 0
                        var e2 = eb.count
                        while s2 < e2 && (eb[s2] == 0x20 || eb[s2] == 0x09) { s2 += 1 }
                        while e2 > s2 && (eb[e2 - 1] == 0x20 || eb[e2 - 1] == 0x09) { e2 -= 1 }
                        return (eb.baseAddress! + s2, e2 - s2)
                    }
                }
                while s < e && (base[s] == 0x20 || base[s] == 0x09) { s += 1 }
                while e > s && (base[e - 1] == 0x20 || base[e - 1] == 0x09) { e -= 1 }
                return (base + s, e - s)
            }
            let (np, nn) = field(cName)
            if nn == 0 {
                skipped += 1
                continue
            }
            var row = Row()
            row.name = arena.appendSpan(np, nn)
            let k = names.normalize(np, nn, out: keyOut, starts: starts)
            row.key = arena.appendSpan(keyOut + k.start, k.count)
            row.keyHash = hashBytes(keyOut + k.start, k.count)
            row.formRegions = k.regions
            let (ip, il) = field(cId)
            if il > 0 {
                row.id = arena.appendSpan(ip, il)
            } else {
                lineText = Array("line-\(line)".utf8)
                row.id = lineText.withUnsafeBufferPointer { arena.appendSpan($0.baseAddress!, $0.count) }
            }
            let (wp, wl) = field(cWeb)
            row.website = arena.appendSpan(wp, wl)
            let d = domains.normalize(wp, wl, out: domOut, scratch: domScratch)
            row.domainStatus = d.status.rawValue
            row.domain = arena.appendSpan(domOut, d.count)
            row.domainHash = d.status == .domain ? hashBytes(domOut, d.count) : 0
            let (cp, cl) = field(cCountry)
            var countryIndex = -1
            let cn = CountryNormalizer.normalize(cp, cl, out: countryOut, lastIndex: &countryIndex)
            row.country = arena.appendSpan(countryOut, cn)
            row.countryIndex = countryIndex >= 0 && countryIndex < 64 ? UInt8(countryIndex + 1) : 0
            let (dp, dl) = field(cIndustry)
            row.industry = arena.appendSpan(dp, dl)
            // Employees: first integer in the value (thousands separators tolerated).
            let (ep, el) = field(cEmployees)
            var value: Int64 = -1
            for j in 0..<el {
                let c = ep[j]
                if c >= 0x30 && c <= 0x39 {
                    value = (value < 0 ? 0 : value) &* 10 &+ Int64(c - 0x30)
                    if value > Int64(Int32.max) { value = Int64(Int32.max) }
                } else if c == 0x2C || c == 0x27 || c == 0x5F {
                    continue
                } else if value >= 0 {
                    break
                }
            }
            row.employees = Int32(value)
            let (pp, pl) = field(cPop)
            row.population = rules.classify(UnsafeBufferPointer(start: pp, count: pl))
            if cStreet >= 0 {
                let (sp, sl) = field(cStreet)
                row.street = arena.appendSpan(sp, sl)
            }
            if cCity >= 0 {
                let (tp, tl) = field(cCity)
                row.city = arena.appendSpan(tp, tl)
            }
            if cState >= 0 {
                let (rp, rl) = field(cState)
                row.state = arena.appendSpan(rp, rl)
            }
            if cPostal >= 0 {
                let (zp, zl) = field(cPostal)
                row.postalCode = arena.appendSpan(zp, zl)
            }
            row.line = Int32(clamping: line)
            rows.append(row)
            if cursor.pos - reported >= 1 << 22 {
                tick(cursor.pos - reported)
                reported = cursor.pos
            }
        }
        tick(cursor.pos - reported)
        ok = true
        return ChunkResult(arena: arena, rows: rows, skipped: skipped, endOffset: cursor.pos, endLine: cursor.line)
    }
}
