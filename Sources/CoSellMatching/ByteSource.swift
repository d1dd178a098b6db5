import Foundation

/// The raw bytes of one input file (huge-page backed when large), shared read-only by the chunk parsers.
final class ByteSource: @unchecked Sendable {
    private let buffer: RawBuffer<UInt8>
    let count: Int
    private var released = false

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

    deinit { if !released { buffer.free() } }

    /// Frees the bytes before the object goes: once every chunk is parsed, the table holds copies of
    /// what it needs, and two big files' bytes no longer sit beside their tables while those are
    /// assembled (the peak of `cosell map`). Not while chunks are parsed (single-threaded callers).
    func release() {
        if released { return }
        released = true
        buffer.free()
    }

    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        precondition(!released, "the file's bytes were released after parsing")
        return try body(UnsafeBufferPointer(start: buffer.base, count: count))
    }
}
