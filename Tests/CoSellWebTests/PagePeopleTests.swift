import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The admin's People page: the organization's people, invitations and deactivation; nobody else's.
@Suite("People page")
struct PagePeopleTests {
    @Test("an admin invites without mail (the link shown once) and deactivates a person; others may not")
    func inviteAndDeactivate() async throws {
        try await withTestApp(.sqlite) { app in
            let maya = PageClient(app)
            _ = try await maya.signIn(People.hostAdmin)
            let page = try await maya.get("/settings/people")
            #expect(page.status == .ok)
            // A Deactivate button for each other active person, none for herself.
            #expect(page.html.contains("aria-label=\"Deactivate Daniel Reyes\""))
            #expect(!page.html.contains("aria-label=\"Deactivate Maya Okafor\""))
            let invited = try await maya.post(
                "/settings/people/invitations",
                ["name": "Nia Obi", "email": "nia.obi@quarrydata.example", "role": "seller"])
            #expect(invited.status == .ok)
            #expect(invited.html.contains("This server sends no mail: send Nia Obi this link yourself."))
            let link = try #require(
                invited.html.range(of: #"/join/cosell_[A-Za-z0-9_-]+"#, options: .regularExpression))
            let joinPath = String(invited.html[link])
            let joinPage = try await PageClient(app).get(joinPath)
            #expect(joinPage.status == .ok, "\(joinPath): \(joinPage.html.prefix(300))")
            // The same address twice is refused beside the e-mail field.
            let twice = try await maya.post(
                "/settings/people/invitations", ["name": "Daniel", "email": People.hostPM, "role": "seller"])
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.html.contains("id=\"invite-email-error\""))

            let daniel = try #require(try await CoSellStore(db: app.db).person(email: People.hostPM))
            _ = try await maya.get("/settings/people")
            let off = try await maya.post("/settings/people/\(daniel.id.uuidString)/deactivation")
            #expect(off.status == .seeOther)
            #expect(try await CoSellStore(db: app.db).person(email: People.hostPM)?.deactivatedAt != nil)

            // A partner manager is not an admin: no page, no form.
            let marcus = PageClient(app)
            _ = try await marcus.signIn(People.partnerPM)
            #expect(try await marcus.get("/settings/people").status == .forbidden)
            #expect(!(try await marcus.get("/").html.contains("href=\"/settings/people\"")))
        }
    }
}
