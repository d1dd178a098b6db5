import Foundation

/// Why a verb refused, in words a person can act on. The web layer turns each case into a
/// problem+json answer (404, 403, 409, 422, 412, 429, 503); the CLI prints the message.
public enum WorkflowError: Error, Equatable, Sendable {
    /// Nothing of that kind with that id is visible to the principal (`field` names the request field).
    case notFound(String, field: String? = nil)
    /// The principal's role, company or credential may not do this.
    case forbidden(String)
    /// The state of things does not allow it (an ended partnership, a duplicate, a concurrent change).
    case conflict(String)
    /// A field of the request is out of range or inconsistent.
    case invalid(field: String, String)
    /// The caller's `If-Match` named another version than the one stored.
    case staleVersion(sent: String, current: Int)
    /// The database stayed locked by other writers through every retry; nothing was written.
    case busy
    /// A budget is spent (private mapping's evaluations or runs per day): try again after
    /// `retryAfter` seconds, or not at all when nil.
    case limitReached(field: String?, String, retryAfter: Int?)

    public var message: String {
        switch self {
        case .notFound(let what, _): return "No \(what) with that id is visible to you."
        case .forbidden(let m), .conflict(let m), .invalid(_, let m), .limitReached(_, let m, _): return m
        case .staleVersion(let sent, let current):
            return "You sent If-Match \(sent) but the deal is at version \(current); reload it and try again."
        case .busy:
            return
                "Other changes held the database while this request was tried several times; its transaction was rolled back. Try again in a moment."
        }
    }
}
