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
