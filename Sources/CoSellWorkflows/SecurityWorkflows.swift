import CoSellDomain
import Foundation

/// The verbs of signing in and out and of personal API tokens. Secrets are made and passwords
/// hashed and verified by the caller (the web layer, off the event loop); the verbs see hashes and a
/// verifier, decide, and write each change with its audit line in one transaction.
public struct SecurityWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// The shortest password a person may choose.
    public static let minimumPasswordLength = 12

    /// The longest password, in UTF-8 bytes: bcrypt reads no further, so a longer one would sign in
    /// with any tail after its 72nd byte.
    public static let maximumPasswordBytes = 72

    /// Refuses a password that is too short, too long (in bytes, see `maximumPasswordBytes`), or
    /// made only of spaces (`password` names the field).
    public static func checkPassword(_ password: String) throws(WorkflowError) {
        guard password.count >= minimumPasswordLength else {
            throw .invalid(
                field: "password", "The password must be at least \(minimumPasswordLength) characters.")
        }
        guard password.contains(where: { !$0.isWhitespace }) else {
            throw .invalid(field: "password", "The password must not be only spaces.")
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw .invalid(
                field: "password",
                "The password must be at most \(maximumPasswordBytes) bytes (72 plain letters and digits, fewer with accents or emoji): a longer one is not checked past its 72nd byte."
            )
        }
    }

    // MARK: sessions

    /// How many failed sign-ins are allowed, and how long a session lasts.
    public struct SignInPolicy: Sendable {
        public var maxFailuresPerAccount: Int
        public var maxFailuresPerAddress: Int
        public var failureWindow: TimeInterval
        public var sessionLifetime: TimeInterval

        public init(
            maxFailuresPerAccount: Int, maxFailuresPerAddress: Int, failureWindow: TimeInterval,
            sessionLifetime: TimeInterval
        ) {
            self.maxFailuresPerAccount = maxFailuresPerAccount
            self.maxFailuresPerAddress = maxFailuresPerAddress
            self.failureWindow = failureWindow
            self.sessionLifetime = sessionLifetime
        }
    }

    /// The secrets of a new session, made by the caller: the hash of the cookie's secret and the
    /// CSRF token.
    public struct SessionSecrets: Sendable {
        public var tokenHash: String
        public var csrf: String

        public init(tokenHash: String, csrf: String) {
            self.tokenHash = tokenHash
            self.csrf = csrf
        }
    }

    /// An open session.
    public struct Session: Sendable, Equatable {
        public var person: Person
        public var csrfToken: String
        public var expiresAt: Date
    }

    /// Why a sign-in was refused.
    public enum SignInRefusal: Error, Equatable, Sendable {
        /// Too many failed sign-ins for the account or from the address within the failure window;
        /// nothing was checked or written.
        case tooManyFailures
        /// No active person with that e-mail and password; the failure and its audit line were written.
        case wrongCredentials
    }

    /// Signs a person in from `address`. The attempt is counted as a failure first, in a transaction
    /// of its own, and the limits are read after it: of concurrent attempts, only as many as the
    /// limits allow go on to the password check (`SignInRefusal.tooManyFailures` for the rest, whose
    /// count is taken back). Then `verify` checks the password against the stored hash, outside any
    /// transaction (it is slow); for an unknown e-mail or a deactivated person it is called with nil,
    /// and should take as long as a real check, so that the answer's timing does not tell which
    /// addresses exist. A wrong e-mail or password keeps the failure, writes a `sign_in_failed` audit
    /// line and throws `SignInRefusal.wrongCredentials`; an error of `verify` takes the count back and
    /// is rethrown; a right one takes the count back and writes
    /// the session and a `sign_in` audit line. A password longer than `maximumPasswordBytes` is wrong.
    public func signIn(
        email rawEmail: String, from address: String, policy: SignInPolicy, secrets: SessionSecrets,
        verify: @escaping @Sendable (_ passwordHash: String?) async throws -> Bool
    ) async throws -> Session {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = clock()
        let attempt = UUID()
        try await store.transaction { s in
            try await s.recordSignInFailure(id: attempt, email: email, address: address, at: now)
        }
        // Counted with this attempt and every concurrent one committed before it.
        let failures: (account: Int, address: Int)
        do {
            failures = try await store.signInFailures(
                email: email, address: address, since: now.addingTimeInterval(-policy.failureWindow))
        } catch {
            await takeBack(attempt)
            throw error
        }
        if failures.account > policy.maxFailuresPerAccount || failures.address > policy.maxFailuresPerAddress {
            await takeBack(attempt)
            throw SignInRefusal.tooManyFailures
        }
        var person: Person? = nil
        do {
            if let (found, hash) = try await store.credentials(email: email), found.deactivatedAt == nil {
                if try await verify(hash) { person = found }
            } else {
                _ = try await verify(nil)
            }
        } catch {
            // Not checked (the server is busy): not a failure.
            await takeBack(attempt)
            throw error
        }
        let signedIn = person
        let session = try await store.transaction { s -> Session? in
            guard let person = signedIn else {
                let org = try await s.person(email: email)?.organizationID
                try await s.audit(
                    AuditEvent(
                        organizationID: org, actorID: nil, actorName: nil, kind: "sign_in_failed",
                        detail: "Failed sign-in for \(email).", address: address, at: now))
                return nil
            }
            try await s.deleteSignInFailure(id: attempt)
            let expires = now.addingTimeInterval(policy.sessionLifetime)
            try await s.createSession(
                tokenHash: secrets.tokenHash, personID: person.id, csrf: secrets.csrf, at: now, expiresAt: expires)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "sign_in", detail: "\(person.name) signed in.", address: address, at: now))
            return Session(person: person, csrfToken: secrets.csrf, expiresAt: expires)
        }
        guard let session else { throw SignInRefusal.wrongCredentials }
        return session
    }

    /// Takes back an attempt counted before the check that never reached it (refused, or not checked).
    /// Tried a few times; when the database stays busy through them all (many writers on a loaded
    /// machine), the attempt stays counted until the window passes: refusing a little longer is the
    /// safe side, and no attempt that reached the check is ever taken back this way.
    private func takeBack(_ attempt: UUID) async {
        for pause in [0, 50, 200] {
            if pause > 0 { try? await Task.sleep(nanoseconds: UInt64(pause) * 1_000_000) }
            do {
                try await store.transaction { s in try await s.deleteSignInFailure(id: attempt) }
                return
            } catch {}
        }
    }

    // MARK: password resets

    /// How long a reset link works.
    public static let passwordResetLifetime: TimeInterval = 3_600
    /// At most this many resets per person per `passwordResetLifetime`: more asks send no more mail.
    public static let passwordResetsPerHour = 3

    /// Someone asks to reset the password of `email`. When an active person has it and has not
    /// asked too often, the reset (the hash of its secret) and its mail are kept in one transaction
    /// with a `password_reset_requested` audit line; otherwise nothing happens. Either way the caller
    /// answers the same, so the answer does not tell which addresses exist. `path` is the reset
    /// page's path with the secret.
    public func requestPasswordReset(
        email rawEmail: String, tokenHash: String, path: String, from address: String?
    )
        async throws
    {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard !email.isEmpty, email.count <= 200 else {
            throw WorkflowError.invalid(field: "email", "email must be an e-mail address.")
        }
        let now = clock()
        try await store.transaction { s in
            guard let person = try await s.person(email: email), person.deactivatedAt == nil,
                try await s.passwordResetCount(
                    of: person.id, since: now.addingTimeInterval(-Self.passwordResetLifetime))
                    < Self.passwordResetsPerHour
            else { return }
            let expires = now.addingTimeInterval(Self.passwordResetLifetime)
            try await s.insertPasswordReset(
                id: UUID(), personID: person.id, tokenHash: tokenHash, at: now, expiresAt: expires)
            try await s.queueAccountMail(.passwordReset(to: person, path: path, expiresAt: expires), at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: nil, actorName: nil,
                    kind: "password_reset_requested", detail: "A password reset link was mailed to \(person.email).",
                    address: address, at: now))
        }
    }

    /// A signed-in person changes their own password: the current one is verified by `verify` (off
    /// the transaction), the new one checked and hashed; then the new password, every session of
    /// theirs ended (the caller opens a new one) and a `password_changed` audit line, in one transaction.
    /// A wrong current password is `WorkflowError.invalid(field: "current_password", …)`.
    public func changePassword(
        of person: Person, current: String, new password: String, from address: String?,
        verify: @escaping @Sendable (_ passwordHash: String) async throws -> Bool,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws {
        guard let (_, stored) = try await store.credentials(email: person.email), try await verify(stored) else {
            throw WorkflowError.invalid(field: "current_password", "The current password is not right.")
        }
        try Self.checkPassword(password)
        let hash = try await hashPassword(password)
        let now = clock()
        try await store.transaction { s in
            try await s.replacePassword(of: person.id, passwordHash: hash, at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "password_changed",
                    detail: "\(person.name) changed their password; their other sessions were ended.",
                    address: address, at: now))
        }
    }

    /// Whether a reset link can still be used (the page says so before a password is typed).
    public func passwordResetIsOpen(tokenHash: String) async throws -> Bool {
        try await store.passwordResetIsOpen(tokenHash: tokenHash, at: clock())
    }

    /// Uses a reset link: the password is checked, then hashed by `hashPassword` outside the
    /// transaction; the new password, the reset used up (with any other open one of the person's),
    /// their sessions ended and a `password_reset` audit line, in one transaction. An unknown, used
    /// or expired link is `WorkflowError.notFound("password reset")`.
    public func resetPassword(
        tokenHash: String, password: String, from address: String?,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> Person {
        try Self.checkPassword(password)
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            let person = try await s.usePasswordReset(tokenHash: tokenHash, passwordHash: hash, at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "password_reset",
                    detail: "\(person.name) chose a new password with a reset link; their sessions were ended.",
                    address: address, at: now))
            return person
        }
    }

    /// The command line sets a person's password (a person who cannot get mail, say): the password
    /// checked and hashed, then the new password, their open resets used up, their sessions ended and
    /// a `password_set` audit line naming the command, in one transaction.
    public func setPassword(
        forPersonWithEmail rawEmail: String, by op: CommandLineOperator, password: String,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> Person {
        try Self.checkPassword(password)
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            guard let person = try await s.person(email: email), person.deactivatedAt == nil else {
                throw WorkflowError.notFound("person")
            }
            try await s.replacePassword(of: person.id, passwordHash: hash, at: now)
            try await s.audit(
                op.auditEntry(
                    "password_set",
                    "Set the password of \(person.email) from the command line; their sessions were ended.",
                    organizationID: person.organizationID, at: now))
            return person
        }
    }

    /// Ends the session whose cookie secret has this hash (nothing when there is none).
    public func signOut(sessionTokenHash: String) async throws {
        try await store.transaction { s in try await s.deleteSession(tokenHash: sessionTokenHash) }
    }

    // MARK: API tokens

    /// A token to make: its name and scope.
    public struct NewToken: Sendable {
        public var name: String
        public var scope: TokenScope

        public init(name: String, scope: TokenScope) {
            self.name = name
            self.scope = scope
        }
    }

    /// A person makes a personal API token (any role; not with a read-only token). The caller keeps
    /// the secret and hands over its hash; `token` is read after the scope check.
    public func createToken(
        by p: Principal, hash: String, _ token: @escaping @Sendable () async throws -> NewToken
    ) async throws -> APITokenInfo {
        guard p.scope == .readWrite else { throw WorkflowError.forbidden("A read-only token cannot create tokens.") }
        let wanted = try await token()
        let name = try Self.checkTokenName(wanted.name)
        let now = clock()
        let info = APITokenInfo(
            id: UUID(), name: name, scope: wanted.scope.rawValue, createdAt: now, lastUsedAt: nil, revokedAt: nil)
        return try await store.transaction { s in
            try await s.insertToken(info, personID: p.person.id, hash: hash)
            try await s.audit(
                p.auditEntry(
                    "token_created", "\(p.person.name) created the API token \"\(name)\" (\(info.scope)).",
                    organizationID: p.person.organizationID, at: now))
            return info
        }
    }

    /// A token's name as kept (trimmed); 1 to 200 characters.
    public static func checkTokenName(_ raw: String) throws(WorkflowError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else {
            throw .invalid(field: "name", "name must be 1 to 200 characters.")
        }
        return name
    }

    /// The command line makes a personal API token for the active person with this e-mail (else
    /// `WorkflowError.notFound("person")`), under the same rules; the audit line is the person's,
    /// saying it was made from the command line.
    public func createToken(
        forPersonWithEmail email: String, by op: CommandLineOperator, hash: String, _ token: NewToken
    ) async throws -> APITokenInfo {
        let name = try Self.checkTokenName(token.name)
        let now = clock()
        let info = APITokenInfo(
            id: UUID(), name: name, scope: token.scope.rawValue, createdAt: now, lastUsedAt: nil, revokedAt: nil)
        return try await store.transaction { s in
            guard let person = try await s.person(email: email), person.deactivatedAt == nil else {
                throw WorkflowError.notFound("person")
            }
            try await s.insertToken(info, personID: person.id, hash: hash)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "token_created",
                    detail: "API token \"\(name)\" (\(info.scope)) created from the command line.",
                    address: nil, at: now))
            return info
        }
    }

    /// A person revokes one of their own tokens (revoking it again changes nothing but is audited
    /// again); another person's token, or an unknown one, is not found.
    public func revokeToken(_ id: UUID, by p: Principal) async throws {
        guard p.scope == .readWrite else { throw WorkflowError.forbidden("A read-only token cannot revoke tokens.") }
        let now = clock()
        try await store.transaction { s in
            guard try await s.revokeToken(id, of: p.person.id, at: now) else { throw WorkflowError.notFound("token") }
            try await s.audit(
                p.auditEntry(
                    "token_revoked", "\(p.person.name) revoked an API token.", organizationID: p.person.organizationID,
                    at: now))
        }
    }
}
