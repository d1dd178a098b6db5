import Foundation

/// Wall-clock marks between the phases of a mapping run, written to standard error when the
/// environment has `COSELL_PHASES=1` (for profiling by hand; nothing is printed otherwise).
struct PhaseClock {
    static let enabled = ProcessInfo.processInfo.environment["COSELL_PHASES"] == "1"
    private var last = Date()

    mutating func mark(_ phase: String) {
        guard Self.enabled else { return }
        let now = Date()
        FileHandle.standardError.write(
            Data(String(format: "phase %@: %.3f s\n", phase, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
