/// A reply from an SMTP server: a three-digit code and one or more lines of text (RFC 5321 4.2).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, e.g. 250, 451 or 550.
    public let code: Int
    /// The text of each line, without the code and its separator (` ` or `-`) and without CRLF.
    public let lines: [String]

    /// Makes a reply.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines' text joined with newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// 2xx: the command was accepted.
    public var isSuccess: Bool { (200..<300).contains(code) }
    /// 4xx: a transient failure; the same command may succeed later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5xx: a permanent failure; the same command will fail again.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// `550 5.1.1 no such user` (lines after the first joined with ` / `).
    public var description: String {
        lines.isEmpty ? "\(code)" : "\(code) \(lines.joined(separator: " / "))"
    }
}

/// Why ``SMTPClient/send(_:using:)`` failed, and whether to try again later.
///
/// ``disposition`` (also ``isTransient``) is what an outbox worker should act on:
/// - **transient**: keep the message and retry later. Network failures (connection refused, DNS, reset), timeouts,
///   TLS failures, a connection closed early, malformed replies, 4xx replies, and problems of the server or of the
///   configuration that retrying after a fix would cure: STARTTLS required but not offered, credentials that would
///   have to go out in plain text, no usable AUTH mechanism, and **any** failed `AUTH` — even a 5xx such as
///   `535 bad credentials`, like Postfix's default `smtp_sasl_auth_soft_bounce = yes`: wrong credentials are the
///   sender's configuration, and bouncing every queued message for them would lose mail.
/// - **permanent**: give up on this message. 5xx replies to the greeting, EHLO/HELO, MAIL FROM, RCPT TO, DATA and
///   the end of data (e.g. `550 5.1.1 unknown recipient`), and a message that cannot be rendered.
///
/// When any recipient is refused the whole message fails (before `DATA`, so nobody received it) with
/// ``Reason/recipientRejected(recipient:reply:)`` naming the first refused recipient; its reply's code decides the
/// disposition.
///
/// A transient failure after the final `.` was sent but before the server's reply (a timeout or a dropped
/// connection) may mean the server did accept the message: retrying can then deliver it twice. SMTP cannot tell.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether retrying later can succeed.
    public enum Disposition: Sendable, Hashable {
        /// Retry later: the failure may go away (4xx replies, network, timeouts, configuration).
        case transient
        /// Do not retry this message: the server refused it for good (5xx replies), or it is invalid.
        case permanent
    }

    /// What happened, in detail.
    public enum Reason: Sendable, Hashable {
        /// The message cannot be rendered (permanent).
        case invalidMessage(MailMessageError)
        /// The TCP connection could not be made: refused, unreachable, unknown host (transient).
        case connectionFailed(host: String, port: Int, details: String)
        /// No answer in time during `stage` (`connect`, `greeting`, `RCPT TO`, ...); see
        /// ``SMTPConfiguration/connectTimeout`` and ``SMTPConfiguration/replyTimeout`` (transient).
        case timedOut(stage: String)
        /// The server closed the connection, or it broke, during `stage` (transient).
        case connectionClosed(stage: String, details: String)
        /// The TLS handshake failed, e.g. an untrusted or expired certificate (transient).
        case tlsFailed(details: String)
        /// The configuration requires STARTTLS but the server does not offer it (transient).
        case startTLSUnavailable
        /// Credentials are configured but the connection is not encrypted, and the configuration does not allow
        /// plain-text authentication (transient). Nothing secret was sent.
        case plaintextAuthenticationRefused
        /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN (transient).
        case authenticationUnavailable(offered: [String])
        /// The server refused the credentials (transient whatever the code; see the type's discussion).
        case authenticationFailed(SMTPReply)
        /// A recipient was refused by `RCPT TO` (4xx transient, 5xx permanent).
        case recipientRejected(recipient: String, reply: SMTPReply)
        /// The server refused `command` (`greeting`, `EHLO`, `MAIL FROM`, `DATA`, `end of data`, ...)
        /// (4xx transient, 5xx permanent).
        case rejected(command: String, reply: SMTPReply)
        /// The server broke the protocol: a malformed reply, or data where none may be (transient).
        case protocolViolation(String)
        /// The task sending the message was cancelled (transient).
        case cancelled
    }

    /// What happened.
    public let reason: Reason

    /// Makes an error for `reason`.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// Whether to retry later or give up; see the type's discussion.
    public var disposition: Disposition {
        switch reason {
        case .invalidMessage:
            return .permanent
        case .recipientRejected(_, let reply), .rejected(_, let reply):
            return reply.isPermanentFailure ? .permanent : .transient
        case .connectionFailed, .timedOut, .connectionClosed, .tlsFailed, .startTLSUnavailable,
            .plaintextAuthenticationRefused, .authenticationUnavailable, .authenticationFailed, .protocolViolation,
            .cancelled:
            return .transient
        }
    }

    /// `disposition == .transient`.
    public var isTransient: Bool { disposition == .transient }

    /// The server's reply behind the failure, when there is one (its ``SMTPReply/code`` and ``SMTPReply/text``).
    public var reply: SMTPReply? {
        switch reason {
        case .authenticationFailed(let reply), .recipientRejected(_, let reply), .rejected(_, let reply):
            return reply
        default:
            return nil
        }
    }

    /// A sentence for logs, starting with `transient:` or `permanent:`.
    public var description: String {
        let what: String
        switch reason {
        case .invalidMessage(let error):
            what = "invalid message: \(error)"
        case .connectionFailed(let host, let port, let details):
            what = "could not connect to \(host):\(port): \(details)"
        case .timedOut(let stage):
            what = "timed out during \(stage)"
        case .connectionClosed(let stage, let details):
            what = "the connection closed during \(stage): \(details)"
        case .tlsFailed(let details):
            what = "TLS failed: \(details)"
        case .startTLSUnavailable:
            what = "STARTTLS is required by the configuration but the server does not offer it"
        case .plaintextAuthenticationRefused:
            what =
                "credentials are configured but the connection is not encrypted; "
                + "add plaintext_auth=allow to COSELL_SMTP_URL to send them anyway"
        case .authenticationUnavailable(let offered):
            what =
                "credentials are configured but the server offers no supported AUTH mechanism (offered: "
                + (offered.isEmpty ? "none" : offered.joined(separator: " ")) + ")"
        case .authenticationFailed(let reply):
            what = "authentication failed: \(reply)"
        case .recipientRejected(let recipient, let reply):
            what = "the recipient \(recipient) was refused: \(reply)"
        case .rejected(let command, let reply):
            what = "\(command) was refused: \(reply)"
        case .protocolViolation(let details):
            what = "protocol violation: \(details)"
        case .cancelled:
            what = "cancelled"
        }
        return "\(disposition == .transient ? "transient" : "permanent"): \(what)"
    }
}
