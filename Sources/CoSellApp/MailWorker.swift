import CoSellDomain
import CoSellMail
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Mail: the SMTP server, the address links point at, and how the worker paces itself.
public struct MailSettings: Sendable {
    public var smtp: SMTPConfiguration
    /// The server's address as people open it (`COSELL_PUBLIC_URL`), for the links in mail.
    public var publicURL: String
    /// Seconds between two rounds.
    public var interval: TimeInterval
    /// Seconds between two sweeps for overdue actions and review days.
    public var sweepInterval: TimeInterval
    /// At most one mail per person in this many seconds: what is queued meanwhile is gathered.
    public var gap: TimeInterval
    /// Seconds a claim holds; after that another worker may take the notes again.
    public var lease: TimeInterval
    /// People mailed per round.
    public var peoplePerRound: Int
    /// Attempts before a mail is marked failed.
    public var maxAttempts: Int
    /// Notes older than this are not sent (e.g. queued while mail was not configured).
    public var staleAfter: TimeInterval

    public init(
        smtp: SMTPConfiguration, publicURL: String, interval: TimeInterval = 5, sweepInterval: TimeInterval = 300,
        gap: TimeInterval = 180, lease: TimeInterval = 120, peoplePerRound: Int = 20, maxAttempts: Int = 8,
        staleAfter: TimeInterval = 2 * 86_400
    ) {
        self.smtp = smtp
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.interval = interval
        self.sweepInterval = sweepInterval
        self.gap = gap
        self.lease = lease
        self.peoplePerRound = peoplePerRound
        self.maxAttempts = maxAttempts
        self.staleAfter = staleAfter
    }

    /// Seconds to wait before attempt `attempts + 1`: 1, 2, 4, … minutes, at most an hour.
    static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        min(3_600, 60 * pow(2, Double(max(0, attempts - 1))))
    }
}

/// Sends the queued mail and queues what comes from time passing (overdue actions, review days).
/// Any number of instances may run on one database: a note is claimed by one worker at a time and
/// its key is queued once, so each mail is sent once.
public enum MailWorker {
    /// What a round did.
    public struct Round: Sendable, Equatable {
        public var mails = 0
        public var sent = 0
        public var retried = 0
        public var failed = 0
        public var skipped = 0
    }

    /// One round: claims the due notes of a few people, sends each person one mail, records it.
    @discardableResult
    public static func deliverDue(
        _ app: Application, settings: MailSettings, now: Date = Date(),
        workerID: String = "mail-\(UUID().uuidString.prefix(8))"
    ) async throws -> Round {
        let store = CoSellStore(db: app.backgroundDatabase)
        let token = "\(workerID):\(UUID().uuidString)"
        let claimed = try await store.claimMail(
            token: token, now: now, lease: settings.lease, gap: settings.gap, people: settings.peoplePerRound)
        var round = Round()
        let client = SMTPClient(eventLoopGroup: app.eventLoopGroup, logger: app.logger)
        for mail in claimed {
            let before = round.sent
            try await send(
                mail, store: store, client: client, settings: settings, token: token, now: now, logger: app.logger,
                round: &round)
            // Whatever became of it, the person is free for the next round (after the gap if mailed).
            try await store.releaseMailRecipients(
                [mail.personID], token: token, sentAt: round.sent > before ? now : nil)
        }
        for claimed in try await store.claimAccountMail(
            token: token, now: now, lease: settings.lease, limit: settings.peoplePerRound)
        {
            try await sendAccountMail(
                claimed, store: store, client: client, settings: settings, token: token, now: now, logger: app.logger,
                round: &round)
        }
        return round
    }

    /// Sends one mail about access (an invitation, a password reset) on its own, and records what
    /// became of it. A link that no longer works by the time it would go is not sent.
    static func sendAccountMail(
        _ claimed: ClaimedAccountMail, store: CoSellStore, client: SMTPClient, settings: MailSettings, token: String,
        now: Date, logger: Logger, round: inout Round
    ) async throws {
        round.mails += 1
        let lifetime: TimeInterval
        switch claimed.mail.kind {
        case .invitation: lifetime = PeopleWorkflows.invitationLifetime
        case .partnerInvitation: lifetime = PartnershipWorkflows.invitationLifetime
        case .passwordReset: lifetime = SecurityWorkflows.passwordResetLifetime
        }
        if now.timeIntervalSince(claimed.createdAt) > lifetime {
            if try await store.finishAccountMail(
                claimed.id, token: token, now: now, result: .skipped("the link expired before it could be sent"))
            {
                round.skipped += 1
            }
            return
        }
        do {
            let message = MailMessage(
                from: settings.smtp.sender, to: [try MailAddress(claimed.mail.toEmail, name: claimed.mail.toName)],
                subject: claimed.mail.subject, textBody: claimed.mail.text(baseURL: settings.publicURL), date: now)
            try await client.send(message, using: settings.smtp)
            if try await store.finishAccountMail(claimed.id, token: token, now: now, result: .sent) { round.sent += 1 }
        } catch let error as SMTPError where error.disposition == .transient && claimed.attempts < settings.maxAttempts
        {
            logger.warning("Mail to \(claimed.mail.toEmail) deferred: \(error)")
            if try await store.finishAccountMail(
                claimed.id, token: token, now: now,
                result: .retry(after: MailSettings.retryDelay(afterAttempts: claimed.attempts), error: "\(error)"))
            {
                round.retried += 1
            }
        } catch {
            logger.error("Mail to \(claimed.mail.toEmail) failed: \(error)")
            if try await store.finishAccountMail(claimed.id, token: token, now: now, result: .failed("\(error)")) {
                round.failed += 1
            }
        }
    }

    /// Sends one person's claimed notes as one mail, and records what became of each.
    static func send(
        _ mail: ClaimedMail, store: CoSellStore, client: SMTPClient, settings: MailSettings, token: String, now: Date,
        logger: Logger, round: inout Round
    ) async throws {
        round.mails += 1
        let ids = mail.entries.map(\.id)
        guard let person = try await store.person(mail.personID), person.deactivatedAt == nil else {
            round.skipped += try await store.finishMail(
                ids, token: token, now: now, result: .skipped("the person is deactivated"))
            return
        }
        let preferences = try await store.notificationPreferences(of: person.id)
        let stale = Set(mail.entries.filter { now.timeIntervalSince($0.createdAt) > settings.staleAfter }.map(\.id))
        let unwanted = Set(
            mail.entries.filter { !stale.contains($0.id) && !preferences.wants($0.note.kind) }.map(\.id))
        let send = mail.entries.filter { !stale.contains($0.id) && !unwanted.contains($0.id) }
        if !stale.isEmpty {
            round.skipped += try await store.finishMail(
                Array(stale), token: token, now: now, result: .skipped("older than the stale limit"))
        }
        if !unwanted.isEmpty {
            round.skipped += try await store.finishMail(
                Array(unwanted), token: token, now: now, result: .skipped("switched off by the person"))
        }
        guard !send.isEmpty else { return }
        let unsubscribe = "/unsubscribe/" + (try await store.unsubscribeToken(of: person.id, at: now))
        let digest = MailDigest.compose(
            send.map(\.note), to: person, baseURL: settings.publicURL, unsubscribePath: unsubscribe)
        let sendIDs = send.map(\.id)
        do {
            let to = try MailAddress(person.email, name: person.name)
            let message = MailMessage(
                from: settings.smtp.sender, to: [to], subject: digest.subject, textBody: digest.text,
                htmlBody: digest.html,
                headers: [
                    MailHeader("List-Unsubscribe", "<\(settings.publicURL)\(unsubscribe)>"),
                    MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ], date: now)
            try await client.send(message, using: settings.smtp)
            round.sent += try await store.finishMail(sendIDs, token: token, now: now, result: .sent)
        } catch let error as SMTPError where error.disposition == .transient && mail.attempts < settings.maxAttempts {
            logger.warning("Mail to \(person.email) deferred: \(error)")
            round.retried += try await store.finishMail(
                sendIDs, token: token, now: now,
                result: .retry(after: MailSettings.retryDelay(afterAttempts: mail.attempts), error: "\(error)"))
        } catch {
            logger.error("Mail to \(person.email) failed: \(error)")
            round.failed += try await store.finishMail(sendIDs, token: token, now: now, result: .failed("\(error)"))
        }
    }

    /// Queues the notes time brings: actions past their due date, and the review day's digest.
    /// Their keys make each one queued once, whatever the number of workers.
    @discardableResult
    public static func sweep(_ app: Application, now: Date = Date()) async throws -> Int {
        let store = CoSellStore(db: app.backgroundDatabase)
        let today = LocalDate(now)
        var notes: [MailNote] = []
        // Per deal with an overdue action: the deal, its stage and the people, for the webhook events.
        var overdue: [(deal: Deal, stageKey: String, people: [Person], notes: [MailNote])] = []
        var playbooks: [PlaybookVersion: Playbook] = [:]
        var stalled: Set<UUID> = []
        let facts = try await store.factsInPlay()
        for f in facts {
            let key = f.playbookVersionKey
            if playbooks[key] == nil {
                playbooks[key] = try await store.playbook(f.playbookID, version: f.playbookVersion)
            }
            guard let playbook = playbooks[key], playbook.stages.indices.contains(f.stageIndex) else { continue }
            if DealDiagnostics.stall(of: f, playbook: playbook, now: now).stalled { stalled.insert(f.id) }
            guard f.pendingActions.contains(where: { ($0.dueOn.map { $0 < today } ?? false) && $0.blockedBy.isEmpty })
            else { continue }
            guard let deal = try await store.deal(f.id) else { continue }
            let people = try await store.people(inOrganizations: [deal.hostOrganizationID, deal.partnerOrganizationID])
            let orgs = try await store.organizations([deal.hostOrganizationID, deal.partnerOrganizationID])
            let late = Notifications.overdue(
                deal, playbook: playbook, people: people,
                companyNames: Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), today: today)
            if !late.isEmpty, playbook.stages.indices.contains(deal.stageIndex) {
                overdue.append((deal, playbook.stages[deal.stageIndex].key, people, late))
            }
        }
        for partnership in try await store.activePartnerships() where Notifications.isReviewDay(partnership, now: now) {
            let people = try await store.people(inOrganizations: partnership.organizationIDs)
            notes += Notifications.weeklyDigest(partnership, facts: facts, people: people, stalled: stalled, now: now)
        }
        notes += try await partnershipNotes(store, today: today)
        // The overdue notes and their webhook events (Slack) in one transaction; an event only for
        // what this sweep queued, so that several instances sweeping tell each action once.
        let digests = notes
        let late = overdue
        try await store.transaction { db in
            let tx = CoSellStore(db: db)
            try await tx.queueMail(digests, at: now)
            for o in late {
                let queued = try await tx.queueMail(o.notes, at: now)
                try await EventOutbox.enqueue(
                    WebhookEvents.events(notes: queued, deal: o.deal, stageKey: o.stageKey, people: o.people, at: now),
                    dealID: o.deal.id, at: now, on: db)
            }
        }
        return notes.count + overdue.reduce(0) { $0 + $1.notes.count }
    }

    /// Without a mail server: only the sweep, every `interval` seconds, so that overdue actions still
    /// reach the webhooks (Slack). What it queues for mail waits, and is skipped as stale if mail is
    /// configured days later.
    public static func startSweepOnly(_ app: Application, interval: TimeInterval = 300) -> WebhookWorkerHandle {
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await sweep(app, now: Date())
                } catch {
                    app.logger.error("Sweep for overdue actions failed: \(error)")
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        return WebhookWorkerHandle(task: task)
    }

    /// Starts the loop: sweep now and then every `sweepInterval`, send until nothing is due, sleep.
    public static func start(_ app: Application, settings: MailSettings) -> WebhookWorkerHandle {
        let workerID = "mail-\(UUID().uuidString.prefix(8))"
        let task = Task {
            var lastSweep = Date.distantPast
            while !Task.isCancelled {
                do {
                    if Date().timeIntervalSince(lastSweep) >= settings.sweepInterval {
                        lastSweep = Date()
                        try await sweep(app, now: lastSweep)
                    }
                    while !Task.isCancelled,
                        try await deliverDue(app, settings: settings, now: Date(), workerID: workerID).mails
                            >= settings.peoplePerRound
                    {}
                } catch  where isSQLiteWriteConflict(error) {
                    // SQLite's writer is taken for longer than the busy timeout (an import writing its
                    // accounts): nothing is lost, a later round tries again.
                    app.logger.notice("Mail worker round put off: the database's writer is busy (\(error))")
                } catch {
                    app.logger.error("Mail worker round failed: \(error)")
                }
                try? await Task.sleep(nanoseconds: UInt64(settings.interval * 1_000_000_000))
            }
        }
        return WebhookWorkerHandle(task: task)
    }
}

/// Runs the mail worker while the server runs.
final class MailWorkerLifecycle: LifecycleHandler {
    /// Nil: no mail server, the sweep only.
    let settings: MailSettings?
    let handle = NIOLockedValueBox<WebhookWorkerHandle?>(nil)

    init(settings: MailSettings?) { self.settings = settings }

    func didBoot(_ application: Application) throws {
        let h = settings.map { MailWorker.start(application, settings: $0) } ?? MailWorker.startSweepOnly(application)
        handle.withLockedValue { $0 = h }
    }

    func shutdown(_ application: Application) {
        handle.withLockedValue { $0 }?.task.cancel()
    }

    func shutdownAsync(_ application: Application) async {
        await handle.withLockedValue { $0 }?.stop()
    }
}
