import Foundation

/// Large working buffers: anonymous mappings (zero-filled, only the pages touched are backed), small
/// ones from malloc.
enum BigAlloc {
    static let threshold = 4 << 20
    /// Transparent huge pages are asked for the hash tables (`randomAccess`), whose lookups land
    /// anywhere in tens of megabytes: with 4 KiB pages most of them also missed the TLB (building the
    /// 1M indexes took 0.31 s instead of 0.19-0.23 s). Buffers filled front to back do not ask: on a
    /// machine whose memory other processes have used, the kernel compacts memory to find huge pages
    /// at each fault, and a 1M mapping right after the polars one spent 1.4-1.6 s in the kernel with
    /// huge pages everywhere against 0.35-0.63 s now. `MatchingSwitches.hugePages` changes this.
    static func allocate(bytes: Int, alignment: Int, randomAccess: Bool = false) -> UnsafeMutableRawPointer {
        if bytes >= threshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                let asked = MatchingSwitches.hugePages
                if asked == .all || (randomAccess && asked == .hashTables) {
                    _ = madvise(p, bytes, 14)  // MADV_HUGEPAGE
                }
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

/// A growable buffer of trivial values with manual memory management (no copy-on-write checks).
struct RawBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int
    /// False for a window into memory another owner frees (`init(window:capacity:)`) until it grows.
    private(set) var owned = true

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = RawBuffer.allocate(self.capacity)
    }

    /// An empty buffer over `capacity` slots that belong to a larger allocation: filled in place, not
    /// freed by `free()`. Growing past `capacity` moves it into an allocation of its own, as usual.
    init(window: UnsafeMutablePointer<T>, capacity: Int) {
        base = window
        self.capacity = capacity
        owned = false
    }

    /// Takes ownership of an allocation made by `BigAlloc.allocate(bytes: capacity * stride)` whose
    /// first `count` slots are initialized.
    init(adopting base: UnsafeMutablePointer<T>, count: Int, capacity: Int) {
        self.base = base
        self.count = count
        self.capacity = capacity
    }

    /// Allocates room for `count` values, to be handed out as windows and adopted later.
    static func allocateWindows(_ count: Int) -> UnsafeMutablePointer<T> { allocate(max(1, count)) }

    /// Frees an allocation made by `allocateWindows(count)`.
    static func freeWindows(_ base: UnsafeMutablePointer<T>, count: Int) {
        BigAlloc.free(UnsafeMutableRawPointer(base), bytes: max(1, count) * MemoryLayout<T>.stride)
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
            if owned { BigAlloc.free(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride) }
            base = nb
            capacity = c
            owned = true
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

    func free() {
        if owned { BigAlloc.free(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride) }
    }
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
