import Vapor

/// Whether mail is configured: the pages tell admins when it is not, and say where mail comes from.
public struct MailStatus: Sendable, Equatable {
    public var configured: Bool
    /// The sender address, when configured.
    public var sender: String?

    public init(configured: Bool, sender: String? = nil) {
        self.configured = configured
        self.sender = sender
    }
}

extension Application {
    private struct MailStatusKey: StorageKey {
        typealias Value = MailStatus
    }

    /// Set by the composition root; not configured when nobody set it.
    public var mailStatus: MailStatus {
        get { storage[MailStatusKey.self] ?? MailStatus(configured: false) }
        set { storage[MailStatusKey.self] = newValue }
    }
}
