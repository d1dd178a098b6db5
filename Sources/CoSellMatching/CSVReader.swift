import Foundation

/// An error importing an account file, with the line it concerns (1-based, the header is line 1)
/// and a plain message, so a command line can print `HOST.csv line 17: expected 7 fields, found 6`.
public struct AccountImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case io, tooLarge, encoding, raggedRow, unterminatedQuote, emptyFile, missingColumn, badMapping
    }
    public var kind: Kind
    /// File name (last path component) when known.
    public var file: String?
    /// 1-based physical line number where the problem starts, if it concerns a line.
    public var line: Int?
    public var message: String

    public init(kind: Kind, file: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        let prefix = parts.joined(separator: " ")
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }

    func inFile(_ name: String?) -> AccountImportError {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }
}

/// Byte range of one field inside the file buffer. `escaped` means the field was quoted and contains
/// doubled quotes that must be collapsed before use.
struct FieldSpan {
    var start: Int
    var end: Int
    var escaped: Bool
}

/// Validates UTF-8 over the whole buffer. Returns the byte offset of the first invalid sequence, or nil.
func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = buf.baseAddress else { return nil }
    let n = buf.count
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i < n {
        // ASCII fast path, 8 bytes at a time.
        while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        if i >= n { break }
        let b0 = base[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        var need = 0
        var minCode: UInt32 = 0
        var code: UInt32 = 0
        if b0 & 0xE0 == 0xC0 {
            need = 1
            minCode = 0x80
            code = UInt32(b0 & 0x1F)
        } else if b0 & 0xF0 == 0xE0 {
            need = 2
            minCode = 0x800
            code = UInt32(b0 & 0x0F)
        } else if b0 & 0xF8 == 0xF0 {
            need = 3
            minCode = 0x10000
            code = UInt32(b0 & 0x07)
        } else {
            return i
        }
        var k = 1
        while k <= need {
            guard i + k < n else { return i }
            let b = base[i + k]
            if b & 0xC0 != 0x80 { return i }
            code = (code << 6) | UInt32(b & 0x3F)
            k += 1
        }
        if code < minCode || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) { return i }
        i += need + 1
    }
    return nil
}

/// Counts the 1-based line number of a byte offset.
func lineNumber(ofOffset offset: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int {
    var line = 1
    var i = 0
    while i < offset && i < buf.count {
        if buf[i] == 0x0A { line += 1 }
        i += 1
    }
    return line
}

/// RFC 4180 reader over a byte buffer: quoted fields with embedded commas, newlines and doubled quotes,
/// CRLF or LF line ends, an optional UTF-8 byte order mark. It does not copy: it yields field spans.
struct CSVCursor {
    let buf: UnsafeBufferPointer<UInt8>
    private(set) var pos: Int
    /// 1-based physical line of the next row to be read.
    private(set) var line: Int = 1

    /// Rows starting at or after `limit` are not read (chunked parsing).
    private(set) var limit: Int

    init(_ buf: UnsafeBufferPointer<UInt8>) {
        self.buf = buf
        var p = 0
        if buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { p = 3 }
        self.pos = p
        self.limit = buf.count
    }

    /// A cursor over `start..<limit` whose first row is on `line`.
    init(_ buf: UnsafeBufferPointer<UInt8>, start: Int, limit: Int, line: Int) {
        self.buf = buf
        self.pos = start
        self.limit = limit
        self.line = line
    }

    var atEnd: Bool { pos >= buf.count }

    /// Reads the next row into `fields`. Returns the starting line number, or nil at end of input.
    /// Blank lines (zero bytes before the newline) are skipped.
    mutating func nextRow(into fields: inout [FieldSpan]) throws(AccountImportError) -> Int? {
        var raw = RawBuffer<FieldSpan>(capacity: 32)
        defer { raw.free() }
        let line = try nextRow(into: &raw)
        fields.removeAll(keepingCapacity: true)
        for i in 0..<raw.count { fields.append(raw.base[i]) }
        return line
    }

    /// Reads the next row into `fields` (hot path).
    mutating func nextRow(into fields: inout RawBuffer<FieldSpan>) throws(AccountImportError) -> Int? {
        let n = buf.count
        guard let base = buf.baseAddress else { return nil }
        if pos >= limit { return nil }
        // Skip blank lines.
        while pos < n && (base[pos] == 0x0A || base[pos] == 0x0D) {
            if base[pos] == 0x0A { line += 1 }
            pos += 1
        }
        if pos >= n { return nil }
        fields.removeAll()
        let rowLine = line
        var p = pos
        while true {
            if p < n && base[p] == 0x22 {  // quoted field
                let start = p + 1
                var q = start
                var escaped = false
                while true {
                    if q >= n {
                        throw AccountImportError(
                            kind: .unterminatedQuote, line: rowLine,
                            message: "quoted field is never closed")
                    }
                    let c = base[q]
                    if c == 0x22 {
                        if q + 1 < n && base[q + 1] == 0x22 {
                            escaped = true
                            q += 2
                            continue
                        }
                        break
                    }
                    if c == 0x0A { line += 1 }
                    q += 1
                }
                fields.append(FieldSpan(start: start, end: q, escaped: escaped))
                p = q + 1
                // After a closing quote: comma, line end or end of input. Tolerate stray bytes up to the delimiter.
                while p < n && base[p] != 0x2C && base[p] != 0x0A && base[p] != 0x0D { p += 1 }
            } else {
                let start = p
                // Eight bytes at a time to the next comma or line end.
                let raw = UnsafeRawPointer(base)
                var found = false
                while p + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                    let m = byteMatches(w, 0x2C) | byteMatches(w, 0x0A) | byteMatches(w, 0x0D)
                    if m != 0 {
                        p += m.trailingZeroBitCount >> 3
                        found = true
                        break
                    }
                    p += 8
                }
                if !found {
                    while p < n {
                        let c = base[p]
                        if c == 0x2C || c == 0x0A || c == 0x0D { break }
                        p += 1
                    }
                }
                fields.append(FieldSpan(start: start, end: p, escaped: false))
            }
            if p >= n {
                pos = n
                return rowLine
            }
            let c = base[p]
            if c == 0x2C {
                p += 1
                continue
            }
            // Line end: CRLF, LF or lone CR.
            if c == 0x0D && p + 1 < n && base[p + 1] == 0x0A { p += 1 }
            p += 1
            line += 1
            pos = p
            return rowLine
        }
    }

    /// Copies a field's bytes into `out` (replacing its content), collapsing doubled quotes.
    @inline(__always)
    func copyField(_ f: FieldSpan, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard let base = buf.baseAddress else { return }
        if !f.escaped {
            out.append(contentsOf: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start))
            return
        }
        var i = f.start
        while i < f.end {
            let c = base[i]
            out.append(c)
            if c == 0x22 && i + 1 < f.end && base[i + 1] == 0x22 { i += 2 } else { i += 1 }
        }
    }
}

/// Parses a whole CSV buffer into rows of strings. Convenience for small files and tests; the
/// account loader uses `CSVCursor` directly.
public enum CSV {
    public static func parse(_ data: Data) throws(AccountImportError) -> [[String]] {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { (buf) throws(AccountImportError) -> [[String]] in
            if let bad = firstInvalidUTF8(buf) {
                throw AccountImportError(
                    kind: .encoding, line: lineNumber(ofOffset: bad, in: buf), message: "not valid UTF-8")
            }
            var cursor = CSVCursor(buf)
            var fields: [FieldSpan] = []
            var rows: [[String]] = []
            var scratch: [UInt8] = []
            while try cursor.nextRow(into: &fields) != nil {
                rows.append(
                    fields.map { f in
                        cursor.copyField(f, into: &scratch)
                        return String(decoding: scratch, as: UTF8.self)
                    })
            }
            return rows
        }
    }

    /// Quotes a field for output when needed.
    public static func escape(_ field: String) -> String {
        if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}

extension CSV {
    /// Counts data rows (excluding the header) of a file, validating structure only. For benchmarks.
    public static func countRows(path: String) throws(AccountImportError) -> Int {
        let bytes = try AccountTable.readFile(path: path, maxBytes: Int.max, fileName: path)
        return try bytes.withUnsafeBufferPointer { (buf) throws(AccountImportError) -> Int in
            var cursor = CSVCursor(buf)
            var fields: [FieldSpan] = []
            var n = -1
            while try cursor.nextRow(into: &fields) != nil { n += 1 }
            return n
        }
    }
}

/// Per-byte match mask (0x80 in each byte of `w` equal to `c`), exact (no false positives).
@inline(__always)
func byteMatches(_ w: UInt64, _ c: UInt8) -> UInt64 {
    let x = w ^ (UInt64(c) &* 0x0101_0101_0101_0101)
    let t = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
    return ~t & 0x8080_8080_8080_8080
}

/// Candidate row boundaries for splitting `buf[from...]` into about `parts` chunks: just after the first
/// line feed at or after each even split point. A line feed inside a quoted field is not a row
/// boundary; such a split is detected after parsing (the previous chunk does not end exactly at the
/// boundary) and the file is then parsed in one piece. Returns `from` first and `buf.count` last.
func chunkBoundaries(_ buf: UnsafeBufferPointer<UInt8>, from: Int, parts: Int) -> [Int] {
    let n = buf.count
    var result = [from]
    guard parts > 1, n - from > 1 << 16, let base = buf.baseAddress else {
        result.append(n)
        return result
    }
    for k in 1..<parts {
        var i = max(result.last!, from + (n - from) * k / parts)
        while i < n && base[i] != 0x0A { i += 1 }
        i += 1
        if i >= n { break }
        if i > result.last! { result.append(i) }
    }
    result.append(n)
    return result
}

/// Row boundaries that respect quoting: counts quotes from `from` (eight bytes at a time) so each
/// boundary is a line feed outside quoted fields. Used when the cheap `chunkBoundaries` guess fails.
func quoteAwareChunkBoundaries(_ buf: UnsafeBufferPointer<UInt8>, from: Int, parts: Int) -> [Int] {
    let n = buf.count
    var result = [from]
    guard parts > 1, n - from > 1 << 16, let base = buf.baseAddress else {
        result.append(n)
        return result
    }
    let raw = UnsafeRawPointer(base)
    var quotes = 0
    var i = from
    for k in 1..<parts {
        let target = from + (n - from) * k / parts
        if target <= i { continue }
        while i + 8 <= target {
            quotes += byteMatches(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x22).nonzeroBitCount
            i += 8
        }
        while i < target {
            if base[i] == 0x22 { quotes += 1 }
            i += 1
        }
        while i < n {
            let c = base[i]
            i += 1
            if c == 0x22 {
                quotes += 1
            } else if c == 0x0A && quotes & 1 == 0 {
                break
            }
        }
        if i >= n { break }
        result.append(i)
    }
    result.append(n)
    return result
}
