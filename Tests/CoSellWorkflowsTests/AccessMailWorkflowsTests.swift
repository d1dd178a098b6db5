import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Mail about access: an invitation's link mailed with the invitation, a password reset asked for
/// and used; each in one unit of work, on every store.
@Suite("Access mail workflows")
struct AccessMailWorkflowsTests {
    let f = WorkflowFixture()
    let password = "a new long password"

    @Test("an invitation made with a mail path queues its mail in the same unit of work", arguments: StoreKind.all)
    func invitationMailed(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.people.invite(
                into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h1", mailPath: "/join/secret1"
            ) { .init(email: "ana@quarrydata.example", name: "Ana Lopez", role: .partnerManager) }
            _ = try await w.people.invite(into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h2") {
                .init(email: "bo@quarrydata.example", name: "Bo Ek", role: .seller)
            }
            let mails = try await probe.accountMails()
            #expect(mails.count == 1)
            #expect(mails.first?.to == "ana@quarrydata.example")
            #expect(mails.first?.kind == "invitation")
            #expect(mails.first?.subject == "Daniel Reyes invited you to cosell for Quarry Data")
            #expect(mails.first?.path == "/join/secret1")
            let audit = try await probe.audits(f.quarry.id).map(\.detail)
            #expect(
                audit.contains("Daniel Reyes invited ana@quarrydata.example as partner_manager; the link was mailed."))
            #expect(audit.contains("Daniel Reyes invited bo@quarrydata.example as seller."))
            // The open invitations, as the admin's page lists them, newest first.
            let directory = try await w.people.directory(by: f.principal(f.daniel))
            #expect(Set(directory.invitations.map(\.email)) == ["ana@quarrydata.example", "bo@quarrydata.example"])
            #expect(try await w.people.openInvitation(tokenHash: "h1")?.organizationName == "Quarry Data")
            #expect(try await w.people.openInvitation(tokenHash: "nope") == nil)
            await #expect(throws: WorkflowError.forbidden("Only admins manage the people of their organization.")) {
                try await w.people.directory(by: f.principal(f.priya))
            }
        }
    }

    @Test(
        "a failed invitation write queues no mail (all or nothing)", arguments: StoreKind.all)
    func invitationAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.people.invite(
                    into: f.quarry.id, by: f.principal(f.daniel), tokenHash: "h1", mailPath: "/join/s"
                ) { .init(email: "ana@quarrydata.example", name: "Ana Lopez", role: .seller) }
            }
            let mails = try await probe.accountMails()
            #expect(mails.isEmpty)
            let invitation = try await w.people.openInvitation(tokenHash: "h1")
            #expect(invitation == nil)
        }
    }

    @Test(
        "a reset asked for an active person keeps the reset, its mail and an audit line; unknown and deactivated addresses get nothing",
        arguments: StoreKind.all)
    func resetRequested(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await w.security.requestPasswordReset(
                email: " Priya@QuarryData.example ", tokenHash: "r1", path: "/password-reset/s1", from: "198.51.100.7")
            try await w.security.requestPasswordReset(
                email: "nobody@quarrydata.example", tokenHash: "r2", path: "/password-reset/s2", from: nil)
            _ = try await w.people.deactivate(f.priya.id, in: f.quarry.id, by: f.principal(f.daniel))
            try await w.security.requestPasswordReset(
                email: "priya@quarrydata.example", tokenHash: "r3", path: "/password-reset/s3", from: nil)
            let mails = try await probe.accountMails()
            #expect(mails.map(\.path) == ["/password-reset/s1"])
            #expect(mails.first?.to == "priya@quarrydata.example")
            #expect(mails.first?.kind == "password_reset")
            #expect(try await w.security.passwordResetIsOpen(tokenHash: "r1") == false, "deactivated since")
            let requested = try await probe.audits(f.quarry.id).filter { $0.kind == "password_reset_requested" }
            #expect(requested.count == 1)
            #expect(requested.first?.address == "198.51.100.7")
            await #expect(throws: WorkflowError.invalid(field: "email", "email must be an e-mail address.")) {
                try await w.security.requestPasswordReset(email: "  ", tokenHash: "r4", path: "/p", from: nil)
            }
        }
    }

    @Test("at most three resets an hour are mailed to one person", arguments: StoreKind.all)
    func resetLimit(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            for i in 1...5 {
                try await w.security.requestPasswordReset(
                    email: "marcus@halyardsecurity.example", tokenHash: "r\(i)", path: "/password-reset/s\(i)",
                    from: nil)
            }
            #expect(try await probe.accountMails().count == SecurityWorkflows.passwordResetsPerHour)
            #expect(try await w.security.passwordResetIsOpen(tokenHash: "r3"))
            #expect(try await w.security.passwordResetIsOpen(tokenHash: "r4") == false)
        }
    }

    @Test(
        "using a reset sets the password, ends the person's sessions and every open reset, once",
        arguments: StoreKind.all)
    func resetUsed(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await probe.seedPassword("old", for: f.marcus.id, at: f.now)
            try await w.store.transaction { s in
                try await s.createSession(
                    tokenHash: "session1", personID: f.marcus.id, csrf: "c", at: f.now,
                    expiresAt: f.now.addingTimeInterval(3_600))
            }
            for i in 1...2 {
                try await w.security.requestPasswordReset(
                    email: "marcus@halyardsecurity.example", tokenHash: "r\(i)", path: "/p\(i)", from: nil)
            }
            await #expect(
                throws: WorkflowError.invalid(field: "password", "The password must be at least 12 characters.")
            ) {
                try await w.security.resetPassword(tokenHash: "r1", password: "short", from: nil) { $0 }
            }
            #expect(try await w.security.passwordResetIsOpen(tokenHash: "r1"), "a refused password uses nothing")
            let person = try await w.security.resetPassword(tokenHash: "r1", password: password, from: "203.0.113.9") {
                "hash:" + $0
            }
            #expect(person.id == f.marcus.id)
            #expect(try await w.store.credentials(email: "marcus@halyardsecurity.example")?.1 == "hash:" + password)
            #expect(try await probe.sessionPerson("session1", at: f.now) == nil)
            #expect(try await w.security.passwordResetIsOpen(tokenHash: "r2") == false)
            await #expect(throws: WorkflowError.notFound("password reset")) {
                try await w.security.resetPassword(tokenHash: "r1", password: password, from: nil) { $0 }
            }
            await #expect(throws: WorkflowError.notFound("password reset")) {
                try await w.security.resetPassword(tokenHash: "unknown", password: password, from: nil) { $0 }
            }
            let done = try await probe.audits(f.halyard.id).filter { $0.kind == "password_reset" }
            #expect(done.count == 1)
            #expect(done.first?.address == "203.0.113.9")
        }
    }

    @Test("a reset link stops working after an hour", arguments: StoreKind.all)
    func resetExpires(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            try await w.security.requestPasswordReset(
                email: "marcus@halyardsecurity.example", tokenHash: "r1", path: "/p", from: nil)
            let later = Workflows(
                store: w.store,
                clock: { [now = f.now] in now.addingTimeInterval(SecurityWorkflows.passwordResetLifetime + 1) })
            #expect(try await later.security.passwordResetIsOpen(tokenHash: "r1") == false)
            await #expect(throws: WorkflowError.notFound("password reset")) {
                try await later.security.resetPassword(tokenHash: "r1", password: password, from: nil) { $0 }
            }
        }
    }

    @Test("the command line sets a password and ends the person's sessions", arguments: StoreKind.all)
    func commandLinePassword(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            try await w.store.transaction { s in
                try await s.createSession(
                    tokenHash: "session1", personID: f.priya.id, csrf: "c", at: f.now,
                    expiresAt: f.now.addingTimeInterval(3_600))
            }
            let op = CommandLineOperator(command: "cosell user password")
            _ = try await w.security.setPassword(
                forPersonWithEmail: "priya@quarrydata.example", by: op, password: password
            ) {
                "hash:" + $0
            }
            #expect(try await w.store.credentials(email: "priya@quarrydata.example")?.1 == "hash:" + password)
            #expect(try await probe.sessionPerson("session1", at: f.now) == nil)
            #expect(try await probe.audits(f.quarry.id).contains { $0.kind == "password_set" })
            await #expect(throws: WorkflowError.notFound("person")) {
                try await w.security.setPassword(forPersonWithEmail: "nobody@x.example", by: op, password: password) {
                    $0
                }
            }
        }
    }
}
