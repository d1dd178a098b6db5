import CoSellWorkflows
import Foundation
import Vapor

/// Security settings of the running server.
public struct SecuritySettings: Sendable {
    /// bcrypt cost for new password hashes (12 in production; tests use less).
    public var bcryptCost: Int
    /// Mark the session cookie `Secure` (set when cosell is served over HTTPS).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// Failed sign-ins allowed per account and per address in `failureWindow`.
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerAddress: Int
    public var failureWindow: TimeInterval
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    public var trustForwardedFor = false
    /// Let webhooks go to loopback, private, link-local and unique-local addresses (and plain http to
    /// this machine): off in production, on in the tests, whose receiver listens on 127.0.0.1.
    public var allowPrivateWebhookAddresses = false
    /// Threads that hash and check passwords (`PasswordHashPool`): half the cores, at least one.
    public var hashingThreads = max(1, System.coreCount / 2)
    /// Password checks that may wait for a hashing thread; past that a sign-in is answered 503.
    public var maxWaitingHashes = 16

    public init(
        bcryptCost: Int = 12, secureCookies: Bool = false, sessionLifetime: TimeInterval = 14 * 86_400,
        maxFailuresPerAccount: Int = 5, maxFailuresPerAddress: Int = 20, failureWindow: TimeInterval = 15 * 60
    ) {
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.failureWindow = failureWindow
    }

    public static let minimumPasswordLength = SecurityWorkflows.minimumPasswordLength
    public static let sessionCookie = "cosell_session"
}

struct SecuritySettingsKey: StorageKey { typealias Value = SecuritySettings }

extension Application {
    public var security: SecuritySettings {
        get { storage[SecuritySettingsKey.self] ?? SecuritySettings() }
        set { storage[SecuritySettingsKey.self] = newValue }
    }
}
