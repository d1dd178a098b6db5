import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// An organization's webhook subscriptions, on every store.
@Suite("Webhook workflows")
struct WebhookWorkflowsTests {
    let f = WorkflowFixture()
    static let url = "https://hooks.quarrydata.example/cosell"

    func subscribe(_ w: Workflows, active: Bool? = nil) async throws -> WebhookSubscription {
        try await w.webhooks.create(by: f.principal(f.daniel), secret: "whsec_first", allowPrivateAddresses: false) {
            .init(
                url: Self.url, events: ["deal.stage_advanced", "deal.created"], format: nil, description: " CRM ",
                active: active)
        }
    }

    /// The field a refusal names, if it is a 422.
    func invalidField(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
        } catch WorkflowError.invalid(let field, _) {
            return field
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    @Test("an admin subscribes: the subscription, its secret and an audit line", arguments: StoreKind.all)
    func creates(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let s = try await subscribe(w)
            #expect(s.events == [.dealCreated, .dealStageAdvanced])
            #expect(s.format == .json)
            #expect(s.active)
            #expect(s.description == "CRM")
            #expect(s.createdAt == f.now)
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id) == s)
            #expect(try await probe.webhookSecret(s.id) == "whsec_first")
            let audit = try await probe.audits(f.quarry.id).last
            #expect(audit?.kind == "webhook_created")
            #expect(audit?.detail == "Webhook to \(Self.url) for deal.created, deal.stage_advanced")
        }
    }

    @Test("an admin reads a subscription of their organization; another's is not found", arguments: StoreKind.all)
    func reads(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let s = try await subscribe(w)
            #expect(try await w.webhooks.subscription(s.id, by: f.principal(f.daniel, scope: .read)) == s)
            await #expect(throws: WorkflowError.notFound("webhook")) {
                try await w.webhooks.subscription(s.id, by: f.principal(f.marcus))
            }
            await #expect(throws: WorkflowError.forbidden("Only admins manage webhooks.")) {
                try await w.webhooks.subscription(s.id, by: f.principal(f.priya))
            }
        }
    }

    @Test("a subscription is refused: a non-admin, a read-only token, bad fields named", arguments: StoreKind.all)
    func createRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let unread = { @Sendable () -> WebhookWorkflows.Subscription in
                Issue.record("the body is read after the checks")
                return .init(url: Self.url, events: ["deal.created"], format: nil, description: nil, active: nil)
            }
            await #expect(throws: WorkflowError.forbidden("Only admins manage webhooks.")) {
                try await w.webhooks.create(by: f.principal(f.priya), secret: "s", allowPrivateAddresses: false, unread)
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.webhooks.create(
                    by: f.principal(f.daniel, scope: .read), secret: "s", allowPrivateAddresses: false, unread)
            }
            let bad: [(WebhookWorkflows.Subscription, String)] = [
                (
                    .init(
                        url: "http://10.0.0.1/hook", events: ["deal.created"], format: nil, description: nil,
                        active: nil), "url"
                ),
                (.init(url: Self.url, events: [], format: nil, description: nil, active: nil), "events"),
                (
                    .init(
                        url: Self.url, events: ["deal.created", "deal.won"], format: nil, description: nil, active: nil),
                    "events[1]"
                ),
                (
                    .init(url: Self.url, events: ["deal.created"], format: "xml", description: nil, active: nil),
                    "format"
                ),
                (
                    .init(
                        url: Self.url, events: ["deal.created"], format: nil,
                        description: String(repeating: "d", count: 501), active: nil), "description"
                ),
            ]
            for (body, field) in bad {
                let named = await invalidField {
                    _ = try await w.webhooks.create(
                        by: f.principal(f.daniel), secret: "s", allowPrivateAddresses: false
                    ) {
                        body
                    }
                }
                #expect(named == field)
            }
            let kinds = try await probe.auditKinds(f.quarry.id)
            #expect(kinds.isEmpty)
        }
    }

    @Test(
        "pausing and resuming are audited; another organization's subscription is not found", arguments: StoreKind.all)
    func updates(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let s = try await subscribe(w)
            let paused = try await w.webhooks.update(s.id, by: f.principal(f.daniel), allowPrivateAddresses: false) {
                .init(url: nil, events: nil, format: "slack", description: nil, active: false)
            }
            #expect(!paused.active)
            #expect(paused.format == .slack)
            #expect(paused.description == "CRM")
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id) == paused)
            _ = try await w.webhooks.update(s.id, by: f.principal(f.daniel), allowPrivateAddresses: false) {
                .init(url: nil, events: ["deal.closed"], format: nil, description: "", active: nil)
            }
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id)?.description == nil)
            _ = try await w.webhooks.update(s.id, by: f.principal(f.daniel), allowPrivateAddresses: false) {
                .init(url: nil, events: nil, format: nil, description: nil, active: true)
            }
            #expect(
                try await probe.auditKinds(f.quarry.id).sorted() == [
                    "webhook_created", "webhook_paused", "webhook_resumed",
                ])
            let garbage = { @Sendable () -> WebhookWorkflows.Change in
                .init(url: "not a url", events: [], format: "xml", description: nil, active: false)
            }
            await #expect(throws: WorkflowError.notFound("webhook")) {
                try await w.webhooks.update(s.id, by: f.principal(f.marcus), allowPrivateAddresses: false, garbage)
            }
            await #expect(throws: WorkflowError.forbidden("Only admins manage webhooks.")) {
                try await w.webhooks.update(s.id, by: f.principal(f.priya), allowPrivateAddresses: false, garbage)
            }
            let named = await invalidField {
                _ = try await w.webhooks.update(s.id, by: f.principal(f.daniel), allowPrivateAddresses: false, garbage)
            }
            #expect(named == "url")
        }
    }

    @Test("a pause whose audit line fails leaves the subscription active", arguments: StoreKind.all)
    func pauseAllOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let s = try await subscribe(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.webhooks.update(s.id, by: f.principal(f.daniel), allowPrivateAddresses: false) {
                    .init(url: nil, events: nil, format: nil, description: nil, active: false)
                }
            }
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id)?.active == true)
        }
    }

    @Test("replacing the secret and deleting are audited, and all or nothing", arguments: StoreKind.all)
    func rotatesAndDeletes(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let s = try await subscribe(w)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.webhooks.rotateSecret(s.id, by: f.principal(f.daniel), secret: "whsec_lost")
            }
            #expect(try await probe.webhookSecret(s.id) == "whsec_first")
            await #expect(throws: WorkflowError.notFound("webhook")) {
                try await w.webhooks.rotateSecret(s.id, by: f.principal(f.olga), secret: "whsec_x")
            }
            let rotated = try await w.webhooks.rotateSecret(s.id, by: f.principal(f.daniel), secret: "whsec_second")
            #expect(rotated.updatedAt == f.now)
            #expect(try await probe.webhookSecret(s.id) == "whsec_second")
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.webhooks.delete(s.id, by: f.principal(f.daniel))
            }
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id) != nil)
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.webhooks.delete(s.id, by: f.principal(f.daniel, scope: .read))
            }
            let deleted = try await w.webhooks.delete(s.id, by: f.principal(f.daniel))
            #expect(deleted.id == s.id)
            #expect(try await w.store.webhookSubscription(s.id, of: f.quarry.id) == nil)
            #expect(
                try await probe.auditKinds(f.quarry.id).sorted() == [
                    "webhook_created", "webhook_deleted", "webhook_secret_rotated",
                ])
        }
    }

    @Test(
        "a failed delivery is queued again; a queued one, another's or an unknown one is refused",
        arguments: StoreKind.all)
    func redelivers(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let s = try await subscribe(w)
            let id = try await probe.seedFailedDelivery(of: s, at: f.now.addingTimeInterval(-60))
            await #expect(throws: WorkflowError.notFound("webhook")) {
                try await w.webhooks.redeliver(id, of: s.id, by: f.principal(f.marcus))
            }
            await #expect(throws: WorkflowError.forbidden("Only admins manage webhooks.")) {
                try await w.webhooks.redeliver(id, of: s.id, by: f.principal(f.priya))
            }
            await #expect(throws: WorkflowError.notFound("delivery")) {
                try await w.webhooks.redeliver(UUID(), of: s.id, by: f.principal(f.daniel, scope: .read))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.webhooks.redeliver(id, of: s.id, by: f.principal(f.daniel, scope: .read))
            }
            let again = try await w.webhooks.redeliver(id, of: s.id, by: f.principal(f.daniel))
            #expect(again.status == .pending)
            #expect(again.attempts == 0)
            #expect(again.nextAttemptAt == f.now)
            #expect(try await probe.webhookDelivery(id)?.status == .pending)
            await #expect(
                throws: WorkflowError.conflict(
                    "Only a delivered or failed delivery can be sent again; this one is still queued.")
            ) {
                try await w.webhooks.redeliver(id, of: s.id, by: f.principal(f.daniel))
            }
        }
    }
}
