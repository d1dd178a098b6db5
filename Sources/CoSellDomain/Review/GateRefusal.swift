import Foundation

/// A gate that refused to open: someone asked to advance a deal whose exit criterion was unmet.
public struct GateRefusal: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var stageKey: String
    /// What was missing, part by part.
    public var unmet: [String]
    public var actorID: UUID
    public var actorName: String
    public var at: Date

    public init(dealID: UUID, stageKey: String, unmet: [String], actorID: UUID, actorName: String, at: Date) {
        self.dealID = dealID
        self.stageKey = stageKey
        self.unmet = unmet
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
    }
}
