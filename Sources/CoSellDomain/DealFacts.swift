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

    /// A move not yet done.
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
    }

    public struct OutcomeFacts: Sendable, Equatable {
        public var result: OutcomeResult
        public var finalAmount: Money
        public var closeDate: LocalDate
        public var recordedAt: Date
    }

    public struct RegistrationFacts: Sendable, Equatable {
        public var attribution: Attribution
        public var sourcedBy: Side
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
    public var registration: RegistrationFacts?
    /// Lessons captured by the deal's review; nil when it has no review.
    public var reviewLessons: Int?
    /// How many parts of the current stage's exit criterion are met, of how many; nil when the
    /// playbook version was not at hand when the facts were written.
    public var gateMet: Int?
    public var gateTotal: Int?
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
            SharedDocument(writtenBy: p.writtenBy, parties: Party.allCases.filter(p.ownerParties.contains))
        }
        customerConfirmed = ev.jointPursuit.customerConfirmation != nil
        outcome = ev.close.outcome.map {
            OutcomeFacts(
                result: $0.result, finalAmount: $0.finalAmount, closeDate: $0.closeDate, recordedAt: $0.recordedAt)
        }
        registration = ev.close.registration.map {
            RegistrationFacts(attribution: $0.attribution, sourcedBy: $0.sourcedBy)
        }
        reviewLessons = ev.close.review?.lessons.count
        version = deal.version
        stageOwnerIDs = []
        if let playbook, playbook.id == deal.playbookID, playbook.stages.indices.contains(deal.stageIndex) {
            let stage = playbook.stages[deal.stageIndex]
            let gate = Gate.evaluate(deal, stage: stage, in: playbook)
            gateMet = gate.metCount
            gateTotal = gate.parts.count
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

// MARK: - the stored text

extension DealFacts {
    /// The format's first field; a stored line with another marker is rebuilt from the document.
    public static let formatMarker = "f2"

    // Separators: fields, list items, parts of an item. Control characters that never occur in the
    // values, and escaped in free text when they do.
    static let fieldSeparator: UInt8 = 0x1F
    static let itemSeparator: UInt8 = 0x1E
    static let partSeparator: UInt8 = 0x1D
    static let escape: UInt8 = 0x5C  // backslash

    /// The facts as one line of text (without `version`).
    public func encoded() -> String {
        var f: [String] = []
        f.reserveCapacity(36)
        f.append(Self.formatMarker)
        f.append(id.uuidString)
        f.append(partnershipID.uuidString)
        f.append(jointAccountID.uuidString)
        f.append(hostOrganizationID.uuidString)
        f.append(partnerOrganizationID.uuidString)
        f.append(playbookID.uuidString)
        f.append(String(playbookVersion))
        f.append(String(stageIndex))
        f.append(status.rawValue)
        f.append(Self.text(createdAt))
        f.append(createdBy.uuidString)
        f.append(Self.text(stageEnteredAt))
        f.append(Self.text(lastActivityAt))
        f.append(completedAt.map(Self.text) ?? "")
        f.append(amount.map(Self.text) ?? "")
        f.append(accountOnOverlap ? "1" : "0")
        f.append(Self.escaped(title))
        f.append(Self.escaped(accountName))
        f.append(
            Self.list(
                passages.map {
                    [Self.escaped($0.stageKey), Self.text($0.enteredAt), Self.text($0.exitedAt), $0.exit.rawValue]
                }))
        f.append(
            Self.list(
                openMoves.map {
                    [
                        $0.id.uuidString, Self.escaped($0.stageKey), $0.side.rawValue, $0.ownerID?.uuidString ?? "",
                        $0.ownerName.map { "=" + Self.escaped($0) } ?? "", $0.dueOn?.description ?? "",
                        Self.escaped($0.description),
                    ]
                }))
        f.append(participantText)
        f.append(Self.list(stageOwnerIDs.map { [$0.uuidString] }))
        f.append(hostFit?.rawValue ?? "")
        f.append(partnerFit?.rawValue ?? "")
        f.append(doorOpenerSide?.rawValue ?? "")
        f.append(suggestedDoorOpener?.rawValue ?? "")
        f.append(firstMeetingBooked ? "1" : "0")
        f.append(Self.list(activeBriefs.map { [$0.writtenBy.rawValue] + $0.parties.map(\.rawValue) }))
        f.append(Self.list(activeClosePlans.map { [$0.writtenBy.rawValue] + $0.parties.map(\.rawValue) }))
        f.append(customerConfirmed ? "1" : "0")
        f.append(
            outcome.map {
                Self.parts([
                    $0.result.rawValue, Self.text($0.finalAmount), $0.closeDate.description, Self.text($0.recordedAt),
                ])
            } ?? "")
        f.append(registration.map { Self.parts([$0.attribution.rawValue, $0.sourcedBy.rawValue]) } ?? "")
        f.append(reviewLessons.map(String.init) ?? "")
        f.append(gateMet.map(String.init) ?? "")
        f.append(gateTotal.map(String.init) ?? "")
        return f.joined(separator: "\u{1F}")
    }

    /// Parses `encoded()`; nil when the text is not in this format (an older marker, or damage).
    public init?(encoded text: String, version: Int) {
        var reader = FactsReader(Array(text.utf8))
        guard reader.string() == Self.formatMarker,
            let id = reader.uuid(), let partnershipID = reader.uuid(), let jointAccountID = reader.uuid(),
            let host = reader.uuid(), let partner = reader.uuid(), let playbookID = reader.uuid(),
            let playbookVersion = reader.int(), let stageIndex = reader.int(),
            let status = DealStatus(rawValue: reader.string()), let createdAt = reader.date(),
            let createdBy = reader.uuid(), let stageEnteredAt = reader.date(), let lastActivityAt = reader.date()
        else { return nil }
        let completedAt = reader.optionalDate()
        guard let completedAt, let amount = reader.optionalMoney() else { return nil }
        let overlap = reader.string() == "1"
        let title = reader.text()
        let accountName = reader.text()
        var passages: [Passage] = []
        let passagesRead = reader.eachItem { p in
            guard p.count == 4, let entered = FactsReader.date(p[1]), let exited = FactsReader.date(p[2]),
                let exit = StageExit(rawValue: FactsReader.string(p[3]))
            else { return false }
            passages.append(
                Passage(stageKey: FactsReader.text(p[0]), enteredAt: entered, exitedAt: exited, exit: exit))
            return true
        }
        var moves: [OpenMove] = []
        let movesRead = reader.eachItem { m in
            guard m.count == 7, let moveID = FactsReader.uuid(m[0]),
                let side = MoveSide(rawValue: FactsReader.string(m[2]))
            else { return false }
            let owner = m[3].isEmpty ? nil : FactsReader.uuid(m[3])
            let ownerName = m[4].isEmpty ? nil : FactsReader.text(m[4].dropFirst())
            let due = m[5].isEmpty ? nil : FactsReader.localDate(m[5])
            moves.append(
                OpenMove(
                    id: moveID, stageKey: FactsReader.text(m[1]), side: side, ownerID: owner, ownerName: ownerName,
                    dueOn: due, description: FactsReader.text(m[6])))
            return true
        }
        guard passagesRead, movesRead else { return nil }
        let participants = reader.string()
        guard let owners = reader.uuids() else { return nil }
        let hostFit = Fit(rawValue: reader.string())
        let partnerFit = Fit(rawValue: reader.string())
        let doorOpenerSide = Side(rawValue: reader.string())
        let suggested = Side(rawValue: reader.string())
        let meeting = reader.string() == "1"
        func documents(_ reader: inout FactsReader) -> [SharedDocument]? {
            var out: [SharedDocument] = []
            let read = reader.eachItem { d in
                guard let w = d.first.flatMap({ Side(rawValue: FactsReader.string($0)) }) else { return false }
                out.append(
                    SharedDocument(
                        writtenBy: w, parties: d.dropFirst().compactMap { Party(rawValue: FactsReader.string($0)) }))
                return true
            }
            return read ? out : nil
        }
        guard let briefs = documents(&reader), let plans = documents(&reader) else { return nil }
        let confirmed = reader.string() == "1"
        var outcome: OutcomeFacts? = nil
        let o = reader.parts()
        if !o.isEmpty {
            guard o.count == 4, let result = OutcomeResult(rawValue: FactsReader.string(o[0])),
                let final = FactsReader.money(o[1]), let close = FactsReader.localDate(o[2]),
                let recorded = FactsReader.date(o[3])
            else { return nil }
            outcome = OutcomeFacts(result: result, finalAmount: final, closeDate: close, recordedAt: recorded)
        }
        var registration: RegistrationFacts? = nil
        let r = reader.parts()
        if !r.isEmpty {
            guard r.count == 2, let a = Attribution(rawValue: FactsReader.string(r[0])),
                let s = Side(rawValue: FactsReader.string(r[1]))
            else { return nil }
            registration = RegistrationFacts(attribution: a, sourcedBy: s)
        }
        let lessons = reader.optionalInt()
        let gateMet = reader.optionalInt()
        let gateTotal = reader.optionalInt()
        guard reader.isAtEnd, let lessons, let gateMet, let gateTotal else { return nil }

        self.id = id
        self.partnershipID = partnershipID
        self.jointAccountID = jointAccountID
        self.hostOrganizationID = host
        self.partnerOrganizationID = partner
        self.playbookID = playbookID
        self.playbookVersion = playbookVersion
        self.stageIndex = stageIndex
        self.status = status
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.stageEnteredAt = stageEnteredAt
        self.lastActivityAt = lastActivityAt
        self.completedAt = completedAt
        self.amount = amount
        self.accountOnOverlap = overlap
        self.title = title
        self.accountName = accountName
        self.passages = passages
        self.openMoves = moves
        self.participantText = participants
        self.stageOwnerIDs = owners
        self.hostFit = hostFit
        self.partnerFit = partnerFit
        self.doorOpenerSide = doorOpenerSide
        self.suggestedDoorOpener = suggested
        self.firstMeetingBooked = meeting
        self.activeBriefs = briefs
        self.activeClosePlans = plans
        self.customerConfirmed = confirmed
        self.outcome = outcome
        self.registration = registration
        self.reviewLessons = lessons
        self.gateMet = gateMet
        self.gateTotal = gateTotal
        self.version = version
    }

    // Dates keep their exact Double value (seconds since 2001, as `Date` holds them) as the hex digits
    // of its bits: exact, and read back without decimal conversion.
    static func text(_ date: Date) -> String { String(date.timeIntervalSinceReferenceDate.bitPattern, radix: 16) }

    static func text(_ money: Money) -> String { String(money.minorUnits) + " " + money.currency.code }

    static func parts(_ values: [String]) -> String { values.joined(separator: "\u{1D}") }

    static func list(_ items: [[String]]) -> String { items.map(parts).joined(separator: "\u{1E}") }

    /// Free text with the separators and the backslash escaped, so any title survives.
    static func escaped(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == escape || (0x1C...0x1F).contains($0) }) else { return s }
        var out = ""
        for ch in s.unicodeScalars {
            switch ch.value {
            case 0x5C: out += "\\\\"
            // 0x1C...0x1F become \l, \m, \n, \o.
            case 0x1C...0x1F: out += "\\" + String(Character(UnicodeScalar(UInt8(ch.value) + 0x50)))
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// Reads the fields of a facts line from its UTF-8 bytes, left to right.
struct FactsReader {
    let bytes: [UInt8]
    var position = 0
    var failed = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { !failed && position > bytes.count }

    /// The next field's bytes; marks the reader failed when the line has no more fields.
    mutating func field() -> ArraySlice<UInt8> {
        guard position <= bytes.count else {
            failed = true
            return []
        }
        var end = position
        while end < bytes.count && bytes[end] != DealFacts.fieldSeparator { end += 1 }
        let f = bytes[position..<end]
        position = end + 1
        return f
    }

    mutating func string() -> String { Self.string(field()) }
    mutating func text() -> String { Self.text(field()) }
    mutating func uuid() -> UUID? { Self.uuid(field()) }
    mutating func date() -> Date? { Self.date(field()) }
    mutating func int() -> Int? { Self.int(field()) }

    /// `.some(nil)` for an empty field, nil when the field is not a date.
    mutating func optionalDate() -> Date?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.date(f).map { .some($0) }
    }

    mutating func optionalMoney() -> Money?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.money(f).map { .some($0) }
    }

    mutating func optionalInt() -> Int?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.int(f).map { .some($0) }
    }

    /// Hands each item of a list field to `body`, split in its parts (in one reused array); false
    /// when `body` refused an item.
    mutating func eachItem(_ body: ([ArraySlice<UInt8>]) -> Bool) -> Bool {
        let f = field()
        if f.isEmpty { return !failed }
        var parts: [ArraySlice<UInt8>] = []
        parts.reserveCapacity(8)
        var partStart = f.startIndex
        var i = f.startIndex
        while true {
            let atEnd = i == f.endIndex
            let c = atEnd ? DealFacts.itemSeparator : f[i]
            if c == DealFacts.partSeparator || c == DealFacts.itemSeparator {
                parts.append(f[partStart..<i])
                partStart = i + 1
                if c == DealFacts.itemSeparator {
                    guard body(parts) else { return false }
                    parts.removeAll(keepingCapacity: true)
                }
            }
            if atEnd { return true }
            i += 1
        }
    }

    mutating func parts() -> [ArraySlice<UInt8>] {
        let f = field()
        if f.isEmpty { return [] }
        return f.split(separator: DealFacts.partSeparator, omittingEmptySubsequences: false)
    }

    static func string(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    static func text(_ b: ArraySlice<UInt8>) -> String {
        guard b.contains(DealFacts.escape) else { return string(b) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        while i < b.endIndex {
            if b[i] == DealFacts.escape, i + 1 < b.endIndex {
                let n = b[i + 1]
                out.append(n == DealFacts.escape ? n : n &- 0x50)
                i += 2
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func int(_ b: ArraySlice<UInt8>) -> Int? {
        guard !b.isEmpty, b.count < 19 else { return nil }
        var v = 0
        var negative = false
        for (k, c) in b.enumerated() {
            if k == 0 && c == 0x2D {
                negative = true
                continue
            }
            guard (0x30...0x39).contains(c) else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return negative ? -v : v
    }

    static func date(_ b: ArraySlice<UInt8>) -> Date? {
        guard !b.isEmpty, b.count <= 16 else { return nil }
        var bits: UInt64 = 0
        for c in b {
            guard let v = hex(c) else { return nil }
            bits = bits << 4 | UInt64(v)
        }
        return Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits))
    }

    @inline(__always) static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c &- 0x30
        case 0x41...0x46: return c &- 0x41 &+ 10
        case 0x61...0x66: return c &- 0x61 &+ 10
        default: return nil
        }
    }

    static func money(_ b: ArraySlice<UInt8>) -> Money? {
        guard let space = b.firstIndex(of: 0x20), let minor = int(b[b.startIndex..<space]).map(Int64.init),
            let currency = Currency(code: string(b[(space + 1)...]))
        else { return nil }
        return Money(minorUnits: minor, currency: currency)
    }

    /// A UUID from its 36-character text, without going through `String`.
    static func uuid(_ b: ArraySlice<UInt8>) -> UUID? {
        guard b.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var n = 0
        var k = 0
        for c in b {
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard c == 0x2D else { return nil }
            } else {
                guard let v = hex(c) else { return nil }
                if n < 16 { high = high << 4 | UInt64(v) } else { low = low << 4 | UInt64(v) }
                n += 1
            }
            k += 1
        }
        func byte(_ x: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: x >> UInt64(56 - 8 * i)) }
        return UUID(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4),
                byte(low, 5), byte(low, 6), byte(low, 7)
            ))
    }

    /// A calendar day from its `YYYY-MM-DD` text.
    static func localDate(_ b: ArraySlice<UInt8>) -> LocalDate? {
        guard b.count == 10, b[b.startIndex + 4] == 0x2D, b[b.startIndex + 7] == 0x2D,
            let y = int(b[b.startIndex..<(b.startIndex + 4)]), let m = int(b[(b.startIndex + 5)..<(b.startIndex + 7)]),
            let d = int(b[(b.startIndex + 8)...]), y >= 0, m >= 0, d >= 0
        else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// A list field of UUIDs, without building the items first.
    mutating func uuids() -> [UUID]? {
        let f = field()
        if f.isEmpty { return [] }
        var out: [UUID] = []
        out.reserveCapacity(f.count / 37 + 1)
        var start = f.startIndex
        while start <= f.endIndex {
            let end = f[start...].firstIndex(of: DealFacts.itemSeparator) ?? f.endIndex
            guard let u = Self.uuid(f[start..<end]) else { return nil }
            out.append(u)
            start = end + 1
        }
        return out
    }
}

/// A UUID's upper-case text (as `uuidString` writes it), in 36 bytes on the stack.
struct UUIDText {
    private var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64)  // 40 bytes, the last 4 unused

    init(_ id: UUID) {
        bytes = (0, 0, 0, 0, 0)
        let u = id.uuid
        withUnsafeMutableBytes(of: &bytes) { out in
            withUnsafeBytes(of: u) { raw in
                let hex: StaticString = "0123456789ABCDEF"
                let digits = hex.utf8Start
                var o = 0
                for (i, b) in raw.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = 0x2D  // "-"
                        o += 1
                    }
                    out[o] = digits[Int(b >> 4)]
                    out[o + 1] = digits[Int(b & 0x0F)]
                    o += 2
                }
            }
        }
    }

    /// Whether `buffer` holds this text at `offset` (36 bytes from there must exist).
    func matches(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        withUnsafeBytes(of: bytes) { mine in
            for k in 0..<36 where buffer[offset + k] != mine[k] { return false }
            return true
        }
    }
}
