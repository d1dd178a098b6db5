import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// How the webhook worker runs.
public struct WebhookWorkerSettings: Sendable, Equatable {
    /// Seconds between two rounds when there is nothing to send.
    public var interval: TimeInterval
    /// Seconds between two sweeps for stalls and weekly reviews.
    public var sweepInterval: TimeInterval
    /// Deliveries claimed per round.
    public var batchSize: Int
    /// Seconds a claim holds; after that another worker may take the delivery again.
    public var lease: TimeInterval
    /// Seconds to wait for a receiver's answer.
    public var sendTimeout: Int64
    /// Attempts before a delivery is marked failed.
    public var maxAttempts: Int

    public init(
        interval: TimeInterval = 5, sweepInterval: TimeInterval = 60, batchSize: Int = 20, lease: TimeInterval = 120,
        sendTimeout: Int64 = 10, maxAttempts: Int = WebhookEvents.defaultMaxAttempts
    ) {
        self.interval = interval
        self.sweepInterval = sweepInterval
        self.batchSize = batchSize
        self.lease = lease
        self.sendTimeout = sendTimeout
        self.maxAttempts = maxAttempts
    }
}

/// Sends queued webhook deliveries and raises the events that come from time passing. Any number of
/// instances may run against one database: claims are atomic, emissions have unique keys.
public enum WebhookWorker {
    /// One round: claims due deliveries, sends them (concurrently), records each result. Returns how
    /// many were claimed.
    @discardableResult
    public static func deliverDue(
        _ app: Application, settings: WebhookWorkerSettings = .init(), now: Date = Date(),
        workerID: String = "worker-\(UUID().uuidString.prefix(8))"
    ) async throws -> Int {
        let store = CoSellStore(db: app.backgroundDatabase)
        let token = "\(workerID):\(UUID().uuidString)"
        let claimed = try await store.claimDueDeliveries(
            token: token, now: now, lease: settings.lease, limit: settings.batchSize)
        guard !claimed.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            for d in claimed {
                group.addTask {
                    let (code, error, refused) = await send(d, app: app, now: now, timeout: settings.sendTimeout)
                    let success = code.map { (200..<300).contains($0) } ?? false
                    // A refused address fails at once: retrying would only refuse it again (fix the URL
                    // or the name's records, then redeliver).
                    let retry =
                        success || refused
                        ? nil : WebhookEvents.retryDelay(afterAttempts: d.attempts, maxAttempts: settings.maxAttempts)
                    do {
                        try await store.finishDelivery(
                            d, now: now, success: success, statusCode: code,
                            error: success ? nil : (error ?? "HTTP \(code ?? 0)"), retryAfter: retry)
                    } catch {
                        app.logger.error("Could not record webhook delivery \(d.id): \(error)")
                    }
                }
            }
        }
        return claimed.count
    }

    /// Sends one delivery; answers the status code, or an error in words when there was no answer,
    /// and whether the address was refused (never sent).
    static func send(
        _ d: ClaimedDelivery, app: Application, now: Date, timeout: Int64
    ) async -> (Int?, String?, refused: Bool) {
        let uri = URI(string: d.url)
        if !app.security.allowPrivateWebhookAddresses {
            guard let host = uri.host, !host.isEmpty else { return (nil, "The URL has no host.", true) }
            do {
                if let reason = try await refusedAddress(host: host, pool: app.threadPool) {
                    app.logger.warning(
                        "Webhook delivery \(d.id) to \(host) refused: \(reason)",
                        metadata: ["delivery": .string(d.id.uuidString)])
                    return (nil, "Refused: \(reason)", true)
                }
            } catch {
                return (nil, "Could not resolve \(host): \(error)", false)
            }
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .userAgent, value: "cosell-webhooks/\(API.version)")
        headers.replaceOrAdd(name: WebhookSignature.eventHeader, value: d.eventKind)
        headers.replaceOrAdd(name: WebhookSignature.deliveryHeader, value: d.id.uuidString)
        if d.format == .json {
            headers.replaceOrAdd(
                name: WebhookSignature.header,
                value: WebhookSignature.value(secret: d.secret, timestamp: Int(now.timeIntervalSince1970), body: d.body)
            )
        }
        do {
            let res = try await app.client.post(uri, headers: headers) { req in
                req.body = ByteBuffer(string: d.body)
                req.timeout = .seconds(timeout)
            }
            return (Int(res.status.code), nil, false)
        } catch {
            return (nil, String(describing: error), false)
        }
    }

    /// Why a delivery to `host` is refused, or nil: the host is a literal non-public address or
    /// `localhost`, or a name that resolves (now, with the system resolver) to one. The subscription
    /// was checked when it was saved; this catches names whose records point inside (the HTTP client
    /// resolves the name again when it connects, so a name whose records change between the two
    /// lookups is not caught, and redirects are not followed).
    static func refusedAddress(
        host: String, pool: NIOThreadPool, resolver: @escaping @Sendable (String) throws -> [[UInt8]] = resolve
    ) async throws -> String? {
        if let kind = WebhookAddress.privateKind(ofHost: host) { return "\(host) is \(kind)." }
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = try await pool.runIfActive { try resolver(name) }
        for a in addresses {
            let kind = a.count == 4 ? WebhookAddress.privateKind(ofIPv4: a) : WebhookAddress.privateKind(ofIPv6: a)
            if let kind { return "\(host) resolves to \(text(of: a)), \(kind)." }
        }
        return nil
    }

    struct ResolveError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every address `name` resolves to (IPv4 as 4 bytes, IPv6 as 16), with the system resolver.
    static func resolve(_ name: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(name, nil, &hints, &list)
        guard rc == 0 else { throw ResolveError(description: String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(list) }
        var out: [[UInt8]] = []
        var cur = list
        while let info = cur {
            if let sa = info.pointee.ai_addr {
                switch Int32(sa.pointee.sa_family) {
                case AF_INET:
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        var addr = $0.pointee.sin_addr
                        out.append(withUnsafeBytes(of: &addr) { Array($0) })
                    }
                case AF_INET6:
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        var addr = $0.pointee.sin6_addr
                        out.append(withUnsafeBytes(of: &addr) { Array($0) })
                    }
                default: break
                }
            }
            cur = info.pointee.ai_next
        }
        guard !out.isEmpty else { throw ResolveError(description: "no address") }
        return out
    }

    static func text(of a: [UInt8]) -> String {
        if a.count == 4 { return a.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(a[$0]) << 8 | UInt16(a[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// Raises `deal.stalled` for every stalled deal once per stall episode, and `review.weekly_ready`
    /// once per partnership per ISO week. Returns the number of deliveries queued.
    @discardableResult
    public static func sweep(_ app: Application, now: Date = Date()) async throws -> Int {
        let store = CoSellStore(db: app.backgroundDatabase)
        var queued = 0
        let wanted = Set(
            try await store.activeWebhookEventKinds())
        if wanted.contains(.dealStalled) {
            // The stall rules run on each deal's stored facts; only a stalled deal not yet announced
            // in this version is read whole, for the event's body.
            var playbooks: [PlaybookVersion: Playbook] = [:]
            for facts in try await store.factsInPlay() {
                let key = facts.playbookVersionKey
                if playbooks[key] == nil {
                    playbooks[key] = try await store.playbook(facts.playbookID, version: facts.playbookVersion)
                }
                guard let playbook = playbooks[key], playbook.stages.indices.contains(facts.stageIndex) else {
                    continue
                }
                let report = DealDiagnostics.stall(of: facts, playbook: playbook, now: now)
                guard report.stalled else { continue }
                let change = DealChange(
                    kind: "stalled", summary: WebhookEvents.stallSummary(report), before: nil, after: nil)
                queued += try await store.emitOnce(
                    key: WebhookEvents.stallKey(dealID: facts.id, version: facts.version), dealID: facts.id, at: now
                ) { s in
                    guard let deal = try await s.deal(facts.id), deal.version == facts.version else { return [] }
                    return WebhookEvents.events(
                        deal: deal, stageKey: playbook.stages[deal.stageIndex].key, changes: [change], at: now)
                }
            }
        }
        if wanted.contains(.reviewWeeklyReady) {
            for partnership in try await store.activePartnerships() {
                queued += try await store.emitOnce(
                    key: WebhookEvents.weeklyKey(partnershipID: partnership.id, at: now), dealID: nil, at: now
                ) { _ in
                    WebhookEvents.weeklyReviewReady(partnership: partnership, at: now, id: UUID())
                }
            }
        }
        return queued
    }

    /// Starts the loop: sweep now and then every `sweepInterval`, send until nothing is due, sleep.
    public static func start(_ app: Application, settings: WebhookWorkerSettings) -> WebhookWorkerHandle {
        let workerID = "worker-\(UUID().uuidString.prefix(8))"
        let task = Task {
            var lastSweep = Date.distantPast
            while !Task.isCancelled {
                do {
                    if Date().timeIntervalSince(lastSweep) >= settings.sweepInterval {
                        lastSweep = Date()
                        try await sweep(app, now: lastSweep)
                    }
                    while !Task.isCancelled,
                        try await deliverDue(app, settings: settings, now: Date(), workerID: workerID)
                            >= settings.batchSize
                    {}
                } catch  where isSQLiteWriteConflict(error) {
                    // SQLite's writer is taken for longer than the busy timeout (an import writing its
                    // accounts): nothing is lost, a later round tries again.
                    app.logger.notice("Webhook worker round put off: the database's writer is busy (\(error))")
                } catch {
                    app.logger.error("Webhook worker round failed: \(error)")
                }
                try? await Task.sleep(nanoseconds: UInt64(settings.interval * 1_000_000_000))
            }
        }
        return WebhookWorkerHandle(task: task)
    }
}

/// A running worker loop.
public struct WebhookWorkerHandle: Sendable {
    let task: Task<Void, Never>

    /// Stops the loop and waits for the round in progress to end.
    public func stop() async {
        task.cancel()
        await task.value
    }
}

/// Runs the worker while the server runs.
final class WebhookWorkerLifecycle: LifecycleHandler {
    let settings: WebhookWorkerSettings
    let handle = NIOLockedValueBox<WebhookWorkerHandle?>(nil)

    init(settings: WebhookWorkerSettings) { self.settings = settings }

    func didBoot(_ application: Application) throws {
        let h = WebhookWorker.start(application, settings: settings)
        handle.withLockedValue { $0 = h }
    }

    func shutdown(_ application: Application) {
        handle.withLockedValue { $0 }?.task.cancel()
    }

    func shutdownAsync(_ application: Application) async {
        await handle.withLockedValue { $0 }?.stop()
    }
}
