import Foundation

/// The server's secret for private mapping against one organization's list in one partnership: the
/// scalar that encrypts that list's keys (`PrivateSet`). Rotated on request of that organization.
public struct PrivateMappingKey: Sendable, Equatable {
    /// A new id for each secret: a run names the one it was started with.
    public var id: UUID
    public var partnershipID: UUID
    /// Whose accounts the key encrypts.
    public var organizationID: UUID
    /// The X25519 scalar's 32 bytes.
    public var secret: Data
    public var createdAt: Date

    public init(id: UUID = UUID(), partnershipID: UUID, organizationID: UUID, secret: Data, createdAt: Date) {
        self.id = id
        self.partnershipID = partnershipID
        self.organizationID = organizationID
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// One private mapping run: an organization's admin maps its own list (kept on its machine) against
/// the other organization's list held by this server. What both companies see of it.
public struct PrivateMappingRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case open, completed
    }

    public var id: UUID
    public var partnershipID: UUID
    /// The organization whose admin ran `cosell private-map`.
    public var organizationID: UUID
    /// The organization whose list on the server was mapped against.
    public var setOrganizationID: UUID
    /// The id of the server's secret the run was started with (a rotation ends the run).
    public var keyID: UUID
    public var startedBy: UUID
    public var startedByName: String
    public var startedAt: Date
    /// How many accounts the command said its list has.
    public var declaredAccounts: Int
    /// How many keys the server evaluates for the run at most (`declaredAccounts` × keys per account).
    public var maxEvaluations: Int
    public var evaluated: Int
    /// The number the next batch of evaluations must carry (0 first): a replayed batch is refused.
    public var nextBatch: Int
    /// How many accounts the server's list had (what the command learns of it).
    public var setAccounts: Int
    public var status: Status
    public var completedAt: Date?
    /// How many of the command's accounts were in the overlap, as it reported at the end.
    public var overlapAccounts: Int?

    public init(
        id: UUID, partnershipID: UUID, organizationID: UUID, setOrganizationID: UUID, keyID: UUID, startedBy: UUID,
        startedByName: String, startedAt: Date, declaredAccounts: Int, maxEvaluations: Int, setAccounts: Int
    ) {
        self.id = id
        self.partnershipID = partnershipID
        self.organizationID = organizationID
        self.setOrganizationID = setOrganizationID
        self.keyID = keyID
        self.startedBy = startedBy
        self.startedByName = startedByName
        self.startedAt = startedAt
        self.declaredAccounts = declaredAccounts
        self.maxEvaluations = maxEvaluations
        self.evaluated = 0
        self.nextBatch = 0
        self.setAccounts = setAccounts
        self.status = .open
        self.completedAt = nil
        self.overlapAccounts = nil
    }
}

/// Private mapping's keys and runs.
public protocol PrivateMappingStore: Sendable {
    func privateMappingKey(partnershipID: UUID, organizationID: UUID) async throws -> PrivateMappingKey?
    /// Stores the key, replacing the partnership's key for that organization.
    func savePrivateMappingKey(_ key: PrivateMappingKey) async throws
    func privateMappingRun(_ id: UUID) async throws -> PrivateMappingRun?
    /// The partnership's runs started at or after `since`, newest first.
    func privateMappingRuns(partnershipID: UUID, since: Date) async throws -> [PrivateMappingRun]
    func insertPrivateMappingRun(_ run: PrivateMappingRun) async throws
    /// Writes the run only if its stored `nextBatch` is still `expectedBatch`; false when another
    /// request moved it first (a replayed or concurrent batch).
    func updatePrivateMappingRun(_ run: PrivateMappingRun, expectedBatch: Int) async throws -> Bool
    /// What private mapping's keys are made of, for each active account of the organization, in no
    /// particular order: one narrow read of the whole list.
    func privateMappingSources(of organizationID: UUID) async throws -> [PrivateMappingSource]
}

/// The fields of an account that its private mapping keys are made of.
public struct PrivateMappingSource: Sendable, Decodable {
    public var name: String
    public var domain: String?
    public var country: String?

    public init(name: String, domain: String?, country: String?) {
        self.name = name
        self.domain = domain
        self.country = country
    }
}
