import Foundation

/// Switches of the matching engine for profiling by hand, set once before work starts (the `cosell`
/// command sets them from `COSELL_PHASES` and `COSELL_HUGEPAGES`, read by `CoSellConfig`).
public enum MatchingSwitches {
    /// Which large buffers ask the kernel for transparent huge pages.
    public enum HugePages: Sendable {
        /// None.
        case none
        /// The hash tables only (the default; see `BigAlloc`).
        case hashTables
        /// Every buffer of 4 MiB or more.
        case all
    }

    /// Print the wall time of each phase of a mapping run to standard error.
    nonisolated(unsafe) public static var phaseTimes = false
    nonisolated(unsafe) public static var hugePages = HugePages.hashTables
}

/// Wall-clock marks between the phases of a mapping run, written to standard error when
/// `MatchingSwitches.phaseTimes` is on (nothing is printed otherwise).
struct PhaseClock {
    private var last = Date()

    mutating func mark(_ phase: String) {
        guard MatchingSwitches.phaseTimes else { return }
        let now = Date()
        FileHandle.standardError.write(
            Data(String(format: "phase %@: %.3f s\n", phase, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
