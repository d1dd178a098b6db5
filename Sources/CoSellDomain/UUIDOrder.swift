import Foundation

/// A UUID as a value that sorts exactly like its `uuidString` (upper-case hex digits in byte order),
/// without building the string: the tie-breaker of every stable order in the reports and reviews,
/// where building two strings per comparison cost more than the rest of the sort.
public struct UUIDOrder: Comparable, Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    public init(_ id: UUID) {
        let u = id.uuid
        high =
            UInt64(u.0) << 56 | UInt64(u.1) << 48 | UInt64(u.2) << 40 | UInt64(u.3) << 32 | UInt64(u.4) << 24
            | UInt64(u.5) << 16 | UInt64(u.6) << 8 | UInt64(u.7)
        low =
            UInt64(u.8) << 56 | UInt64(u.9) << 48 | UInt64(u.10) << 40 | UInt64(u.11) << 32 | UInt64(u.12) << 24
            | UInt64(u.13) << 16 | UInt64(u.14) << 8 | UInt64(u.15)
    }

    public static func < (a: UUIDOrder, b: UUIDOrder) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

extension UUID {
    /// This id's place in the order of `uuidString`s (see `UUIDOrder`).
    public var order: UUIDOrder { UUIDOrder(self) }
}
