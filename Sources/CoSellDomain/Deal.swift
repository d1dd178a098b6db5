import Foundation

public enum DealStatus: String, Codable, Sendable, CaseIterable {
    case open
    case won
    case lost
    case abandoned
    /// The partnership ended while the deal was open.
    case ended

    public var isClosed: Bool { self != .open }
}

/// A piece of work inside a stage, owned by one side and one named person, due on a day.
public struct DealMove: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var stageKey: String
    public var templateKey: String?
    public var description: String
    public var side: MoveSide
    public var ownerID: UUID?
    public var ownerName: String?
    public var dueOn: LocalDate?
    public var doneAt: Date?

    public init(
        id: UUID, stageKey: String, templateKey: String?, description: String, side: MoveSide, ownerID: UUID? = nil,
        ownerName: String? = nil, dueOn: LocalDate? = nil, doneAt: Date? = nil
    ) {
        self.id = id
        self.stageKey = stageKey
        self.templateKey = templateKey
        self.description = description
        self.side = side
        self.ownerID = ownerID
        self.ownerName = ownerName
        self.dueOn = dueOn
        self.doneAt = doneAt
    }

    public func isOverdue(today: LocalDate) -> Bool {
        guard doneAt == nil, let due = dueOn else { return false }
        return due < today
    }
}

/// How a deal left a stage.
public enum StageExit: String, Codable, Sendable {
    /// The exit criterion was met, with evidence.
    case passed
    /// An admin overrode the gate with a written reason; the stage counts as skipped.
    case skipped
    /// The deal went back to the stage before, with a reason: the days spent here still count.
    case movedBack = "moved_back"
}

public struct StagePassage: Codable, Sendable, Equatable {
    public var stageKey: String
    public var enteredAt: Date
    public var exitedAt: Date
    public var exit: StageExit
    public var by: UUID
    public var reason: String?
    /// The parts of the criterion that were unmet when an override skipped the stage.
    public var unmetAtExit: [String]
    /// The admin of the other company who confirmed an override that skipped that company's parts
    /// (the second key); nil for a pass, or an override of the overriding company's own parts.
    public var confirmedBy: UUID?

    public init(
        stageKey: String, enteredAt: Date, exitedAt: Date, exit: StageExit, by: UUID, reason: String?,
        unmetAtExit: [String]
    ) {
        self.stageKey = stageKey
        self.enteredAt = enteredAt
        self.exitedAt = exitedAt
        self.exit = exit
        self.by = by
        self.reason = reason
        self.unmetAtExit = unmetAtExit
    }
}

/// An admin's override of a gate whose unmet parts include the other company's (its fit, its
/// commitment, its approval): it takes effect only when an admin of that company confirms it (the
/// second key) before `expiresAt`.
public struct OverrideRequest: Codable, Sendable, Equatable {
    public var stageKey: String
    public var reason: String
    public var requestedBy: UUID
    public var requestedByName: String
    /// The side of the admin who asked; the other side confirms.
    public var side: Side
    public var requestedAt: Date
    public var expiresAt: Date
    /// The other company's unmet parts the override would skip, as the gate words them.
    public var parts: [String]

    public init(
        stageKey: String, reason: String, requestedBy: UUID, requestedByName: String, side: Side, requestedAt: Date,
        expiresAt: Date, parts: [String]
    ) {
        self.stageKey = stageKey
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedByName = requestedByName
        self.side = side
        self.requestedAt = requestedAt
        self.expiresAt = expiresAt
        self.parts = parts
    }
}

/// A joint opportunity on one account within a partnership.
public struct Deal: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var partnershipID: UUID
    public var jointAccountID: UUID
    public var accountName: String
    /// True when the account came from the partnership's overlap; otherwise `accountReason` says why.
    public var accountOnOverlap: Bool
    public var accountReason: String?
    public var title: String
    public var hostOrganizationID: UUID
    public var partnerOrganizationID: UUID
    public var playbookID: UUID
    public var playbookVersion: Int
    public var stageIndex: Int
    public var stageEnteredAt: Date
    public var lastActivityAt: Date
    public var status: DealStatus
    public var statusReason: String?
    public var amount: Money?
    public var expectedCloseDate: LocalDate?
    public var moves: [DealMove]
    public var evidence: DealEvidence
    public var passages: [StagePassage]
    /// The side account mapping suggests as door-opener (from the overlap's play), before one is named.
    public var suggestedDoorOpener: Side?
    /// Set when the last stage's criterion was met: the deal is closed, registered and reviewed.
    public var completedAt: Date?
    public var createdAt: Date
    public var createdBy: UUID
    /// Optimistic-concurrency version: every saved change adds one.
    public var version: Int
    /// An override waiting for the other company's admin (two keys), if any.
    public var pendingOverride: OverrideRequest?
    /// Why this deal was opened while another deal on the same account was open (a different opportunity).
    public var parallelReason: String?

    public init(
        id: UUID, partnershipID: UUID, jointAccountID: UUID, accountName: String, accountOnOverlap: Bool,
        accountReason: String?, title: String, hostOrganizationID: UUID, partnerOrganizationID: UUID,
        playbookID: UUID, playbookVersion: Int, stageIndex: Int = 0, stageEnteredAt: Date, lastActivityAt: Date,
        status: DealStatus = .open, statusReason: String? = nil, amount: Money?, expectedCloseDate: LocalDate?,
        moves: [DealMove] = [], evidence: DealEvidence = .init(), passages: [StagePassage] = [],
        completedAt: Date? = nil, createdAt: Date, createdBy: UUID, version: Int = 1
    ) {
        self.id = id
        self.partnershipID = partnershipID
        self.jointAccountID = jointAccountID
        self.accountName = accountName
        self.accountOnOverlap = accountOnOverlap
        self.accountReason = accountReason
        self.title = title
        self.hostOrganizationID = hostOrganizationID
        self.partnerOrganizationID = partnerOrganizationID
        self.playbookID = playbookID
        self.playbookVersion = playbookVersion
        self.stageIndex = stageIndex
        self.stageEnteredAt = stageEnteredAt
        self.lastActivityAt = lastActivityAt
        self.status = status
        self.statusReason = statusReason
        self.amount = amount
        self.expectedCloseDate = expectedCloseDate
        self.moves = moves
        self.evidence = evidence
        self.passages = passages
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.version = version
    }

    public func organizationID(of side: Side) -> UUID {
        side == .host ? hostOrganizationID : partnerOrganizationID
    }

    /// The side an organization plays in this deal, or nil when it is not one of the two.
    public func side(of organizationID: UUID) -> Side? {
        if organizationID == hostOrganizationID { return .host }
        if organizationID == partnerOrganizationID { return .partner }
        return nil
    }

    /// The people on the deal: who opened it, owns a move, or signed its evidence. A seller sees the
    /// deals they are on; the store keeps this set in a table so pages can find a person's deals.
    public var participantIDs: Set<UUID> {
        var ids: Set<UUID> = [createdBy]
        for m in moves { if let o = m.ownerID { ids.insert(o) } }
        let e = evidence
        for s in [e.targetSelection.commitments.host, e.targetSelection.commitments.partner] {
            if let s { ids.insert(s.personID) }
        }
        for b in e.jointDiscovery.briefs {
            if let a = b.approvals.host { ids.insert(a.personID) }
            if let a = b.approvals.partner { ids.insert(a.personID) }
        }
        for f in [e.targetSelection.icpFit.host, e.targetSelection.icpFit.partner] {
            if let f { ids.insert(f.recordedBy) }
        }
        if let o = e.doorOpener.doorOpener?.ownerID { ids.insert(o) }
        if let r = e.close.registration?.registeredBy { ids.insert(r) }
        return ids
    }

    /// The earliest due date among the moves not yet done, of every stage. `nextDueOn(in:)` gives the
    /// earliest among the moves that count (those of the stage the deal is working through).
    public var nextDueOn: LocalDate? {
        moves.lazy.filter { $0.doneAt == nil }.compactMap(\.dueOn).min()
    }

    /// The key of the stage whose moves count as open and overdue (`Deal.movesStageIndex`).
    public func movesStageKey(in playbook: Playbook) -> String? {
        Deal.movesStageIndex(stageIndex: stageIndex, status: status, stageCount: playbook.stages.count).map {
            playbook.stages[$0].key
        }
    }

    /// The moves not yet done that count: those of the stage the deal is working through
    /// (`movesStageKey(in:)`). Moves left undone in a stage the deal has left, or added to a later one,
    /// are kept but do not count.
    public func openMoves(in playbook: Playbook) -> [DealMove] {
        guard let key = movesStageKey(in: playbook) else { return [] }
        return moves.filter { $0.doneAt == nil && $0.stageKey == key }
    }

    /// The earliest due date among the moves that count (`openMoves(in:)`).
    public func nextDueOn(in playbook: Playbook) -> LocalDate? {
        openMoves(in: playbook).compactMap(\.dueOn).min()
    }

    /// The index of the stage whose moves count as open and overdue: the current stage, except for a deal
    /// lost before the last stage, which goes straight to its review: the last stage. Nil when the index
    /// is not one of the playbook's stages.
    static func movesStageIndex(stageIndex: Int, status: DealStatus, stageCount: Int) -> Int? {
        guard (0..<stageCount).contains(stageIndex) else { return nil }
        return status == .lost ? stageCount - 1 : stageIndex
    }

    /// Still being worked through the playbook: open, or closed but not yet registered and reviewed.
    public var isInPlay: Bool {
        completedAt == nil && (status == .open || status == .won || status == .lost)
    }
}

/// One entry of a deal's timeline: who changed what, when, with the part before and after.
public struct DealEvent: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var dealID: UUID
    public var sequence: Int
    public var at: Date
    public var actorID: UUID
    public var actorName: String
    public var kind: String
    public var summary: String
    /// The changed part as JSON before and after the change (nil where it did not exist).
    public var before: String?
    public var after: String?

    public init(
        id: UUID, dealID: UUID, sequence: Int, at: Date, actorID: UUID, actorName: String, kind: String,
        summary: String, before: String?, after: String?
    ) {
        self.id = id
        self.dealID = dealID
        self.sequence = sequence
        self.at = at
        self.actorID = actorID
        self.actorName = actorName
        self.kind = kind
        self.summary = summary
        self.before = before
        self.after = after
    }
}
