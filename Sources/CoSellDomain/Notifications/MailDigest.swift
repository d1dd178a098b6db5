import Foundation

/// One mail to one person, gathered from the notes queued for them: one note reads as itself,
/// several as a list. Every link is absolute; every mail says how to change preferences and how
/// to stop all mail.
public struct MailDigest: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String

    /// Builds the mail. `baseURL` is the server's public address (no trailing slash).
    public static func compose(
        _ notes: [MailNote], to person: Person, baseURL: String, unsubscribePath: String
    ) -> MailDigest {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let sorted = notes.sorted { ($0.kind.order, $0.subject) < ($1.kind.order, $1.subject) }
        let subject =
            sorted.count == 1
            ? sorted[0].subject
            : "\(sorted.count) things in cosell: " + sorted.prefix(2).map(\.subject).joined(separator: "; ")
                + (sorted.count > 2 ? "; …" : "")
        let firstName = person.name.split(separator: " ").first.map(String.init) ?? person.name
        var text = "Hello \(firstName),\n\n"
        for n in sorted {
            text += "* \(n.subject)\n  \(n.body)\n  \(base)\(n.path)\n\n"
        }
        text +=
            "--\nYou get this mail from cosell. Choose what you are told: \(base)/settings/notifications\nStop all mail from cosell: \(base)\(unsubscribePath)\n"
        var html =
            "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1b1f24\"><p>Hello \(escape(firstName)),</p><ul>"
        for n in sorted {
            html +=
                "<li style=\"margin:0 0 12px\"><a href=\"\(escape(base + n.path))\"><strong>\(escape(n.subject))</strong></a><br>\(escape(n.body))</li>"
        }
        html +=
            "</ul><p style=\"color:#4f5661;font-size:13px\">You get this mail from cosell. <a href=\"\(escape(base))/settings/notifications\">Choose what you are told</a> · <a href=\"\(escape(base + unsubscribePath))\">Stop all mail from cosell</a></p></body></html>"
        return MailDigest(subject: String(subject.prefix(200)), text: text, html: html)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension NotificationKind {
    /// The order notes are listed in a mail: what blocks first.
    var order: Int {
        switch self {
        case .actionOverdue: return 0
        case .gateRefused: return 1
        case .approvalReset: return 2
        case .actionWaiting: return 3
        case .weeklyDigest: return 4
        }
    }
}

/// What a person chose to be told.
public struct NotificationPreferences: Codable, Sendable, Equatable {
    /// Kinds switched off.
    public var off: Set<NotificationKind>
    /// Only the weekly digest.
    public var digestOnly: Bool
    /// No mail at all (the unsubscribe link).
    public var unsubscribed: Bool

    public init(off: Set<NotificationKind> = [], digestOnly: Bool = false, unsubscribed: Bool = false) {
        self.off = off
        self.digestOnly = digestOnly
        self.unsubscribed = unsubscribed
    }

    public func wants(_ kind: NotificationKind) -> Bool {
        if unsubscribed || off.contains(kind) { return false }
        return !digestOnly || kind == .weeklyDigest
    }
}
