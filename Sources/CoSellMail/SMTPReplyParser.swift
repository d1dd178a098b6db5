import NIOCore

/// Splits the bytes a server sends into replies, multi-line ones included (`250-first`, `250-second`, `250 last`).
///
/// Lines end with CRLF (a lone LF is tolerated). A reply line must start with three digits, the first 2 to 5, then a
/// space, a hyphen (more lines follow) or the end of the line; every line of a reply must carry the same code.
struct SMTPReplyParser {
    /// A line longer than this is a protocol violation (RFC 5321 allows 512 octets; servers exceed it a little).
    static let maximumLineLength = 8192
    /// A reply with more lines than this is a protocol violation.
    static let maximumLineCount = 512

    private var buffer = ByteBuffer()
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// Whether bytes were received that do not make a complete reply yet, or follow the last complete one.
    var hasBufferedBytes: Bool { buffer.readableBytes > 0 || pendingCode != nil }

    /// Adds received bytes.
    mutating func feed(_ bytes: ByteBuffer) {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
    }

    /// The next complete reply, or `nil` until more bytes arrive.
    mutating func nextReply() throws(SMTPError) -> SMTPReply? {
        while let line = try nextLine() {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]),
                bytes[1...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else {
                throw SMTPError(.protocolViolation("malformed reply line '\(Self.printable(line))'"))
            }
            let code = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
            let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw SMTPError(.protocolViolation("malformed reply line '\(Self.printable(line))'"))
            }
            if let pendingCode, pendingCode != code {
                throw SMTPError(
                    .protocolViolation("a multi-line reply changed its code from \(pendingCode) to \(code)"))
            }
            pendingCode = code
            pendingLines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            guard pendingLines.count <= Self.maximumLineCount else {
                throw SMTPError(.protocolViolation("a reply has more than \(Self.maximumLineCount) lines"))
            }
            if separator == UInt8(ascii: " ") {
                let reply = SMTPReply(code: code, lines: pendingLines)
                self.pendingCode = nil
                pendingLines = []
                return reply
            }
        }
        return nil
    }

    private mutating func nextLine() throws(SMTPError) -> String? {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError(.protocolViolation("a reply line is longer than \(Self.maximumLineLength) bytes"))
            }
            return nil
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maximumLineLength else {
            throw SMTPError(.protocolViolation("a reply line is longer than \(Self.maximumLineLength) bytes"))
        }
        var bytes = buffer.readBytes(length: length) ?? []
        buffer.moveReaderIndex(forwardBy: 1)
        if bytes.last == 0x0D { bytes.removeLast() }
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 65_536 {
            buffer.discardReadBytes()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func printable(_ line: String) -> String {
        String(line.prefix(80).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}

/// The service extensions a server announced in its EHLO reply (RFC 5321 4.1.1.1).
struct SMTPCapabilities: Sendable, Hashable {
    /// Whether the server answered EHLO (false after a HELO fallback: no extensions then).
    var isExtended: Bool
    /// Keyword (uppercased) → parameters, e.g. `AUTH` → `["PLAIN", "LOGIN"]`, `SIZE` → `["35882577"]`.
    var extensions: [String: [String]]

    /// No extensions (a server that only speaks HELO).
    static let none = SMTPCapabilities(isExtended: false, extensions: [:])

    /// Parses the lines of a 250 reply to EHLO; the first line is the server's greeting, not an extension.
    init(ehloReply reply: SMTPReply) {
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            var words = line.split(separator: " ").map(String.init)
            guard !words.isEmpty else { continue }
            var keyword = words.removeFirst().uppercased()
            // Old servers write "AUTH=PLAIN LOGIN".
            if keyword.hasPrefix("AUTH=") {
                words.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            extensions[keyword, default: []].append(contentsOf: words)
        }
        self.init(isExtended: true, extensions: extensions)
    }

    init(isExtended: Bool, extensions: [String: [String]]) {
        self.isExtended = isExtended
        self.extensions = extensions
    }

    /// STARTTLS (RFC 3207) is offered.
    var supportsStartTLS: Bool { extensions["STARTTLS"] != nil }

    /// The SASL mechanisms offered with AUTH (RFC 4954), uppercased.
    var authMechanisms: [String] { extensions["AUTH"]?.map { $0.uppercased() } ?? [] }

    /// The SIZE extension (RFC 1870) is offered.
    var supportsSize: Bool { extensions["SIZE"] != nil }
}
