import CoSellDomain
import CoSellMatching
import Foundation

extension AccountImportWorkflows {
    /// How long an upload nobody confirmed is kept.
    public static let pendingUploadLifetime: TimeInterval = 86_400

    /// An admin or partner manager uploads a file on the import page, to check its columns before
    /// importing it: it is kept for them (uploads older than a day are dropped in the same transaction).
    public func keepUpload(fileName: String, data: Data, by p: Principal) async throws -> PendingUpload {
        try p.requireWrite()
        try Self.requireImporter(p)
        let now = clock()
        let upload = PendingUpload(
            id: UUID(), organizationID: p.person.organizationID, personID: p.person.id,
            fileName: String(fileName.prefix(200)), data: data, createdAt: now)
        try await store.transaction { s in
            try await s.dropPendingUploads(before: now.addingTimeInterval(-Self.pendingUploadLifetime))
            try await s.savePendingUpload(upload)
        }
        return upload
    }

    /// The person who uploaded a file confirms its columns: the file is read (a file that cannot be
    /// read is refused and the upload kept, to choose other columns), then the job is recorded and the
    /// upload dropped, in one transaction. Then call `run`.
    public func start(
        pendingUpload uploadID: UUID, mapping: ColumnMapping?, mode: Mode = .full, confirmRetirements: Bool = false,
        by p: Principal
    ) async throws -> Started {
        try p.requireWrite()
        try Self.requireImporter(p)
        guard let up = try await store.pendingUpload(uploadID, personID: p.person.id),
            up.organizationID == p.person.organizationID
        else { throw WorkflowError.notFound("upload") }
        let table = try await read(
            Upload(.data(up.data, fileName: up.fileName), mapping: mapping), of: up.organizationID, progress: nil)
        let (jobID, jobAt, jobMode, jobOrg) = (UUID(), clock(), mode, up.organizationID)
        let impact = try await store.transaction { s in
            let impact = try await Self.impact(table, of: up.organizationID, mode: mode, on: s)
            try Self.requireConfirmation(impact, confirmed: confirmRetirements)
            try await s.deletePendingUpload(uploadID)
            try await s.startImport(
                id: jobID, organizationID: up.organizationID, fileName: up.fileName, createdBy: p.person.id,
                at: jobAt)
            try await s.audit(
                p.auditEntry(
                    "accounts_imported", Self.auditDetail(p.person.name, fileName: up.fileName, impact),
                    organizationID: up.organizationID, at: jobAt))
            return impact
        }
        var started = Started(id: jobID, organizationID: jobOrg, table: table, at: jobAt, mode: jobMode)
        started.impact = impact
        return started
    }

    /// The columns a client names for the fields detection would miss: `field=Header` pairs separated
    /// by semicolons (`name=Company;website=Web`). Empty: nil (detect them).
    public static func columnMapping(_ raw: String) throws -> ColumnMapping? {
        guard !raw.isEmpty else { return nil }
        var headers: [AccountField: String] = [:]
        for pair in raw.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let field = AccountField(rawValue: parts[0].lowercased()), !parts[1].isEmpty else {
                throw WorkflowError.invalid(
                    field: "columns",
                    "\"\(pair)\" is not field=Header with a field among \(AccountField.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            headers[field] = parts[1]
        }
        return ColumnMapping(headers)
    }
}
