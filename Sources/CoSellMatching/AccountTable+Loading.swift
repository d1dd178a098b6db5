import Foundation

extension AccountTable {
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
        let lock = NSLock()
        forEachTask(count, threads: threads) { c in
            let r = try? file.parseChunk(c, tick: { _ in })
            lock.lock()
            if let r { results.value[c] = r } else { failed.value = true }
            lock.unlock()
        }
        var ok = !failed.value
        for (c, r) in results.value.enumerated() where r?.endOffset != file.boundaries[c + 1] { ok = false }
        if !ok {
            for r in results.value { r?.free() }
            return nil
        }
        return results.value.map { $0! }
    }

    /// Reads and normalizes an account export file, on up to `threads` threads.
    public static func load(
        path: String, options: ImportOptions = ImportOptions(),
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> AccountTable {
        let name = (path as NSString).lastPathComponent
        let bytes = try readFile(path: path, maxBytes: options.maxBytes, fileName: name)
        return try load(source: bytes, fileName: name, options: options, progress: progress, threads: threads)
    }

    /// Reads and normalizes an account export held in memory, on up to `threads` threads (a server
    /// passes 1, leaving the other cores to its requests).
    public static func load(
        data: Data, fileName: String? = nil, options: ImportOptions = ImportOptions(),
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Double) -> Void)? = nil
    ) throws(AccountImportError) -> AccountTable {
        if data.count > options.maxBytes {
            throw AccountImportError(
                kind: .tooLarge, file: fileName,
                message: "file is \(data.count) bytes, more than the limit of \(options.maxBytes) bytes")
        }
        return try load(
            source: ByteSource(sharing: data), fileName: fileName, options: options, progress: progress,
            threads: threads)
    }

    /// Builds a table from values already in memory (tests, API uploads already parsed).
    public static func from(
        rows: [[AccountField: String]], options: ImportOptions = ImportOptions(), fileName: String? = nil
    ) throws(AccountImportError) -> AccountTable {
        try from(count: rows.count, options: options, fileName: fileName) { rows[$0][$1] }
    }

    /// Builds a table from values already in memory given field by field, `value(row, field)`, without
    /// a dictionary per row (a server matches a million stored accounts this way).
    public static func from(
        count: Int, options: ImportOptions = ImportOptions(), fileName: String? = nil,
        value: (Int, AccountField) -> String?
    ) throws(AccountImportError) -> AccountTable {
        let fields: [AccountField] = AccountField.allCases
        // Written straight into the buffer the parser reads (no array copied into it: at a million
        // accounts that was a hundred megabytes more at the server's peak), freed once parsed.
        var csv = RawBuffer<UInt8>(capacity: 64 + count * 96)
        @inline(__always) func byte(_ b: UInt8) { csv.append(b) }
        func append(_ field: String) {
            var field = field
            field.withUTF8 { utf8 in
                let quote = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                if !quote {
                    if let base = utf8.baseAddress, utf8.count > 0 {
                        csv.tail(utf8.count).update(from: base, count: utf8.count)
                        csv.commit(utf8.count)
                    }
                    return
                }
                byte(0x22)
                for b in utf8 {
                    if b == 0x22 { byte(0x22) }
                    byte(b)
                }
                byte(0x22)
            }
        }
        for (i, f) in fields.enumerated() {
            if i > 0 { byte(0x2C) }
            append(f.rawValue)
        }
        byte(0x0A)
        var o = options
        o.mapping = ColumnMapping(Dictionary(uniqueKeysWithValues: fields.map { ($0, $0.rawValue) }))
        if o.populationRules == nil { o.populationRules = .generic }
        for r in 0..<count {
            for (i, f) in fields.enumerated() {
                if i > 0 { byte(0x2C) }
                if let v = value(r, f) { append(v) }
            }
            byte(0x0A)
        }
        // One thread: a server builds these tables while it answers requests (two held both cores).
        return try load(source: ByteSource(taking: csv), fileName: fileName, options: o, progress: nil, threads: 1)
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
        // A regular file is mapped: its pages come from the system's cache, with no buffer to zero and
        // fill (at 1M x 1M, `cosell map` spends about half the system time it did). A file cut short on
        // disk while it is read would end the process; the CLI reads exports, not files being written.
        if (st.st_mode & S_IFMT) == S_IFREG, let mapped = ByteSource(mapping: fd, count: size) { return mapped }
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
                let numbered = try file.withFileLineIds(parts, windows: nil, threads: threads)
                file.bytes.release()
                let t = try file.assemble(numbered)
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
        // Each file's chunks are parsed into windows of the table's own buffers.
        let windows = files.map { ChunkWindows($0) }
        let results = Box<[[ChunkResult?]]>(files.map { Array(repeating: nil, count: $0.boundaries.count - 1) })
        let failures = Box<[[AccountImportError?]]>(files.map { Array(repeating: nil, count: $0.boundaries.count - 1) })
        let done = Box<[Int]>(Array(repeating: 0, count: files.count))
        let lock = NSLock()
        let taskList = tasks
        var clock = PhaseClock()
        forEachTask(taskList.count, threads: threads) { t in
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
                let r = try file.parseChunk(c, windows: windows[f], tick: tick)
                lock.lock()
                results.value[f][c] = r
                lock.unlock()
            } catch {
                lock.lock()
                failures.value[f][c] = error
                lock.unlock()
            }
        }
        clock.mark("parse chunks")
        var tables: [AccountTable] = []
        var consistentFiles: [Bool] = []
        for (f, file) in files.enumerated() {
            var consistent = failures.value[f].allSatisfy { $0 == nil }
            for (c, r) in results.value[f].enumerated() where r?.endOffset != file.boundaries[c + 1] {
                consistent = false
            }
            consistentFiles.append(consistent)
            guard consistent else { continue }
            do throws(AccountImportError) {
                let numbered = try file.withFileLineIds(
                    results.value[f].map { $0! }, windows: windows[f], threads: threads)
                results.value[f] = numbered
            } catch {
                // This file's chunks are freed; its windows and every other file's buffers go too.
                windows[f]?.free()
                for g in files.indices where g != f {
                    for r in results.value[g] { r?.free() }
                    windows[g]?.free()
                }
                throw error
            }
            // Parsed: the bytes are not read again, and go before the tables are assembled.
            file.bytes.release()
        }
        // The files parsed in consistent chunks are assembled side by side.
        let assembled = Box<[Result<AccountTable, AccountImportError>?]>(Array(repeating: nil, count: files.count))
        let inOrder = files.indices.filter { consistentFiles[$0] }
        forEachTask(inOrder.count, threads: threads) { k in
            let f = inOrder[k]
            let parts = results.value[f].map { $0! }  // read only, while the tasks run
            let r = Result { () throws(AccountImportError) -> AccountTable in
                if let w = windows[f] { return try files[f].assemble(parts, in: w) }
                return try files[f].assemble(parts)
            }
            lock.withLock { assembled.value[f] = r }
        }
        clock.mark("assemble")
        for (f, file) in files.enumerated() {
            let chunks = results.value[f]
            if consistentFiles[f] {
                let t: AccountTable
                do throws(AccountImportError) {
                    t = try assembled.value[f]!.get()
                } catch {
                    // This file's buffers are freed, and the other assembled tables go with this scope; the
                    // buffers of the files still to be parsed again are freed before the error goes up.
                    for g in (f + 1)..<files.count where !consistentFiles[g] {
                        for r in results.value[g] { r?.free() }
                        windows[g]?.free()
                    }
                    throw error
                }
                t.chunkCount = chunks.count
                tables.append(t)
                progress?(f, 1)
                continue
            }
            for r in chunks { r?.free() }
            windows[f]?.free()
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
                let t = try whole.assemble([try whole.parseChunk(0, tick: { _ in })])
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
