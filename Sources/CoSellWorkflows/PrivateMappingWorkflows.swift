import CoSellDomain
import CoSellMatching
import CoSellPrivateSet
import Foundation

/// Private account mapping, the server's side (`docs/private-mapping.md`). An admin of one
/// organization of an active partnership runs `cosell private-map` with its own CRM export on its own
/// machine; the server holds the other organization's list. The server hands out that list's keys
/// encrypted under its secret for the partnership and that organization, and encrypts the command's
/// blinded keys once more, within a budget; the command works out the overlap and uploads only those
/// accounts. Each verb is one transaction; each run has audit lines for both companies.
public struct PrivateMappingWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    public init(store: any WorkflowStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// The largest list a run may declare.
    public static let maxDeclaredAccounts = 2_000_000
    /// The most keys evaluated in one request (640 KB of points, under the API's 1 MB body once in base64).
    public static let maxBatch = 20_000
    /// Runs an organization may start in a partnership in 24 hours.
    public static let runsPerDay = 5
    /// A run takes evaluations for this long after it started.
    public static let runLifetime: TimeInterval = 3600

    /// A started run: the run and the other organization's list, each key encrypted by the server,
    /// in random order (`PrivateSet.elementBytes` bytes each).
    public struct Started: Sendable {
        public var run: PrivateMappingRun
        public var set: Data
    }

    public static func requireAdmin(_ p: Principal) throws {
        try p.requireWrite()
        try p.require([.admin], "Only admins run private mapping: it works on the whole CRM list.")
    }

    /// Starts a run for the principal's organization against the other organization's list on this
    /// server. `declaredAccounts` (how many accounts the command's list has) bounds the run's
    /// evaluations; an organization starts at most `runsPerDay` runs in 24 hours.
    public func start(in partnershipID: UUID, by p: Principal, declaredAccounts: Int) async throws -> Started {
        let now = clock()
        let (run, secret) = try await store.transaction { s -> (PrivateMappingRun, Data) in
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            try Self.requireAdmin(p)
            guard (1...Self.maxDeclaredAccounts).contains(declaredAccounts) else {
                throw WorkflowError.invalid(
                    field: "declared_accounts",
                    "declared_accounts must be between 1 and \(Self.maxDeclaredAccounts), the number of accounts in your list."
                )
            }
            let own = p.person.organizationID
            guard let other = ps.counterpart(of: own) else { throw WorkflowError.notFound("partnership") }
            let recent = try await s.privateMappingRuns(partnershipID: ps.id, since: now.addingTimeInterval(-86_400))
                .filter { $0.organizationID == own }
            if recent.count >= Self.runsPerDay, let oldest = recent.last {
                let wait = Int(oldest.startedAt.addingTimeInterval(86_400).timeIntervalSince(now).rounded(.up))
                throw WorkflowError.limitReached(
                    field: nil,
                    "Your company has started \(recent.count) private mapping runs in this partnership in the last 24 hours, the most allowed; the next can start in \(max(1, wait / 60)) minutes.",
                    retryAfter: max(1, wait))
            }
            let key: PrivateMappingKey
            if let k = try await s.privateMappingKey(partnershipID: ps.id, organizationID: other) {
                key = k
            } else {
                key = PrivateMappingKey(
                    partnershipID: ps.id, organizationID: other, secret: PrivateSet.Secret().raw, createdAt: now)
                try await s.savePrivateMappingKey(key)
            }
            let setAccounts = try await s.activeAccountCount(of: other)
            let run = PrivateMappingRun(
                id: UUID(), partnershipID: ps.id, organizationID: own, setOrganizationID: other, keyID: key.id,
                startedBy: p.person.id, startedByName: p.person.name, startedAt: now,
                declaredAccounts: declaredAccounts,
                maxEvaluations: declaredAccounts * PrivateMatchKeys.maxPerAccount, setAccounts: setAccounts)
            try await s.insertPrivateMappingRun(run)
            let names = try await Self.names(ps, on: s)
            try await PartnershipWorkflows.audit(
                "private_mapping_started",
                "\(p.person.name) of \(names[own] ?? "one company") started a private mapping run of a list of \(declaredAccounts) accounts against \(names[other] ?? "the other company")'s \(setAccounts) accounts on this server (at most \(run.maxEvaluations) evaluations).",
                ps, p, now, on: s)
            return (run, key.secret)
        }
        // Outside the transaction: reading and encrypting a large list takes seconds.
        let accounts = try await store.privateMappingSources(of: run.setOrganizationID)
        let encrypted = try await CPUWork.run {
            var keys = Set<String>()
            for a in accounts {
                keys.formUnion(PrivateMatchKeys.keys(name: a.name, domain: a.domain, country: a.country, role: .set))
            }
            return try PrivateSet.encrypt(keys.shuffled(), with: try PrivateSet.Secret(raw: secret))
        }
        return Started(run: run, set: encrypted)
    }

    /// Encrypts one batch of the command's blinded keys with the server's secret, in order. Batches
    /// are numbered from 0 and each is taken once (a replay is refused); the run's evaluations stop
    /// at its budget. `elements` is read after the access checks.
    public func evaluate(
        run runID: UUID, in partnershipID: UUID, by p: Principal, batch: Int,
        _ elements: @escaping @Sendable () async throws -> Data
    ) async throws -> Data {
        let now = clock()
        let (run, key) = try await openRun(runID, in: partnershipID, by: p, at: now)
        guard batch == run.nextBatch else {
            throw WorkflowError.conflict(
                batch < run.nextBatch
                    ? "Batch \(batch) of this run was already evaluated; a batch is taken once. The next is \(run.nextBatch)."
                    : "Batch \(batch) comes before its turn: the next batch of this run is \(run.nextBatch).")
        }
        let data = try await elements()
        guard !data.isEmpty, data.count % PrivateSet.elementBytes == 0 else {
            throw WorkflowError.invalid(
                field: "elements",
                "elements must be a whole number of \(PrivateSet.elementBytes)-byte points (got \(data.count) bytes).")
        }
        let count = data.count / PrivateSet.elementBytes
        guard count <= Self.maxBatch else {
            throw WorkflowError.invalid(
                field: "elements", "A batch holds at most \(Self.maxBatch) points; this one has \(count).")
        }
        guard run.evaluated + count <= run.maxEvaluations else {
            throw WorkflowError.limitReached(
                field: "elements",
                "This run's budget is \(run.maxEvaluations) evaluations (\(PrivateMatchKeys.maxPerAccount) per declared account); \(run.evaluated) are used and this batch asks for \(count). Start a new run declaring the list's real size.",
                retryAfter: nil)
        }
        let secret = try PrivateSet.Secret(raw: key.secret)
        let answer: Data
        do {
            answer = try await CPUWork.run { try PrivateSet.multiply(data, by: secret) }
        } catch let f as PrivateSet.Failure {
            throw WorkflowError.invalid(field: "elements", "elements: \(f.description).")
        }
        var advanced = run
        advanced.evaluated += count
        advanced.nextBatch += 1
        let next = advanced
        let moved = try await store.transaction { s in
            try await s.updatePrivateMappingRun(next, expectedBatch: run.nextBatch)
        }
        guard moved else {
            throw WorkflowError.conflict("Batch \(batch) of this run was already evaluated; a batch is taken once.")
        }
        return answer
    }

    /// Ends a run with how many of the command's accounts were in the overlap (what it is about to
    /// upload); audited for both companies.
    public func complete(
        run runID: UUID, in partnershipID: UUID, by p: Principal, overlapAccounts: Int
    ) async throws -> PrivateMappingRun {
        let now = clock()
        let (run, _) = try await openRun(runID, in: partnershipID, by: p, at: now)
        guard (0...run.declaredAccounts).contains(overlapAccounts) else {
            throw WorkflowError.invalid(
                field: "overlap_accounts",
                "overlap_accounts must be between 0 and the \(run.declaredAccounts) accounts the run declared.")
        }
        var completed = run
        completed.status = .completed
        completed.completedAt = now
        completed.overlapAccounts = overlapAccounts
        let done = completed
        return try await store.transaction { s in
            guard try await s.updatePrivateMappingRun(done, expectedBatch: run.nextBatch) else {
                throw WorkflowError.conflict("The run changed while it was being completed; it was not completed.")
            }
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            let names = try await Self.names(ps, on: s)
            try await PartnershipWorkflows.audit(
                "private_mapping_completed",
                "\(p.person.name) of \(names[run.organizationID] ?? "one company") completed a private mapping run: \(run.evaluated) keys evaluated, \(overlapAccounts) of \(run.declaredAccounts) accounts in the overlap with \(names[run.setOrganizationID] ?? "the other company")'s \(run.setAccounts).",
                ps, p, now, on: s)
            return done
        }
    }

    /// Replaces the secret that encrypts the principal's organization's list in this partnership:
    /// what the other company learned of it in earlier runs cannot be compared with later runs.
    public func rotateKey(in partnershipID: UUID, by p: Principal) async throws -> PrivateMappingKey {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            try Self.requireAdmin(p)
            let key = PrivateMappingKey(
                partnershipID: ps.id, organizationID: p.person.organizationID, secret: PrivateSet.Secret().raw,
                createdAt: now)
            try await s.savePrivateMappingKey(key)
            let names = try await Self.names(ps, on: s)
            try await PartnershipWorkflows.audit(
                "private_mapping_key_rotated",
                "\(p.person.name) replaced the private mapping secret of \(names[p.person.organizationID] ?? "their company")'s list.",
                ps, p, now, on: s)
            return key
        }
    }

    /// Every run of the partnership in the last `days` days, of both companies, newest first: both see
    /// every run.
    public func runs(in partnershipID: UUID, by p: Principal, days: Int = 30) async throws -> [PrivateMappingRun] {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            return try await s.privateMappingRuns(
                partnershipID: ps.id, since: now.addingTimeInterval(-Double(days) * 86_400))
        }
    }

    /// Refuses what `evaluate` and `complete` would refuse before reading a request's body: a run that
    /// is not the principal's company's, not open, or started too long ago.
    public func checkOpen(run runID: UUID, in partnershipID: UUID, by p: Principal) async throws {
        _ = try await openRun(runID, in: partnershipID, by: p, at: clock())
    }

    /// The principal's open run in this partnership, with the key it was started with.
    func openRun(
        _ runID: UUID, in partnershipID: UUID, by p: Principal, at now: Date
    ) async throws -> (PrivateMappingRun, PrivateMappingKey) {
        try await store.transaction { s in
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            try Self.requireAdmin(p)
            guard let run = try await s.privateMappingRun(runID), run.partnershipID == ps.id,
                run.organizationID == p.person.organizationID
            else { throw WorkflowError.notFound("private mapping run", field: "run_id") }
            guard run.status == .open else {
                throw WorkflowError.conflict("This private mapping run is completed; start a new one.")
            }
            guard now.timeIntervalSince(run.startedAt) <= Self.runLifetime else {
                throw WorkflowError.conflict(
                    "This private mapping run started more than \(Int(Self.runLifetime / 60)) minutes ago and takes no more evaluations; start a new one."
                )
            }
            guard let key = try await s.privateMappingKey(partnershipID: ps.id, organizationID: run.setOrganizationID),
                key.id == run.keyID
            else {
                throw WorkflowError.conflict(
                    "The other company replaced its private mapping secret after this run started; start a new one.")
            }
            return (run, key)
        }
    }

    static func names(_ ps: Partnership, on s: any WorkflowStore) async throws -> [UUID: String] {
        Dictionary(
            uniqueKeysWithValues: try await s.organizations(ps.organizationIDs).map { ($0.id, $0.name) })
    }
}
