import Dispatch
import Foundation

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}

/// Runs `body(i)` for i in 0..<n on up to n threads and waits.
func parallelFor(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if n <= 1 {
        body(0)
        return
    }
    DispatchQueue.concurrentPerform(iterations: n) { i in body(i) }
}

/// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads, each taking the next index
/// when it is done with one (tasks of uneven size stay balanced), and waits.
func forEachTask(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    forEachTask(count, threads: threads, state: {}) { _, i in body(i) }
}

/// `forEachTask` with what each thread makes once, before its first task (`state`), handed to every
/// task it runs: a matcher's context of its own per thread.
func forEachTask<State>(
    _ count: Int, threads: Int, state: @escaping @Sendable () -> State,
    _ body: @escaping @Sendable (State, Int) -> Void
) {
    let next = Box<Int>(0)
    let lock = NSLock()
    parallelFor(max(1, min(threads, count))) { _ in
        let mine = state()
        while true {
            lock.lock()
            let i = next.value
            next.value += 1
            lock.unlock()
            if i >= count { return }
            body(mine, i)
        }
    }
}
