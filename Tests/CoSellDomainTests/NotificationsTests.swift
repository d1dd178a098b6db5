import Foundation
import Testing

@testable import CoSellDomain

/// Who is told what after a change, and the mail a person's notes make.
@Suite("Notifications: who is told what")
struct NotificationsTests {
    static let names = [Fixture.hostOrg.id: Fixture.hostOrg.name, Fixture.partnerOrg.id: Fixture.partnerOrg.name]
    static let today = LocalDate(Fixture.now)

    static func opened() throws -> Deal {
        try DealEngine.open(
            id: Fixture.id(100), partnership: Fixture.partnership, account: Fixture.account, title: "Globex",
            hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(now: Fixture.day(0))
        ).0
    }

    static func notes(from before: Deal?, to after: Deal, actor: Person) -> [MailNote] {
        Notifications.afterChange(
            from: before, to: after, playbook: Fixture.playbook, people: Fixture.everyone, companyNames: names,
            actorID: actor.id, today: today)
    }

    @Test func aNewDealTellsTheOtherCompanysPartnerManagerNotTheOneWhoOpenedIt() throws {
        let deal = try Self.opened()
        let notes = Self.notes(from: nil, to: deal, actor: Fixture.hostManager)
        #expect(!notes.isEmpty)
        #expect(Set(notes.map(\.personID)) == [Fixture.partnerManager.id])
        #expect(Set(notes.map(\.kind)) == [.actionWaiting])
        #expect(notes.allSatisfy { $0.path.hasPrefix("/deals/\(deal.id.uuidString)#stage-") })
        #expect(notes.allSatisfy { $0.subject.hasPrefix("Globex: ") })
        // Keys differ per part, so that each is queued once.
        #expect(Set(notes.map(\.key)).count == notes.count)
    }

    @Test func whatAlreadyWaitedIsNotToldAgain() throws {
        let deal = try Self.opened()
        let (after, _) = try Fixture.apply(
            .recordIcpFit(fit: .strong, note: nil), to: deal, by: Fixture.partnerManager, now: Fixture.day(1))
        let notes = Self.notes(from: deal, to: after, actor: Fixture.partnerManager)
        #expect(notes.isEmpty, "\(notes.map(\.subject))")
    }

    @Test func aSellerNamedOwnerIsTheOneTold() throws {
        var deal = try Self.opened()
        let move = try #require(deal.moves.first { $0.templateKey == "partner_icp_fit" })
        let before = deal
        (deal, _) = try Fixture.apply(
            .updateMove(moveID: move.id, ownerID: Fixture.partnerSeller.id, dueOn: nil, done: nil), to: deal,
            by: Fixture.hostManager, now: Fixture.day(1))
        let notes = Self.notes(from: before, to: deal, actor: Fixture.hostManager)
        let fit = notes.filter { $0.key.contains(":partner_icp_fit:") }
        #expect(fit.map(\.personID) == [Fixture.partnerSeller.id])
    }

    @Test func anEditThatResetsAnApprovalTellsWhoHadApproved() throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let (after, _) = try Fixture.apply(
            .writeBrief(
                briefID: Fixture.briefID, customerNeed: "A different need", buyingProcess: Fixture.buyingProcess,
                stakeholders: Fixture.brief.stakeholders),
            to: deal, by: Fixture.partnerSeller)
        #expect(after.evidence.jointDiscovery.activeBriefs.first?.approvals.host == nil)
        let resets = Self.notes(from: deal, to: after, actor: Fixture.partnerSeller).filter {
            $0.kind == .approvalReset
        }
        #expect(resets.map(\.personID) == [Fixture.hostSeller.id])
        #expect(resets.first?.body.contains(Fixture.hostOrg.name) == true)
    }

    @Test func aRefusedAdvanceTellsThePeopleTheGateWaitsOnNotTheOneWhoTried() throws {
        let deal = try Self.opened()
        let report = Gate.evaluateCurrent(deal, in: Fixture.playbook)
        let notes = Notifications.gateRefused(
            deal, report: report, playbook: Fixture.playbook, people: Fixture.everyone, companyNames: Self.names,
            actorID: Fixture.hostManager.id, actorName: Fixture.hostManager.name, at: Fixture.day(1),
            today: Self.today)
        #expect(notes.map(\.personID) == [Fixture.partnerManager.id])
        #expect(notes.first?.body.contains("Missing:") == true)
    }

    @Test func overdueActionsAreToldOncePerDueDate() throws {
        let deal = try Self.opened()
        let late = LocalDate(Fixture.day(30))
        let notes = Notifications.overdue(
            deal, playbook: Fixture.playbook, people: Fixture.everyone, companyNames: Self.names, today: late)
        #expect(!notes.isEmpty)
        #expect(notes.allSatisfy { $0.kind == .actionOverdue && $0.key.hasPrefix("overdue:") })
        let onTime = Notifications.overdue(
            deal, playbook: Fixture.playbook, people: Fixture.everyone, companyNames: Self.names,
            today: LocalDate(Fixture.day(0)))
        #expect(onTime.isEmpty)
    }

    @Test func preferencesSayWhatIsSent() {
        #expect(NotificationPreferences().wants(.actionWaiting))
        #expect(!NotificationPreferences(off: [.actionWaiting]).wants(.actionWaiting))
        #expect(NotificationPreferences(off: [.actionWaiting]).wants(.gateRefused))
        #expect(!NotificationPreferences(digestOnly: true).wants(.actionOverdue))
        #expect(NotificationPreferences(digestOnly: true).wants(.weeklyDigest))
        #expect(!NotificationPreferences(unsubscribed: true).wants(.weeklyDigest))
    }

    @Test func severalNotesMakeOneMailWithAbsoluteLinksAndAnUnsubscribeLink() {
        let notes = [
            MailNote(
                personID: Fixture.partnerManager.id, kind: .actionWaiting, key: "a", subject: "Globex: commit <now>",
                body: "Waits on you.", path: "/deals/1"),
            MailNote(
                personID: Fixture.partnerManager.id, kind: .actionOverdue, key: "b", subject: "Initech: overdue",
                body: "Was due.", path: "/deals/2"),
        ]
        let mail = MailDigest.compose(
            notes, to: Fixture.partnerManager, baseURL: "https://cosell.example/", unsubscribePath: "/unsubscribe/u_1")
        #expect(mail.subject.hasPrefix("2 things in cosell: Initech: overdue"))
        #expect(mail.text.contains("https://cosell.example/deals/1\n"))
        #expect(mail.text.contains("https://cosell.example/unsubscribe/u_1"))
        #expect(mail.html.contains("Globex: commit &lt;now&gt;"))
        #expect(!mail.html.contains("<now>"))
        let one = MailDigest.compose(
            [notes[0]], to: Fixture.partnerManager, baseURL: "https://cosell.example", unsubscribePath: "/u")
        #expect(one.subject == "Globex: commit <now>")
    }

    @Test func theDigestGoesToEveryoneWhoWritesInBothCompaniesOncePerWeek() {
        let notes = Notifications.weeklyDigest(
            Fixture.partnership, facts: [], people: Fixture.everyone, stalled: [], now: Fixture.now)
        let expected = Fixture.everyone.filter {
            $0.role.canWrite && Fixture.partnership.includes($0.organizationID)
        }
        #expect(Set(notes.map(\.personID)) == Set(expected.map(\.id)))
        #expect(notes.allSatisfy { $0.key.contains(ISOWeek(containing: Fixture.now).description) })
    }
}

/// Whoever enters a stage drives it: its moves without an owner that their company may do are theirs.
@Suite("Moves are owned by whoever entered their stage")
struct EnteredMovesOwnerTests {
    @Test func openingADealGivesTheOpenerTheirCompanysAndEitherCompanysMoves() throws {
        let deal = try NotificationsTests.opened()
        for m in deal.moves where m.doneAt == nil {
            switch m.side {
            case .host, .both: #expect(m.ownerID == Fixture.hostManager.id, "\(m.description)")
            case .partner, .doorOpener: #expect(m.ownerID == nil, "\(m.description)")
            }
        }
    }

    @Test func advancingGivesTheNextStagesMovesToWhoAdvancedAndTheDoorOpenerOwnsItsMove() throws {
        let deal = Fixture.deal(at: .targetAccountSelection)
        let (advanced, _) = try Fixture.apply(.advance(overrideReason: nil), to: deal, by: Fixture.partnerManager)
        let stage2 = advanced.moves.filter { $0.stageKey == CriterionKind.doorOpener.rawValue }
        #expect(!stage2.isEmpty)
        for m in stage2 where m.side == .both { #expect(m.ownerID == Fixture.partnerManager.id) }
        let intro = try #require(stage2.first { $0.side == .doorOpener })
        #expect(intro.ownerID == nil)
        let (named, _) = try Fixture.apply(
            .nameDoorOpener(side: .host, kind: .warmIntroduction, ownerID: Fixture.hostSeller.id), to: advanced,
            by: Fixture.partnerManager)
        #expect(named.moves.first { $0.id == intro.id }?.ownerID == Fixture.hostSeller.id)
    }
}

@Suite("What people are told, for webhooks and Slack")
struct NotificationEventsTests {
    @Test func eachOrganizationHearsOnlyOfItsOwnPeopleOneEventPerThingTold() throws {
        let deal = try NotificationsTests.opened()
        let notes = NotificationsTests.notes(from: nil, to: deal, actor: Fixture.hostManager)
        let events = WebhookEvents.events(
            notes: notes, deal: deal, stageKey: "target_account_selection", people: Fixture.everyone,
            at: Fixture.now)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.kind == .dealActionWaiting && $0.organizationID == Fixture.partnerOrg.id })
        #expect(Set(events.map(\.summary)).count == events.count)
        #expect(events.allSatisfy { $0.summary.hasSuffix("(waits on \(Fixture.partnerManager.name))") })
        #expect(events.first?.slackText.contains("[deal.action_waiting] Globex") == true)
    }

    @Test func slackTextShowsMentionsAndLinksAsTypedNeverAsMarkup() throws {
        var deal = try NotificationsTests.opened()
        deal.title = "<!channel> <https://evil.example/login|Action required> & more"
        let payload = WebhookPayload(
            id: UUID(), kind: .dealCreated, occurredAt: Fixture.now, organizationID: Fixture.hostOrg.id,
            summary: "Renamed by <@U123>", deal: WebhookDeal(deal, stageKey: "target_account_selection"),
            links: ["deal": "https://cosell.example/deals/1?a=1&b=2"])
        let text = payload.slackText
        #expect(!text.contains("<"))
        #expect(!text.contains(">"))
        #expect(text.contains("&lt;!channel&gt; &lt;https://evil.example/login|Action required&gt; &amp; more"))
        #expect(text.contains("Renamed by &lt;@U123&gt;"))
        #expect(text.hasSuffix("https://cosell.example/deals/1?a=1&amp;b=2"))
        #expect(WebhookPayload.slackEscaped("a & b") == "a &amp; b")
    }
}
