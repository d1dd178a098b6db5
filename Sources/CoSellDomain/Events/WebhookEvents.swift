import Foundation

/// The kinds of event cosell sends to other tools over webhooks.
public enum WebhookEventKind: String, Codable, Sendable, CaseIterable {
    case dealCreated = "deal.created"
    case dealStageAdvanced = "deal.stage_advanced"
    case dealGateRefused = "deal.gate_refused"
    case dealGateOverridden = "deal.gate_overridden"
    case dealStalled = "deal.stalled"
    case dealRegistered = "deal.registered"
    case dealClosed = "deal.closed"
    case dealReviewed = "deal.reviewed"
    case reviewWeeklyReady = "review.weekly_ready"
    /// An action of the deal's gate started waiting on people of the subscribing organization.
    case dealActionWaiting = "deal.action_waiting"
    /// An approval given by a person of the subscribing organization was reset by a later change.
    case dealApprovalReset = "deal.approval_reset"
    /// An action waiting on people of the subscribing organization is past its due date (from the
    /// worker's sweep, once per action and due date).
    case dealActionOverdue = "deal.action_overdue"

    /// The event a timeline entry raises, if any. `gate_refused` and `stalled` are not saved on the
    /// timeline: the API raises the first when it refuses an advance, the worker's sweep the second.
    public static func raised(byChangeKind kind: String) -> WebhookEventKind? {
        switch kind {
        case "deal_opened": return .dealCreated
        case "stage_advanced": return .dealStageAdvanced
        case "gate_refused": return .dealGateRefused
        case "gate_overridden": return .dealGateOverridden
        case "stalled": return .dealStalled
        case "registered", "registration_amended": return .dealRegistered
        case "outcome_logged", "outcome_amended", "abandoned", "ended_by_partnership": return .dealClosed
        case "review_recorded": return .dealReviewed
        default: return nil
        }
    }
}

/// How a subscription wants its events written.
public enum WebhookFormat: String, Codable, Sendable, CaseIterable {
    /// The signed JSON payload described in docs/webhooks.md.
    case json
    /// `{"text": "..."}` for a Slack incoming webhook.
    case slack
}

/// The headline of a deal, as a webhook payload carries it.
public struct WebhookDeal: Codable, Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var accountName: String
    public var partnershipID: UUID
    public var stage: String
    public var status: DealStatus
    public var amount: Money?

    public init(_ deal: Deal, stageKey: String) {
        id = deal.id
        title = deal.title
        accountName = deal.accountName
        partnershipID = deal.partnershipID
        stage = stageKey
        status = deal.status
        amount = deal.amount
    }
}

public struct WebhookPartnership: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String

    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// One event as it is sent to one organization's subscriptions.
public struct WebhookPayload: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: WebhookEventKind
    public var occurredAt: Date
    public var organizationID: UUID
    /// The sentence the timeline shows for the change.
    public var summary: String
    public var deal: WebhookDeal?
    public var partnership: WebhookPartnership?
    /// For `review.weekly_ready`: the ISO week, `2026-W48`.
    public var week: String?
    /// Paths on the cosell server: `deal` (the HTML page), `api` (the JSON), `review` (weekly).
    public var links: [String: String]

    public init(
        id: UUID, kind: WebhookEventKind, occurredAt: Date, organizationID: UUID, summary: String,
        deal: WebhookDeal? = nil, partnership: WebhookPartnership? = nil, week: String? = nil,
        links: [String: String]
    ) {
        self.id = id
        self.kind = kind
        self.occurredAt = occurredAt
        self.organizationID = organizationID
        self.summary = summary
        self.deal = deal
        self.partnership = partnership
        self.week = week
        self.links = links
    }

    /// The one line a Slack channel shows. Every part is escaped as Slack asks (`&`, `<`, `>`), so
    /// that a title such as `<!channel>` or `<https://…|Action required>` is shown as typed, never
    /// as a mention or a link.
    public var slackText: String {
        let link = links["deal"] ?? links["review"] ?? ""
        var line: String
        switch kind {
        case .reviewWeeklyReady:
            line = "Weekly co-sell deal review \(week ?? "") is ready for \(partnership?.name ?? "the partnership")"
        default:
            let d = deal
            line = "[\(kind.rawValue)] \(d?.title ?? "a deal")"
            if let d {
                line += " (\(d.accountName), stage \(d.stage), \(d.status.rawValue)"
                if let a = d.amount { line += ", \(a.readable)" }
                line += ")"
            }
            line += ": \(summary)"
        }
        return Self.slackEscaped(link.isEmpty ? line : "\(line) \(link)")
    }

    /// Text with Slack's three control characters written as entities.
    public static func slackEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Pure rules for events: which changes raise which events, for whom, and how they are written.
public enum WebhookEvents {
    /// The events a saved change raises: one per organization of the deal and per event-raising entry.
    /// The event id is shared by the two organizations' copies of one occurrence.
    public static func events(
        deal: Deal, stageKey: String, changes: [DealChange], at: Date, makeID: () -> UUID = { UUID() }
    ) -> [WebhookPayload] {
        var out: [WebhookPayload] = []
        for change in changes {
            guard let kind = WebhookEventKind.raised(byChangeKind: change.kind) else { continue }
            let id = makeID()
            for org in [deal.hostOrganizationID, deal.partnerOrganizationID] {
                out.append(
                    WebhookPayload(
                        id: id, kind: kind, occurredAt: at, organizationID: org, summary: change.summary,
                        deal: WebhookDeal(deal, stageKey: stageKey), links: dealLinks(deal.id)))
            }
        }
        return out
    }

    /// What the mail notes of a change tell, for other tools (Slack): one event per organization and
    /// thing told, naming the organization's people it concerns. Each organization hears only of its
    /// own people.
    public static func events(
        notes: [MailNote], deal: Deal, stageKey: String, people: [Person], at: Date, makeID: () -> UUID = { UUID() }
    ) -> [WebhookPayload] {
        var groups: [(kind: WebhookEventKind, org: UUID, subject: String, names: [String])] = []
        for n in notes {
            let kind: WebhookEventKind
            switch n.kind {
            case .actionWaiting: kind = .dealActionWaiting
            case .approvalReset: kind = .dealApprovalReset
            case .actionOverdue: kind = .dealActionOverdue
            default: continue
            }
            guard let person = people.first(where: { $0.id == n.personID }) else { continue }
            if let i = groups.firstIndex(where: {
                $0.kind == kind && $0.org == person.organizationID && $0.subject == n.subject
            }) {
                groups[i].names.append(person.name)
            } else {
                groups.append((kind, person.organizationID, n.subject, [person.name]))
            }
        }
        return groups.map { g in
            WebhookPayload(
                id: makeID(), kind: g.kind, occurredAt: at, organizationID: g.org,
                summary: g.subject + (g.kind == .dealApprovalReset ? " (" : " (waits on ")
                    + g.names.joined(separator: ", ") + ")",
                deal: WebhookDeal(deal, stageKey: stageKey), links: dealLinks(deal.id))
        }
    }

    public static func dealLinks(_ id: UUID) -> [String: String] {
        ["deal": "/deals/\(id.uuidString)", "api": "/api/v1/deals/\(id.uuidString)"]
    }

    /// `review.weekly_ready` for both organizations of a partnership, for the ISO week holding `at`.
    public static func weeklyReviewReady(
        partnership: Partnership, at: Date, id: UUID
    ) -> [WebhookPayload] {
        let week = ISOWeek(containing: at).description
        return partnership.organizationIDs.map { org in
            WebhookPayload(
                id: id, kind: .reviewWeeklyReady, occurredAt: at, organizationID: org,
                summary: "The weekly co-sell deal review of \(partnership.name) for \(week) is ready.",
                partnership: WebhookPartnership(id: partnership.id, name: partnership.name), week: week,
                links: ["review": "/api/v1/partnerships/\(partnership.id.uuidString)/reviews/\(week)"])
        }
    }

    /// The key that makes a stall emitted once per episode: a deal's saved version changes whenever
    /// the deal moves, so a new stall after any change is a new episode.
    public static func stallKey(deal: Deal) -> String { stallKey(dealID: deal.id, version: deal.version) }

    public static func stallKey(dealID: UUID, version: Int) -> String {
        "deal.stalled:\(dealID.uuidString):v\(version)"
    }

    public static func weeklyKey(partnershipID: UUID, at: Date) -> String {
        "review.weekly_ready:\(partnershipID.uuidString):\(ISOWeek(containing: at))"
    }

    /// The summary sentence of a stall, from the pure stall report.
    public static func stallSummary(_ report: StallReport) -> String {
        "The deal is stalled: " + report.signals.map(\.explanation).joined(separator: " ")
    }

    /// The body sent for `payload` in `format`.
    public static func body(_ payload: WebhookPayload, format: WebhookFormat) -> String {
        switch format {
        case .json:
            return encode(payload)
        case .slack:
            return encode(["text": payload.slackText])
        }
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .custom { path in SnakeKey(path.last!.stringValue) }
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        // Every value here encodes: plain strings, numbers, dates and ids.
        return String(decoding: (try? e.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The wait before the next attempt after `attempts` failed attempts (30 s, 2 min, 10 min, 1 h,
    /// 6 h, then 6 h), or nil once `attempts` reached `maxAttempts`: the delivery has failed.
    public static func retryDelay(afterAttempts attempts: Int, maxAttempts: Int) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        let schedule: [TimeInterval] = [30, 120, 600, 3_600, 21_600]
        return schedule[min(max(attempts, 1), schedule.count) - 1]
    }

    public static let defaultMaxAttempts = 8
}

/// `organizationID` -> `organization_id`: the keys of webhook bodies, as the API writes its own.
struct SnakeKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ camel: String) {
        var out = ""
        let chars = Array(camel.replacingOccurrences(of: "ID", with: "Id"))
        for ch in chars {
            if ch.isUppercase {
                if !out.isEmpty { out += "_" }
                out += ch.lowercased()
            } else {
                out.append(ch)
            }
        }
        stringValue = out
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Why a subscription's settings were refused, naming the field.
public struct WebhookSettingsError: Error, Equatable, Sendable {
    public var field: String
    public var message: String
}

/// The rules for a subscription's target and events.
public enum WebhookSettings {
    /// An https URL, or http to this machine only (127.0.0.1, localhost, [::1]) for local receivers.
    /// A subscription URL: absolute `https://` (plain `http://` only to this machine, for development
    /// and tests), no user name or password, and, unless `allowPrivate`, a host that is not a literal
    /// loopback, private, link-local, unique-local or otherwise non-public address, nor `localhost`.
    /// Names are checked again, by the addresses they resolve to, when a delivery is sent.
    public static func checkURL(_ text: String, allowPrivate: Bool = false) throws(WebhookSettingsError) -> URL {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.count <= 2_000, let url = URL(string: t), let scheme = url.scheme?.lowercased(),
            let host = url.host?.lowercased(), !host.isEmpty
        else {
            throw WebhookSettingsError(
                field: "url", message: "url must be an absolute http(s) URL of at most 2000 characters.")
        }
        guard url.user == nil, url.password == nil else {
            throw WebhookSettingsError(field: "url", message: "url must not carry a user name or password.")
        }
        guard scheme == "https" || scheme == "http" else {
            throw WebhookSettingsError(field: "url", message: "url must use https.")
        }
        let kind = WebhookAddress.privateKind(ofHost: host)
        if let kind, !allowPrivate {
            throw WebhookSettingsError(
                field: "url",
                message:
                    "url must not point at \(kind) (\(host)): cosell sends webhooks only to receivers with a public address."
            )
        }
        if scheme == "http" {
            let loopback = kind == "a loopback address" || kind == "this machine (localhost)"
            guard loopback else {
                throw WebhookSettingsError(
                    field: "url", message: "url must use https (plain http is only allowed to this machine).")
            }
        }
        return url
    }

    /// A non-empty list of known event kinds, without repeats, in the order of `WebhookEventKind.allCases`.
    public static func checkEvents(_ names: [String]) throws(WebhookSettingsError) -> [WebhookEventKind] {
        guard !names.isEmpty else {
            throw WebhookSettingsError(field: "events", message: "Subscribe to at least one event kind.")
        }
        var kinds = Set<WebhookEventKind>()
        for (i, n) in names.enumerated() {
            guard let k = WebhookEventKind(rawValue: n) else {
                throw WebhookSettingsError(
                    field: "events[\(i)]",
                    message:
                        "\"\(n)\" is not an event kind; use one of: \(WebhookEventKind.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            kinds.insert(k)
        }
        return WebhookEventKind.allCases.filter(kinds.contains)
    }
}
