import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// What the timed parts share: the application and its store, the clock, the number of runs and the
/// demo partnership.
struct Bench: Sendable {
    let app: Application
    let store: CoSellStore
    let clock: ContinuousClock
    let runs: Int
    let demo: Partnership

    /// The median time of `body` over the runs (at least three).
    func median(_ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(3, runs) {
            let t = clock.now
            try await body()
            times.append(seconds(clock.now - t))
        }
        return times.sorted()[times.count / 2]
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
