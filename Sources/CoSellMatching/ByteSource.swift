import Foundation

/// The raw bytes of one input file (huge-page backed when large), shared read-only by the chunk parsers.
final class ByteSource: @unchecked Sendable {
    private enum Storage {
        case owned(RawBuffer<UInt8>)
        /// The bytes of a `Data` the caller holds anyway (an upload): read in place, not copied.
        case shared(Data)
        /// A file mapped read-only: its pages are the system's cached copy, neither zeroed nor copied.
        case mapped(UnsafeMutableRawPointer)
    }

    private var storage: Storage
    let count: Int
    private var released = false

    init(capacity: Int, fill: (UnsafeMutablePointer<UInt8>) -> Int) {
        var b = RawBuffer<UInt8>(capacity: capacity)
        let n = fill(b.tail(capacity))
        b.commit(n)
        storage = .owned(b)
        count = n
    }

    /// Takes `buffer` over: freed with this object, or by `release`.
    init(taking buffer: RawBuffer<UInt8>) {
        storage = .owned(buffer)
        count = buffer.count
    }

    /// Maps the `count` bytes of the open file `fd` read-only; nil when the system will not.
    init?(mapping fd: Int32, count: Int) {
        guard count > 0 else { return nil }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        storage = .mapped(p)
        self.count = count
    }

    /// Reads `data` where it is, keeping it alive meanwhile.
    init(sharing data: Data) {
        storage = .shared(data)
        count = data.count
    }

    convenience init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count) { p in
            bytes.withUnsafeBufferPointer { if let b = $0.baseAddress { p.update(from: b, count: $0.count) } }
            return bytes.count
        }
    }

    deinit {
        if released { return }
        switch storage {
        case .owned(let buffer): buffer.free()
        case .mapped(let p): munmap(p, count)
        case .shared: break
        }
    }

    /// Frees the bytes before the object goes: once every chunk is parsed, the table holds copies of
    /// what it needs, and two big files' bytes no longer sit beside their tables while those are
    /// assembled (the peak of `cosell map`). Not while chunks are parsed (single-threaded callers).
    func release() {
        if released { return }
        released = true
        switch storage {
        case .owned(let buffer): buffer.free()
        case .mapped(let p): munmap(p, count)
        case .shared: storage = .shared(Data())
        }
    }

    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        precondition(!released, "the file's bytes were released after parsing")
        switch storage {
        case .owned(let buffer):
            return try body(UnsafeBufferPointer(start: buffer.base, count: count))
        case .mapped(let p):
            return try body(UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: count))
        case .shared(let data):
            var result: Result<R, E>? = nil
            data.withUnsafeBytes { raw in
                let bytes = UnsafeBufferPointer(
                    start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count)
                result = Result { () throws(E) -> R in try body(bytes) }
            }
            return try result!.get()
        }
    }
}
