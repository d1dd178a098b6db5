import CoSellMail
import CoSellMatching
import CoSellWeb
import Foundation

/// Where cosell keeps its data.
public enum DatabaseChoice: Sendable, Equatable {
    /// An embedded SQLite file (the default).
    case sqliteFile(String)
    /// An in-memory SQLite database (tests).
    case sqliteMemory
    /// A PostgreSQL server, by URL (`postgres://user@host:port/db?tlsmode=disable`).
    case postgres(String)

    public var kind: String {
        if case .postgres = self { return "postgresql" }
        return "sqlite"
    }

    /// `DATABASE_URL` when set, otherwise the SQLite file at `path`.
    public static func from(environment: [String: String], sqlitePath: String) -> DatabaseChoice {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return .postgres(url) }
        return .sqliteFile(sqlitePath)
    }

    /// The SQLite file every command uses: `--db` when given, else `COSELL_DB`, else `cosell.sqlite`
    /// (in the current folder).
    public static func sqlitePath(
        db: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let db, !db.isEmpty { return db }
        if let env = environment["COSELL_DB"], !env.isEmpty { return env }
        return "cosell.sqlite"
    }
}

/// Everything a cosell process is configured with, built once (from the environment and the command
/// line by `fromEnvironment`, or directly by a test) and handed down: nothing else reads the
/// environment.
public struct CoSellConfig: Sendable {
    public var database: DatabaseChoice
    public var hostname: String
    public var port: Int
    public var loadDemo: Bool
    public var security: SecuritySettings
    /// The webhook worker, started with the server; nil leaves it off (tests start it themselves).
    public var webhookWorker: WebhookWorkerSettings?
    /// How many parsed deal facts the server keeps between requests (`FactsCache`); 0 keeps none.
    public var factsCacheCapacity: Int
    /// Mail through an SMTP server; nil when `COSELL_SMTP_URL` is not set (nothing is sent).
    public var mail: MailSettings?
    /// Whether the server runs the mail worker (tests run rounds themselves).
    public var runsMailWorker: Bool

    public init(
        database: DatabaseChoice, hostname: String = "127.0.0.1", port: Int = 8080, loadDemo: Bool = true,
        security: SecuritySettings = SecuritySettings(), webhookWorker: WebhookWorkerSettings? = nil,
        factsCacheCapacity: Int = 300_000, mail: MailSettings? = nil, runsMailWorker: Bool = false
    ) {
        self.database = database
        self.hostname = hostname
        self.port = port
        self.loadDemo = loadDemo
        self.security = security
        self.webhookWorker = webhookWorker
        self.factsCacheCapacity = factsCacheCapacity
        self.mail = mail
        self.runsMailWorker = runsMailWorker
    }

    /// Every environment variable cosell reads (each is described in `docs/configuration.md`).
    public static let environmentVariables = [
        "DATABASE_URL", "COSELL_DB", "COSELL_FACTS_CACHE", "COSELL_SECURE_COOKIES", "COSELL_TRUST_FORWARDED_FOR",
        "COSELL_WEBHOOK_ALLOW_PRIVATE", "COSELL_WEBHOOK_INTERVAL", "COSELL_WEBHOOK_MAX_ATTEMPTS",
        "COSELL_SMTP_URL", "COSELL_MAIL_FROM", "COSELL_PUBLIC_URL", "COSELL_MAIL_GAP", "COSELL_PHASES",
        "COSELL_HUGEPAGES",
    ]

    /// The configuration from the environment and the command line's values: the one place cosell
    /// reads its environment. A value it cannot use stops the command with a message naming the
    /// variable and the value.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment, sqlitePath: String = "cosell.sqlite",
        hostname: String = "127.0.0.1", port: Int = 8080, loadDemo: Bool = true
    ) throws -> CoSellConfig {
        try applyMatchingSwitches(env)
        return CoSellConfig(
            database: .from(environment: env, sqlitePath: sqlitePath), hostname: hostname, port: port,
            loadDemo: loadDemo, security: try SecuritySettings.fromEnvironment(env),
            webhookWorker: try WebhookWorkerSettings.fromEnvironment(env),
            factsCacheCapacity: try CoSellApp.factsCacheCapacity(env),
            mail: try MailSettings.fromEnvironment(env, hostname: hostname, port: port), runsMailWorker: true)
    }

    /// The mapping engine's profiling switches, `COSELL_PHASES` and `COSELL_HUGEPAGES`, applied to
    /// `MatchingSwitches` (every command that maps or imports calls this before it starts).
    public static func applyMatchingSwitches(_ env: [String: String] = ProcessInfo.processInfo.environment) throws {
        MatchingSwitches.phaseTimes = try flag("COSELL_PHASES", in: env)
        switch env["COSELL_HUGEPAGES"] ?? "" {
        case "": MatchingSwitches.hugePages = .hashTables
        case "0": MatchingSwitches.hugePages = .none
        case "1": MatchingSwitches.hugePages = .all
        case let raw:
            throw CoSellSetupError(
                "COSELL_HUGEPAGES must be 0 (none), 1 (every large buffer) or unset (the hash tables) (got \"\(raw)\")."
            )
        }
    }

    /// A switch: unset, empty or `0` is off, `1` is on.
    static func flag(_ name: String, in env: [String: String]) throws -> Bool {
        switch env[name] ?? "" {
        case "", "0": return false
        case "1": return true
        case let raw: throw CoSellSetupError("\(name) must be 1 (on) or 0 (off) (got \"\(raw)\").")
        }
    }
}

extension CoSellApp {
    /// `COSELL_FACTS_CACHE` (a count of deals' facts, 0 for none), or 300,000 when unset.
    public static func factsCacheCapacity(_ env: [String: String]) throws -> Int {
        guard let raw = env["COSELL_FACTS_CACHE"], !raw.isEmpty else { return 300_000 }
        guard let n = Int(raw), n >= 0 else {
            throw CoSellSetupError("COSELL_FACTS_CACHE must be a whole number of deals, 0 or more (got \"\(raw)\").")
        }
        return n
    }
}

extension SecuritySettings {
    /// `COSELL_SECURE_COOKIES`, `COSELL_TRUST_FORWARDED_FOR` and `COSELL_WEBHOOK_ALLOW_PRIVATE`.
    public static func fromEnvironment(_ env: [String: String]) throws -> SecuritySettings {
        var s = SecuritySettings(secureCookies: try CoSellConfig.flag("COSELL_SECURE_COOKIES", in: env))
        s.trustForwardedFor = try CoSellConfig.flag("COSELL_TRUST_FORWARDED_FOR", in: env)
        s.allowPrivateWebhookAddresses = try CoSellConfig.flag("COSELL_WEBHOOK_ALLOW_PRIVATE", in: env)
        return s
    }
}

extension WebhookWorkerSettings {
    /// `COSELL_WEBHOOK_INTERVAL` (seconds; `0` turns the worker off) and `COSELL_WEBHOOK_MAX_ATTEMPTS`.
    public static func fromEnvironment(_ env: [String: String]) throws -> WebhookWorkerSettings? {
        var s = WebhookWorkerSettings()
        if let raw = env["COSELL_WEBHOOK_INTERVAL"], !raw.isEmpty {
            guard let v = Double(raw), v.isFinite, v >= 0 else {
                throw CoSellSetupError(
                    "COSELL_WEBHOOK_INTERVAL must be a number of seconds, 0 or more (got \"\(raw)\").")
            }
            if v == 0 { return nil }
            s.interval = v
        }
        if let raw = env["COSELL_WEBHOOK_MAX_ATTEMPTS"], !raw.isEmpty {
            guard let v = Int(raw), v > 0 else {
                throw CoSellSetupError(
                    "COSELL_WEBHOOK_MAX_ATTEMPTS must be a whole number, 1 or more (got \"\(raw)\").")
            }
            s.maxAttempts = v
        }
        return s
    }
}

extension MailSettings {
    /// `COSELL_SMTP_URL` and `COSELL_MAIL_FROM` (both, or neither: then nil and nothing is sent), and
    /// `COSELL_PUBLIC_URL`, the address links in mail point at (default `http://HOST:PORT`), and
    /// `COSELL_MAIL_GAP`, the least seconds between two mails to one person (default 180).
    public static func fromEnvironment(_ env: [String: String], hostname: String, port: Int) throws -> MailSettings? {
        let smtp: SMTPConfiguration?
        do {
            smtp = try SMTPConfiguration.fromEnvironment(env)
        } catch {
            throw CoSellSetupError("\(error)")
        }
        guard let smtp else { return nil }
        let base = (env["COSELL_PUBLIC_URL"] ?? "").trimmingCharacters(in: .whitespaces)
        if !base.isEmpty {
            guard let u = URL(string: base), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                throw CoSellSetupError(
                    "COSELL_PUBLIC_URL must be an http or https address such as https://cosell.example.com (got \"\(base)\")."
                )
            }
        }
        var settings = MailSettings(smtp: smtp, publicURL: base.isEmpty ? "http://\(hostname):\(port)" : base)
        if let raw = env["COSELL_MAIL_GAP"], !raw.isEmpty {
            guard let v = Double(raw), v.isFinite, v >= 0 else {
                throw CoSellSetupError("COSELL_MAIL_GAP must be a number of seconds, 0 or more (got \"\(raw)\").")
            }
            settings.gap = v
        }
        return settings
    }
}
