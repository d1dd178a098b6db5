import Foundation

/// A UUID's upper-case text (as `uuidString` writes it), in 36 bytes on the stack.
struct UUIDText {
    private var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64)  // 40 bytes, the last 4 unused

    init(_ id: UUID) {
        bytes = (0, 0, 0, 0, 0)
        let u = id.uuid
        withUnsafeMutableBytes(of: &bytes) { out in
            withUnsafeBytes(of: u) { raw in
                let hex: StaticString = "0123456789ABCDEF"
                let digits = hex.utf8Start
                var o = 0
                for (i, b) in raw.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = 0x2D  // "-"
                        o += 1
                    }
                    out[o] = digits[Int(b >> 4)]
                    out[o + 1] = digits[Int(b & 0x0F)]
                    o += 2
                }
            }
        }
    }

    /// Whether `buffer` holds this text at `offset` (36 bytes from there must exist).
    func matches(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        withUnsafeBytes(of: bytes) { mine in
            for k in 0..<36 where buffer[offset + k] != mine[k] { return false }
            return true
        }
    }
}
