import Foundation

/// What the reports, the deal board, the home page and the diagnosis read of a deal, without its
/// free-text evidence and timeline: a compact projection of `Deal`.
///
/// The store keeps it as a short line of text next to each deal's JSON document, written in the
/// same transaction, so that a list or a report over many deals parses a few hundred bytes per deal
/// instead of decoding a 5 KB document. The document stays the source of truth: facts are always
/// derived from it by `init(_:playbook:)` and can be rebuilt at any time.
public struct DealFacts: Sendable, Equatable, Identifiable {
    /// How a deal left a stage (the parts of `StagePassage` that reports and the diagnosis read).
    public struct Passage: Sendable, Equatable {
        public var stageKey: String
        public var enteredAt: Date
        public var exitedAt: Date
        public var exit: StageExit

        public init(stageKey: String, enteredAt: Date, exitedAt: Date, exit: StageExit) {
            self.stageKey = stageKey
            self.enteredAt = enteredAt
            self.exitedAt = exitedAt
            self.exit = exit
        }
    }

    /// A move not yet done (of any stage: `openMoves(in:)` gives those that count).
    public struct OpenMove: Sendable, Equatable {
        public var id: UUID
        public var stageKey: String
        public var side: MoveSide
        public var ownerID: UUID?
        public var ownerName: String?
        public var dueOn: LocalDate?
        public var description: String

        public func isOverdue(today: LocalDate) -> Bool { dueOn.map { $0 < today } ?? false }
    }

    /// An active account brief or close plan: who wrote it, who approved it or owns its milestones.
    public struct SharedDocument: Sendable, Equatable {
        public var writtenBy: Side
        /// Brief: the sides that approved it. Close plan: the parties owning its milestones.
        public var parties: [Party]
        /// Close plan: the decision date it aims at.
        public var decisionDate: LocalDate? = nil
        /// Close plan: the earliest date it aimed at, when the decision slipped later.
        public var firstDecisionDate: LocalDate? = nil
    }

    public struct OutcomeFacts: Sendable, Equatable {
        public var result: OutcomeResult
        public var finalAmount: Money
        public var closeDate: LocalDate
        public var recordedAt: Date
        /// A loss's category (what the diagnosis of a lost deal starts from).
        public var lossCategory: LossCategory? = nil
    }

    public struct RegistrationFacts: Sendable, Equatable {
        public var attribution: Attribution
        public var sourcedBy: Side
        /// Pending, accepted, rejected, or lapsed when a win closed after its expiry (facts do not
        /// depend on the reader's day: an accepted registration of a deal not yet won stays accepted).
        public var status: RegistrationState = .accepted

        /// Whether the deal's revenue is the partner's: accepted by both companies, and held on the close date.
        public var counts: Bool { status == .accepted }
    }

    public var id: UUID
    public var partnershipID: UUID
    public var jointAccountID: UUID
    public var hostOrganizationID: UUID
    public var partnerOrganizationID: UUID
    public var playbookID: UUID
    public var playbookVersion: Int
    public var stageIndex: Int
    public var status: DealStatus
    public var createdAt: Date
    public var createdBy: UUID
    public var stageEnteredAt: Date
    public var lastActivityAt: Date
    public var completedAt: Date?
    public var amount: Money?
    public var accountOnOverlap: Bool
    public var title: String
    public var accountName: String
    public var passages: [Passage]
    public var openMoves: [OpenMove]
    /// `Deal.participantIDs`, sorted, as their stored text: most readers never ask, so the ids are
    /// parsed only by `participantIDs`, and `isParticipant` searches the text.
    var participantText: String

    /// `Deal.participantIDs`, sorted.
    public var participantIDs: [UUID] {
        participantText.isEmpty
            ? [] : participantText.split(separator: "\u{1E}").compactMap { UUID(uuidString: String($0)) }
    }

    /// True when the person is one of `participantIDs`. The text holds 36-character ids one separator
    /// apart; they are compared byte by byte with the id's text, built without formatting (sellers'
    /// lists test every deal they might see).
    public func isParticipant(_ personID: UUID) -> Bool {
        let needle = UUIDText(personID)
        var text = participantText
        return text.withUTF8 { buf in
            var i = 0
            while i + 36 <= buf.count {
                if needle.matches(buf, at: i) { return true }
                i += 37
            }
            return false
        }
    }
    /// The owners of the current stage's moves, done or not, in move order without repeats.
    public var stageOwnerIDs: [UUID]
    public var hostFit: Fit?
    public var partnerFit: Fit?
    /// The side of the named door-opener, nil while none is named.
    public var doorOpenerSide: Side?
    public var suggestedDoorOpener: Side?
    public var firstMeetingBooked: Bool
    public var activeBriefs: [SharedDocument]
    public var activeClosePlans: [SharedDocument]
    public var customerConfirmed: Bool
    public var outcome: OutcomeFacts?
    /// The person each company committed to working the account: the deal's owner on that company
    /// (what the adoption report groups by).
    public var committedIDs = SidePair<UUID>()
    public var registration: RegistrationFacts?
    /// Lessons captured by the deal's review; nil when it has no review.
    public var reviewLessons: Int?
    /// How many parts of the current stage's exit criterion are met, of how many; nil when the
    /// playbook version was not at hand when the facts were written.
    public var gateMet: Int?
    public var gateTotal: Int?
    /// What the deal owes for its current stage (`NextActions.pending`); empty when the playbook
    /// version was not at hand or the deal is out of play.
    public var pendingActions: [PendingAction] = []
    /// The stored version of the deal (not part of the encoded text: the store's column holds it).
    public var version: Int

    /// The facts of `deal`; with its playbook version, also the state of the current stage's gate.
    public init(_ deal: Deal, playbook: Playbook? = nil) {
        id = deal.id
        partnershipID = deal.partnershipID
        jointAccountID = deal.jointAccountID
        hostOrganizationID = deal.hostOrganizationID
        partnerOrganizationID = deal.partnerOrganizationID
        playbookID = deal.playbookID
        playbookVersion = deal.playbookVersion
        stageIndex = deal.stageIndex
        status = deal.status
        createdAt = deal.createdAt
        createdBy = deal.createdBy
        stageEnteredAt = deal.stageEnteredAt
        lastActivityAt = deal.lastActivityAt
        completedAt = deal.completedAt
        amount = deal.amount
        accountOnOverlap = deal.accountOnOverlap
        title = deal.title
        accountName = deal.accountName
        passages = deal.passages.map {
            Passage(stageKey: $0.stageKey, enteredAt: $0.enteredAt, exitedAt: $0.exitedAt, exit: $0.exit)
        }
        openMoves = deal.moves.filter { $0.doneAt == nil }.map {
            OpenMove(
                id: $0.id, stageKey: $0.stageKey, side: $0.side, ownerID: $0.ownerID, ownerName: $0.ownerName,
                dueOn: $0.dueOn, description: $0.description)
        }
        participantText = deal.participantIDs.map(\.uuidString).sorted().joined(separator: "\u{1E}")
        let ev = deal.evidence
        hostFit = ev.targetSelection.icpFit.host?.fit
        partnerFit = ev.targetSelection.icpFit.partner?.fit
        doorOpenerSide = ev.doorOpener.doorOpener?.side
        suggestedDoorOpener = deal.suggestedDoorOpener
        firstMeetingBooked = ev.doorOpener.firstMeeting != nil
        activeBriefs = ev.jointDiscovery.activeBriefs.map { b in
            SharedDocument(
                writtenBy: b.writtenBy, parties: Side.allCases.filter { b.approvals[$0] != nil }.map(Party.init))
        }
        activeClosePlans = ev.jointPursuit.activeClosePlans.map { p in
            SharedDocument(
                writtenBy: p.writtenBy, parties: Party.allCases.filter(p.ownerParties.contains),
                decisionDate: p.decisionDate, firstDecisionDate: p.firstDecisionDate)
        }
        customerConfirmed = ev.jointPursuit.customerConfirmation != nil
        committedIDs = SidePair(
            host: ev.targetSelection.commitments.host?.personID,
            partner: ev.targetSelection.commitments.partner?.personID)
        outcome = ev.close.outcome.map {
            OutcomeFacts(
                result: $0.result, finalAmount: $0.finalAmount, closeDate: $0.closeDate, recordedAt: $0.recordedAt,
                lossCategory: $0.result == .lost ? $0.lossCategory : nil)
        }
        let wonOn = ev.close.outcome?.wonOn
        registration = ev.close.registration.map {
            RegistrationFacts(
                attribution: $0.attribution, sourcedBy: $0.sourcedBy,
                status: $0.isLapsed(on: wonOn ?? LocalDate(deal.createdAt), wonOn: wonOn)
                    ? .lapsed : RegistrationState(rawValue: $0.status.rawValue) ?? .pending)
        }
        reviewLessons = ev.close.review?.lessons.count
        version = deal.version
        stageOwnerIDs = []
        if let playbook, playbook.id == deal.playbookID, playbook.stages.indices.contains(deal.stageIndex) {
            let stage = playbook.stages[deal.stageIndex]
            let gate = Gate.evaluate(deal, stage: stage, in: playbook)
            gateMet = gate.metCount
            gateTotal = gate.parts.count
            pendingActions = NextActions.pending(deal, playbook: playbook)
            var seen = Set<UUID>()
            for m in deal.moves where m.stageKey == stage.key {
                if let o = m.ownerID, seen.insert(o).inserted { stageOwnerIDs.append(o) }
            }
        }
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

    /// The key of the stage whose moves count as open and overdue: the current stage; for a deal lost
    /// before the last stage, the last stage (the same rule as `Deal.movesStageKey(in:)`).
    public func movesStageKey(in playbook: Playbook) -> String? {
        Deal.movesStageIndex(stageIndex: stageIndex, status: status, stageCount: playbook.stages.count).map {
            playbook.stages[$0].key
        }
    }

    /// The open moves that count as open and overdue: those of `movesStageKey(in:)`. `openMoves` keeps
    /// every move not done, of every stage; a move left undone in a stage the deal has left does not count.
    public func openMoves(in playbook: Playbook) -> [OpenMove] {
        guard let key = movesStageKey(in: playbook) else { return [] }
        return openMoves.filter { $0.stageKey == key }
    }

    /// The same rule as `Deal.isInPlay`.
    public var isInPlay: Bool {
        completedAt == nil && (status == .open || status == .won || status == .lost)
    }

    /// The sides that owe a move of this kind on this deal.
    public func sides(of side: MoveSide) -> [Side] { side.sides(doorOpener: doorOpenerSide ?? suggestedDoorOpener) }
}

extension MoveSide {
    /// The sides that owe a move: for door-opener moves the door-opener's side (the named one, else
    /// the suggested one), or both while neither is known.
    public func sides(doorOpener: Side?) -> [Side] {
        switch self {
        case .host: return [.host]
        case .partner: return [.partner]
        case .both: return [.host, .partner]
        case .doorOpener: return doorOpener.map { [$0] } ?? [.host, .partner]
        }
    }
}

extension Party {
    init(_ side: Side) { self = side == .host ? .host : .partner }
}
