import Foundation

/// Combines per-file progress into one monotonic fraction.
final class ProgressReporter: @unchecked Sendable {
    private let callback: (@Sendable (Double) -> Void)?
    private var parts: [Double] = [0, 0]
    private var last = -1.0
    private let lock = NSLock()
    init(_ cb: (@Sendable (Double) -> Void)?) { callback = cb }
    func set(part: Int, value: Double) {
        guard let callback else { return }
        lock.lock()
        defer { lock.unlock() }
        parts[part] = max(parts[part], value)
        let v = min(1, (parts[0] + parts[1]) / 2)
        if v > last + 0.001 || (v >= 1 && last < 1) {
            last = v
            callback(v)
        }
    }
}
