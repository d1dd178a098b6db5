import Dispatch
import Foundation
import Vapor

/// bcrypt off the threads everything else needs. The application's thread pool also runs SQLite's
/// work and file reads: a burst of sign-ins hashing there starved every other request of the
/// database. Here hashes run on `threads` serial dispatch queues of their own, at most one per
/// queue, and at most `maxWaiting` more wait (suspended, holding no thread); past that the request
/// is answered 503 with `Retry-After` at once, instead of queueing without bound.
///
/// Dispatch queues own no threads of their own to stop, so nothing has to be shut down: an
/// application (or a test) that drops the hasher leaves nothing running behind it.
public final class PasswordHashPool: @unchecked Sendable {
    let cost: Int
    let maxWaiting: Int
    private let threads: Int
    private let queues: [DispatchQueue]
    private let lock = NSLock()
    private var free: [Int]
    private var waiting: [CheckedContinuation<Int, Never>] = []
    private var dummy: String?

    public init(threads: Int, maxWaiting: Int, cost: Int) {
        self.threads = max(1, threads)
        self.maxWaiting = max(0, maxWaiting)
        self.cost = cost
        queues = (0..<self.threads).map { DispatchQueue(label: "cosell.password-hash.\($0)", qos: .userInitiated) }
        free = Array(0..<self.threads)
    }

    /// Hashes running and waiting now.
    public var inFlight: Int { lock.withLock { threads - free.count + waiting.count } }

    static let overloaded = Problem(
        .serviceUnavailable, type: "busy", title: "Too many sign-ins at once",
        detail: "The server is checking too many passwords at once; try again in a few seconds.")

    private enum Admission {
        case run(Int)
        case wait
        case refuse
    }

    /// A queue to run on: a free one now, or the next one freed, or a refusal when too many wait.
    private func acquire() async throws -> Int {
        let admission: Admission = lock.withLock {
            if let q = free.popLast() { return .run(q) }
            return waiting.count < maxWaiting ? .wait : .refuse
        }
        switch admission {
        case .run(let q): return q
        case .refuse: throw Self.overloaded
        case .wait:
            return await withCheckedContinuation { c in
                // A queue may have been freed between the check and here.
                let now: Int? = lock.withLock {
                    if let q = free.popLast() { return q }
                    waiting.append(c)
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        }
    }

    /// Hands queue `q` to the longest waiter, or marks it free.
    private func release(_ q: Int) {
        let next: CheckedContinuation<Int, Never>? = lock.withLock {
            if waiting.isEmpty {
                free.append(q)
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume(returning: q)
    }

    /// Runs `work` on a hashing queue, or refuses at once when too many are running and waiting.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let q = try await acquire()
        defer { release(q) }
        return try await withCheckedThrowingContinuation { c in
            queues[q].async { c.resume(with: Result { try work() }) }
        }
    }

    /// A new hash of `password` at the server's cost.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await run { try Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. With no hash (an unknown e-mail, a deactivated person) the
    /// password is checked against a hash of a random secret made once, so the answer takes as long.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target: String
        if let hash {
            target = hash
        } else if let d = lock.withLock({ dummy }) {
            target = d
        } else {
            let made = try await self.hash(UUID().uuidString)
            lock.withLock { dummy = dummy ?? made }
            target = made
        }
        let matches = try await run { (try? Bcrypt.verify(password, created: target)) ?? false }
        return matches && hash != nil
    }
}

struct PasswordHashPoolKey: StorageKey { typealias Value = PasswordHashPool }

extension Application {
    /// The password hasher, made from the security settings on first use.
    public var passwordHashPool: PasswordHashPool {
        if let h = storage[PasswordHashPoolKey.self] { return h }
        let s = security
        let h = PasswordHashPool(threads: s.hashingThreads, maxWaiting: s.maxWaitingHashes, cost: s.bcryptCost)
        storage[PasswordHashPoolKey.self] = h
        return h
    }
}
