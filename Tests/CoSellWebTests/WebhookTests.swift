import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Fluent
import FluentSQL
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import CoSellApp

@Suite("Outgoing webhooks")
struct WebhookTests {
    @Test("admins manage subscriptions; the secret shows once; bad input names the field", arguments: TestDatabase.all)
    func subscriptions(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let created = try await app.subscribe(
                "https://hooks.example.com/cosell", events: [.dealCreated, .dealClosed])
            let id = try #require(created["id"] as? String)
            let secret = try #require(created["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && secret.count == 70)
            #expect(created["events"] as? [String] == ["deal.created", "deal.closed"])
            #expect(created["active"] as? Bool == true)

            var r = try await app.call(.GET, "/api/v1/webhooks/\(id)")
            #expect(r.status == .ok)
            #expect(r["secret"] == nil)
            #expect(r["url"] as? String == "https://hooks.example.com/cosell")
            r = try await app.call(.GET, "/api/v1/webhooks")
            #expect((r.json as? [[String: Any]])?.count == 1)

            r = try await app.call(.PATCH, "/api/v1/webhooks/\(id)", body: #"{"active": false}"#)
            #expect(r.status == .ok)
            #expect(r["active"] as? Bool == false)
            r = try await app.call(.POST, "/api/v1/webhooks/\(id)/secret")
            #expect(r.status == .ok)
            let rotated = try #require(r["secret"] as? String)
            #expect(rotated != secret && rotated.hasPrefix("whsec_"))

            // Bad input: a 422 problem naming the field.
            for (body, field) in [
                (#"{"url": "http://hooks.example.com/x", "events": ["deal.created"]}"#, "url"),
                (#"{"url": "https://hooks.example.com/x", "events": ["deal.exploded"]}"#, "events[0]"),
                (#"{"url": "https://hooks.example.com/x", "events": []}"#, "events"),
                (#"{"url": "https://hooks.example.com/x", "events": ["deal.created"], "format": "xml"}"#, "format"),
                (#"{"events": ["deal.created"]}"#, "url"),
            ] {
                r = try await app.call(.POST, "/api/v1/webhooks", body: body)
                #expect(r.status == .unprocessableEntity, "\(body)")
                #expect(r.contentType.hasPrefix("application/problem+json"))
                #expect(r["field"] as? String == field, "\(body)")
            }
            r = try await app.call(.POST, "/api/v1/webhooks", body: "{not json")
            #expect(r.status == .badRequest)

            // Non-admins: 403; another organization's id and malformed ids: 404.
            r = try await app.call(.GET, "/api/v1/webhooks", token: Token.hostSeller)
            #expect(r.status == .forbidden)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)", token: Token.hostSeller)
            #expect(r.status == .forbidden)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)", token: Token.partnerAdmin)
            #expect(r.status == .notFound)
            r = try await app.call(.DELETE, "/api/v1/webhooks/\(id)", token: Token.partnerAdmin)
            #expect(r.status == .notFound)
            r = try await app.call(.GET, "/api/v1/webhooks/not-a-uuid")
            #expect(r.status == .notFound)
            #expect(r.contentType.hasPrefix("application/problem+json"))

            r = try await app.call(.DELETE, "/api/v1/webhooks/\(id)")
            #expect(r.status == .ok)
            r = try await app.call(.GET, "/api/v1/webhooks/\(id)")
            #expect(r.status == .notFound)
        }
    }

    @Test("a refused advance queues deal.gate_refused; the refusal still answers 422", arguments: TestDatabase.all)
    func gateRefused(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let sub = try await app.subscribe("https://hooks.example.com/x", events: [.dealGateRefused])
            let dealID = try await app.openDeal()
            let r = try await app.call(.POST, "/api/v1/deals/\(dealID)/advance", token: Token.hostSeller)
            #expect(r.status == .unprocessableEntity)
            let log = try await app.deliveries(try #require(sub["id"] as? String))
            #expect(log.map { $0["event_kind"] as? String } == ["deal.gate_refused"])
            #expect(log.first?["deal_id"] as? String == dealID)
            #expect(log.first?["status"] as? String == "pending")
        }
    }

    @Test("a paused subscription gets nothing; queued deliveries wait until it resumes", arguments: TestDatabase.all)
    func paused(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            try await withReceiver { receiver in
                let sub = try await app.subscribe(receiver.url, events: [.dealCreated])
                let subID = try #require(sub["id"] as? String)
                _ = try await app.openDeal(title: "Queued before the pause")
                var r = try await app.call(.PATCH, "/api/v1/webhooks/\(subID)", body: #"{"active": false}"#)
                #expect(r.status == .ok)
                _ = try await app.openDeal(title: "Opened while paused")
                #expect(try await app.deliveries(subID).count == 1)
                #expect(try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(1)) == 0)
                #expect(receiver.all.isEmpty)
                r = try await app.call(.PATCH, "/api/v1/webhooks/\(subID)", body: #"{"active": true}"#)
                #expect(try await WebhookWorker.deliverDue(app, now: Date().addingTimeInterval(1)) == 1)
                #expect(receiver.all.count == 1)
                #expect(receiver.all[0].body.contains("Queued before the pause"))
            }
        }
    }

    @Test("stalls are emitted once per episode, weekly reviews once per week", arguments: TestDatabase.all)
    func sweep(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let sub = try await app.subscribe(
                "https://hooks.example.com/x", events: [.dealStalled, .reviewWeeklyReady])
            let subID = try #require(sub["id"] as? String)
            let now = Date()
            // Stalled demo deals, by the same pure rule the worker uses, over the whole documents
            // (the worker reads the stored facts).
            var stalled = 0
            for d in try await app.store.reportDeals(visibleTo: try await hostOrg(app)) where d.isInPlay {
                let pb = try #require(try await app.store.playbook(d.playbookID, version: d.playbookVersion))
                if DealDiagnostics.stall(of: d, playbook: pb, now: now).stalled { stalled += 1 }
            }
            #expect(stalled > 0)
            let partnerships = try await app.store.partnerships(of: try await hostOrg(app)).filter {
                $0.status == .active
            }
            let first = try await WebhookWorker.sweep(app, now: now)
            var log = try await app.deliveries(subID)
            #expect(log.filter { $0["event_kind"] as? String == "deal.stalled" }.count == stalled)
            #expect(log.filter { $0["event_kind"] as? String == "review.weekly_ready" }.count == partnerships.count)
            #expect(first >= log.count)
            // Nothing new on the next sweep. A week later more deals have stalled, but none of the
            // earlier episodes repeats; and the next week's review comes.
            #expect(try await WebhookWorker.sweep(app, now: now.addingTimeInterval(60)) == 0)
            _ = try await WebhookWorker.sweep(app, now: now.addingTimeInterval(7 * 86_400))
            log = try await app.deliveries(subID)
            let stalledDeals = log.filter { $0["event_kind"] as? String == "deal.stalled" }.compactMap {
                $0["deal_id"] as? String
            }
            #expect(stalledDeals.count >= stalled)
            #expect(Set(stalledDeals).count == stalledDeals.count)
            #expect(
                log.filter { $0["event_kind"] as? String == "review.weekly_ready" }.count == 2 * partnerships.count)
        }
    }
}
