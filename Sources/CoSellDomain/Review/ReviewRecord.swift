import Foundation

/// A decision taken at a weekly co-sell deal review: what, who owns it (optional), by when (optional).
/// A decision with an owner is one of the owner's next actions until it is checked off (done, or
/// dropped) at a later review.
public struct ReviewDecision: Codable, Sendable, Equatable {
    /// Where a decision stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case done
        /// Given up: no longer to do (the review decided otherwise).
        case dropped
    }

    /// Kept while the decision stays on its week's record; nil only before the store gave it one
    /// (records written before decisions had ids get a stable one when read: `withDecisionIDs`).
    public var id: UUID?
    public var text: String
    public var ownerID: UUID?
    public var ownerName: String?
    public var dueOn: LocalDate?
    /// Nil reads as open (records written before decisions were checked off).
    public var status: Status?
    /// Who checked it off (done or dropped), when, at the review of which week.
    public var checkedAt: Date?
    public var checkedByID: UUID?
    public var checkedByName: String?
    public var checkedInWeek: ISOWeek?

    public init(
        id: UUID? = nil, text: String, ownerID: UUID? = nil, ownerName: String? = nil, dueOn: LocalDate? = nil,
        status: Status? = nil
    ) {
        self.id = id
        self.text = text
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.dueOn = dueOn
        self.status = status
    }

    /// Open unless checked off.
    public var isOpen: Bool { (status ?? .open) == .open }

    /// Whether it is late on `today`: open, and its due date passed.
    public func isOverdue(today: LocalDate) -> Bool { isOpen && (dueOn.map { $0 < today } ?? false) }

    /// The decision checked off as `status` (back to open: the check cleared).
    public func checked(_ status: Status, by person: Person, at: Date, inWeek week: ISOWeek) -> ReviewDecision {
        var d = self
        d.status = status
        if status == .open {
            d.checkedAt = nil
            d.checkedByID = nil
            d.checkedByName = nil
            d.checkedInWeek = nil
        } else {
            d.checkedAt = at
            d.checkedByID = person.id
            d.checkedByName = person.name
            d.checkedInWeek = week
        }
        return d
    }
}

/// A decision of an earlier week's review, with the week it was taken in.
public struct WeekDecision: Codable, Sendable, Equatable {
    public var week: ISOWeek
    public var decision: ReviewDecision

    public init(week: ISOWeek, decision: ReviewDecision) {
        self.week = week
        self.decision = decision
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

    /// The record with an id on every decision: a decision stored without one (written before
    /// decisions had ids) gets one made from the partnership, the week and its place on the list,
    /// the same at every read, so it can be checked off like the others.
    public func withDecisionIDs() -> ReviewRecord {
        var r = self
        for i in r.decisions.indices where r.decisions[i].id == nil {
            r.decisions[i].id = Self.stableID("\(partnershipID.uuidString)/\(week)/decision/\(i)")
        }
        return r
    }

    /// A version-4-shaped id made from `text` by two FNV-1a hashes: the same text, the same id.
    static func stableID(_ text: String) -> UUID {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h = seed
            for b in text.utf8 {
                h ^= UInt64(b)
                h = h &* 0x100_0000_01b3
            }
            return h
        }
        var bytes: [UInt8] = []
        for h in [fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4)] {
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: h >> (8 * k))) }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
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
