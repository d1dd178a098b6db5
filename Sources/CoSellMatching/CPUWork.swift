import Dispatch

/// Long computations of a server (reading a large export, matching two lists) off the threads of
/// Swift concurrency. Those threads are as many as the cores and serve every request; a match that
/// held one for seconds, or two (`parallelFor`), stalled every page meanwhile. Work sent here runs
/// on one thread of its own, one job after the other, and the caller waits without holding a thread.
public enum CPUWork {
    private static let queue = DispatchQueue(label: "cosell.cpu-work", qos: .utility)

    /// Runs `body` on the work thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            queue.async { c.resume(with: Result { try body() }) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension CPUWork {
    /// Gives the pages that freed memory left in the C allocator back to the system, in every
    /// thread's arena (glibc's `malloc_trim`). A large import frees hundreds of megabytes on one
    /// thread (the upload's bytes, the parse's chunks) while others allocate on theirs; without this,
    /// those pages stay counted in the server's memory until the arena happens to reuse them.
    /// Does nothing where the C library has no such call (looked up at run time: Swift's Glibc module
    /// does not declare it).
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()
    #endif
}
