import Foundation
import Vapor

/// Work the server started for a request and finishes in the background (imports). The application
/// waits for it when it shuts down, so nothing runs against a closed database.
public final class BackgroundJobs: @unchecked Sendable {
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private let lock = NSLock()

    public init() {}

    func run(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = Task.detached { [weak self] in
            await work()
            self?.finished(id)
        }
    }

    private func finished(_ id: UUID) {
        lock.lock()
        tasks[id] = nil
        lock.unlock()
    }

    private func snapshot() -> [Task<Void, Never>] {
        lock.lock()
        defer { lock.unlock() }
        return Array(tasks.values)
    }

    /// Waits for every job still running.
    public func drain() async {
        while true {
            let running = snapshot()
            if running.isEmpty { return }
            for t in running { await t.value }
        }
    }
}

struct BackgroundJobsKey: StorageKey { typealias Value = BackgroundJobs }

struct BackgroundJobsLifecycle: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        await app.backgroundJobs.drain()
    }
}

extension Application {
    public var backgroundJobs: BackgroundJobs {
        if let j = storage[BackgroundJobsKey.self] { return j }
        let j = BackgroundJobs()
        storage[BackgroundJobsKey.self] = j
        return j
    }
}
