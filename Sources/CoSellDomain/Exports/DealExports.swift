import Foundation

/// The customer's postal address, as the CRM export had it (Salesforce: the billing address). The
/// country is the account's own `country`. Exports that need a part the account lacks name it as missing.
public struct CustomerAddress: Codable, Sendable, Hashable {
    public var line1: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?

    public init(line1: String? = nil, city: String? = nil, state: String? = nil, postalCode: String? = nil) {
        self.line1 = line1
        self.city = city
        self.state = state
        self.postalCode = postalCode
    }

    /// Nil when no part is written (blank parts count as absent).
    public var nonEmpty: CustomerAddress? {
        [line1, city, state, postalCode].contains { DealExports.present($0) != nil } ? self : nil
    }
}

/// One deal with what an export needs beside it.
public struct ExportDeal: Sendable, Equatable {
    public var deal: Deal
    /// The deal's current stage in the playbook version it runs on.
    public var stage: Stage
    public var partnershipName: String
    public var account: JointAccount?
    /// The customer's address: the joint account's unless given.
    public var address: CustomerAddress?

    public init(
        deal: Deal, stage: Stage, partnershipName: String, account: JointAccount?, address: CustomerAddress? = nil
    ) {
        self.deal = deal
        self.stage = stage
        self.partnershipName = partnershipName
        self.account = account
        self.address = address ?? account?.address
    }
}

/// A field the target requires that a deal lacks (or holds in a form the target refuses).
public struct MissingField: Codable, Sendable, Equatable {
    /// The target's column name.
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }
}

public struct InvalidDeal: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var missing: [MissingField]
}

public struct ExcludedDeal: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var title: String
    public var reason: String
}

/// What an export would write: the valid deals, every invalid deal with its missing fields named,
/// and the deals the target does not take at all.
public struct ExportValidation: Codable, Sendable, Equatable {
    public var target: String
    public var checked: Int
    public var valid: Int
    public var invalid: [InvalidDeal]
    public var excluded: [ExcludedDeal]
}

/// A CSV export: the header, the rows of the valid deals, and the validation.
public struct ExportResult: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    public var validation: ExportValidation

    public var csv: String { CSV.render(header: header, rows: rows) }
}

/// Pure CSV exports of deals: plain deals, registrations, AWS ACE and Microsoft Partner Center.
public enum DealExports {
    // MARK: plain exports

    public static let dealsHeader = [
        "deal_id", "title", "partnership", "account", "stage", "stage_name", "status", "amount", "currency",
        "expected_close_date", "registration_id", "attribution", "created_at", "last_activity_at", "completed_at",
    ]

    public static func deals(_ list: [ExportDeal]) -> String {
        CSV.render(
            header: dealsHeader,
            rows: list.map { e in
                let d = e.deal
                let reg = d.evidence.close.registration
                return [
                    d.id.uuidString, d.title, e.partnershipName, d.accountName,
                    e.stage.key,
                    e.stage.name, d.status.rawValue, CSV.money(d.amount), d.amount?.currency.code ?? "",
                    d.expectedCloseDate?.description ?? "", reg?.registrationID ?? "",
                    reg?.attribution.rawValue ?? "", timestamp(d.createdAt), timestamp(d.lastActivityAt),
                    d.completedAt.map(timestamp) ?? "",
                ]
            })
    }

    public static let registrationsHeader = [
        "registration_id", "deal_id", "title", "partnership", "account", "attribution", "sourced_by",
        "registered_by", "registered_at", "deal_status", "outcome", "final_amount", "currency", "close_date",
        "status", "crm_opportunity_id", "submitted_by", "decided_by", "decided_at", "rejection_reason", "expires_on",
    ]

    /// One row per registered deal.
    public static func registrations(_ list: [ExportDeal]) -> String {
        CSV.render(
            header: registrationsHeader,
            rows: list.compactMap { e in
                let d = e.deal
                guard let reg = d.evidence.close.registration else { return nil }
                let outcome = d.evidence.close.outcome
                return [
                    reg.registrationID, d.id.uuidString, d.title, e.partnershipName,
                    d.accountName, reg.attribution.rawValue, reg.sourcedBy.rawValue,
                    reg.registeredByName, timestamp(reg.registeredAt), d.status.rawValue,
                    outcome?.result.rawValue ?? "", CSV.money(outcome?.finalAmount),
                    outcome?.finalAmount.currency.code ?? "", outcome?.closeDate.description ?? "",
                    reg.status.rawValue, reg.opportunityID ?? "", reg.submittedBy?.rawValue ?? "",
                    reg.decidedByName ?? "", reg.decidedAt.map(timestamp) ?? "", reg.rejectionReason ?? "",
                    reg.expiresOn?.description ?? "",
                ]
            })
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }

    // MARK: shared rules

    /// The deals a co-sell program takes: past target selection (a deal still choosing its account stays
    /// private), and open, won or lost (abandoned and ended deals are not submitted).
    static func exclusion(_ e: ExportDeal) -> String? {
        switch e.deal.status {
        case .abandoned: return "The deal was abandoned; it is not submitted."
        case .ended: return "The partnership ended while the deal was open; it is not submitted."
        case .open, .won, .lost: break
        }
        if e.stage.exitCriterion.kind == .targetAccountSelection {
            return "The deal is still at target account selection; it stays private until the door-opener stage."
        }
        return nil
    }

    /// The customer need of the newest active account brief.
    static func customerNeed(_ d: Deal) -> String? {
        d.evidence.jointDiscovery.activeBriefs.max { $0.updatedAt < $1.updatedAt }?.customerNeed
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isCountryCode(_ s: String?) -> Bool {
        guard let s, s.count == 2 else { return false }
        return s.allSatisfy { $0.isASCII && $0.isLetter }
    }

    static func present(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    /// Runs `row` over every deal the target takes, sorting the results into rows and problems.
    static func run(
        target: String, header: [String], _ list: [ExportDeal],
        row: (ExportDeal, inout [MissingField]) -> [String]
    ) -> ExportResult {
        var rows: [[String]] = []
        var invalid: [InvalidDeal] = []
        var excluded: [ExcludedDeal] = []
        var checked = 0
        for e in list {
            if let reason = exclusion(e) {
                excluded.append(ExcludedDeal(dealID: e.deal.id, title: e.deal.title, reason: reason))
                continue
            }
            checked += 1
            var missing: [MissingField] = []
            let r = row(e, &missing)
            if missing.isEmpty {
                rows.append(r)
            } else {
                invalid.append(InvalidDeal(dealID: e.deal.id, title: e.deal.title, missing: missing))
            }
        }
        return ExportResult(
            header: header, rows: rows,
            validation: ExportValidation(
                target: target, checked: checked, valid: rows.count, invalid: invalid, excluded: excluded))
    }
}
