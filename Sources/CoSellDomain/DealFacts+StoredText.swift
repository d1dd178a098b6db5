import Foundation

extension DealFacts {
    /// The format's first field; a stored line with another marker is rebuilt from the document.
    public static let formatMarker = "f3"

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
        // A close plan's decision date is one more part, `d` and the date (older lines have none).
        f.append(
            Self.list(
                activeClosePlans.map {
                    [$0.writtenBy.rawValue] + $0.parties.map(\.rawValue)
                        + ($0.decisionDate.map { ["d" + $0.description] } ?? [])
                        + ($0.firstDecisionDate.map { ["f" + $0.description] } ?? [])
                }))
        f.append(customerConfirmed ? "1" : "0")
        f.append(
            outcome.map {
                Self.parts(
                    [
                        $0.result.rawValue, Self.text($0.finalAmount), $0.closeDate.description,
                        Self.text($0.recordedAt),
                    ] + ($0.lossCategory.map { [$0.rawValue] } ?? []))
            } ?? "")
        f.append(
            registration.map { Self.parts([$0.attribution.rawValue, $0.sourcedBy.rawValue, $0.status.rawValue]) } ?? "")
        f.append(reviewLessons.map(String.init) ?? "")
        f.append(gateMet.map(String.init) ?? "")
        f.append(gateTotal.map(String.init) ?? "")
        f.append(
            Self.list(
                pendingActions.map {
                    [
                        Self.escaped($0.part), $0.sides.map(\.rawValue).joined(separator: ","),
                        $0.moveID?.uuidString ?? "", $0.ownerID?.uuidString ?? "", $0.dueOn?.description ?? "",
                        $0.blockedBy.map(Self.escaped).joined(separator: ","),
                    ]
                }))
        // The last field (lines written before it have none): each company's committed person.
        f.append(Self.parts([committedIDs.host?.uuidString ?? "", committedIDs.partner?.uuidString ?? ""]))
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
                let rest = d.dropFirst().map { FactsReader.string($0) }
                out.append(
                    SharedDocument(
                        writtenBy: w, parties: rest.compactMap { Party(rawValue: $0) },
                        decisionDate: rest.first { $0.hasPrefix("d") }.flatMap { LocalDate(String($0.dropFirst())) },
                        firstDecisionDate: rest.first { $0.hasPrefix("f") }.flatMap {
                            LocalDate(String($0.dropFirst()))
                        }
                    ))
                return true
            }
            return read ? out : nil
        }
        guard let briefs = documents(&reader), let plans = documents(&reader) else { return nil }
        let confirmed = reader.string() == "1"
        var outcome: OutcomeFacts? = nil
        let o = reader.parts()
        if !o.isEmpty {
            // A fifth part, the loss's category, since migration 0026; facts written before have four.
            guard o.count == 4 || o.count == 5, let result = OutcomeResult(rawValue: FactsReader.string(o[0])),
                let final = FactsReader.money(o[1]), let close = FactsReader.localDate(o[2]),
                let recorded = FactsReader.date(o[3])
            else { return nil }
            var category: LossCategory? = nil
            if o.count == 5 {
                guard let c = LossCategory(rawValue: FactsReader.string(o[4])) else { return nil }
                category = c
            }
            outcome = OutcomeFacts(
                result: result, finalAmount: final, closeDate: close, recordedAt: recorded, lossCategory: category)
        }
        var registration: RegistrationFacts? = nil
        let r = reader.parts()
        if !r.isEmpty {
            // Facts written before the registration workflow have two parts: those registrations stand as accepted.
            guard r.count == 2 || r.count == 3, let a = Attribution(rawValue: FactsReader.string(r[0])),
                let s = Side(rawValue: FactsReader.string(r[1]))
            else { return nil }
            var status = RegistrationState.accepted
            if r.count == 3 {
                guard let st = RegistrationState(rawValue: FactsReader.string(r[2])) else { return nil }
                status = st
            }
            registration = RegistrationFacts(attribution: a, sourcedBy: s, status: status)
        }
        let lessons = reader.optionalInt()
        let gateMet = reader.optionalInt()
        let gateTotal = reader.optionalInt()
        var pending: [PendingAction] = []
        let pendingRead = reader.eachItem { a in
            guard a.count == 6 else { return false }
            let sides = FactsReader.string(a[1]).split(separator: ",").compactMap { Side(rawValue: String($0)) }
            let blocked = a[5].isEmpty ? [] : FactsReader.text(a[5]).split(separator: ",").map(String.init)
            pending.append(
                PendingAction(
                    part: FactsReader.text(a[0]), sides: sides, moveID: a[2].isEmpty ? nil : FactsReader.uuid(a[2]),
                    ownerID: a[3].isEmpty ? nil : FactsReader.uuid(a[3]),
                    dueOn: a[4].isEmpty ? nil : FactsReader.localDate(a[4]), blockedBy: blocked))
            return true
        }
        guard pendingRead, let lessons, let gateMet, let gateTotal else { return nil }
        var committed = SidePair<UUID>()
        if !reader.isAtEnd {
            let c = reader.parts()
            guard c.count == 2 else { return nil }
            committed.host = c[0].isEmpty ? nil : FactsReader.uuid(c[0])
            committed.partner = c[1].isEmpty ? nil : FactsReader.uuid(c[1])
        }
        guard reader.isAtEnd else { return nil }

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
        self.committedIDs = committed
        self.reviewLessons = lessons
        self.gateMet = gateMet
        self.gateTotal = gateTotal
        self.pendingActions = pending
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
