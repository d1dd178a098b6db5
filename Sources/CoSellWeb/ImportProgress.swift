import Foundation

/// Progress of running imports in this process, 0...1 by import id.
final class ImportProgress: @unchecked Sendable {
    static let shared = ImportProgress()
    private var values: [UUID: Double] = [:]
    private let lock = NSLock()

    func set(_ id: UUID, _ value: Double) {
        lock.lock()
        values[id] = value
        lock.unlock()
    }

    func get(_ id: UUID) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return values[id] ?? 0
    }

    func remove(_ id: UUID) {
        lock.lock()
        values[id] = nil
        lock.unlock()
    }
}
