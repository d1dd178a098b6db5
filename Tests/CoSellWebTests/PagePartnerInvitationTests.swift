import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The dual opt-in in the pages: inviting a company, the link that sets it up, and its answer.
@Suite("Partner invitation pages")
struct PagePartnerInvitationTests {
    /// The link of the invitation the page showed once (a server without mail).
    func link(in html: String) throws -> String {
        let r = try #require(
            html.range(of: #"id="partner-invitation-link" value="[^"]+""#, options: .regularExpression))
        let url = String(html[r].split(separator: "\"")[3])
        return String(url[try #require(url.range(of: "/partner-invitations/"))!.lowerBound...])
    }

    @Test("Maya invites a new company; Nia sets it up from the link and accepts; the accounts are matched")
    func inviteJoinAccept() async throws {
        try await withTestApp(.sqlite) { app in
            let maya = PageClient(app)
            _ = try await maya.signIn(People.hostAdmin)
            let page = try await maya.get("/partnerships")
            #expect(page.html.contains("Invite a partner company"))
            // A mistake comes back beside its field, with what was typed.
            let refused = try await maya.post(
                "/partnerships/invitations", ["partner_domain": "northbeam.example", "email": "nia@elsewhere.example"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("id=\"invite-partner-email-error\""))
            #expect(refused.html.contains("value=\"northbeam.example\""))
            let sent = try await maya.post(
                "/partnerships/invitations", ["partner_domain": "northbeam.example", "email": "nia@northbeam.example"])
            #expect(sent.status == .ok)
            #expect(sent.html.contains("northbeam.example is invited."))
            let path = try link(in: sent.html)
            // The list keeps the invitation, not its link.
            let later = try await maya.get("/partnerships")
            #expect(later.html.contains("Invited companies not on cosell yet"))
            #expect(!later.html.contains("partner-invitation-link"))

            let nia = PageClient(app)
            let form = try await nia.get(path)
            #expect(form.status == .ok)
            #expect(form.html.contains("Quarry Data invites you to co-sell"))
            let bad = try await nia.post(
                path, ["organization": "", "name": "Nia Obi", "password": "short", "password_again": "short"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"partner-join-organization-error\""))
            #expect(try await app.store.organization(domain: "northbeam.example") == nil)
            let joined = try await nia.post(
                path,
                [
                    "organization": "Northbeam Analytics", "name": "Nia Obi", "password": "a long enough password",
                    "password_again": "a long enough password",
                ])
            #expect(joined.status == .seeOther)
            let target = try #require(joined.location?.split(separator: "?").first.map(String.init))
            #expect(target.hasPrefix("/partnerships/"))
            let answer = try await nia.get(target)
            #expect(answer.html.contains("Quarry Data invites Northbeam Analytics to co-sell."))
            #expect(answer.html.contains("Accept the partnership"))
            // Maya's side waits; she has no button to accept her own invitation.
            let waiting = try await maya.get(target)
            #expect(waiting.html.contains("Waiting for Northbeam Analytics to accept."))
            #expect(!waiting.html.contains("Accept the partnership"))
            // A used link now points whoever opens it to sign in.
            let again = try await PageClient(app).get(path)
            #expect(again.html.contains("Sign in to answer"))

            let accepted = try await nia.post(target + "/acceptance")
            #expect(accepted.status == .seeOther)
            await app.backgroundJobs.drain()
            let active = try await nia.get(target)
            #expect(active.html.contains("What the target accounts wait for"))
            #expect(active.html.contains("Northbeam Analytics has not imported its accounts yet."))
            #expect(active.html.contains("Quarry Data imported"))
            #expect(active.html.contains("Northbeam Analytics shares nothing yet, so Quarry Data sees no targets."))
            // The targets page sends the reader back to that list instead of a bare "nothing".
            let none = try await nia.get(target + "/targets")
            #expect(
                none.html.contains(
                    "No targets yet: <a href=\"\(target)\">the partnership&#39;s page says what they wait for</a>."))
            // Nia shares overlapping accounts of every population in one step.
            let shared = try await nia.post(target + "/sharing/preset", ["preset": "overlapping"])
            #expect(shared.status == .seeOther)
            let mayaSees = try await maya.get(target)
            #expect(
                mayaSees.html.contains(
                    "Northbeam Analytics shares customers as overlapping accounts, open opportunities as overlapping accounts, prospects as overlapping accounts."
                ))
        }
    }

    @Test("the invited admin declines; a seller cannot invite; an unknown link is a 404 page")
    func declineAndRefusals() async throws {
        try await withTestApp(.sqlite) { app in
            let maya = PageClient(app)
            _ = try await maya.signIn(People.hostAdmin)
            _ = try await maya.get("/partnerships")
            let sent = try await maya.post(
                "/partnerships/invitations",
                ["partner_domain": "northbeam.example", "email": "nia@northbeam.example", "name": "Pilot"])
            let path = try link(in: sent.html)
            let nia = PageClient(app)
            _ = try await nia.get(path)
            let joined = try await nia.post(
                path,
                [
                    "organization": "Northbeam Analytics", "name": "Nia Obi", "password": "a long enough password",
                    "password_again": "a long enough password",
                ])
            let target = try #require(joined.location?.split(separator: "?").first.map(String.init))
            _ = try await nia.get(target)
            let declined = try await nia.post(target + "/decline")
            #expect(declined.status == .seeOther)
            #expect(declined.location?.hasPrefix("/partnerships?notice=You%20declined") == true)
            #expect((try await maya.get("/partnerships")).html.contains("ended"))

            let priya = PageClient(app)
            _ = try await priya.signIn(People.hostSeller)
            let list = try await priya.get("/partnerships")
            #expect(!list.html.contains("Invite a partner company"))
            let forbidden = try await priya.post(
                "/partnerships/invitations", ["partner_domain": "zeta.example", "email": "z@zeta.example"])
            #expect(forbidden.status == .forbidden)
            #expect(try await PageClient(app).get("/partner-invitations/nonsense").status == .notFound)
        }
    }

    @Test(
        "the API: a bad field is a 422 naming it, a seller is refused, a good invitation is 201 with its link, a second is a 409"
    )
    func api() async throws {
        try await withTestApp(.sqlite) { app in
            let bad = try await app.call(
                .POST, "/api/v1/partner-invitations",
                body: #"{"partner_domain":"northbeam.example","email":"nia@elsewhere.example"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.path("field") as? String == "email")
            let noDomain = try await app.call(
                .POST, "/api/v1/partner-invitations", body: #"{"partner_domain":"northbeam","email":"nia@northbeam"}"#)
            #expect(noDomain.status == .unprocessableEntity)
            #expect(noDomain.path("field") as? String == "partner_domain")
            #expect(try await app.store.organization(domain: "northbeam.example") == nil)
            let seller = try await app.call(
                .POST, "/api/v1/partner-invitations", token: Token.hostSeller,
                body: #"{"partner_domain":"northbeam.example","email":"nia@northbeam.example"}"#)
            #expect(seller.status == .forbidden)
            let made = try await app.call(
                .POST, "/api/v1/partner-invitations",
                body: #"{"partner_domain":"northbeam.example","email":"nia@northbeam.example"}"#)
            #expect(made.status == .created)
            #expect(made.path("mailed") as? Bool == false)
            #expect((made.path("accept_path") as? String)?.hasPrefix("/partner-invitations/cosell_") == true)
            #expect(made.path("partnership_id") == nil)
            #expect(made.path("partnership_name") as? String == "Quarry Data × northbeam.example")
            // A second open invitation to the same domain is a conflict, and changes nothing.
            let again = try await app.call(
                .POST, "/api/v1/partner-invitations",
                body: #"{"partner_domain":"northbeam.example","email":"nia@northbeam.example"}"#)
            #expect(again.status == .conflict)
        }
    }
}
