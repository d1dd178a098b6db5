import Foundation

extension AccountMapping {
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
            put(methodBufs[o.method.code])
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
