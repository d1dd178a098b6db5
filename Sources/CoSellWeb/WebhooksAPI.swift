import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// How webhook bodies are signed: `Cosell-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` of
/// `"<t>.<raw body>"` under the subscription's secret.
public enum WebhookSignature {
    public static let header = "Cosell-Signature"
    public static let eventHeader = "Cosell-Event"
    public static let deliveryHeader = "Cosell-Delivery"

    public static func hmacHex(secret: String, timestamp: Int, body: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func value(secret: String, timestamp: Int, body: String) -> String {
        "t=\(timestamp),v1=\(hmacHex(secret: secret, timestamp: timestamp, body: body))"
    }

    /// A new signing secret: `whsec_` and 32 random bytes in hex.
    public static func newSecret() -> String {
        var g = SystemRandomNumberGenerator()
        return "whsec_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}

/// Outgoing webhooks: each organization's admins manage where cosell sends its events.
enum WebhooksAPI {
    static let components: [(String, Schema)] = [
        (
            "WebhookSubscription",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("url", .string(minLength: 1, maxLength: 2000)),
                    ("events", .array(eventKind)), ("format", format), ("active", .boolean),
                    ("description", .nullable(.string(maxLength: 500))), ("created_by", .uuid),
                    ("created_at", .dateTime), ("updated_at", .dateTime),
                    ("secret", .string(minLength: 10, maxLength: 200)),
                ],
                required: [
                    "id", "organization_id", "url", "events", "format", "active", "created_by", "created_at",
                    "updated_at",
                ])
        ),
        (
            "WebhookDelivery",
            .object(
                [
                    ("id", .uuid), ("subscription_id", .uuid), ("event_id", .uuid), ("event_kind", eventKind),
                    ("deal_id", .nullable(.uuid)), ("status", deliveryStatus), ("attempts", .integer(min: 0)),
                    ("next_attempt_at", .dateTime), ("last_attempt_at", .nullable(.dateTime)),
                    ("last_status_code", .nullable(.integer())), ("last_error", .nullable(.string())),
                    ("delivered_at", .nullable(.dateTime)), ("created_at", .dateTime),
                ],
                required: [
                    "id", "subscription_id", "event_id", "event_kind", "status", "attempts", "next_attempt_at",
                    "created_at",
                ])
        ),
    ]

    static let eventKind = Schema.enumeration(WebhookEventKind.allCases.map(\.rawValue))
    static let format = Schema.enumeration(WebhookFormat.allCases.map(\.rawValue))
    static let deliveryStatus = Schema.enumeration(WebhookDeliveryStatus.allCases.map(\.rawValue))

    static let createBody = Schema.object(
        [
            ("url", .string(minLength: 1, maxLength: 2000)), ("events", .array(eventKind, maxItems: 20)),
            ("format", format), ("description", .string(maxLength: 500)), ("active", .boolean),
        ], required: ["url", "events"])
    static let updateBody = Schema.object(
        [
            ("url", .string(minLength: 1, maxLength: 2000)), ("events", .array(eventKind, maxItems: 20)),
            ("format", format), ("description", .nullable(.string(maxLength: 500))), ("active", .boolean),
        ], required: [])

    struct CreateBody: Decodable {
        var url: String
        var events: [String]
        var format: String?
        var description: String?
        var active: Bool?
    }

    struct UpdateBody: Decodable {
        var url: String?
        var events: [String]?
        var format: String?
        var description: String?
        var active: Bool?
    }

    /// A subscription as the API shows it; `secret` only in the answers that make one.
    struct View: Encodable {
        var id: UUID
        var organizationID: UUID
        var url: String
        var events: [WebhookEventKind]
        var format: WebhookFormat
        var active: Bool
        var description: String?
        var createdBy: UUID
        var createdAt: Date
        var updatedAt: Date
        var secret: String?

        init(_ s: WebhookSubscription, secret: String? = nil) {
            id = s.id
            organizationID = s.organizationID
            url = s.url
            events = s.events
            format = s.format
            active = s.active
            description = s.description
            createdBy = s.createdBy
            createdAt = s.createdAt
            updatedAt = s.updatedAt
            self.secret = secret
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.encode(id, forKey: JSONKey("id"))
            try c.encode(organizationID, forKey: JSONKey("organizationID"))
            try c.encode(url, forKey: JSONKey("url"))
            try c.encode(events, forKey: JSONKey("events"))
            try c.encode(format, forKey: JSONKey("format"))
            try c.encode(active, forKey: JSONKey("active"))
            try c.encode(description, forKey: JSONKey("description"))
            try c.encode(createdBy, forKey: JSONKey("createdBy"))
            try c.encode(createdAt, forKey: JSONKey("createdAt"))
            try c.encode(updatedAt, forKey: JSONKey("updatedAt"))
            if let secret { try c.encode(secret, forKey: JSONKey("secret")) }
        }
    }

    struct DeliveryView: Encodable {
        var d: WebhookDelivery

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.encode(d.id, forKey: JSONKey("id"))
            try c.encode(d.subscriptionID, forKey: JSONKey("subscriptionID"))
            try c.encode(d.eventID, forKey: JSONKey("eventID"))
            try c.encode(d.eventKind, forKey: JSONKey("eventKind"))
            try c.encode(d.dealID, forKey: JSONKey("dealID"))
            try c.encode(d.status, forKey: JSONKey("status"))
            try c.encode(d.attempts, forKey: JSONKey("attempts"))
            try c.encode(d.nextAttemptAt, forKey: JSONKey("nextAttemptAt"))
            try c.encode(d.lastAttemptAt, forKey: JSONKey("lastAttemptAt"))
            try c.encode(d.lastStatusCode, forKey: JSONKey("lastStatusCode"))
            try c.encode(d.lastError, forKey: JSONKey("lastError"))
            try c.encode(d.deliveredAt, forKey: JSONKey("deliveredAt"))
            try c.encode(d.createdAt, forKey: JSONKey("createdAt"))
        }
    }

    static func operations() -> [APIOperation] {
        let statusParam = QueryParameter(
            name: "status", schema: deliveryStatus, description: "Only deliveries in this state.")
        return [
            APIOperation(
                .GET, "/api/v1/webhooks", id: "listWebhooks",
                summary: "Your organization's webhook subscriptions (admins)",
                tag: "webhooks", response: .array(.ref("WebhookSubscription"))
            ) { req in
                let p = try await admin(req)
                return try APIJSON.response(
                    try await req.store.webhookSubscriptions(of: p.person.organizationID).map { View($0) })
            },
            APIOperation(
                .POST, "/api/v1/webhooks", id: "createWebhook",
                summary: "Subscribe a URL to events (admins); the answer shows the signing secret, once",
                tag: "webhooks", body: createBody, status: 201, response: .ref("WebhookSubscription")
            ) { req in
                let p = try await req.principal()
                let secret = WebhookSignature.newSecret()
                let s = try await req.workflows.webhooks.create(
                    by: p, secret: secret, allowPrivateAddresses: req.application.security.allowPrivateWebhookAddresses
                ) {
                    let b = try APIJSON.decode(CreateBody.self, from: req)
                    return .init(
                        url: b.url, events: b.events, format: b.format, description: b.description, active: b.active)
                }
                let r = try APIJSON.response(View(s, secret: secret), status: .created)
                r.headers.replaceOrAdd(name: .location, value: "/api/v1/webhooks/\(s.id.uuidString)")
                return r
            },
            APIOperation(
                .GET, "/api/v1/webhooks/{webhook_id}", id: "getWebhook", summary: "One webhook subscription (admins)",
                tag: "webhooks", response: .ref("WebhookSubscription")
            ) { req in
                let (_, s) = try await subscription(req)
                return try APIJSON.response(View(s))
            },
            APIOperation(
                .PATCH, "/api/v1/webhooks/{webhook_id}", id: "updateWebhook",
                summary: "Change a subscription: pause (active false) or resume it, its URL, events or format (admins)",
                tag: "webhooks", body: updateBody, response: .ref("WebhookSubscription")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("webhook_id", "webhook")
                let s = try await req.workflows.webhooks.update(
                    id, by: p, allowPrivateAddresses: req.application.security.allowPrivateWebhookAddresses
                ) {
                    let b = try APIJSON.decode(UpdateBody.self, from: req)
                    return .init(
                        url: b.url, events: b.events, format: b.format, description: b.description, active: b.active)
                }
                return try APIJSON.response(View(s))
            },
            APIOperation(
                .DELETE, "/api/v1/webhooks/{webhook_id}", id: "deleteWebhook",
                summary: "Delete a subscription and its delivery log (admins); answers what was deleted",
                tag: "webhooks", response: .ref("WebhookSubscription")
            ) { req in
                let p = try await req.principal()
                let s = try await req.workflows.webhooks.delete(try req.id("webhook_id", "webhook"), by: p)
                return try APIJSON.response(View(s))
            },
            APIOperation(
                .POST, "/api/v1/webhooks/{webhook_id}/secret", id: "rotateWebhookSecret",
                summary: "Replace the signing secret (admins); the answer shows the new secret, once",
                tag: "webhooks", response: .ref("WebhookSubscription")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("webhook_id", "webhook")
                let secret = WebhookSignature.newSecret()
                let updated = try await req.workflows.webhooks.rotateSecret(id, by: p, secret: secret)
                return try APIJSON.response(View(updated, secret: secret))
            },
            APIOperation(
                .GET, "/api/v1/webhooks/{webhook_id}/deliveries", id: "listWebhookDeliveries",
                summary: "The delivery log of a subscription, newest first: status codes, attempts, times (admins)",
                tag: "webhooks", query: [statusParam, API.limitParam, API.offsetParam],
                response: APISchemas.list("WebhookDelivery")
            ) { req in
                let (_, s) = try await subscription(req)
                let (limit, offset) = try API.paging(req)
                var status: WebhookDeliveryStatus? = nil
                if let raw = try? req.query.get(String.self, at: "status") {
                    guard let st = WebhookDeliveryStatus(rawValue: raw) else {
                        throw Problem.invalid(
                            "status",
                            "status must be one of: \(WebhookDeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))."
                        )
                    }
                    status = st
                }
                let page = try await req.store.webhookDeliveries(of: s.id, status: status, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items.map(DeliveryView.init), total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", id: "redeliverWebhook",
                summary: "Send a delivered or failed delivery again, with fresh attempts (admins)", tag: "webhooks",
                response: .ref("WebhookDelivery")
            ) { req in
                let p = try await req.principal()
                let subscriptionID = try req.id("webhook_id", "webhook")
                // A malformed delivery id is a delivery nobody has: "not found", after the webhook's checks.
                let id = (try? req.id("delivery_id", "delivery")) ?? UUID()
                return try APIJSON.response(
                    DeliveryView(d: try await req.workflows.webhooks.redeliver(id, of: subscriptionID, by: p)))
            },
        ]
    }

    /// An admin of their organization; anyone else gets 403.
    static func admin(_ req: Request) async throws -> Principal {
        let p = try await req.principal()
        try p.require([.admin], WebhookWorkflows.adminsOnly)
        return p
    }

    /// The subscription named in the path, of the person's own organization (404 otherwise, also for
    /// another organization's id), then the admin check (403): `WebhookWorkflows.subscription`.
    static func subscription(_ req: Request) async throws -> (Principal, WebhookSubscription) {
        let p = try await req.principal()
        let id = try req.id("webhook_id", "webhook")
        return (p, try await req.workflows.webhooks.subscription(id, by: p))
    }
}
