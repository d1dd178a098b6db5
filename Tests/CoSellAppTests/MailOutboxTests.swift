import CoSellApp
import CoSellDomain
import CoSellMail
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

/// Mail end to end: a change queues notes in its transaction, the worker gathers each person's into
/// one mail and sends it through a real SMTP server on loopback (`scripts/smtp_sink.py`, aiosmtpd).
@Suite("Mail outbox", .enabled(if: !SMTPSink.isSkipped, "COSELL_SKIP_SMTP_TESTS=1"))
struct MailOutboxTests {
    static let base = "http://cosell.test"

    static func settings(port: Int) throws -> MailSettings {
        MailSettings(
            smtp: try SMTPConfiguration(
                url: "smtp://127.0.0.1:\(port)?starttls=never&connect_timeout=3&reply_timeout=5",
                sender: "cosell <deals@cosell.test>"),
            publicURL: base)
    }

    /// A new deal opened through the API by Quarry Data's admin on a fresh overlap account:
    /// it starts waiting on Halyard Security.
    static func openDeal(_ app: Application, title: String) async throws -> String {
        let list = try await app.call(.GET, "/api/v1/partnerships").json as! [[String: Any]]
        let pid = UUID(uuidString: list[0]["id"] as! String)!
        let partnership = try #require(try await CoSellStore(db: app.db).partnership(pid))
        let account = JointAccount(
            id: UUID(), partnershipID: pid, name: "Mail Test \(UUID().uuidString.prefix(6))", domain: "mail.example",
            country: "DE", industry: "Software", employees: 500, origin: .overlap, reason: nil,
            populations: partnership.organizationIDs.map {
                AccountPopulation(organizationID: $0, population: "prospect")
            }, createdAt: Date())
        try await CoSellStore(db: app.db).insert(account)
        let created = try await app.call(
            .POST, "/api/v1/deals", token: Token.hostAdmin,
            body: jsonString([
                "partnership_id": pid.uuidString, "joint_account_id": account.id.uuidString, "title": title,
            ]))
        return try #require((created["deal"] as? [String: Any])?["id"] as? String)
    }

    @Test(
        "a new deal mails the other company's partner manager once, with a working link and an unsubscribe link",
        arguments: TestDatabase.all)
    func newDealIsMailed(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            try await withSMTPSink { sink in
                let id = try await Self.openDeal(app, title: "Mailed deal")
                let settings = try Self.settings(port: sink.port)
                // Later than the gap, so that earlier mail to the same people does not hold this back.
                let now = Date().addingTimeInterval(600)
                let round = try await MailWorker.deliverDue(app, settings: settings, now: now)
                #expect(round.failed == 0 && round.retried == 0)
                let mails = try sink.deliveries()
                let marcus = mails.filter { $0.rcpt_tos == [People.partnerPM] }
                #expect(marcus.count == 1, "\(mails.map(\.rcpt_tos))")
                let mail = try #require(marcus.first)
                #expect(mail.subject?.contains("Mailed deal") == true)
                #expect(mail.text?.contains("\(Self.base)/deals/\(id)#stage-target_account_selection") == true)
                #expect(mail.text?.contains("Halyard Security") == true)
                let unsubscribe = try #require(mail.header("List-Unsubscribe").first)
                    .trimmingCharacters(in: .whitespaces)
                #expect(unsubscribe.hasPrefix("<\(Self.base)/unsubscribe/u_"))
                // Quarry Data's admin opened it: nobody tells her what she did.
                #expect(!mails.contains { $0.rcpt_tos == [People.hostAdmin] })
                // Nothing is sent twice.
                let again = try await MailWorker.deliverDue(app, settings: settings, now: now.addingTimeInterval(600))
                #expect(again.sent == 0)
                #expect(try sink.deliveries().count == mails.count)

                // The unsubscribe link works without signing in, and stops the next mail.
                let path = String(unsubscribe.dropFirst(Self.base.count + 1).dropLast())
                let page = try await app.call(.GET, path)
                #expect(page.status == .ok)
                let done = try await app.call(.POST, path)
                #expect(done.status == .ok)
                _ = try await Self.openDeal(app, title: "Not mailed")
                let later = try await MailWorker.deliverDue(app, settings: settings, now: now.addingTimeInterval(1_200))
                #expect(!(try sink.deliveries().contains { $0.subject?.contains("Not mailed") == true }))
                #expect(later.skipped > 0)
            }
        }
    }

    @Test(
        "two workers on one database send each mail once (several server instances)", arguments: TestDatabase.all)
    func twoWorkersSendOnce(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            try await withSMTPSink { sink in
                for n in 1...6 { _ = try await Self.openDeal(app, title: "Parallel deal \(n)") }
                let settings = try Self.settings(port: sink.port)
                let now = Date().addingTimeInterval(600)
                async let a = MailWorker.deliverDue(app, settings: settings, now: now, workerID: "instance-a")
                async let b = MailWorker.deliverDue(app, settings: settings, now: now, workerID: "instance-b")
                let (ra, rb) = try await (a, b)
                let mails = try sink.deliveries()
                // Each note went out once: the six deals are in Marcus Chen's mails exactly once each.
                for n in 1...6 {
                    let carrying = mails.filter { ($0.text ?? "").contains("Parallel deal \(n)") }
                    #expect(carrying.count == 1, "deal \(n) in \(carrying.count) mails (a: \(ra), b: \(rb))")
                }
                // One mail per person: six deals' notes to Marcus Chen are gathered into one.
                #expect(mails.filter { $0.rcpt_tos == [People.partnerPM] }.count == 1)
                #expect(ra.sent + rb.sent > 0)
            }
        }
    }

    @Test(
        "a mail server that is down delays mail without losing it; one that refuses the address fails it",
        arguments: TestDatabase.all)
    func downThenUp(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            // Nothing listens on this port: the change itself succeeds, the mail waits.
            let closed = try Self.closedPort()
            _ = try await Self.openDeal(app, title: "Delayed deal")
            let now = Date().addingTimeInterval(600)
            let down = try await MailWorker.deliverDue(app, settings: try Self.settings(port: closed), now: now)
            #expect(down.retried > 0 && down.sent == 0 && down.failed == 0)
            let store = CoSellStore(db: app.db)
            #expect(try await store.mailQueueCounts().pending > 0)
            try await withSMTPSink { sink in
                // Before its retry time nothing is claimed; after it, the mail goes out.
                let early = try await MailWorker.deliverDue(
                    app, settings: try Self.settings(port: sink.port), now: now.addingTimeInterval(10))
                #expect(early.mails == 0)
                let up = try await MailWorker.deliverDue(
                    app, settings: try Self.settings(port: sink.port), now: now.addingTimeInterval(3_600))
                #expect(up.sent > 0)
                #expect(try sink.deliveries().contains { ($0.subject ?? "").contains("Delayed deal") })
            }
            try await withSMTPSink(["--refuse-rcpt", "550"]) { sink in
                _ = try await Self.openDeal(app, title: "Refused deal")
                let refused = try await MailWorker.deliverDue(
                    app, settings: try Self.settings(port: sink.port), now: now.addingTimeInterval(7_200))
                #expect(refused.failed > 0 && refused.retried == 0)
                #expect(try await store.mailQueueCounts().failed > 0)
            }
        }
    }

    @Test("a person who switched a kind off is not mailed it", arguments: TestDatabase.all)
    func preferencesHold(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            try await withSMTPSink { sink in
                let store = CoSellStore(db: app.db)
                let marcus = try #require(try await store.person(email: People.partnerPM))
                try await store.setNotificationPreferences(
                    NotificationPreferences(off: [.actionWaiting]), of: marcus.id, at: Date())
                _ = try await Self.openDeal(app, title: "Quiet deal")
                let round = try await MailWorker.deliverDue(
                    app, settings: try Self.settings(port: sink.port), now: Date().addingTimeInterval(600))
                #expect(round.skipped > 0)
                #expect(!(try sink.deliveries().contains { $0.rcpt_tos == [People.partnerPM] }))
            }
        }
    }

    /// A loopback port with nothing listening, reserved for the test process (`RefusingPort`).
    static func closedPort() throws -> Int { RefusingPort.make() }
}
