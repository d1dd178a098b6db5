import Crypto
import Foundation

/// The commutative-encryption private set intersection behind private account mapping (Meadows 1986;
/// Huberman, Franklin and Hogg 1999), on X25519.
///
/// Each key (a registrable domain, a name with its country) is hashed to a Curve25519 u-coordinate
/// `H(k)`. Each party has a secret scalar: `a` for the organization that runs `cosell private-map`
/// (the query), `b` for the server's list (the set). Scalar multiplication commutes, so
/// `a·(b·H(k)) = b·(a·H(k))`:
///
/// 1. the server sends its set once encrypted, `b·H(y)`, in random order;
/// 2. the query sends `a·H(x)`; the server answers `b·(a·H(x))` in the same order;
/// 3. the query computes `a·(b·H(y))` and keeps its `x` whose `ab·H(x)` is among them.
///
/// What each side sees is a list of random-looking points: without `a`, `a·H(x)` says nothing of `x`
/// (decisional Diffie-Hellman on Curve25519 and its twist), and without `b` the set's points cannot be
/// tested against a guess offline; a guess costs an evaluation by the server, which is counted.
public enum PrivateSet {
    /// Bytes of one element (an X25519 u-coordinate).
    public static let elementBytes = 32
    /// Prefixed to every key before hashing, so that these points are of this protocol only.
    static let label = Array("cosell private mapping v1\u{0}".utf8)

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The bytes are not a whole number of elements.
        case length(Int)
        /// Element `index` is a point of small order (its product is zero): not a hashed key.
        case smallOrder(index: Int)
        /// The secret is not 32 bytes.
        case secret

        public var description: String {
            switch self {
            case .length(let n): return "\(n) bytes is not a whole number of \(PrivateSet.elementBytes)-byte elements"
            case .smallOrder(let i): return "element \(i) is a point of small order, not a hashed key"
            case .secret: return "the secret is not \(PrivateSet.elementBytes) bytes"
            }
        }
    }

    /// A party's secret scalar.
    public struct Secret: Sendable {
        let key: Curve25519.KeyAgreement.PrivateKey

        /// A new random secret.
        public init() { key = Curve25519.KeyAgreement.PrivateKey() }

        /// A stored secret.
        public init(raw: Data) throws {
            guard raw.count == PrivateSet.elementBytes,
                let k = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
            else { throw Failure.secret }
            key = k
        }

        /// The secret's bytes, to store it.
        public var raw: Data { key.rawRepresentation }
    }

    /// The point of a key: SHA-256 of the label and the key, as a u-coordinate (its top bit cleared,
    /// as X25519 reads it).
    public static func point(_ key: String) -> [UInt8] {
        var h = SHA256()
        h.update(data: label)
        h.update(data: Array(key.utf8))
        var out = Array(h.finalize())
        out[31] &= 0x7f
        return out
    }

    /// `secret·H(k)` for each key, concatenated in order. (A hashed key of small order would need a
    /// SHA-256 preimage of one of eight points; `multiply` would refuse it rather than answer zero.)
    public static func encrypt(_ keys: [String], with secret: Secret) throws -> Data {
        var points = Data(capacity: keys.count * elementBytes)
        for k in keys { points.append(contentsOf: point(k)) }
        return try multiply(points, by: secret)
    }

    /// `secret·P` for each element `P` of `elements` (concatenated), in order, on all cores. Refuses
    /// bytes that are not whole elements and points of small order, naming the first.
    public static func multiply(_ elements: Data, by secret: Secret) throws -> Data {
        guard elements.count % elementBytes == 0 else { throw Failure.length(elements.count) }
        let n = elements.count / elementBytes
        if n == 0 { return Data() }
        let input = [UInt8](elements)
        var output = [UInt8](repeating: 0, count: input.count)
        let chunks = min(n, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
        let failed = FirstFailure()
        output.withUnsafeMutableBytes { out in
            let base = SendablePointer(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = n * c / chunks
                let hi = n * (c + 1) / chunks
                for i in lo..<hi {
                    let slice = input[(i * elementBytes)..<((i + 1) * elementBytes)]
                    guard let pub = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: slice),
                        let shared = try? secret.key.sharedSecretFromKeyAgreement(with: pub)
                    else {
                        failed.note(i)
                        return
                    }
                    // A point of small order gives zero (not every build of X25519 refuses it).
                    let zero = shared.withUnsafeBytes { s -> Bool in
                        (base.pointer + i * elementBytes).copyMemory(from: s.baseAddress!, byteCount: elementBytes)
                        return s.allSatisfy { $0 == 0 }
                    }
                    if zero {
                        failed.note(i)
                        return
                    }
                }
            }
        }
        if let i = failed.first { throw Failure.smallOrder(index: i) }
        return Data(output)
    }

    /// The elements of `data`, each as its own `Data`, to compare or put in a set.
    public static func elements(_ data: Data) -> [Data] {
        stride(from: 0, to: data.count - data.count % elementBytes, by: elementBytes).map {
            data.subdata(in: (data.startIndex + $0)..<(data.startIndex + $0 + elementBytes))
        }
    }
}

/// A raw pointer handed to the threads of `concurrentPerform`, each writing its own bytes.
private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ p: UnsafeMutableRawPointer) { pointer = p }
}

/// The lowest index that failed, written by several threads.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var index: Int?
    func note(_ i: Int) {
        lock.lock()
        index = min(index ?? i, i)
        lock.unlock()
    }
    var first: Int? {
        lock.lock()
        defer { lock.unlock() }
        return index
    }
}

extension PrivateSet {
    /// The query's side of one run: its accounts' keys (each key once), its secret, and what it makes
    /// of the server's answers.
    public struct Query: Sendable {
        public let secret = Secret()
        /// Each distinct key once, in the order they are sent.
        public let keys: [String]
        /// For each key, the accounts (indices into the list given) that have it.
        let owners: [[Int]]

        /// `keysPerAccount[i]` are account i's keys.
        public init(keysPerAccount: [[String]]) {
            var index: [String: Int] = [:]
            var keys: [String] = []
            var owners: [[Int]] = []
            for (account, ks) in keysPerAccount.enumerated() {
                for k in ks {
                    if let i = index[k] {
                        if owners[i].last != account { owners[i].append(account) }
                    } else {
                        index[k] = keys.count
                        keys.append(k)
                        owners.append([account])
                    }
                }
            }
            self.keys = keys
            self.owners = owners
        }

        /// What is sent for evaluation: `a·H(k)` for each key, in `keys`' order.
        public func blinded() throws -> Data { try PrivateSet.encrypt(keys, with: secret) }

        /// The accounts in the overlap, ascending: those with a key whose evaluation `b·a·H(k)`
        /// (`evaluated`, in `keys`' order) is among the set's points `b·H(y)` once multiplied by `a`.
        public func overlap(evaluated: Data, set: Data) throws -> [Int] {
            guard evaluated.count == keys.count * PrivateSet.elementBytes else {
                throw Failure.length(evaluated.count)
            }
            let held = Set(PrivateSet.elements(try PrivateSet.multiply(set, by: secret)))
            var found = Set<Int>()
            for (i, e) in PrivateSet.elements(evaluated).enumerated() where held.contains(e) {
                found.formUnion(owners[i])
            }
            return found.sorted()
        }
    }
}
