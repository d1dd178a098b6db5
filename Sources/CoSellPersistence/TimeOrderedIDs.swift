import Foundation

/// Ids that sort in the order they were made, as RFC 9562's version 7 lays them out: the time in
/// milliseconds (48 bits), then a counter (26 bits, in the fields the RFC leaves for one) and 48
/// random bits. Their text sorts like the ids themselves, so a million accounts an import adds go
/// to the end of the accounts' id index instead of a random place each (on SQLite, where ids are
/// stored as text, that was a page read and written per account).
struct TimeOrderedIDs {
    private var milliseconds: UInt64
    private var counter: UInt32 = 0
    private var random = SystemRandomNumberGenerator()
    static let counterLimit: UInt32 = 1 << 26

    init(at: Date) {
        milliseconds = UInt64(max(0, at.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
    }

    /// The next id: after every id this generator made before.
    mutating func next() -> UUID {
        if counter == Self.counterLimit {
            milliseconds += 1
            counter = 0
        }
        let (ms, c) = (milliseconds, counter)
        counter += 1
        let r = random.next() as UInt64
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: ms >> 40), UInt8(truncatingIfNeeded: ms >> 32),
                UInt8(truncatingIfNeeded: ms >> 24), UInt8(truncatingIfNeeded: ms >> 16),
                UInt8(truncatingIfNeeded: ms >> 8), UInt8(truncatingIfNeeded: ms),
                0x70 | UInt8(truncatingIfNeeded: c >> 22) & 0x0F, UInt8(truncatingIfNeeded: c >> 14),
                0x80 | UInt8(truncatingIfNeeded: c >> 8) & 0x3F, UInt8(truncatingIfNeeded: c),
                UInt8(truncatingIfNeeded: r >> 40), UInt8(truncatingIfNeeded: r >> 32),
                UInt8(truncatingIfNeeded: r >> 24), UInt8(truncatingIfNeeded: r >> 16),
                UInt8(truncatingIfNeeded: r >> 8), UInt8(truncatingIfNeeded: r)
            ))
    }
}
