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
