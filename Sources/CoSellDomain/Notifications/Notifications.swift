import Foundation

/// What a person can be told by mail. People switch each kind on or off for themselves.
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    /// An action of a deal started waiting on the person.
    case actionWaiting = "action_waiting"
    /// An approval the person gave was reset by a later change.
    case approvalReset = "approval_reset"
    /// A gate the person can act on refused an advance.
    case gateRefused = "gate_refused"
    /// An action waiting on the person is past its due date.
    case actionOverdue = "action_overdue"
    /// The partnership's review day: the week's summary.
    case weeklyDigest = "weekly_digest"

    public var title: String {
        switch self {
        case .actionWaiting: return "Something is waiting on you"
        case .approvalReset: return "An approval you gave was reset"
        case .gateRefused: return "A gate refused an advance you can help with"
        case .actionOverdue: return "Something waiting on you is overdue"
        case .weeklyDigest: return "The weekly deal review (digest)"
        }
    }
}

/// One thing to tell one person, before it is gathered into a mail: queued in the same
/// transaction as the change that caused it, and sent once (its `key` is unique).
public struct MailNote: Codable, Sendable, Equatable {
    public var personID: UUID
    public var kind: NotificationKind
    /// Unique per thing told: the same key is never queued twice.
    public var key: String
    /// One line: what happened, naming the deal and the company.
    public var subject: String
    /// A few sentences of detail.
    public var body: String
    /// The page to open, as a path of the site (`/deals/…`).
    public var path: String
    public var dealID: UUID?

    public init(
        personID: UUID, kind: NotificationKind, key: String, subject: String, body: String, path: String,
        dealID: UUID? = nil
    ) {
        self.personID = personID
        self.kind = kind
        self.key = key
        self.subject = subject
        self.body = body
        self.path = path
        self.dealID = dealID
    }
}

/// Who is told what after a change: pure functions over the deal before and after, its playbook,
/// the people of the two companies and their names.
public enum Notifications {
    /// The people a mail about an action goes to: its named owner; else the people on the deal who
    /// may do it; else the partner managers of the acting companies. (The home page lists an action
    /// for everyone who may do it; mail goes to fewer people so that admins are not told of every deal.)
    public static func recipients(of action: NextAction, deal: Deal, people: [Person]) -> [Person] {
        let able = people.filter { action.mayAct($0, on: deal) }
        if let owner = action.ownerID { return able.filter { $0.id == owner } }
        let onDeal = able.filter { Visibility.isOnDeal(deal, personID: $0.id) }
        if !onDeal.isEmpty { return onDeal }
        return able.filter { $0.role == .partnerManager }
    }

    /// The notes a change causes: an action newly waiting on someone, and an approval reset. The
    /// person who made the change is not told of what they did.
    public static func afterChange(
        from before: Deal?, to after: Deal, playbook: Playbook, people: [Person], companyNames: [UUID: String],
        actorID: UUID?, today: LocalDate
    ) -> [MailNote] {
        var notes: [MailNote] = []
        let path = "/deals/\(after.id.uuidString)"
        func waiting(_ deal: Deal?) -> [String: Set<UUID>] {
            guard let deal else { return [:] }
            var out: [String: Set<UUID>] = [:]
            for a in NextActions.of(deal, playbook: playbook, companyNames: companyNames, today: today)
            where !a.isBlocked {
                out["\(a.stageKey)/\(a.part)"] = Set(recipients(of: a, deal: deal, people: people).map(\.id))
            }
            return out
        }
        let was = waiting(before)
        let stageChanged = before?.stageIndex != after.stageIndex
        for a in NextActions.of(after, playbook: playbook, companyNames: companyNames, today: today)
        where !a.isBlocked {
            let earlier = stageChanged ? [] : was["\(a.stageKey)/\(a.part)"] ?? []
            for p in recipients(of: a, deal: after, people: people)
            where p.id != actorID && !earlier.contains(p.id) {
                notes.append(
                    MailNote(
                        personID: p.id, kind: .actionWaiting,
                        key:
                            "waiting:\(after.id.uuidString):\(a.stageKey):\(a.part):\(p.id.uuidString):v\(after.version)",
                        subject: "\(after.title): \(a.title)",
                        body: "This now waits on you"
                            + (a.dueOn.map { ", due \($0)" } ?? "") + ". "
                            + (a.missing ?? "") + " Open the deal to do it.",
                        path: path + "#stage-\(a.stageKey)", dealID: after.id))
            }
        }
        notes += approvalResets(from: before, to: after, people: people, companyNames: companyNames, actorID: actorID)
        return notes
    }

    /// Approvals of a brief that a change removed: each person who had approved is told.
    static func approvalResets(
        from before: Deal?, to after: Deal, people: [Person], companyNames: [UUID: String], actorID: UUID?
    ) -> [MailNote] {
        guard let before else { return [] }
        var notes: [MailNote] = []
        for old in before.evidence.jointDiscovery.briefs {
            guard let new = after.evidence.jointDiscovery.briefs.first(where: { $0.id == old.id }),
                new.withdrawnReason == nil
            else { continue }
            for side in Side.allCases {
                guard let approval = old.approvals[side], new.approvals[side] == nil,
                    approval.personID != actorID, people.contains(where: { $0.id == approval.personID })
                else { continue }
                let company = companyNames[after.organizationID(of: side)] ?? "your company"
                notes.append(
                    MailNote(
                        personID: approval.personID, kind: .approvalReset,
                        key: "reset:\(after.id.uuidString):\(old.id.uuidString):\(side.rawValue):v\(after.version)",
                        subject: "\(after.title): your approval of the account brief was reset",
                        body:
                            "The brief changed after you approved it for \(company), so the approval no longer counts. Read it again and approve it if it still holds.",
                        path: "/deals/\(after.id.uuidString)#stage-joint_discovery", dealID: after.id))
            }
        }
        return notes
    }

    /// A refused advance: the people the missing parts wait on (not the one who tried) are told
    /// what is missing. `at` keeps two refusals apart.
    public static func gateRefused(
        _ deal: Deal, report: GateReport, playbook: Playbook, people: [Person], companyNames: [UUID: String],
        actorID: UUID?, actorName: String, at: Date, today: LocalDate
    ) -> [MailNote] {
        var told: Set<UUID> = []
        var notes: [MailNote] = []
        let missing = report.unmet.compactMap(\.missing).joined(separator: " ")
        for a in NextActions.of(deal, playbook: playbook, companyNames: companyNames, today: today)
        where !a.isBlocked {
            for p in recipients(of: a, deal: deal, people: people) where p.id != actorID {
                guard told.insert(p.id).inserted else { continue }
                notes.append(
                    MailNote(
                        personID: p.id, kind: .gateRefused,
                        key: "refused:\(deal.id.uuidString):\(Int(at.timeIntervalSince1970)):\(p.id.uuidString)",
                        subject: "\(deal.title): \(actorName) tried to advance; the gate is closed",
                        body: "\(report.stageName) is not done yet. Missing: \(missing)",
                        path: "/deals/\(deal.id.uuidString)#stage-\(report.stageKey)", dealID: deal.id))
            }
        }
        return notes
    }

    /// Actions past their due date, once per action, due date and person.
    public static func overdue(
        _ deal: Deal, playbook: Playbook, people: [Person], companyNames: [UUID: String], today: LocalDate
    ) -> [MailNote] {
        var notes: [MailNote] = []
        for a in NextActions.of(deal, playbook: playbook, companyNames: companyNames, today: today)
        where a.overdue && !a.isBlocked {
            guard let due = a.dueOn else { continue }
            for p in recipients(of: a, deal: deal, people: people) {
                notes.append(
                    MailNote(
                        personID: p.id, kind: .actionOverdue,
                        key: "overdue:\(deal.id.uuidString):\(a.stageKey):\(a.part):\(due):\(p.id.uuidString)",
                        subject: "\(deal.title): overdue since \(due): \(a.title)",
                        body: "This was due on \(due) and waits on you.",
                        path: "/deals/\(deal.id.uuidString)#stage-\(a.stageKey)", dealID: deal.id))
            }
        }
        return notes
    }
}

extension Notifications {
    /// Whether `now` (UTC) is the partnership's review day.
    public static func isReviewDay(_ partnership: Partnership, now: Date) -> Bool {
        guard let day = partnership.plan?.reviewWeekday else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Calendar weekdays count from Sunday = 1.
        let order: [CoSellPlan.Weekday] = [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        return order[calendar.component(.weekday, from: now) - 1] == day
    }

    /// The review day's digest for each person of the two companies who can write: the week's
    /// figures from the deals' facts, with the link to the review. Once per person per week.
    public static func weeklyDigest(
        _ partnership: Partnership, facts: [DealFacts], people: [Person], stalled: Set<UUID>, now: Date
    ) -> [MailNote] {
        let week = ISOWeek(containing: now)
        let mine = facts.filter { $0.partnershipID == partnership.id }
        let open = mine.filter { $0.status == .open }.count
        let waiting = mine.filter { ($0.status == .won || $0.status == .lost) && $0.completedAt == nil }.count
        let stalledCount = mine.filter { stalled.contains($0.id) }.count
        let body =
            "\(open) open deal\(open == 1 ? "" : "s"), \(stalledCount) stalled, \(waiting) won or lost and waiting for the review. The review lists each stalled deal with its diagnosis and who owes what."
        return people.filter { $0.deactivatedAt == nil && $0.role.canWrite && partnership.includes($0.organizationID) }
            .map { p in
                MailNote(
                    personID: p.id, kind: .weeklyDigest,
                    key: "digest:\(partnership.id.uuidString):\(week):\(p.id.uuidString)",
                    subject: "Weekly deal review \(week): \(partnership.name)", body: body,
                    path: "/partnerships/\(partnership.id.uuidString)/review")
            }
    }
}
