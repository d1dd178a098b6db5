import Foundation

/// A decision taken at a weekly co-sell deal review: what, who owns it (optional), by when (optional).
public struct ReviewDecision: Codable, Sendable, Equatable {
    public var text: String
    public var ownerID: UUID?
    public var ownerName: String?
    public var dueOn: LocalDate?

    public init(text: String, ownerID: UUID? = nil, ownerName: String? = nil, dueOn: LocalDate? = nil) {
        self.text = text
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.dueOn = dueOn
    }
}

/// What a partnership recorded about one weekly co-sell deal review: who attended, what was decided.
/// One per partnership and ISO week.
public struct ReviewRecord: Codable, Sendable, Equatable {
    public var partnershipID: UUID
    public var week: ISOWeek
    public var attendees: [String]
    public var decisions: [ReviewDecision]
    public var recordedBy: UUID
    public var recordedByName: String
    public var recordedAt: Date
    public var updatedAt: Date

    public init(
        partnershipID: UUID, week: ISOWeek, attendees: [String], decisions: [ReviewDecision], recordedBy: UUID,
        recordedByName: String, recordedAt: Date, updatedAt: Date
    ) {
        self.partnershipID = partnershipID
        self.week = week
        self.attendees = attendees
        self.decisions = decisions
        self.recordedBy = recordedBy
        self.recordedByName = recordedByName
        self.recordedAt = recordedAt
        self.updatedAt = updatedAt
    }

    public static let maxAttendees = 100
    public static let maxDecisions = 100

    /// Checks and tidies what a person sends: attendees and decision texts trimmed and non-empty.
    /// Errors name the field as the API spells it.
    public static func validated(
        attendees: [String], decisions: [ReviewDecision]
    ) throws(DealError) -> ([String], [ReviewDecision]) {
        if attendees.count > maxAttendees { throw .invalid(field: "attendees", "At most \(maxAttendees) attendees.") }
        if decisions.count > maxDecisions { throw .invalid(field: "decisions", "At most \(maxDecisions) decisions.") }
        var names: [String] = []
        for (i, a) in attendees.enumerated() {
            let t = a.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, t.count <= DealEngine.maxName else {
                throw .invalid(field: "attendees[\(i)]", "An attendee is a name of 1 to 200 characters.")
            }
            names.append(t)
        }
        var out: [ReviewDecision] = []
        for (i, d) in decisions.enumerated() {
            var d = d
            d.text = d.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !d.text.isEmpty, d.text.count <= DealEngine.maxText else {
                throw .invalid(field: "decisions[\(i)].text", "A decision is a text of 1 to 10,000 characters.")
            }
            out.append(d)
        }
        return (names, out)
    }
}
