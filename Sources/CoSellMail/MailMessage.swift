import Foundation

/// One extra header of a ``MailMessage``, such as `List-Unsubscribe: <https://example.com/u/1>`.
public struct MailHeader: Sendable, Hashable {
    /// The field name, e.g. `List-Unsubscribe`: printable ASCII without `:` or spaces.
    public var name: String
    /// The field value, unfolded. It must not contain CR or LF; printable ASCII goes out as it is (so structured
    /// values stay valid), anything else as RFC 2047 encoded-words (fit for unstructured fields only).
    public var value: String

    /// Makes a header; it is checked when the message is rendered.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An email to send: addresses, subject, a plain-text body, an optional HTML alternative and extra headers.
///
/// ``render()`` turns it into RFC 5322 bytes ready for SMTP `DATA` (before dot-stuffing, which the client does):
/// - CRLF line endings everywhere, no line longer than 998 octets, 7-bit ASCII only;
/// - non-ASCII subjects and display names as RFC 2047 `=?UTF-8?Q?...?=` encoded-words;
/// - bodies as UTF-8 quoted-printable; with an HTML body the message is `multipart/alternative` (text, then HTML);
/// - header injection is impossible: a CR or LF (or any other control character but tab) in the subject or in an
///   extra header's value is **refused** with ``MailMessageError/lineBreakInHeader(header:)`` or
///   ``MailMessageError/controlCharacterInHeader(header:)``, never stripped; display names are checked by
///   ``MailAddress`` already.
public struct MailMessage: Sendable, Hashable {
    /// The author; also the envelope sender (`MAIL FROM`).
    public var from: MailAddress
    /// The primary recipients (the `To` header); each one gets its own `RCPT TO`.
    public var to: [MailAddress]
    /// Copy recipients (the `Cc` header).
    public var cc: [MailAddress]
    /// Blind-copy recipients: envelope only, never written into the headers.
    public var bcc: [MailAddress]
    /// Where replies should go, when not to ``from``.
    public var replyTo: MailAddress?
    /// The subject, any Unicode text without line breaks.
    public var subject: String
    /// The plain-text body. Line breaks may be LF, CRLF or CR; they are sent as CRLF.
    public var textBody: String
    /// An optional HTML alternative of the body.
    public var htmlBody: String?
    /// Extra headers, written after the standard ones in this order (e.g. `List-Unsubscribe`,
    /// `List-Unsubscribe-Post`). Names the message writes itself (From, To, Cc, Bcc, Reply-To, Subject, Date,
    /// Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding) are refused: set the property instead.
    public var headers: [MailHeader]
    /// The `Date` header's time.
    public var date: Date
    /// The `Message-ID` header, with its angle brackets: `<uuid@domain-of-from>` unless given.
    public var messageID: String

    /// Makes a message. Nothing is checked until ``render()``.
    ///
    /// - Parameters:
    ///   - messageID: defaults to a new `<uuid@domain-of-from>`.
    ///   - date: defaults to now.
    public init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [],
        replyTo: MailAddress? = nil, subject: String, textBody: String, htmlBody: String? = nil,
        headers: [MailHeader] = [], date: Date = Date(), messageID: String? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.headers = headers
        self.date = date
        self.messageID = messageID ?? Self.makeMessageID(domain: from.domain)
    }

    /// A new Message-ID, `<uuid@domain>`.
    public static func makeMessageID(domain: String) -> String {
        "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// Every envelope recipient, To then Cc then Bcc, without duplicates (compared case-insensitively).
    public var recipients: [MailAddress] {
        var seen: Set<String> = []
        return (to + cc + bcc).filter { seen.insert($0.address.lowercased()).inserted }
    }

    /// Header names the message writes itself, lowercased.
    static let reservedHeaderNames: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// The message as RFC 5322 bytes: ASCII, CRLF line endings, ending with CRLF, not dot-stuffed.
    ///
    /// - Throws: ``MailMessageError`` when a header would be unsafe or invalid, or there is no recipient.
    public func render() throws(MailMessageError) -> [UInt8] {
        try render(boundary: "=_cosell_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
    }

    /// ``render()`` with a given multipart boundary (tests use a fixed one).
    func render(boundary: String) throws(MailMessageError) -> [UInt8] {
        guard !recipients.isEmpty else { throw .noRecipients }
        try Self.checkHeaderText(subject, header: "Subject")
        try Self.checkHeaderText(messageID, header: "Message-ID")
        for header in headers {
            let lowered = header.name.lowercased()
            guard !header.name.isEmpty, header.name.utf8.count <= 76,
                header.name.utf8.allSatisfy({ (33...126).contains($0) && $0 != UInt8(ascii: ":") })
            else { throw .invalidHeaderName(header.name) }
            guard !Self.reservedHeaderNames.contains(lowered) else { throw .reservedHeader(header.name) }
            try Self.checkHeaderText(header.value, header: header.name)
        }

        var lines: [String] = []
        func add(_ name: String, _ value: String) throws(MailMessageError) {
            lines.append(try MIMEEncoding.foldedHeader(name: name, value: value))
        }
        try add("Date", MIMEEncoding.rfc5322Date(date))
        try add("From", MIMEEncoding.mailbox(from))
        if let replyTo { try add("Reply-To", MIMEEncoding.mailbox(replyTo)) }
        if !to.isEmpty { try add("To", to.map(MIMEEncoding.mailbox).joined(separator: ", ")) }
        if !cc.isEmpty { try add("Cc", cc.map(MIMEEncoding.mailbox).joined(separator: ", ")) }
        if to.isEmpty && cc.isEmpty { try add("To", "undisclosed-recipients:;") }
        try add("Subject", MIMEEncoding.unstructured(MailAddress.trimmingWhitespace(subject)))
        try add("Message-ID", messageID)
        for header in headers {
            try add(header.name, MIMEEncoding.extraHeaderValue(MailAddress.trimmingWhitespace(header.value)))
        }
        try add("MIME-Version", "1.0")

        let textPart = MIMEEncoding.quotedPrintable(textBody)
        if let htmlBody {
            try add("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            lines.append("--\(boundary)")
            lines.append("Content-Type: text/plain; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(textPart)
            lines.append("--\(boundary)")
            lines.append("Content-Type: text/html; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(MIMEEncoding.quotedPrintable(htmlBody))
            lines.append("--\(boundary)--")
        } else {
            try add("Content-Type", "text/plain; charset=utf-8")
            try add("Content-Transfer-Encoding", "quoted-printable")
            lines.append("")
            lines.append(textPart)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Refuses line breaks and other control characters (tab excepted) in a header's text.
    static func checkHeaderText(_ text: String, header: String) throws(MailMessageError) {
        for scalar in text.unicodeScalars {
            if scalar == "\r" || scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                throw .lineBreakInHeader(header: header)
            }
            if scalar != "\t" && MailAddress.isControl(scalar) { throw .controlCharacterInHeader(header: header) }
        }
    }
}

/// Why a ``MailMessage`` cannot be rendered. Every case is a fault of the message: sending it again as it is would
/// fail again.
public enum MailMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header's text contains CR, LF or another line separator: refused, since it could inject headers.
    case lineBreakInHeader(header: String)
    /// The header's text contains a control character other than tab.
    case controlCharacterInHeader(header: String)
    /// An extra header's name is empty, too long, or has characters other than printable ASCII without `:`.
    case invalidHeaderName(String)
    /// An extra header that the message writes itself (use the property instead).
    case reservedHeader(String)
    /// The header has a run without whitespace too long to fold within 998 characters.
    case headerLineTooLong(header: String)
    /// No recipient in `to`, `cc` or `bcc`.
    case noRecipients

    /// A sentence naming the header and the problem.
    public var description: String {
        switch self {
        case .lineBreakInHeader(let header):
            return "the \(header) header contains a line break (CR or LF); refused to prevent header injection"
        case .controlCharacterInHeader(let header):
            return "the \(header) header contains a control character"
        case .invalidHeaderName(let name):
            return "'\(name)' is not a valid header name"
        case .reservedHeader(let name):
            return "the \(name) header is written by the message itself; set the property instead"
        case .headerLineTooLong(let header):
            return "the \(header) header has a word too long for a 998-character line"
        case .noRecipients:
            return "the message has no recipient"
        }
    }
}
