import CoSellDomain
import Foundation

/// An API token as its owner sees it (never the secret).
public struct APITokenInfo: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var scope: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: UUID, name: String, scope: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// What the verbs of sign-in, sessions, API tokens and joining an organization read and write.
/// Secrets never reach the store: it keeps their hashes.
public protocol SecurityStore: Sendable {
    // MARK: sign-in and sessions

    /// Failed sign-ins since `since`, for one account (e-mail, in lower case) and for one address.
    func signInFailures(email: String, address: String, since: Date) async throws -> (account: Int, address: Int)
    /// Counts a sign-in attempt as failed (before the password is checked, so that concurrent
    /// attempts see each other); `id` lets a successful or refused attempt take it back.
    func recordSignInFailure(id: UUID, email: String, address: String, at: Date) async throws
    /// Takes back an attempt counted by `recordSignInFailure` (it succeeded, or was refused unchecked).
    func deleteSignInFailure(id: UUID) async throws
    /// The person with this e-mail (compared in lower case) and their password hash, if they have one.
    func credentials(email: String) async throws -> (Person, String)?
    func createSession(tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date) async throws
    func deleteSession(tokenHash: String) async throws

    // MARK: API tokens

    func insertToken(_ token: APITokenInfo, personID: UUID, hash: String) async throws
    /// Revokes one of a person's tokens (once: a revoked token keeps its first time); false when they
    /// have no such token.
    func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool

    // MARK: people and organizations

    /// Accepts an unexpired, unused invitation: the person, their password and the invitation marked
    /// accepted. `WorkflowError.notFound("invitation")` when there is no such invitation;
    /// `WorkflowError.conflict` when a person has its e-mail already.
    func acceptInvitation(tokenHash: String, passwordHash: String, at: Date) async throws -> Person
    /// The invitation with this secret's hash when it can still be accepted at `at` (unused, unexpired).
    func openInvitation(tokenHash: String, at: Date) async throws -> Invitation?
    /// An organization's invitations that can still be accepted at `at`, newest first.
    func openInvitations(of organizationID: UUID, at: Date) async throws -> [Invitation]

    // MARK: password resets

    /// Keeps a password reset: the hash of its secret, whose it is, until when it works.
    func insertPasswordReset(id: UUID, personID: UUID, tokenHash: String, at: Date, expiresAt: Date) async throws
    /// How many resets were asked for the person since `since` (a limit on mail to one address).
    func passwordResetCount(of personID: UUID, since: Date) async throws -> Int
    /// Whether a reset with this secret's hash can still be used at `at` (unused, unexpired, its person active).
    func passwordResetIsOpen(tokenHash: String, at: Date) async throws -> Bool
    /// Uses an unexpired, unused reset of an active person: their new password, every open reset of
    /// theirs used up, their sessions ended. `WorkflowError.notFound("password reset")` when there is
    /// no such reset.
    func usePasswordReset(tokenHash: String, passwordHash: String, at: Date) async throws -> Person
    /// Sets a person's password from outside (the command line): every open reset of theirs used up,
    /// their sessions ended.
    func replacePassword(of personID: UUID, passwordHash: String, at: Date) async throws
    /// Whether the server has no organization yet (the setup page is open only then).
    func hasNoOrganization() async throws -> Bool
    func insertOrganization(_ organization: Organization) async throws
    /// A new person with their password; `WorkflowError.conflict` when the e-mail is taken.
    func insertPerson(_ person: Person, passwordHash: String, at: Date) async throws
    /// Gives a person another role; `WorkflowError.notFound("person")` when there is no such person.
    func setRole(_ role: Role, of personID: UUID) async throws
}
