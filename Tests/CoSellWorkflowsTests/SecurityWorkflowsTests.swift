import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Signing in and out and personal API tokens, on every store.
@Suite("Security workflows")
struct SecurityWorkflowsTests {
    let f = WorkflowFixture()
    static let address = "203.0.113.7"
    let policy = SecurityWorkflows.SignInPolicy(
        maxFailuresPerAccount: 2, maxFailuresPerAddress: 3, failureWindow: 900, sessionLifetime: 3_600)
    let secrets = SecurityWorkflows.SessionSecrets(tokenHash: "session-hash", csrf: "csrf-1")

    /// A verifier that accepts `password` against the hash `hash:<password>`, and counts its calls:
    /// with a stored hash (`calls`), and without one (`dummyCalls`: an unknown or deactivated person).
    final class Verifier: @unchecked Sendable {
        let password: String
        private let lock = NSLock()
        private var count = 0
        private var dummies = 0
        init(_ password: String) { self.password = password }
        var calls: Int { lock.withLock { count } }
        var dummyCalls: Int { lock.withLock { dummies } }
        func verify(_ hash: String?) -> Bool {
            guard let hash else {
                lock.withLock { dummies += 1 }
                return false
            }
            lock.withLock { count += 1 }
            return hash == "hash:" + password
        }
    }

    func signIn(_ w: Workflows, _ email: String, _ v: Verifier) async throws -> SecurityWorkflows.Session {
        try await w.security.signIn(email: email, from: Self.address, policy: policy, secrets: secrets) {
            v.verify($0)
        }
    }

    @Test("the right password opens a session, with its audit line", arguments: StoreKind.all)
    func signsIn(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            let session = try await signIn(w, "  Daniel@QuarryData.example ", Verifier("right password"))
            #expect(session.person.id == f.daniel.id)
            #expect(session.csrfToken == "csrf-1")
            #expect(session.expiresAt == f.now.addingTimeInterval(3_600))
            #expect(try await probe.sessionPerson("session-hash", at: f.now) == f.daniel.id)
            let audits = try await probe.audits(f.quarry.id)
            #expect(audits.map(\.kind) == ["sign_in"])
            #expect(audits.first?.detail == "Daniel Reyes signed in.")
            #expect(audits.first?.actorID == f.daniel.id)
            #expect(audits.first?.address == Self.address)
            try await w.security.signOut(sessionTokenHash: "session-hash")
            #expect(try await probe.sessionPerson("session-hash", at: f.now) == nil)
        }
    }

    @Test(
        "a wrong password, an unknown e-mail or a deactivated person: the failure and its audit line are kept",
        arguments: StoreKind.all)
    func wrongCredentials(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            try await probe.seedPassword("hash:right password", for: f.priya.id, at: f.now)
            _ = try await w.people.deactivate(f.priya.id, in: f.quarry.id, by: f.principal(f.daniel))
            let v = Verifier("wrong password")
            await #expect(throws: SecurityWorkflows.SignInRefusal.wrongCredentials) {
                try await signIn(w, f.daniel.email, v)
            }
            await #expect(throws: SecurityWorkflows.SignInRefusal.wrongCredentials) {
                try await signIn(w, "nobody@quarrydata.example", v)
            }
            let right = Verifier("right password")
            await #expect(throws: SecurityWorkflows.SignInRefusal.wrongCredentials) {
                try await signIn(w, f.priya.email, right)
            }
            #expect(right.calls == 0)
            // The unknown address and the deactivated person cost a check all the same (timing).
            #expect(v.dummyCalls == 1)
            #expect(right.dummyCalls == 1)
            #expect(try await probe.sessionPerson("session-hash", at: f.now) == nil)
            let failures = try await w.store.signInFailures(
                email: f.daniel.email, address: Self.address, since: .distantPast)
            #expect(failures.account == 1)
            #expect(failures.address == 3)
            let audits = try await probe.audits(f.quarry.id).filter { $0.kind == "sign_in_failed" }
            #expect(
                audits.map(\.detail).sorted() == [
                    "Failed sign-in for \(f.daniel.email).", "Failed sign-in for \(f.priya.email).",
                ])
            #expect(audits.allSatisfy { $0.actorID == nil && $0.address == Self.address })
        }
    }

    @Test(
        "past the failure limit a sign-in is refused unchecked, even with the right password", arguments: StoreKind.all)
    func rateLimited(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            for _ in 0..<2 {
                await #expect(throws: SecurityWorkflows.SignInRefusal.wrongCredentials) {
                    try await signIn(w, f.daniel.email, Verifier("guess"))
                }
            }
            let right = Verifier("right password")
            await #expect(throws: SecurityWorkflows.SignInRefusal.tooManyFailures) {
                try await signIn(w, f.daniel.email.uppercased(), right)
            }
            #expect(right.calls == 0)
            let failures = try await w.store.signInFailures(
                email: f.daniel.email, address: Self.address, since: .distantPast)
            #expect(failures.account == 2)
            #expect(try await probe.auditKinds(f.quarry.id) == ["sign_in_failed", "sign_in_failed"])
        }
    }

    @Test(
        "a sign-in whose audit line fails opens no session, and its attempt stays counted", arguments: StoreKind.all)
    func signInAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await signIn(failing, f.daniel.email, Verifier("right password"))
            }
            await #expect(throws: FailingStore.Injected.self) {
                try await signIn(failing, f.daniel.email, Verifier("wrong"))
            }
            #expect(try await probe.sessionPerson("session-hash", at: f.now) == nil)
            // Counted before the check; an attempt whose outcome was not written is not taken back.
            let failures = try await w.store.signInFailures(
                email: f.daniel.email, address: Self.address, since: .distantPast)
            #expect(failures.account == 2)
        }
    }

    @Test(
        "concurrent attempts are counted before the check: no more reach it than the limit allows",
        arguments: StoreKind.all)
    func concurrentAttemptsCounted(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            let v = Verifier("guess")
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        do {
                            _ = try await signIn(w, f.daniel.email, v)
                            return "signed in"
                        } catch let r as SecurityWorkflows.SignInRefusal {
                            return "\(r)"
                        } catch {
                            return "unavailable"
                        }
                    }
                }
                var all: [String] = []
                for await o in group { all.append(o) }
                return all
            }
            // The account limit is 2: at most two attempts reach the password check (fewer when
            // more were counted before any read the count: refusing too many is the safe side).
            #expect(v.calls <= 2)
            #expect(outcomes.filter { $0 == "wrongCredentials" }.count == v.calls)
            // On SQLite, an attempt that found the write lock taken through every retry is answered
            // "unavailable" (a 503) without reaching the check; seen only on a loaded machine (twelve
            // writers at once on two busy cores). The memory store has no lock to wait for.
            let unavailable = outcomes.filter { $0 == "unavailable" }.count
            if case .memory = kind { #expect(unavailable == 0) }
            #expect(outcomes.filter { $0 == "tooManyFailures" }.count + unavailable == 12 - v.calls)
            let failures = try await w.store.signInFailures(
                email: f.daniel.email, address: Self.address, since: .distantPast)
            // Every attempt that reached the check stays counted. An attempt refused before it is
            // taken back; on a database that stayed busy through the take-back's tries it stays
            // counted (the safe side: seen once in CI, SQLite with the PostgreSQL suite beside it).
            if case .memory = kind {
                #expect(failures.account == v.calls)
            } else {
                #expect(failures.account >= v.calls)
                #expect(failures.account <= 12)
            }
        }
    }

    @Test("a right password takes its counted attempt back", arguments: StoreKind.all)
    func successNotCounted(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("hash:right password", for: f.daniel.id, at: f.now)
            for i in 0..<4 {
                _ = try await w.security.signIn(
                    email: f.daniel.email, from: Self.address, policy: policy,
                    secrets: .init(tokenHash: "session-\(i)", csrf: "csrf-\(i)")
                ) { Verifier("right password").verify($0) }
            }
            let failures = try await w.store.signInFailures(
                email: f.daniel.email, address: Self.address, since: .distantPast)
            #expect(failures.account == 0)
            #expect(failures.address == 0)
        }
    }

    // MARK: tokens

    @Test("a person makes a token: kept by its hash, audited; and revokes it", arguments: StoreKind.all)
    func tokens(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let info = try await w.security.createToken(by: f.principal(f.priya), hash: "token-hash") {
                .init(name: "  ci bot ", scope: .read)
            }
            #expect(info.name == "ci bot")
            #expect(info.scope == "read")
            #expect(info.createdAt == f.now)
            #expect(try await probe.tokens(of: f.priya.id).map(\.id) == [info.id])
            try await w.security.revokeToken(info.id, by: f.principal(f.priya))
            #expect(try await probe.tokens(of: f.priya.id).first?.revokedAt == f.now)
            let audits = try await probe.audits(f.quarry.id)
            #expect(audits.map(\.kind).sorted() == ["token_created", "token_revoked"])
            #expect(
                audits.map(\.detail).sorted() == [
                    "Priya Shah created the API token \"ci bot\" (read).", "Priya Shah revoked an API token.",
                ])
        }
    }

    @Test(
        "a token is refused: by a read-only token, a bad name; another's token is not found", arguments: StoreKind.all)
    func tokenRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            await #expect(throws: WorkflowError.forbidden("A read-only token cannot create tokens.")) {
                try await w.security.createToken(by: f.principal(f.priya, scope: .read), hash: "h") {
                    Issue.record("the body is read after the scope check")
                    return .init(name: "x", scope: .read)
                }
            }
            for name in ["", "   ", String(repeating: "n", count: 201)] {
                await #expect(throws: WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")) {
                    try await w.security.createToken(by: f.principal(f.priya), hash: "h") {
                        .init(name: name, scope: .read)
                    }
                }
            }
            let mine = try await w.security.createToken(by: f.principal(f.priya), hash: "h") {
                .init(name: "mine", scope: .readWrite)
            }
            await #expect(throws: WorkflowError.notFound("token")) {
                try await w.security.revokeToken(mine.id, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.notFound("token")) {
                try await w.security.revokeToken(UUID(), by: f.principal(f.daniel))
            }
            #expect(try await probe.tokens(of: f.priya.id).first?.revokedAt == nil)
            #expect(try await probe.auditKinds(f.quarry.id) == ["token_created"])
        }
    }

    @Test("a token whose audit line fails is not kept; nor is its revocation", arguments: StoreKind.all)
    func tokenAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.security.createToken(by: f.principal(f.priya), hash: "h") {
                    .init(name: "x", scope: .read)
                }
            }
            let tokens = try await probe.tokens(of: f.priya.id)
            #expect(tokens.isEmpty)
            let kept = try await w.security.createToken(by: f.principal(f.priya), hash: "h") {
                .init(name: "x", scope: .read)
            }
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.security.revokeToken(kept.id, by: f.principal(f.priya))
            }
            #expect(try await probe.tokens(of: f.priya.id).first?.revokedAt == nil)
        }
    }

    @Test("the command line makes a token for an active person, under the same name rule", arguments: StoreKind.all)
    func commandLineToken(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let op = CommandLineOperator(command: "cosell token create")
            let info = try await w.security.createToken(
                forPersonWithEmail: "PRIYA@quarrydata.example", by: op, hash: "h", .init(name: "ci", scope: .read))
            #expect(try await probe.tokens(of: f.priya.id).map(\.id) == [info.id])
            let audit = try await probe.audits(f.quarry.id).last
            #expect(audit?.detail == "API token \"ci\" (read) created from the command line.")
            #expect(audit?.actorID == f.priya.id)
            await #expect(throws: WorkflowError.notFound("person")) {
                try await w.security.createToken(
                    forPersonWithEmail: "nobody@quarrydata.example", by: op, hash: "h", .init(name: "ci", scope: .read))
            }
            await #expect(throws: WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")) {
                try await w.security.createToken(
                    forPersonWithEmail: f.priya.email, by: op, hash: "h", .init(name: "", scope: .read))
            }
        }
    }
}
