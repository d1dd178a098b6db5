import Foundation

/// One chunk's output.
struct ChunkResult {
    var arena: RawBuffer<UInt8>
    var rows: RawBuffer<Row>
    var skipped: Int
    var endOffset: Int
    /// Line the cursor was on at the end (lines are relative for all but the first chunk: 1 = its first row).
    var endLine: Int
    /// A row without an id was given one from its line ("line-N"), counted from the chunk's start.
    var madeUpIds = false
    func free() {
        arena.free()
        rows.free()
    }
}

/// One allocation for a file's normalized text and one for its rows, cut into a window per chunk, so
/// that the chunks are parsed where the table will keep them: no second buffer to fill and copy into
/// (`PreparedFile.assemble(_:in:)`). A window is sized as `parseRows` sizes a chunk's own buffers; a
/// chunk that outgrows one moves into buffers of its own, and the table is then assembled by copying.
struct ChunkWindows: @unchecked Sendable {
    let arena: UnsafeMutablePointer<UInt8>
    let arenaCapacity: Int
    let rows: UnsafeMutablePointer<Row>
    let rowsCapacity: Int
    /// Where each chunk's window starts, in bytes of the arena and in rows.
    let arenaStarts: [Int]
    let rowStarts: [Int]

    /// Windows for the chunks of `file`, or nil when their total could pass what a row's 32-bit offsets
    /// address (the chunks then have buffers of their own, as before).
    init?(_ file: PreparedFile) {
        var arenaStarts: [Int] = []
        var rowStarts: [Int] = []
        var a = 0
        var r = 0
        for c in 0..<(file.boundaries.count - 1) {
            let size = file.boundaries[c + 1] - file.boundaries[c]
            arenaStarts.append(a)
            rowStarts.append(r)
            a += (PreparedFile.arenaCapacity(forChunkBytes: size) + 63) & ~63
            r += PreparedFile.rowsCapacity(forChunkBytes: size)
        }
        if a + 16 > Row.maxArenaBytes - (1 << 20) { return nil }
        arenaCapacity = a + 16
        rowsCapacity = r + 1
        arena = RawBuffer<UInt8>.allocateWindows(arenaCapacity)
        rows = RawBuffer<Row>.allocateWindows(rowsCapacity)
        self.arenaStarts = arenaStarts
        self.rowStarts = rowStarts
    }

    func arenaWindow(_ c: Int) -> RawBuffer<UInt8> {
        let end = c + 1 < arenaStarts.count ? arenaStarts[c + 1] : arenaCapacity - 16
        return RawBuffer(window: arena + arenaStarts[c], capacity: end - arenaStarts[c])
    }

    func rowsWindow(_ c: Int) -> RawBuffer<Row> {
        let end = c + 1 < rowStarts.count ? rowStarts[c + 1] : rowsCapacity - 1
        return RawBuffer(window: rows + rowStarts[c], capacity: end - rowStarts[c])
    }

    /// Whether chunk `c`'s result is still in its windows.
    func holds(_ result: ChunkResult, chunk c: Int) -> Bool {
        result.arena.base == arena + arenaStarts[c] && result.rows.base == rows + rowStarts[c]
    }

    func free() {
        RawBuffer<UInt8>.freeWindows(arena, count: arenaCapacity)
        RawBuffer<Row>.freeWindows(rows, count: rowsCapacity)
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
    /// Keep only what matching reads: the id, the keys, the domain, the country, the employees and the
    /// population. The name, website, industry and address as written are left out of the rows (empty),
    /// for a run that returns only its summary and overlaps (`AccountMapping.run(hostPath:...)`).
    var matchingFieldsOnly = false

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

    /// A file whose normalized text passes what a `Row` can address (4 GiB).
    static func arenaTooLarge(_ fileName: String?) -> AccountImportError {
        AccountImportError(
            kind: .tooLarge, file: fileName,
            message: "the file's text is more than 4 GiB once normalized; split it into smaller files")
    }

    /// What `parseRows` reserves for a chunk of `size` bytes: text half again as large (keys and
    /// domains are written beside the names), and a row per 64 bytes.
    static func arenaCapacity(forChunkBytes size: Int) -> Int { max(16, size + size / 2) }
    static func rowsCapacity(forChunkBytes size: Int) -> Int { max(16, size / 64) }

    /// The table of chunks parsed into `windows`: when every chunk stayed in its windows, the rows are
    /// moved together in place (offsets and lines made absolute) and the text stays where it was
    /// written, gaps between chunks and all. Otherwise the chunks are copied (`assemble(_:)`) and the
    /// windows freed.
    func assemble(_ chunks: [ChunkResult], in windows: ChunkWindows) throws(AccountImportError) -> AccountTable {
        guard chunks.indices.allSatisfy({ windows.holds(chunks[$0], chunk: $0) }) else {
            defer { windows.free() }
            return try assemble(chunks)
        }
        var total = 0
        var skipped = 0
        var lineOffset: Int32 = 0
        for (index, c) in chunks.enumerated() {
            let shift = UInt32(windows.arenaStarts[index])
            let lineShift: Int32 = index == 0 ? 0 : lineOffset
            let from = windows.rows + windows.rowStarts[index]
            // `total` never passes the window's start: moving down in order overwrites only rows read.
            for i in 0..<c.rows.count {
                var r = from[i]
                r.rebase(by: shift)
                r.line &+= lineShift
                windows.rows[total + i] = r
            }
            total += c.rows.count
            lineOffset = Int32(clamping: c.endLine) + (index == 0 ? 0 : lineShift) - 1
            skipped += c.skipped
        }
        let last = chunks.count - 1
        let arenaCount = last >= 0 ? windows.arenaStarts[last] + chunks[last].arena.count : 0
        let table = AccountTable(
            fileName: fileName, detection: detection,
            arena: RawBuffer(adopting: windows.arena, count: arenaCount, capacity: windows.arenaCapacity),
            rows: RawBuffer(adopting: windows.rows, count: total, capacity: windows.rowsCapacity), skipped: skipped)
        table.assembledInPlace = true
        return table
    }

    /// Concatenates chunk outputs into one table (spans are rebased into one arena).
    func assemble(_ chunks: [ChunkResult]) throws(AccountImportError) -> AccountTable {
        let totalBytes = chunks.reduce(0) { $0 + $1.arena.count }
        let totalRows = chunks.reduce(0) { $0 + $1.rows.count }
        if totalBytes + 16 > Row.maxArenaBytes {
            for c in chunks { c.free() }
            throw Self.arenaTooLarge(fileName)
        }
        // One chunk's buffers become the table's, when they are its own (not windows freed after this).
        if chunks.count == 1 && chunks[0].arena.owned && chunks[0].rows.owned {
            return AccountTable(
                fileName: fileName, detection: detection, arena: chunks[0].arena, rows: chunks[0].rows,
                skipped: chunks[0].skipped)
        }
        var arena = RawBuffer<UInt8>(capacity: totalBytes + 16)
        var rows = RawBuffer<Row>(capacity: totalRows + 1)
        var skipped = 0
        var lineOffset: Int32 = 0  // added to the relative lines of chunks after the first
        for (index, c) in chunks.enumerated() {
            let shift = UInt32(arena.count)
            let lineShift: Int32 = index == 0 ? 0 : lineOffset
            _ = arena.appendSpan(c.arena.base, 0)
            let dst = arena.tail(c.arena.count)
            dst.update(from: c.arena.base, count: c.arena.count)
            arena.commit(c.arena.count)
            let rdst = rows.tail(c.rows.count)
            for i in 0..<c.rows.count {
                var r = c.rows.base[i]
                r.rebase(by: shift)
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

    /// Chunks after the first count their lines from 1, and a made-up id ("line-N") must name the line
    /// of the file: chunks that made one up are parsed again (in parallel) once the lines before them
    /// are known. Nothing is parsed again for a file whose rows all have an id.
    func withFileLineIds(
        _ chunks: [ChunkResult], windows: ChunkWindows?, threads: Int
    ) throws(AccountImportError)
        -> [ChunkResult]
    {
        var shifts: [Int] = []
        var shift = 0
        for (c, r) in chunks.enumerated() {
            shifts.append(shift)
            shift = r.endLine + (c == 0 ? 0 : shift) - 1
        }
        let again = chunks.indices.filter { $0 > 0 && chunks[$0].madeUpIds }
        if again.isEmpty { return chunks }
        for c in again { chunks[c].free() }
        let results = Box<[Result<ChunkResult, AccountImportError>?]>(Array(repeating: nil, count: again.count))
        let lock = NSLock()
        let file = self
        let lineShifts = shifts
        forEachTask(again.count, threads: threads) { i in
            let c = again[i]
            let r = Result { () throws(AccountImportError) -> ChunkResult in
                try file.parseChunk(c, windows: windows, lineBase: lineShifts[c], tick: { _ in })
            }
            lock.lock()
            results.value[i] = r
            lock.unlock()
        }
        var out = chunks
        var failure: AccountImportError? = nil
        for (i, c) in again.enumerated() {
            switch results.value[i]! {
            case .success(let r): out[c] = r
            case .failure(let e): failure = failure ?? e
            }
        }
        if let failure {
            // What was parsed goes: the chunks not parsed again, and those parsed again that succeeded.
            for (c, r) in out.enumerated() {
                if let i = again.firstIndex(of: c), case .failure = results.value[i]! { continue }
                r.free()
            }
            throw failure
        }
        return out
    }

    func parseChunk(
        _ chunk: Int, windows: ChunkWindows? = nil, lineBase: Int = 0, tick: (Int) -> Void
    ) throws(AccountImportError) -> ChunkResult {
        let start = boundaries[chunk]
        let end = boundaries[chunk + 1]
        let firstLine = chunk == 0 ? self.firstLine : 1
        return try bytes.withUnsafeBufferPointer { (buf) throws(AccountImportError) -> ChunkResult in
            if let bad = firstInvalidUTF8(UnsafeBufferPointer(rebasing: buf[start..<end])) {
                var line = firstLine
                for i in start..<(start + bad) where buf[i] == 0x0A { line += 1 }
                throw AccountImportError(kind: .encoding, line: line, message: "not valid UTF-8")
            }
            // No database keeps a NUL in text (PostgreSQL refuses it): refused here, with its line.
            if end > start, let base = buf.baseAddress, let hit = memchr(base + start, 0, end - start) {
                let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                var line = firstLine
                for i in start..<at where buf[i] == 0x0A { line += 1 }
                throw AccountImportError(
                    kind: .encoding, line: line, message: "contains the NUL character (U+0000), which no field may hold"
                )
            }
            return try parseRows(
                buf, start: start, end: end, firstLine: firstLine, lineBase: lineBase,
                arena: windows?.arenaWindow(chunk), rows: windows?.rowsWindow(chunk), tick: tick)
        }
    }

    private func parseRows(
        _ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, firstLine: Int, lineBase: Int,
        arena arenaWindow: RawBuffer<UInt8>?,
        rows rowsWindow: RawBuffer<Row>?, tick: (Int) -> Void
    ) throws(AccountImportError) -> ChunkResult {
        var cursor = CSVCursor(buf, start: start, limit: end, line: firstLine)
        var fields = RawBuffer<FieldSpan>(capacity: 64)
        defer { fields.free() }
        let lean = matchingFieldsOnly
        let cId = columns[0]
        let cName = columns[1]
        let cWeb = columns[2]
        let cCountry = columns[3]
        let cIndustry = lean ? -1 : columns[4]
        let cEmployees = columns[5]
        let cPop = columns[6]
        let cStreet = lean ? -1 : columns[7]
        let cCity = lean ? -1 : columns[8]
        let cState = lean ? -1 : columns[9]
        let cPostal = lean ? -1 : columns[10]
        let domains = DomainNormalizer.shared
        let names = NameNormalizer.shared
        let size = end - start
        var arena = arenaWindow ?? RawBuffer<UInt8>(capacity: Self.arenaCapacity(forChunkBytes: size))
        var rows = rowsWindow ?? RawBuffer<Row>(capacity: Self.rowsCapacity(forChunkBytes: size))
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
        var esc = RawBuffer<UInt8>(capacity: 256)
        defer { esc.free() }
        var lineText: [UInt8] = []
        let base = buf.baseAddress!
        var reported = start
        var skipped = 0
        var madeUpIds = false
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
            // A row adds at most twelve fields of 64 KiB: stop before an offset could pass 32 bits.
            if arena.count > Row.maxArenaBytes - (1 << 20) { throw Self.arenaTooLarge(nil) }
            // Trimmed views of the row's fields (not a nested function: capturing the cursor, the fields
            // and the scratch buffer made every read of them a checked access).
            let row = RowFields(base: base, spans: fields.base)
            let (np, nn) = row.trimmed(cName, scratch: &esc)
            if nn == 0 {
                skipped += 1
                continue
            }
            var w = Row.Writer(startingAt: arena.count)
            w.name(np, lean ? 0 : nn, to: &arena)
            let k = names.normalize(np, nn, out: keyOut, starts: starts)
            w.key(keyOut + k.start, k.count, to: &arena)
            w.row.keyHash = hashBytes(keyOut + k.start, k.count)
            let literalSame =
                k.literalCount == k.count && bytesEqual(keyOut + k.start, keyOut + k.literalStart, k.count)
            w.literalKey(keyOut + k.literalStart, k.literalCount, sameAsKey: literalSame, to: &arena)
            w.row.formRegions = k.regions
            w.row.hasLegalForm = k.hasLegalForm
            w.row.hasCountryQualifier = k.countryQualifier
            let (ip, il) = row.trimmed(cId, scratch: &esc)
            if il > 0 {
                w.id(ip, il, to: &arena)
            } else {
                lineText = Array("line-\(line + lineBase)".utf8)
                madeUpIds = true
                lineText.withUnsafeBufferPointer { w.id($0.baseAddress!, $0.count, to: &arena) }
            }
            let (wp, wl) = row.trimmed(cWeb, scratch: &esc)
            w.website(wp, lean ? 0 : wl, to: &arena)
            let d = domains.normalize(wp, wl, out: domOut, scratch: domScratch)
            w.row.domainStatus = d.status.rawValue
            w.domain(domOut, d.count, to: &arena)
            w.row.domainHash = d.status == .domain ? hashBytes(domOut, d.count) : 0
            let (cp, cl) = row.trimmed(cCountry, scratch: &esc)
            var countryIndex = -1
            let cn = CountryNormalizer.normalize(cp, cl, out: countryOut, lastIndex: &countryIndex)
            w.country(countryOut, cn, to: &arena)
            w.row.countryIndex = countryIndex >= 0 && countryIndex < 64 ? UInt8(countryIndex + 1) : 0
            let (dp, dl) = row.trimmed(cIndustry, scratch: &esc)
            w.industry(dp, dl, to: &arena)
            // Employees: first integer in the value (thousands separators tolerated).
            let (ep, el) = row.trimmed(cEmployees, scratch: &esc)
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
            w.row.employees = Int32(value)
            let (pp, pl) = row.trimmed(cPop, scratch: &esc)
            w.row.population = rules.classify(UnsafeBufferPointer(start: pp, count: pl))
            if cStreet >= 0 {
                let (sp, sl) = row.trimmed(cStreet, scratch: &esc)
                w.street(sp, sl, to: &arena)
            }
            if cCity >= 0 {
                let (tp, tl) = row.trimmed(cCity, scratch: &esc)
                w.city(tp, tl, to: &arena)
            }
            if cState >= 0 {
                let (rp, rl) = row.trimmed(cState, scratch: &esc)
                w.state(rp, rl, to: &arena)
            }
            if cPostal >= 0 {
                let (zp, zl) = row.trimmed(cPostal, scratch: &esc)
                w.postalCode(zp, zl, to: &arena)
            }
            w.row.line = Int32(clamping: line)
            rows.append(w.row)
            if cursor.pos - reported >= 1 << 22 {
                tick(cursor.pos - reported)
                reported = cursor.pos
            }
        }
        tick(cursor.pos - reported)
        ok = true
        return ChunkResult(
            arena: arena, rows: rows, skipped: skipped, endOffset: cursor.pos, endLine: cursor.line,
            madeUpIds: madeUpIds)
    }
}

/// One row's fields as trimmed byte ranges of the text; a field with doubled quotes is unescaped into
/// `scratch` (its bytes valid until the next such field is read).
private struct RowFields {
    let base: UnsafePointer<UInt8>
    let spans: UnsafeMutablePointer<FieldSpan>

    @inline(__always) func trimmed(_ c: Int, scratch: inout RawBuffer<UInt8>) -> (UnsafePointer<UInt8>, Int) {
        if c < 0 { return (base, 0) }
        let f = spans[c]
        var p = base + f.start
        var n = f.end - f.start
        if f.escaped {
            scratch.removeAll()
            let out = scratch.tail(n)
            var k = 0
            var i = 0
            while i < n {
                let ch = p[i]
                out[k] = ch
                k += 1
                i += ch == 0x22 && i + 1 < n && p[i + 1] == 0x22 ? 2 : 1
            }
            scratch.commit(k)
            p = UnsafePointer(out)
            n = k
        }
        while n > 0 && (p[0] == 0x20 || p[0] == 0x09) {
            p += 1
            n -= 1
        }
        while n > 0 && (p[n - 1] == 0x20 || p[n - 1] == 0x09) { n -= 1 }
        return (p, n)
    }
}
