import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// Each person chooses what they are told by mail; an admin of a server without mail is told so.
@Suite("Mail settings page")
struct PageMailSettingsTests {
    @Test("a person switches a kind off and keeps the digest; the choice is theirs alone", arguments: TestDatabase.all)
    func saveChoices(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.partnerPM)
            let page = try await c.get("/settings/notifications")
            #expect(page.status == .ok)
            #expect(page.html.contains("This server does not send mail yet"))
            #expect(page.html.contains("name=\"kind_action_waiting\" value=\"on\" checked"))
            let saved = try await c.post(
                "/settings/notifications", ["kind_weekly_digest": "on", "kind_gate_refused": "on"])
            #expect(saved.status == .seeOther)
            let store = CoSellStore(db: app.db)
            let marcus = try #require(try await store.person(email: People.partnerPM))
            let prefs = try await store.notificationPreferences(of: marcus.id)
            #expect(prefs.off == [.actionWaiting, .approvalReset, .actionOverdue])
            #expect(!prefs.digestOnly && !prefs.unsubscribed)
            let daniel = try #require(try await store.person(email: People.hostPM))
            #expect(try await store.notificationPreferences(of: daniel.id) == NotificationPreferences())
            // An unknown unsubscribe link is not found, and changes nothing.
            #expect(try await c.get("/unsubscribe/u_unknown").status == .notFound)
        }
    }

    @Test("the home page tells an admin, and only an admin, that the server sends no mail")
    func mailOffBanner() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = PageClient(app)
            _ = try await admin.signIn(People.hostAdmin)
            #expect(try await admin.get("/").html.contains("id=\"mail-off\""))
            let pm = PageClient(app)
            _ = try await pm.signIn(People.hostPM)
            #expect(!(try await pm.get("/").html.contains("id=\"mail-off\"")))
            app.mailStatus = MailStatus(configured: true, sender: "deals@cosell.test")
            #expect(!(try await admin.get("/").html.contains("id=\"mail-off\"")))
        }
    }
}
