import CoSellApp
import CoSellDomain
import CoSellMail
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

/// Invitations and password resets by mail, end to end: the page or the API queues the mail with
/// the invitation or reset, the worker sends it through a real SMTP server on loopback, and the link
/// in the mail opens the page that finishes the job.
@Suite("Access mail", .enabled(if: !SMTPSink.isSkipped, "COSELL_SKIP_SMTP_TESTS=1"))
struct AccessMailTests {
    static let base = MailOutboxTests.base
    let password = "lighthouse keeper tea"

    /// The path of the link in a mail's text (after the public address).
    static func link(in mail: SMTPSink.Delivery, prefix: String) throws -> String {
        let text = try #require(mail.text)
        let start = try #require(text.range(of: base + prefix))
        let tail = text[start.upperBound...].prefix { !$0.isWhitespace }
        return prefix + tail
    }

    @Test(
        "an admin invites on the People page; the mail's link lets the person choose a password and sign in",
        arguments: TestDatabase.all)
    func invitationByMail(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            try await withSMTPSink { sink in
                app.mailStatus = MailStatus(configured: true, sender: "deals@cosell.test")
                let maya = PageClient(app)
                _ = try await maya.signIn(People.hostAdmin)
                let people = try await maya.get("/settings/people")
                #expect(people.status == .ok)
                #expect(people.html.contains("People of Quarry Data"))
                // Every mistake at once, each beside its field; nothing is kept.
                let refused = try await maya.post(
                    "/settings/people/invitations", ["name": "", "email": "not an address", "role": "seller"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.html.contains("id=\"invite-name-error\""))
                #expect(refused.html.contains("id=\"invite-email-error\""))
                let invited = try await maya.post(
                    "/settings/people/invitations",
                    ["name": "Ana Lopez", "email": "ana.lopez@quarrydata.example", "role": "partner_manager"])
                #expect(invited.status == .seeOther)
                #expect(invited.location?.contains("the%20link%20is%20on%20its%20way") == true)
                let listed = try await maya.get("/settings/people")
                #expect(listed.html.contains("ana.lopez@quarrydata.example"))

                let settings = try MailOutboxTests.settings(port: sink.port)
                let round = try await MailWorker.deliverDue(app, settings: settings, now: Date())
                #expect(round.failed == 0 && round.retried == 0)
                let mails = try sink.deliveries().filter { $0.rcpt_tos == ["ana.lopez@quarrydata.example"] }
                #expect(mails.count == 1)
                let mail = try #require(mails.first)
                #expect(mail.subject == "Maya Okafor invited you to cosell for Quarry Data")
                #expect(mail.text?.contains("as partner manager") == true)
                let path = try Self.link(in: mail, prefix: "/join/")
                // The link is forgotten once sent; nothing goes twice.
                #expect(try await CoSellStore(db: app.db).accountMailCounts().sent == 1)
                let again = try await MailWorker.deliverDue(app, settings: settings, now: Date().addingTimeInterval(60))
                #expect(again.mails == 0)

                let ana = PageClient(app)
                let join = try await ana.get(path)
                #expect(join.status == .ok)
                #expect(join.html.contains("Join Quarry Data on cosell"))
                let mismatch = try await ana.post(path, ["password": password, "password_again": password + "x"])
                #expect(mismatch.status == .unprocessableEntity)
                #expect(mismatch.html.contains("The two passwords differ"))
                let joined = try await ana.post(path, ["password": password, "password_again": password])
                #expect(joined.status == .seeOther)
                #expect(joined.location?.hasPrefix("/?notice=Welcome") == true)
                let home = try await ana.get("/")
                #expect(home.status == .ok)
                #expect(home.html.contains("Ana Lopez"))
                // The link works once.
                #expect(try await PageClient(app).get(path).status == .notFound)
                // Ana signs in with her password from now on.
                let fresh = PageClient(app)
                let signedIn = try await fresh.signIn("ana.lopez@quarrydata.example", password: password)
                #expect(signedIn.status == .seeOther && signedIn.location == "/")
            }
        }
    }

    @Test(
        "a password reset asked on the page is mailed once; its link sets the password and ends other sessions",
        arguments: TestDatabase.all)
    func resetByMail(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            try await withSMTPSink { sink in
                app.mailStatus = MailStatus(configured: true, sender: "deals@cosell.test")
                let elsewhere = PageClient(app)
                _ = try await elsewhere.signIn(People.partnerPM)
                #expect(try await elsewhere.get("/").status == .ok)

                let c = PageClient(app)
                #expect(try await c.get("/sign-in").html.contains("href=\"/password-reset\""))
                _ = try await c.get("/password-reset")
                let asked = try await c.post("/password-reset", ["email": People.partnerPM])
                #expect(asked.status == .ok)
                #expect(asked.html.contains("a link to choose a new password is on its way"))
                // An address nobody has hears the same, and nothing is mailed for it.
                _ = try await c.get("/password-reset")
                let unknown = try await c.post("/password-reset", ["email": "nobody@halyardsecurity.example"])
                #expect(unknown.html == asked.html)

                let settings = try MailOutboxTests.settings(port: sink.port)
                _ = try await MailWorker.deliverDue(app, settings: settings, now: Date())
                let mails = try sink.deliveries()
                #expect(mails.count == 1)
                let mail = try #require(mails.first)
                #expect(mail.rcpt_tos == [People.partnerPM])
                #expect(mail.subject == "Reset your cosell password")
                let path = try Self.link(in: mail, prefix: "/password-reset/")

                #expect(try await c.get(path).html.contains("Choose a new password"))
                let short = try await c.post(path, ["password": "short", "password_again": "short"])
                #expect(short.status == .unprocessableEntity)
                #expect(short.html.contains("at least 12 characters"))
                let done = try await c.post(path, ["password": password, "password_again": password])
                #expect(done.status == .seeOther)
                #expect(try await c.get("/").status == .ok)
                // The other browser's session ended; the old password no longer opens one.
                #expect(try await elsewhere.get("/").status == .seeOther)
                let old = try await PageClient(app).signIn(People.partnerPM)
                #expect(old.status != .seeOther)
                #expect(try await PageClient(app).signIn(People.partnerPM, password: password).status == .seeOther)
                #expect(try await PageClient(app).get(path).status == .notFound)
            }
        }
    }

    @Test("the reset API answers alike for every address, and refuses when the server sends no mail")
    func resetAPI() async throws {
        try await withTestApp(.sqlite) { app in
            let off = try await app.call(.POST, "/api/v1/password-resets", body: #"{"email":"x@y.example"}"#)
            #expect(off.status == .conflict)
            #expect(((off.json as? [String: Any])?["type"] as? String)?.hasSuffix("/mail-not-configured") == true)
            app.mailStatus = MailStatus(configured: true, sender: "deals@cosell.test")
            let known = try await app.call(.POST, "/api/v1/password-resets", body: #"{"email":"\#(People.hostPM)"}"#)
            let unknown = try await app.call(.POST, "/api/v1/password-resets", body: #"{"email":"x@y.example"}"#)
            #expect(known.status == .accepted && unknown.status == .accepted)
            #expect((known.json as? [String: String]) == (unknown.json as? [String: String]))
            let missing = try await app.call(.POST, "/api/v1/password-resets", body: #"{}"#)
            #expect(missing.status == .unprocessableEntity || missing.status == .badRequest)
            #expect((missing.json as? [String: Any])?["field"] as? String == "email")
            let bad = try await app.call(
                .POST, "/api/v1/password-resets/use", body: #"{"token":"nope","password":"long enough password"}"#)
            #expect(bad.status == .notFound)
            #expect((bad.json as? [String: Any])?["field"] as? String == "token")
            #expect(try await CoSellStore(db: app.db).accountMailCounts().pending == 1)
        }
    }

    @Test(
        "two workers send each access mail once; a server that is down delays it, a refused address fails it",
        arguments: TestDatabase.all)
    func onceAndRetried(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            app.mailStatus = MailStatus(configured: true, sender: "deals@cosell.test")
            let org = DemoIDs.host.uuidString
            for n in 1...5 {
                let r = try await app.call(
                    .POST, "/api/v1/organizations/\(org)/invitations", token: Token.hostAdmin,
                    body: #"{"email":"guest\#(n)@quarrydata.example","name":"Guest \#(n)","role":"viewer"}"#)
                #expect(r.status == .created)
                #expect((r.json as? [String: Any])?["mailed"] as? Bool == true)
            }
            let store = CoSellStore(db: app.db)
            let down = try await MailWorker.deliverDue(
                app, settings: try MailOutboxTests.settings(port: RefusingPort.make()), now: Date())
            #expect(down.retried == 5 && down.sent == 0)
            #expect(try await store.accountMailCounts().pending == 5)
            try await withSMTPSink { sink in
                let settings = try MailOutboxTests.settings(port: sink.port)
                let later = Date().addingTimeInterval(3_600)
                async let a = MailWorker.deliverDue(app, settings: settings, now: later, workerID: "instance-a")
                async let b = MailWorker.deliverDue(app, settings: settings, now: later, workerID: "instance-b")
                let (ra, rb) = try await (a, b)
                #expect(ra.sent + rb.sent == 5)
                let to = try sink.deliveries().flatMap(\.rcpt_tos).sorted()
                #expect(to == (1...5).map { "guest\($0)@quarrydata.example" })
            }
            try await withSMTPSink(["--refuse-rcpt", "550"]) { sink in
                _ = try await app.call(
                    .POST, "/api/v1/organizations/\(org)/invitations", token: Token.hostAdmin,
                    body: #"{"email":"guest9@quarrydata.example","name":"Guest 9","role":"viewer"}"#)
                let refused = try await MailWorker.deliverDue(
                    app, settings: try MailOutboxTests.settings(port: sink.port), now: Date().addingTimeInterval(7_200))
                #expect(refused.failed == 1)
                #expect(try await store.accountMailCounts().failed == 1)
            }
        }
    }
}
