import Foundation

/// One of the two halves of a joint deal. Which organization is the host is decided per deal.
public enum Side: String, Codable, Sendable, CaseIterable, Hashable {
    case host
    case partner

    public var other: Side { self == .host ? .partner : .host }

    /// "Host" / "Partner", for sentences.
    public var title: String { self == .host ? "Host" : "Partner" }
}

/// A value for each side of a deal, either of which may be missing.
public struct SidePair<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var host: Value?
    public var partner: Value?

    public init(host: Value? = nil, partner: Value? = nil) {
        self.host = host
        self.partner = partner
    }

    public subscript(side: Side) -> Value? {
        get { side == .host ? host : partner }
        set {
            if side == .host { host = newValue } else { partner = newValue }
        }
    }
}
