import Foundation

/// Why a change to a deal was refused.
public enum DealError: Error, Equatable, Sendable {
    /// The current stage's exit criterion is not met; the report lists every unmet part.
    case gateClosed(GateReport)
    /// The actor's role or company may not make this change.
    case forbidden(String)
    /// A field of the request is out of range or inconsistent.
    case invalid(field: String, String)
    /// The deal's state does not allow the change (closed deal, duplicate registration...).
    case conflict(String)
    /// Something the change refers to does not exist on this deal.
    case notFound(field: String, String)

    public var message: String {
        switch self {
        case .gateClosed(let r):
            return "The \(r.stageName) gate is closed: " + r.unmet.compactMap(\.missing).joined(separator: " ")
        case .forbidden(let m), .conflict(let m): return m
        case .invalid(_, let m), .notFound(_, let m): return m
        }
    }
}
