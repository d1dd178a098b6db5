import Foundation
import Testing

@testable import CoSellMatching

@Suite("Tasks run on a few threads")
struct ForEachTaskTests {
    /// Every task runs once, whatever the number of threads; each thread makes its state once and
    /// hands it to every task it runs.
    @Test(arguments: [(0, 2), (1, 2), (5, 1), (64, 2), (64, 8), (3, 16)])
    func everyTaskRunsOnceWithItsThreadsState(count: Int, threads: Int) {
        final class State: @unchecked Sendable {
            var ran: [Int] = []
        }
        let lock = NSLock()
        let states = Box<[State]>([])
        forEachTask(
            count, threads: threads,
            state: {
                let s = State()
                lock.withLock { states.value.append(s) }
                return s
            }
        ) { state, i in
            state.ran.append(i)  // only this thread touches its state
        }
        let ran = states.value.flatMap(\.ran)
        #expect(ran.sorted() == Array(0..<count))
        #expect(states.value.count == max(1, min(threads, count)))
        // The plain variant as well.
        let seen = Box<[Int]>([])
        forEachTask(count, threads: threads) { i in lock.withLock { seen.value.append(i) } }
        #expect(seen.value.sorted() == Array(0..<count))
    }
}
