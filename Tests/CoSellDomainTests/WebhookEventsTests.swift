import CoSellDomain
import Foundation
import Testing

@Suite("Webhook events: which changes raise which events, and what they carry")
struct WebhookEventsTests {
    @Test("timeline kinds map to event kinds; bookkeeping changes raise nothing")
    func mapping() {
        let expected: [String: WebhookEventKind?] = [
            "deal_opened": .dealCreated, "stage_advanced": .dealStageAdvanced, "gate_refused": .dealGateRefused,
            "gate_overridden": .dealGateOverridden, "stalled": .dealStalled, "registered": .dealRegistered,
            "outcome_logged": .dealClosed, "abandoned": .dealClosed, "ended_by_partnership": .dealClosed,
            "review_recorded": .dealReviewed, "move_added": nil, "brief_written": nil, "details_updated": nil,
            "committed": nil, "completed": nil,
        ]
        for (kind, event) in expected {
            #expect(WebhookEventKind.raised(byChangeKind: kind) == event, "\(kind)")
        }
    }

    @Test("an advance raises one event id, sent to both organizations, with the deal summary and links")
    func advancePayload() throws {
        let deal = Fixture.deal(at: .doorOpener)
        let (advanced, changes) = try Fixture.apply(.advance(overrideReason: nil), to: deal, by: Fixture.hostManager)
        let ids = IDSequence(start: 9_000)
        let events = WebhookEvents.events(
            deal: advanced, stageKey: "joint_discovery", changes: changes, at: Fixture.now, makeID: ids.make)
        #expect(events.count == 2)
        #expect(events.map(\.organizationID) == [Fixture.hostOrg.id, Fixture.partnerOrg.id])
        #expect(Set(events.map(\.id)) == [Fixture.id(9_000)])
        let body = WebhookEvents.body(events[1], format: .json)
        let json = try #require(Fixture.json(body))
        #expect(json["id"] as? String == Fixture.id(9_000).uuidString)
        #expect(json["kind"] as? String == "deal.stage_advanced")
        #expect(json["occurred_at"] as? String == "2026-03-06T09:00:00Z")
        #expect(json["organization_id"] as? String == Fixture.partnerOrg.id.uuidString)
        let d = try #require(json["deal"] as? [String: Any])
        #expect(d["id"] as? String == deal.id.uuidString)
        #expect(d["title"] as? String == "Globex inventory unification")
        #expect(d["partnership_id"] as? String == Fixture.partnership.id.uuidString)
        #expect(d["stage"] as? String == "joint_discovery")
        #expect(d["status"] as? String == "open")
        #expect((d["amount"] as? [String: Any])?["amount"] as? String == "250000.00")
        #expect((d["amount"] as? [String: Any])?["currency"] as? String == "USD")
        let links = try #require(json["links"] as? [String: String])
        #expect(links["deal"] == "/deals/\(deal.id.uuidString)")
        #expect(links["api"] == "/api/v1/deals/\(deal.id.uuidString)")
    }

    @Test("slack format is one readable line with the link")
    func slack() throws {
        let deal = Fixture.deal(at: .closeRegisterReview)
        let events = WebhookEvents.events(
            deal: deal, stageKey: "close_register_review",
            changes: [DealChange(kind: "registered", summary: "Hugo registered the deal.", before: nil, after: nil)],
            at: Fixture.now)
        let body = try #require(Fixture.json(WebhookEvents.body(events[0], format: .slack)))
        #expect(body.keys.sorted() == ["text"])
        #expect(
            body["text"] as? String
                == "[deal.registered] Globex inventory unification (Globex Retail, stage close_register_review, won, $250,000.00): Hugo registered the deal. /deals/\(deal.id.uuidString)"
        )
    }

    @Test("weekly review: ISO week, both organizations, a link to the week's review")
    func weekly() {
        // 2026-01-05 is a Monday in ISO week 2; 2027-01-01 (a Friday) still belongs to 2026-W53.
        #expect(ISOWeek(containing: Fixture.t0).description == "2026-W02")
        #expect(ISOWeek(containing: Date(timeIntervalSince1970: 1_798_761_600)).description == "2026-W53")
        let events = WebhookEvents.weeklyReviewReady(
            partnership: Fixture.partnership, at: Fixture.t0, id: Fixture.id(5))
        #expect(events.count == 2)
        #expect(
            events[0].links["review"] == "/api/v1/partnerships/\(Fixture.partnership.id.uuidString)/reviews/2026-W02")
        #expect(events[0].week == "2026-W02")
        #expect(
            WebhookEvents.weeklyKey(partnershipID: Fixture.partnership.id, at: Fixture.t0)
                == "review.weekly_ready:\(Fixture.partnership.id.uuidString):2026-W02")
    }

    @Test("a stall episode is keyed by the deal's version: a change starts a new episode")
    func stallKey() {
        var deal = Fixture.deal(at: .jointDiscovery)
        let first = WebhookEvents.stallKey(deal: deal)
        #expect(WebhookEvents.stallKey(deal: deal) == first)
        deal.version += 1
        #expect(WebhookEvents.stallKey(deal: deal) != first)
    }

    @Test("retries back off 30 s, 2 min, 10 min, 1 h, 6 h, and stop at the attempt limit")
    func backoff() {
        let delays = (1...7).map { WebhookEvents.retryDelay(afterAttempts: $0, maxAttempts: 8) }
        #expect(delays == [30, 120, 600, 3_600, 21_600, 21_600, 21_600])
        #expect(WebhookEvents.retryDelay(afterAttempts: 8, maxAttempts: 8) == nil)
        #expect(WebhookEvents.retryDelay(afterAttempts: 3, maxAttempts: 3) == nil)
    }

    @Test(
        "subscription URLs: https to public hosts; private addresses and plain http to this machine only when allowed")
    func urls() throws {
        #expect(try WebhookSettings.checkURL("https://hooks.example.com/cosell").host == "hooks.example.com")
        #expect(try WebhookSettings.checkURL("https://93.184.216.34/in").host == "93.184.216.34")
        #expect(try WebhookSettings.checkURL("https://[2606:4700::1111]/in").port == nil)
        #expect(try WebhookSettings.checkURL("http://127.0.0.1:9000/in", allowPrivate: true).port == 9000)
        #expect(throws: Never.self) { try WebhookSettings.checkURL("http://localhost/x", allowPrivate: true) }
        #expect(throws: Never.self) { try WebhookSettings.checkURL("https://10.1.2.3/x", allowPrivate: true) }
        for bad in ["http://hooks.example.com/x", "ftp://example.com", "not a url", "https://", "https://u:p@x.com/"] {
            #expect(throws: WebhookSettingsError.self) { try WebhookSettings.checkURL(bad, allowPrivate: true) }
        }
        // Plain http goes only to this machine, even when private addresses are allowed.
        #expect(throws: WebhookSettingsError.self) {
            try WebhookSettings.checkURL("http://10.1.2.3/x", allowPrivate: true)
        }
        for bad in [
            "http://127.0.0.1:9000/in", "http://localhost/x", "https://localhost/x", "https://api.localhost/x",
            "https://LOCALHOST./x", "https://127.0.0.1/x", "https://127.1/x", "https://2130706433/x",
            "https://0x7f.0.0.1/x", "https://0177.0.0.1/x", "https://0.0.0.0/x", "https://10.0.0.5/x",
            "https://172.16.0.1/x", "https://172.31.255.255/x", "https://192.168.1.10/x",
            "https://169.254.169.254/latest",
            "https://100.64.0.1/x", "https://[::1]/x", "https://[::]/x", "https://[fe80::1%25eth0]/x",
            "https://[fd00:ec2::254]/x", "https://[fc00::1]/x", "https://[::ffff:127.0.0.1]/x",
            "https://[::ffff:a9fe:a9fe]/x", "https://[64:ff9b::10.0.0.1]/x", "https://[2002:c0a8:0101::1]/x",
            "https://224.0.0.1/x", "https://255.255.255.255/x",
        ] {
            do {
                _ = try WebhookSettings.checkURL(bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.field == "url", "\(bad)")
                #expect(error.message.contains("must not point at") || error.message.contains("https"), "\(bad)")
            }
        }
        do {
            _ = try WebhookSettings.checkURL("https://169.254.169.254/latest/meta-data")
        } catch {
            #expect(
                error.message
                    == "url must not point at a link-local address (169.254.169.254): cosell sends webhooks only to receivers with a public address."
            )
        }
    }

    @Test("literal addresses in every form a resolver reads, and their kinds")
    func addresses() {
        #expect(WebhookAddress.ipv4("127.0.0.1") == [127, 0, 0, 1])
        #expect(WebhookAddress.ipv4("127.1") == [127, 0, 0, 1])
        #expect(WebhookAddress.ipv4("2130706433") == [127, 0, 0, 1])
        #expect(WebhookAddress.ipv4("0x7f.1") == [127, 0, 0, 1])
        #expect(WebhookAddress.ipv4("0300.0250.1.1") == [192, 168, 1, 1])
        #expect(WebhookAddress.ipv4("256.1.1.1") == nil)
        #expect(WebhookAddress.ipv4("1.2.3.4.5") == nil)
        #expect(WebhookAddress.ipv4("example.com") == nil)
        #expect(WebhookAddress.ipv4("09.1.1.1") == nil)  // 9 is not an octal digit
        #expect(WebhookAddress.ipv6("::1") == Array(repeating: 0, count: 15) + [1])
        #expect(WebhookAddress.ipv6("2001:db8::ff00:42:8329")?.count == 16)
        #expect(WebhookAddress.ipv6("1:2:3:4:5:6:7:8:9") == nil)
        #expect(WebhookAddress.ipv6("1::2::3") == nil)
        #expect(WebhookAddress.ipv6("::ffff:10.0.0.1")?.suffix(4) == [10, 0, 0, 1])
        #expect(WebhookAddress.privateKind(ofHost: "8.8.8.8") == nil)
        #expect(WebhookAddress.privateKind(ofHost: "hooks.slack.com") == nil)
        #expect(WebhookAddress.privateKind(ofHost: "[2606:4700::1111]") == nil)
        #expect(WebhookAddress.privateKind(ofHost: "172.32.0.1") == nil)
        #expect(WebhookAddress.privateKind(ofHost: "192.169.0.1") == nil)
        #expect(WebhookAddress.privateKind(ofHost: "10.0.0.1") == "a private address")
        #expect(WebhookAddress.privateKind(ofHost: "[fd12::1]") == "a unique local address")
        #expect(WebhookAddress.privateKind(ofHost: "[fe80::1]") == "a link-local address")
    }

    @Test("event lists: known kinds only, no empty list, repeats folded")
    func events() throws {
        #expect(
            try WebhookSettings.checkEvents(["deal.closed", "deal.created", "deal.closed"]) == [
                .dealCreated, .dealClosed,
            ])
        do {
            _ = try WebhookSettings.checkEvents(["deal.created", "deal.exploded"])
            Issue.record("accepted an unknown kind")
        } catch {
            #expect(error.field == "events[1]")
        }
        #expect(throws: WebhookSettingsError.self) { try WebhookSettings.checkEvents([]) }
    }
}
