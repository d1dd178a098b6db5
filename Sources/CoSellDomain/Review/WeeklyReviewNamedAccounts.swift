import Foundation

/// One named account of an account executive, as the weekly review reads it: where it stands and
/// what moved on it during the week.
public struct ReviewNamedAccount: Codable, Sendable, Equatable {
    /// Something that happened on the account during the week.
    public enum Movement: String, Codable, Sendable, CaseIterable {
        /// The account executive named it this week.
        case named
        case dealOpened = "deal_opened"
        /// A deal on it passed a gate.
        case advanced
        /// A deal on it got past a gate through an override.
        case overridden
        case won
        case lost
        case abandoned
    }

    public var accountID: UUID
    public var accountName: String
    /// `NamedAccountProgress.key`: no_deal, open, stalled, won or lost.
    public var state: String
    public var dealID: UUID?
    public var dealTitle: String?
    public var stageName: String?
    /// Why the deal is stalled, in words, when it is.
    public var stall: String?
    /// What moved this week, in the order it happened; empty: no movement.
    public var movements: [Movement]
    /// The movements in words ("Joint discovery passed", "Deal opened: Acme renewal").
    public var notes: [String]
}

/// An account executive's named accounts in the review.
public struct ReviewSellerAccounts: Codable, Sendable, Equatable {
    public var personID: UUID
    public var personName: String
    public var organizationID: UUID
    public var companyName: String?
    public var accounts: [ReviewNamedAccount]

    /// The accounts with any movement this week.
    public var moved: Int { accounts.filter { !$0.movements.isEmpty }.count }
}

/// What the review needs of one named account: the pairing, the names, and its progress.
public struct NamedAccountEntry: Sendable {
    public var named: NamedAccount
    public var personName: String
    public var accountName: String
    public var progress: NamedAccountProgress

    public init(named: NamedAccount, personName: String, accountName: String, progress: NamedAccountProgress) {
        self.named = named
        self.personName = personName
        self.accountName = accountName
        self.progress = progress
    }
}

extension WeeklyReview {
    /// Named accounts per account executive with their movement during `week`, from the deals on
    /// them (`deals`, the ones the reader may see) and their playbook versions. Pure. Sellers by
    /// company (in `companyNames` order of `organizationIDs`), then name; accounts by name.
    /// Movement: named this week; a deal opened this week; a passage that left a stage this week
    /// (passed or overridden); an outcome recorded this week; a deal abandoned with its last change
    /// this week.
    public static func namedAccounts(
        _ entries: [NamedAccountEntry], deals: [DealFacts], playbooks: [Playbook], week: ISOWeek,
        organizationIDs: [UUID], companyNames: [UUID: String]
    ) -> [ReviewSellerAccounts] {
        let start = week.start
        let end = week.end
        func inWeek(_ d: Date) -> Bool { d >= start && d < end }
        var books: [PlaybookVersion: Playbook] = [:]
        for p in playbooks { books[p.versionKey] = p }
        var byAccount: [UUID: [DealFacts]] = [:]
        for d in deals { byAccount[d.jointAccountID, default: []].append(d) }

        func account(_ e: NamedAccountEntry) -> ReviewNamedAccount {
            var moves: [(at: Date, movement: ReviewNamedAccount.Movement, note: String)] = []
            if inWeek(e.named.createdAt) { moves.append((e.named.createdAt, .named, "Named this week")) }
            for d in byAccount[e.named.accountID] ?? [] {
                if inWeek(d.createdAt) { moves.append((d.createdAt, .dealOpened, "Deal opened: \(d.title)")) }
                let pb = books[d.playbookVersionKey]
                for p in d.passages where inWeek(p.exitedAt) && p.exit != .movedBack {
                    let name = pb?.stages.first { $0.key == p.stageKey }?.name ?? p.stageKey
                    if p.exit == .skipped {
                        moves.append((p.exitedAt, .overridden, "\(name): gate overridden"))
                    } else {
                        moves.append((p.exitedAt, .advanced, "\(name) passed"))
                    }
                }
                if let o = d.outcome, inWeek(o.recordedAt) {
                    moves.append((o.recordedAt, o.result == .won ? .won : .lost, o.result == .won ? "Won" : "Lost"))
                }
                if d.status == .abandoned, inWeek(d.lastActivityAt) {
                    moves.append((d.lastActivityAt, .abandoned, "Abandoned: \(d.title)"))
                }
            }
            moves.sort { $0.at < $1.at }
            let deal = e.progress.deal
            return ReviewNamedAccount(
                accountID: e.named.accountID, accountName: e.accountName, state: e.progress.key, dealID: deal?.dealID,
                dealTitle: deal?.title, stageName: deal?.stageName, stall: deal?.stall,
                movements: moves.map(\.movement), notes: moves.map(\.note))
        }

        var sellers: [UUID: ReviewSellerAccounts] = [:]
        for e in entries {
            let org = e.named.organizationID
            sellers[
                e.named.personID,
                default: ReviewSellerAccounts(
                    personID: e.named.personID, personName: e.personName, organizationID: org,
                    companyName: companyNames[org], accounts: [])
            ].accounts.append(account(e))
        }
        func orgRank(_ id: UUID) -> Int { organizationIDs.firstIndex(of: id) ?? organizationIDs.count }
        return sellers.values.map { s in
            var s = s
            s.accounts.sort { ($0.accountName, $0.accountID.uuidString) < ($1.accountName, $1.accountID.uuidString) }
            return s
        }.sorted {
            (orgRank($0.organizationID), $0.personName, $0.personID.uuidString)
                < (orgRank($1.organizationID), $1.personName, $1.personID.uuidString)
        }
    }
}
