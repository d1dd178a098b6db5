import CoSellDomain
import CoSellMatching
import Foundation

/// What an import would change, said before it is applied, and the rule that keeps a short or wrong
/// file from retiring the account list by mistake.
extension AccountImportWorkflows {
    /// A full export replaces the list (accounts missing from the file are retired); a partial
    /// update adds and changes accounts and retires none.
    public enum Mode: String, Sendable, CaseIterable {
        case full
        case partial
    }

    /// The share of the active accounts a full export may retire without an explicit confirmation.
    public static let quietRetirementShare = 0.10

    /// What an import of a file would do to the organization's list, worked out before it is applied.
    public struct Impact: Sendable, Equatable {
        public var mode: Mode
        /// Rows with a name in the file (one per CRM id).
        public var rows: Int
        public var activeBefore: Int
        public var added: Int
        /// Accounts already on the list (to be updated, or unchanged).
        public var known: Int
        public var retired: Int
        /// Retired accounts found in an overlap of an active partnership, and the overlaps lost.
        public var overlapsLost: Int
        /// The accounts (by name) retired while a deal is open on their joint account.
        public var onOpenDeals: [String]
        /// The first rows as read, to check the columns.
        public var sample: [AccountRecord]

        /// Retiring more than a tenth of the list, or any account with an open deal, needs a yes.
        public var needsConfirmation: Bool {
            mode == .full
                && (Double(retired) > AccountImportWorkflows.quietRetirementShare * Double(activeBefore)
                    || !onOpenDeals.isEmpty)
        }

        /// Why the import waits for a confirmation, in words.
        public var warning: String? {
            guard needsConfirmation else { return nil }
            let share = activeBefore == 0 ? 0 : Int((Double(retired) / Double(activeBefore) * 100).rounded())
            var text = "This file would retire \(retired) of your \(activeBefore) accounts (\(share)%)"
            if overlapsLost > 0 { text += ", losing \(overlapsLost) overlaps with partners" }
            if !onOpenDeals.isEmpty {
                let names = onOpenDeals.prefix(5).joined(separator: ", ")
                text +=
                    ", \(onOpenDeals.count) of them with an open deal (\(names)\(onOpenDeals.count > 5 ? ", …" : ""))"
            }
            return text
                + ". Confirm that the file is your whole export, or import it as a partial update that retires nothing."
        }
    }

    /// Works out the impact of `table` on the organization's list, on the caller's store.
    static func impact(
        _ table: AccountTable, of organizationID: UUID, mode: Mode, on s: any WorkflowStore
    ) async throws -> Impact {
        let current = try await s.activeAccountKeys(of: organizationID)
        var inFile = Set<String>()
        inFile.reserveCapacity(table.count)
        // CRM ids read one at a time: `table.records` made every record of the file at once (at a
        // million rows, half a gigabyte, for their ids).
        for i in 0..<table.count { inFile.insert(table.id(at: i)) }
        let known = current.count { inFile.contains($0.crmID) }
        var retiredIDs = Set<UUID>()
        if mode == .full { for a in current where !inFile.contains(a.crmID) { retiredIDs.insert(a.id) } }
        var overlapsLost = 0
        var onOpenDeals: [String] = []
        if !retiredIDs.isEmpty {
            for ps in try await s.partnerships(of: organizationID) where ps.status == .active {
                guard let side = ps.organizationIDs.firstIndex(of: organizationID) else { continue }
                for o in try await s.activeOverlapLinks(of: ps) where retiredIDs.contains(o.accountIDs[side]) {
                    overlapsLost += 1
                    if let joint = o.jointAccountID, try await !s.openDeals(onJointAccount: joint).isEmpty {
                        onOpenDeals.append(o.accountNames[side])
                    }
                }
            }
        }
        return Impact(
            mode: mode, rows: inFile.count, activeBefore: current.count, added: inFile.count - known, known: known,
            retired: retiredIDs.count, overlapsLost: overlapsLost, onOpenDeals: Array(Set(onOpenDeals)).sorted(),
            sample: (0..<min(5, table.count)).map(table.record(at:)))
    }

    /// Refuses an import whose impact needs a confirmation it did not get (`confirm_retirements`).
    static func requireConfirmation(_ impact: Impact, confirmed: Bool) throws {
        if let warning = impact.warning, !confirmed {
            throw WorkflowError.invalid(field: "confirm_retirements", warning)
        }
    }

    /// The audit line of an import, with what it will do.
    static func auditDetail(_ who: String, fileName: String, _ i: Impact) -> String {
        "\(who) imported \(fileName) as a \(i.mode == .full ? "full export" : "partial update"): \(i.rows) accounts, "
            + "\(i.added) new, \(i.known) already known, \(i.retired) retired"
            + (i.overlapsLost > 0 ? ", \(i.overlapsLost) overlaps lost" : "") + "."
    }

    /// The page's check of a file before it is imported: what importing `table` (already read, with
    /// the organization's population rules) into the principal's organization would do.
    public func impact(of table: AccountTable, mode: Mode, by p: Principal) async throws -> Impact {
        try p.requireWrite()
        try Self.requireImporter(p)
        return try await Self.impact(table, of: p.person.organizationID, mode: mode, on: store)
    }

    /// The same check for a pending upload read with the columns chosen on the page.
    public func impact(
        ofPendingUpload uploadID: UUID, mapping: ColumnMapping?, mode: Mode, by p: Principal
    ) async throws -> Impact {
        let (up, table) = try await pendingTable(uploadID, mapping: mapping, by: p)
        return try await Self.impact(table, of: up.organizationID, mode: mode, on: store)
    }
}
