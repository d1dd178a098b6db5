import CoSellDomain
import CoSellMatching
import Foundation

/// The verbs of account imports: an organization's CRM export becomes its account list, which is
/// then matched with every active partner's; the settings that shape an import; matching a
/// partnership again; the import page's pending uploads.
///
/// An import is more than one transaction, on purpose. `start` reads and checks the file and
/// records the job (`running`) in one short transaction, so that a client can follow it at once. The
/// bulk write (`run`) runs in the background and can take minutes on a large file: the store stages
/// the rows in short transactions that leave the database to other requests between them, then
/// applies them in one, so every account is written or none is, and a failed or killed import
/// leaves the previous list as it was; the job is then marked failed. Matching each active partnership is
/// one transaction per partnership after the list is written (as the overlap refresh is), then the
/// job is marked succeeded.
public struct AccountImportWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// The largest file accepted from a client (100 MB): the API's body limit, the import page's.
    public static let maxUpload = 100 * 1024 * 1024

    /// Where the file comes from: bytes a client sent (at most `maxUpload`), or a path on this
    /// machine (the `cosell import` command).
    public enum Source: Sendable {
        case data(Data, fileName: String)
        case path(String)

        public var fileName: String {
            switch self {
            case .data(_, let name): return name
            case .path(let path): return (path as NSString).lastPathComponent
            }
        }
    }

    /// A file to import, with the columns its fields are in when detection is not to be trusted.
    public struct Upload: Sendable {
        public var source: Source
        public var mapping: ColumnMapping?
        /// A full export (the default) or a partial update.
        public var mode: Mode
        /// Yes to an import that retires more than a tenth of the list or accounts with open deals.
        public var confirmRetirements: Bool

        public init(
            _ source: Source, mapping: ColumnMapping? = nil, mode: Mode = .full, confirmRetirements: Bool = false
        ) {
            self.source = source
            self.mapping = mapping
            self.mode = mode
            self.confirmRetirements = confirmRetirements
        }
    }

    /// A recorded job with the file read: what `run` writes.
    public struct Started: Sendable {
        public let id: UUID
        public let organizationID: UUID
        let table: AccountTable
        let at: Date
        public var mode: Mode = .full
        /// What the import was worked out to do when it started.
        public var impact: Impact? = nil
    }

    static func requireImporter(_ p: Principal) throws {
        try p.require([.admin, .partnerManager], "Only admins and partner managers import the CRM export.")
    }

    /// An admin or partner manager starts importing a file into their organization. `upload` is read
    /// after the organization, write and role checks; a file that cannot be read at all is refused
    /// (`invalid(field: "body")`, naming the line) and nothing is stored. Then call `run`.
    public func start(
        into organizationID: UUID, by p: Principal, _ upload: @escaping @Sendable () async throws -> Upload
    ) async throws -> Started {
        guard organizationID == p.person.organizationID else { throw WorkflowError.notFound("organization") }
        try p.requireWrite()
        try Self.requireImporter(p)
        let u = try await upload()
        let table = try await read(u, of: organizationID, progress: nil)
        return try await record(
            table, into: organizationID, fileName: u.source.fileName, mode: u.mode, confirmed: u.confirmRetirements,
            createdBy: p.person.id
        ) { detail, at in
            p.auditEntry("accounts_imported", detail(p.person.name), organizationID: organizationID, at: at)
        }
    }

    /// The operator of this server (the `cosell import` command, with the database at hand) starts
    /// importing a file into any organization; the job has no person. `parsing` receives the fraction
    /// of the file read.
    public func startByOperator(
        into organizationID: UUID, _ upload: Upload, parsing: (@Sendable (Double) -> Void)? = nil
    ) async throws -> Started {
        guard try await !store.organizations([organizationID]).isEmpty else {
            throw WorkflowError.notFound("organization")
        }
        let table = try await read(upload, of: organizationID, progress: parsing)
        let op = CommandLineOperator(command: "cosell import")
        return try await record(
            table, into: organizationID, fileName: upload.source.fileName, mode: upload.mode,
            confirmed: upload.confirmRetirements, createdBy: nil
        ) { detail, at in
            op.auditEntry("accounts_imported", detail("The command line"), organizationID: organizationID, at: at)
        }
    }

    /// Records an import of `table`: works out its impact first, as a read outside any transaction
    /// (on a large list it takes seconds, and a write transaction that long would hold the database
    /// from everyone), refuses an import that needs a yes it did not get, then records the job and its
    /// audit line in one short transaction, with `alsoIn` (dropping the pending upload).
    func record(
        _ table: AccountTable, into organizationID: UUID, fileName: String, mode: Mode, confirmed: Bool,
        createdBy: UUID?, alsoIn: (@Sendable (any WorkflowStore) async throws -> Void)? = nil,
        audit: (_ detail: (String) -> String, _ at: Date) -> AuditEvent
    ) async throws -> Started {
        let impact = try await Self.impact(table, of: organizationID, mode: mode, on: store)
        try Self.requireConfirmation(impact, confirmed: confirmed)
        let (jobID, jobAt) = (UUID(), clock())
        let entry = audit({ Self.auditDetail($0, fileName: fileName, impact) }, jobAt)
        try await store.transaction { s in
            try await alsoIn?(s)
            try await s.startImport(
                id: jobID, organizationID: organizationID, fileName: fileName, createdBy: createdBy, at: jobAt)
            try await s.audit(entry)
        }
        var started = Started(id: jobID, organizationID: organizationID, table: table, at: jobAt, mode: mode)
        started.impact = impact
        return started
    }

    /// The background part of an import: writes the accounts, matches every active partnership of
    /// the organization with the new list, and marks the job succeeded; or marks it failed, saying
    /// what was kept, and rethrows. `progress` receives the fraction of rows written. Returns the
    /// number of overlaps across the organization's partnerships.
    @discardableResult
    public func run(_ job: Started, progress: @escaping @Sendable (Double) -> Void = { _ in }) async throws -> Int {
        // The list as the import left it, matched with each partner's without reading it back.
        let known: ImportedAccounts?
        do {
            // Not in a transaction of ours: the store stages the rows in short transactions of its
            // own and applies them in one (`AccountImportStore.importAccounts`).
            known = try await store.importAccounts(
                job.table, organizationID: job.organizationID, importID: job.id, at: job.at,
                retireMissing: job.mode == .full, progress: progress)
            // What writing freed goes back to the system before matching builds its tables.
            CPUWork.returnFreedMemory()
        } catch {
            await fail(job, "The import failed and nothing was changed: \(error)")
            throw error
        }
        do {
            var overlaps = 0
            for ps in try await store.partnerships(of: job.organizationID) where ps.status == .active {
                overlaps += try await store.refreshOverlaps(of: ps, at: clock(), known: known)
            }
            CPUWork.returnFreedMemory()
            try await store.transaction { s in try await s.completeImport(id: job.id, at: clock()) }
            return overlaps
        } catch {
            await fail(
                job,
                "The accounts were imported, but matching them with partners failed (\(error)); run the overlap refresh again."
            )
            throw error
        }
    }

    private func fail(_ job: Started, _ message: String) async {
        try? await store.transaction { s in try await s.failImport(id: job.id, message: message, at: clock()) }
    }

    /// Reads the file with the organization's population rules; refuses one that cannot be read.
    func read(
        _ u: Upload, of organizationID: UUID, progress: (@Sendable (Double) -> Void)?
    ) async throws
        -> AccountTable
    {
        let rules = try await store.populationRules(of: organizationID)
        do {
            switch u.source {
            case .data(let data, let fileName):
                // A client's upload, read by the server: on one thread off the request threads.
                let options = ImportOptions(mapping: u.mapping, populationRules: rules, maxBytes: Self.maxUpload)
                return try await CPUWork.run {
                    let table = try AccountTable.load(
                        data: data, fileName: fileName, options: options, threads: 1, progress: progress)
                    // The parse's chunks are freed: their pages go back before the import writes.
                    CPUWork.returnFreedMemory()
                    return table
                }
            case .path(let path):
                return try AccountTable.load(
                    path: path, options: ImportOptions(mapping: u.mapping, populationRules: rules), progress: progress)
            }
        } catch let error as AccountImportError {
            throw WorkflowError.invalid(field: "body", error.description)
        }
    }

    /// Any member of a partnership who may write matches the two organizations' accounts again.
    public func refreshOverlaps(of partnershipID: UUID, by p: Principal) async throws -> Int {
        let ps = try await Access(store: store).activePartnership(partnershipID, p)
        try p.requireWrite()
        // Outside a transaction of ours: matching takes seconds on large lists, and the store writes
        // the overlaps in one transaction of its own (`AccountImportStore.refreshOverlaps`).
        return try await store.refreshOverlaps(of: ps, at: clock())
    }
}
