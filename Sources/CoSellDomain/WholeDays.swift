import Foundation

/// Whole days from `from` to `to` (rounded down); negative when `to` is earlier.
public func wholeDays(from: Date, to: Date) -> Int {
    Int((to.timeIntervalSince(from) / 86_400).rounded(.down))
}
