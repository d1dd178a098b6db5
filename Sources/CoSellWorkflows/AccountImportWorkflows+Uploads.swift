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
    /// read is refused and the upload kept, to choose other columns), then what the import changes is worked out (a
    /// large retirement needs `confirmRetirements`), and the job is recorded and the upload dropped in
    /// one transaction. Then call `run`.
    public func start(
        pendingUpload uploadID: UUID, mapping: ColumnMapping?, mode: Mode = .full, confirmRetirements: Bool = false,
        by p: Principal
    ) async throws -> Started {
        let (up, table) = try await pendingTable(uploadID, mapping: mapping, by: p)
        return try await record(
            table, into: up.organizationID, fileName: up.fileName, mode: mode, confirmed: confirmRetirements,
            createdBy: p.person.id, alsoIn: { try await $0.deletePendingUpload(uploadID) }
        ) { detail, at in
            p.auditEntry("accounts_imported", detail(p.person.name), organizationID: up.organizationID, at: at)
        }
    }

    /// The person's pending upload, read with the columns they chose (a file that cannot be read is
    /// refused, the upload kept).
    func pendingTable(
        _ uploadID: UUID, mapping: ColumnMapping?, by p: Principal
    ) async throws -> (PendingUpload, AccountTable) {
        try p.requireWrite()
        try Self.requireImporter(p)
        guard let up = try await store.pendingUpload(uploadID, personID: p.person.id),
            up.organizationID == p.person.organizationID
        else { throw WorkflowError.notFound("upload") }
        let table = try await read(
            Upload(.data(up.data, fileName: up.fileName), mapping: mapping), of: up.organizationID, progress: nil)
        return (up, table)
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
