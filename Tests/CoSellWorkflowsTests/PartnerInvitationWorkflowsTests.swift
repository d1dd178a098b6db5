import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Inviting a partner company by domain and e-mail, its joining from the link, and its answer.
@Suite("Partner invitations")
struct PartnerInvitationWorkflowsTests {
    let f = WorkflowFixture()

    func invite(
        _ w: Workflows, domain: String = "northbeam.example", email: String = "nia@northbeam.example",
        name: String = "", hash: String = "link", mail: Bool = false
    ) async throws -> PartnershipWorkflows.SentInvitation {
        try await w.partnerships.invitePartner(
            by: f.principal(f.daniel), tokenHash: hash, mailPath: mail ? "/partner-invitations/secret" : nil
        ) { .init(name: name, partnerDomain: domain, email: email) }
    }

    func join(
        _ w: Workflows, hash: String = "link", organization: String = "Northbeam Analytics"
    ) async throws -> (
        created: PeopleWorkflows.Created, partnership: Partnership
    ) {
        try await w.partnerships.join(
            tokenHash: hash, organization: organization, adminName: "Nia Obi", password: "a long enough password",
            from: "127.0.0.1"
        ) { "hash:" + $0 }
    }

    @Test(
        "a company not on the server: the link sets it up, then the pending partnership waits for its answer",
        arguments: StoreKind.all)
    func newCompany(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let sent = try await invite(w, domain: " https://www.Northbeam.example/about ", mail: true)
            #expect(sent.partnership == nil)
            #expect(sent.partnerOrganization == nil)
            #expect(sent.invitation.partnerDomain == "northbeam.example")
            #expect(sent.invitation.partnershipName == "Quarry Data × northbeam.example")
            #expect(try await probe.auditKinds(f.quarry.id) == ["partnership_invited"])
            let mails = try await probe.accountMails()
            #expect(mails.map(\.to) == ["nia@northbeam.example"])
            #expect(mails.first?.kind == "partner_invitation")
            #expect(mails.first?.subject == "Daniel Reyes of Quarry Data invites you to co-sell on cosell")
            #expect(try await w.partnerships.invitationsWaiting(by: f.principal(f.daniel)).count == 1)

            let link = try #require(try await w.partnerships.invitationLink(tokenHash: "link"))
            #expect(link.fromCompany == "Quarry Data")
            #expect(link.invitedBy == "Daniel Reyes")
            #expect(link.partnerOrganization == nil)

            let (made, ps) = try await join(w)
            let org = try #require(made.organization)
            #expect(org.domain == "northbeam.example")
            #expect(made.person.role == .admin)
            #expect(made.person.email == "nia@northbeam.example")
            #expect(ps.status == .pending)
            #expect(ps.invitedBy == f.quarry.id)
            #expect(ps.organizationIDs == [f.quarry.id, org.id])
            // The name cosell chose said the domain; now it says the company.
            #expect(ps.name == "Quarry Data × Northbeam Analytics")
            #expect(try await w.store.credentials(email: "nia@northbeam.example")?.1 == "hash:a long enough password")
            #expect(try await probe.auditKinds(org.id) == ["person_created"])
            // One clock for both lines: their order is not kept.
            #expect(try await probe.auditKinds(f.quarry.id).sorted() == ["partner_joined", "partnership_invited"])
            #expect(try await w.partnerships.invitationsWaiting(by: f.principal(f.daniel)).isEmpty)
            // The link is used: joining again is refused, and the link page now shows the pending answer.
            await #expect(throws: WorkflowError.notFound("invitation")) { _ = try await join(w) }
            #expect(try await w.partnerships.invitationLink(tokenHash: "link")?.partnership?.id == ps.id)

            let nia = Principal(person: made.person, scope: .readWrite, address: nil)
            let accepted = try await w.partnerships.accept(ps.id, by: nia)
            #expect(accepted.status == .active)
            // Once answered, the link opens nothing.
            #expect(try await w.partnerships.invitationLink(tokenHash: "link") == nil)
        }
    }

    @Test(
        "a company on the server: the pending partnership exists at once; its admin declines", arguments: StoreKind.all)
    func existingCompany(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let sent = try await invite(w, domain: "beaconcloud.example", email: "olga@beaconcloud.example")
            let ps = try #require(sent.partnership)
            #expect(sent.partnerOrganization?.id == f.outsider.id)
            #expect(ps.status == .pending)
            #expect(ps.name == "Quarry Data × Beacon Cloud")
            #expect(try await probe.auditKinds(f.outsider.id) == ["partnership_invited"])
            // Such a link never sets a company up; its admins sign in.
            await #expect(throws: WorkflowError.notFound("invitation")) { _ = try await join(w) }
            await #expect(
                throws: WorkflowError.conflict(
                    "A partnership with Beacon Cloud exists or is waiting for an answer already.")
            ) {
                _ = try await invite(w, domain: "beaconcloud.example", email: "olga@beaconcloud.example", hash: "2")
            }
            await #expect(
                throws: WorkflowError.conflict(
                    "Your organization sent this invitation; the other organization answers it.")
            ) {
                _ = try await w.partnerships.decline(ps.id, by: f.principal(f.daniel))
            }
            let declined = try await w.partnerships.decline(ps.id, by: f.principal(f.olga))
            #expect(declined.status == .ended)
            #expect(declined.endedBy == f.outsider.id)
            #expect(declined.endedReason == "Beacon Cloud declined the invitation.")
            #expect(
                try await probe.auditKinds(f.quarry.id).sorted() == ["partnership_declined", "partnership_invited"])
            await #expect(throws: WorkflowError.conflict("The partnership is ended, not waiting for an answer.")) {
                _ = try await w.partnerships.decline(ps.id, by: f.principal(f.olga))
            }
            // Declined, it can be invited again.
            #expect(
                try await invite(w, domain: "beaconcloud.example", email: "olga@beaconcloud.example", hash: "3")
                    .partnership != nil)
        }
    }

    @Test(
        "each field's rule names the field; only admins invite; one open invitation per domain",
        arguments: StoreKind.all)
    func refusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            await #expect(
                throws: WorkflowError.invalid(
                    field: "partner_domain", "Type the company's web domain, such as beacon.example.")
            ) {
                _ = try await invite(w, domain: "northbeam")
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "email", "Type the address of a person at northbeam.example, such as ana@northbeam.example.")
            ) {
                _ = try await invite(w, email: "nia")
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "email",
                    "The address must be at northbeam.example (or one of its subdomains): the person who answers speaks for that company."
                )
            ) { _ = try await invite(w, email: "nia@gmail.example") }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "partner_domain", "quarrydata.example is your own company's domain.")
            ) {
                _ = try await invite(w, domain: "quarrydata.example", email: "x@quarrydata.example")
            }
            await #expect(throws: WorkflowError.forbidden("Only admins invite partners.")) {
                _ = try await w.partnerships.invitePartner(by: f.principal(f.priya), tokenHash: "p") {
                    .init(name: "", partnerDomain: "northbeam.example", email: "nia@northbeam.example")
                }
            }
            // A subdomain address is the company's.
            _ = try await invite(w, email: "nia@mail.northbeam.example")
            await #expect(throws: WorkflowError.self) { _ = try await invite(w, hash: "second") }
            #expect(try await w.partnerships.invitationsWaiting(by: f.principal(f.daniel)).count == 1)
        }
    }

    @Test(
        "joining is all or nothing: a failed audit line leaves no company, person or partnership",
        arguments: StoreKind.all)
    func joinAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            _ = try await invite(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) { _ = try await join(failing) }
            #expect(try await w.store.organization(domain: "northbeam.example") == nil)
            #expect(try await w.store.person(email: "nia@northbeam.example") == nil)
            #expect(try await w.partnerships.invitationsWaiting(by: f.principal(f.daniel)).count == 1)
            // The link still works.
            #expect(try await join(w).partnership.status == .pending)
        }
    }

    @Test("the sharing preset sets every population at once, for the admin's company only", arguments: StoreKind.all)
    func sharingPreset(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            _ = try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.marcus)) { .overlapping }
            let r = try await w.targets.readiness(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(r.partnerSharesAccounts == ["customer", "open_opportunity", "prospect"])
            #expect(r.youShareNothing)
            #expect(!r.partnerSharesNothing)
            #expect(r.yourAccounts == 0 && r.partnerAccounts == 0)
            #expect(try await probe.auditKinds(f.quarry.id) == ["sharing_changed"])
            _ = try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.marcus)) { .counts }
            let after = try await w.targets.readiness(in: f.partnership.id, by: f.principal(f.daniel))
            #expect(after.partnerSharesAccounts.isEmpty)
            #expect(after.partnerSharing.values.allSatisfy { $0 == .counts })
            await #expect(throws: WorkflowError.forbidden("Only admins change sharing.")) {
                _ = try await w.partnerships.setSharing(in: f.partnership.id, by: f.principal(f.priya)) { .nothing }
            }
        }
    }
}
