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
    var keyHash: UInt64 = 0
    var domainHash: UInt64 = 0
    var employees: Int32 = -1
    var line: Int32 = 0
    var domainStatus: UInt8 = 0
    var population: UInt8 = 0

    @inline(__always) var hasDomain: Bool { domainStatus == DomainStatus.domain.rawValue }
}

@inline(__always) func spanLength(_ s: UInt64) -> Int { Int(s & 0xFFFF) }
@inline(__always) func spanOffset(_ s: UInt64) -> Int { Int(s >> 16) }

/// A growable buffer of trivial values with manual memory management (no copy-on-write checks).
struct RawBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = UnsafeMutablePointer<T>.allocate(capacity: self.capacity)
    }

    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity {
            var c = capacity * 2
            while c < count + extra { c *= 2 }
            let nb = UnsafeMutablePointer<T>.allocate(capacity: c)
            nb.moveInitialize(from: base, count: count)
            base.deallocate()
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

    func free() { base.deallocate() }
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

    init(fileName: String?, detection: FormatDetection, arena: RawBuffer<UInt8>, rows: RawBuffer<Row>, skipped: Int) {
        self.fileName = fileName
        self.detection = detection
        self.arena = arena.base
        self.arenaCount = arena.count
        self.rows = rows.base
        self.count = rows.count
        self.skippedBlankNames = skipped
    }

    deinit {
        arena.deallocate()
        rows.deallocate()
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
            line: Int(r.line))
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
        return try load(bytes: bytes, fileName: name, options: options, progress: progress)
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
        return try load(bytes: [UInt8](data), fileName: fileName, options: options, progress: progress)
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

    static func readFile(path: String, maxBytes: Int, fileName: String) throws(AccountImportError) -> [UInt8] {
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
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            var got = 0
            while got < size {
                let r = read(fd, buf.baseAddress! + got, size - got)
                if r <= 0 {
                    if r < 0 && errno == EINTR { continue }
                    break
                }
                got += r
            }
            if got != size { failed = true }
            initialized = got
        }
        if failed { throw AccountImportError(kind: .io, file: fileName, message: "short read") }
        return bytes
    }

    static func load(
        bytes: [UInt8], fileName: String?, options: ImportOptions, progress: (@Sendable (Double) -> Void)?
    ) throws(AccountImportError) -> AccountTable {
        do {
            return try bytes.withUnsafeBufferPointer { (buf) throws(AccountImportError) -> AccountTable in
                try parse(buf, fileName: fileName, options: options, progress: progress)
            }
        } catch {
            throw error.inFile(fileName)
        }
    }

    static func parse(
        _ buf: UnsafeBufferPointer<UInt8>, fileName: String?, options: ImportOptions,
        progress: (@Sendable (Double) -> Void)?
    ) throws(AccountImportError) -> AccountTable {
        if let bad = firstInvalidUTF8(buf) {
            throw AccountImportError(
                kind: .encoding, line: lineNumber(ofOffset: bad, in: buf), message: "not valid UTF-8")
        }
        var cursor = CSVCursor(buf)
        var fields: [FieldSpan] = []
        fields.reserveCapacity(64)
        var scratch: [UInt8] = []
        guard try cursor.nextRow(into: &fields) != nil else {
            throw AccountImportError(kind: .emptyFile, line: 1, message: "the file is empty (no header row)")
        }
        let header = fields.map { f -> String in
            cursor.copyField(f, into: &scratch)
            return String(decoding: scratch, as: UTF8.self)
        }
        let detection = try FormatDetector.detect(header: header, mapping: options.mapping)
        let expected = header.count
        let col = { (f: AccountField) -> Int in detection.columns[f] ?? -1 }
        let cId = col(.id)
        let cName = col(.name)
        let cWeb = col(.website)
        let cCountry = col(.country)
        let cIndustry = col(.industry)
        let cEmployees = col(.employees)
        let cPop = col(.population)
        let rules = (options.populationRules ?? detection.detectedFormat.defaultPopulationRules).compiled()
        let domains = DomainNormalizer.shared
        let names = NameNormalizer.shared

        let estRows = max(16, buf.count / 64)
        var arena = RawBuffer<UInt8>(capacity: buf.count + buf.count / 2)
        var rows = RawBuffer<Row>(capacity: estRows)
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
        var nextProgress = 1 << 22
        var skipped = 0
        var ok = false
        defer {
            if !ok {
                arena.free()
                rows.free()
            }
        }

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
            let cn = CountryNormalizer.normalize(cp, cl, out: countryOut)
            row.country = arena.appendSpan(countryOut, cn)
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
            row.line = Int32(clamping: line)
            rows.append(row)
            if let progress, cursor.pos >= nextProgress {
                nextProgress = cursor.pos + (1 << 22)
                progress(Double(cursor.pos) / Double(max(1, buf.count)))
            }
        }
        ok = true
        progress?(1)
        return AccountTable(fileName: fileName, detection: detection, arena: arena, rows: rows, skipped: skipped)
    }
}
