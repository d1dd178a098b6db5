import Foundation

/// The partner discovery call: the first working session between the two companies of a partnership,
/// to decide whether a joint go-to-market motion is viable. It names a joint customer use case, the
/// overlap accounts it is about and one next move; each company's partner manager confirms it.
public struct DiscoveryCall: Codable, Sendable, Equatable, Identifiable {
    public enum Verdict: String, Codable, Sendable, CaseIterable {
        case viable
        case notYet = "not_yet"
        case notViable = "not_viable"

        /// In words, as the pages show it.
        public var words: String {
            switch self {
            case .viable: return "Viable"
            case .notYet: return "Not yet"
            case .notViable: return "Not viable"
            }
        }
    }

    /// What one company brings to the joint use case.
    public struct Contribution: Codable, Sendable, Equatable {
        public var organizationID: UUID
        public var text: String

        public init(organizationID: UUID, text: String) {
            self.organizationID = organizationID
            self.text = text
        }
    }

    /// The joint customer use case: who the customer is, their problem, what each company brings.
    public struct UseCase: Codable, Sendable, Equatable {
        public var customer: String
        public var problem: String
        /// One per company of the partnership.
        public var contributions: [Contribution]

        public init(customer: String, problem: String, contributions: [Contribution]) {
            self.customer = customer
            self.problem = problem
            self.contributions = contributions
        }

        public func contribution(of organizationID: UUID) -> String? {
            contributions.first { $0.organizationID == organizationID }?.text
        }
    }

    /// The one next move the call agreed: what, who owns it, by when.
    public struct NextMove: Codable, Sendable, Equatable {
        public var text: String
        public var ownerID: UUID
        public var dueOn: LocalDate

        public init(text: String, ownerID: UUID, dueOn: LocalDate) {
            self.text = text
            self.ownerID = ownerID
            self.dueOn = dueOn
        }
    }

    /// What the two companies write about the call; a change to it clears the confirmations.
    public struct Content: Codable, Sendable, Equatable {
        public var heldOn: LocalDate
        /// People of either company of the partnership.
        public var attendeeIDs: [UUID]
        public var useCase: UseCase
        /// Joint accounts of the partnership the call named.
        public var accountIDs: [UUID]
        public var nextMove: NextMove
        public var verdict: Verdict
        /// Why not (required unless the verdict is viable).
        public var reason: String?

        public init(
            heldOn: LocalDate, attendeeIDs: [UUID], useCase: UseCase, accountIDs: [UUID], nextMove: NextMove,
            verdict: Verdict, reason: String?
        ) {
            self.heldOn = heldOn
            self.attendeeIDs = attendeeIDs
            self.useCase = useCase
            self.accountIDs = accountIDs
            self.nextMove = nextMove
            self.verdict = verdict
            self.reason = reason
        }
    }

    /// One company's partner manager (or admin) confirmed the call as written.
    public struct Confirmation: Codable, Sendable, Equatable {
        public var organizationID: UUID
        public var personID: UUID
        public var personName: String
        public var at: Date

        public init(organizationID: UUID, personID: UUID, personName: String, at: Date) {
            self.organizationID = organizationID
            self.personID = personID
            self.personName = personName
            self.at = at
        }
    }

    public var id: UUID
    public var partnershipID: UUID
    public var content: Content
    public var confirmations: [Confirmation]
    /// Counts the saved changes, from 1; an edit names the version it read.
    public var version: Int
    public var recordedBy: UUID
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, partnershipID: UUID, content: Content, confirmations: [Confirmation] = [], version: Int = 1,
        recordedBy: UUID, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.partnershipID = partnershipID
        self.content = content
        self.confirmations = confirmations
        self.version = version
        self.recordedBy = recordedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func isConfirmed(by organizationID: UUID) -> Bool {
        confirmations.contains { $0.organizationID == organizationID }
    }

    /// Both companies of the partnership confirmed it.
    public func isConfirmed(in partnership: Partnership) -> Bool {
        partnership.organizationIDs.allSatisfy(isConfirmed(by:))
    }

    /// When the second company confirmed it; nil until both did.
    public func confirmedAt(in partnership: Partnership) -> Date? {
        isConfirmed(in: partnership) ? confirmations.map(\.at).max() : nil
    }
}

/// A partnership's discovery status, from its calls: the latest confirmed call counts.
public enum DiscoveryStatus: Sendable, Equatable {
    /// No call recorded.
    case none
    /// Calls recorded, none confirmed by both companies yet.
    case draft
    case confirmed(DiscoveryCall.Verdict)

    /// The API's word for it: none, draft, viable, not_yet, not_viable.
    public var key: String {
        switch self {
        case .none: return "none"
        case .draft: return "draft"
        case .confirmed(let v): return v.rawValue
        }
    }

    /// In words, for lists: "No discovery call yet", "Discovery call not confirmed", "Viable", …
    public var words: String {
        switch self {
        case .none: return "No discovery call yet"
        case .draft: return "Discovery call waiting for confirmation"
        case .confirmed(let v): return v.words
        }
    }
}

/// The rules of discovery calls, as pure functions.
public enum DiscoveryCalls {
    public static let maxAttendees = 50
    public static let maxAccounts = 50
    public static let maxShortText = 200
    public static let maxLongText = 2_000

    /// What a call's content is checked against: the partnership, the people of its two companies
    /// and the ids of its joint accounts.
    public struct Context: Sendable {
        public var partnership: Partnership
        public var people: [UUID: Person]
        public var accountIDs: Set<UUID>

        public init(partnership: Partnership, people: [Person], accountIDs: Set<UUID>) {
            self.partnership = partnership
            self.people = Dictionary(
                people.filter { partnership.includes($0.organizationID) }.map { ($0.id, $0) },
                uniquingKeysWith: { a, _ in a })
            self.accountIDs = accountIDs
        }
    }

    /// Checks and tidies a call's content; each refusal names the field as the API spells it.
    /// Texts are trimmed; a viable verdict keeps a reason only when one is given.
    public static func validated(_ c: DiscoveryCall.Content, in ctx: Context) throws(DealError) -> DiscoveryCall.Content
    {
        var out = c
        guard (2000...2100).contains(c.heldOn.year) else {
            throw .invalid(field: "held_on", "The call's date must be a day between the years 2000 and 2100.")
        }
        if c.attendeeIDs.isEmpty { throw .invalid(field: "attendee_ids", "Name at least one attendee.") }
        if c.attendeeIDs.count > maxAttendees {
            throw .invalid(field: "attendee_ids", "At most \(maxAttendees) attendees.")
        }
        var seen: Set<UUID> = []
        for (i, id) in c.attendeeIDs.enumerated() {
            guard ctx.people[id] != nil else {
                throw .invalid(
                    field: "attendee_ids[\(i)]",
                    "An attendee must be a person of one of the partnership's two companies.")
            }
            guard seen.insert(id).inserted else {
                throw .invalid(field: "attendee_ids[\(i)]", "That person is named twice.")
            }
        }
        out.useCase.customer = try text(c.useCase.customer, "use_case.customer", max: maxShortText)
        out.useCase.problem = try text(c.useCase.problem, "use_case.problem", max: maxLongText)
        guard c.useCase.contributions.count == 2,
            Set(c.useCase.contributions.map(\.organizationID)) == Set(ctx.partnership.organizationIDs)
        else {
            throw .invalid(
                field: "use_case.contributions",
                "Say what each of the partnership's two companies brings: one text each.")
        }
        for (i, contribution) in c.useCase.contributions.enumerated() {
            out.useCase.contributions[i].text = try text(
                contribution.text, "use_case.contributions[\(i)].text", max: maxLongText)
        }
        if c.accountIDs.isEmpty {
            throw .invalid(field: "account_ids", "Name at least one overlap account the joint motion is about.")
        }
        if c.accountIDs.count > maxAccounts { throw .invalid(field: "account_ids", "At most \(maxAccounts) accounts.") }
        seen = []
        for (i, id) in c.accountIDs.enumerated() {
            guard ctx.accountIDs.contains(id) else {
                throw .invalid(field: "account_ids[\(i)]", "No joint account of this partnership has that id.")
            }
            guard seen.insert(id).inserted else {
                throw .invalid(field: "account_ids[\(i)]", "That account is named twice.")
            }
        }
        out.nextMove.text = try text(c.nextMove.text, "next_move.text", max: maxShortText)
        guard let owner = ctx.people[c.nextMove.ownerID], owner.deactivatedAt == nil else {
            throw .invalid(
                field: "next_move.owner_id",
                "The next move's owner must be an active person of one of the two companies.")
        }
        guard c.nextMove.dueOn >= c.heldOn else {
            throw .invalid(field: "next_move.due_on", "The next move is due on or after the day of the call.")
        }
        let reason = c.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if reason.count > maxLongText {
            throw .invalid(field: "reason", "The reason must be at most \(maxLongText) characters.")
        }
        if reason.isEmpty && c.verdict != .viable {
            throw .invalid(field: "reason", "Say why the joint motion is \(c.verdict.words.lowercased()).")
        }
        out.reason = reason.isEmpty ? nil : reason
        return out
    }

    static func text(_ raw: String, _ field: String, max: Int) throws(DealError) -> String {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, t.count <= max else {
            throw .invalid(field: field, "\(field) must be 1 to \(max) characters.")
        }
        return t
    }

    /// The call with new content. A change of content clears the confirmations (the other company
    /// must confirm what was changed) and counts a version; the same content changes nothing.
    public static func edited(_ call: DiscoveryCall, to content: DiscoveryCall.Content, at: Date) -> DiscoveryCall {
        guard content != call.content else { return call }
        var out = call
        out.content = content
        out.confirmations = []
        out.version += 1
        out.updatedAt = at
        return out
    }

    /// `person` confirms the call for their company: a partner manager or an admin of one of the two
    /// companies, once per company, and only a call with an attendee of each company.
    public static func confirmed(
        _ call: DiscoveryCall, by person: Person, in ctx: Context, at: Date
    ) throws(DealError) -> DiscoveryCall {
        guard ctx.partnership.includes(person.organizationID) else {
            throw .forbidden("Only the partnership's two companies confirm its discovery call.")
        }
        guard person.role == .partnerManager || person.role == .admin else {
            throw .forbidden("Only partner managers and admins confirm a discovery call.")
        }
        if let done = call.confirmations.first(where: { $0.organizationID == person.organizationID }) {
            throw .conflict("\(done.personName) confirmed this call for your company already.")
        }
        for org in ctx.partnership.organizationIDs
        where !call.content.attendeeIDs.contains(where: { ctx.people[$0]?.organizationID == org }) {
            throw .conflict(
                "The call names no attendee of one of the two companies; add who attended for each company before confirming."
            )
        }
        var out = call
        out.confirmations.append(
            .init(organizationID: person.organizationID, personID: person.id, personName: person.name, at: at))
        out.version += 1
        out.updatedAt = at
        return out
    }

    /// The call that counts for the partnership's status: the latest one both companies confirmed
    /// (by the day it was held, then by when it was confirmed).
    public static func counting(_ calls: [DiscoveryCall], in partnership: Partnership) -> DiscoveryCall? {
        calls.filter { $0.isConfirmed(in: partnership) }.max { a, b in
            (a.content.heldOn, a.confirmedAt(in: partnership) ?? .distantPast, a.id.uuidString)
                < (b.content.heldOn, b.confirmedAt(in: partnership) ?? .distantPast, b.id.uuidString)
        }
    }

    /// The most recently recorded call (the one to confirm next).
    public static func latest(_ calls: [DiscoveryCall]) -> DiscoveryCall? {
        calls.max {
            ($0.content.heldOn, $0.createdAt, $0.id.uuidString) < ($1.content.heldOn, $1.createdAt, $1.id.uuidString)
        }
    }

    public static func status(of calls: [DiscoveryCall], in partnership: Partnership) -> DiscoveryStatus {
        if let c = counting(calls, in: partnership) { return .confirmed(c.content.verdict) }
        return calls.isEmpty ? .none : .draft
    }
}
