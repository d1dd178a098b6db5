import Foundation

/// Where and how to send mail: the SMTP server, its security, credentials and timeouts, and the sender address.
///
/// Usually read from the environment with ``fromEnvironment(_:)``:
///
/// ```
/// COSELL_SMTP_URL=smtp://user:p%40ss@mail.example.com:587
/// COSELL_SMTP_URL=smtps://user:secret@mail.example.com            (TLS from the first byte, port 465)
/// COSELL_SMTP_URL=smtp://127.0.0.1:2525?starttls=never             (a local test server, no TLS)
/// COSELL_MAIL_FROM=CoSell <deals@example.com>
/// ```
///
/// The URL is `smtp://[user:password@]host[:port][?option=value&...]` or `smtps://...`. The user name and
/// password are percent-decoded (write `@` as `%40`, `:` as `%3A`, `%` as `%25`). An IPv6 host goes in brackets:
/// `smtp://[::1]:25`. Without a port, `smtp://` uses 587 (submission) and `smtps://` 465.
///
/// Options:
/// - `starttls=opportunistic` (default): upgrade with STARTTLS when the server offers it, else carry on in plain
///   text (but never send credentials in plain text, see `plaintext_auth`). Once STARTTLS is offered, a failed
///   upgrade (an untrusted certificate, say) fails the delivery; it never falls back to plain text.
/// - `starttls=required`: fail (transiently) when the server does not offer STARTTLS.
/// - `starttls=never`: never upgrade, even when offered. For local relays and test servers only.
/// - `tls=verify` (default): check the server's certificate against the system's trusted roots (plus `ca`) and
///   its name against the host. `tls=insecure` accepts **any** certificate: encryption without authentication,
///   only for test servers with self-signed certificates.
/// - `ca=/path/to/ca.pem`: also trust the certificates in this PEM file (a private CA, or a self-signed server
///   certificate), keeping verification on.
/// - `plaintext_auth=allow`: allow sending the credentials over an unencrypted connection (default `refuse`).
/// - `helo=NAME`: the name given in EHLO/HELO (default: this machine's host name when it looks like one, else
///   `localhost`).
/// - `connect_timeout=SECONDS` (default 10) and `reply_timeout=SECONDS` (default 30; also bounds sending each
///   command, the message's data included); fractions allowed.
///
/// `smtps://` takes no `starttls` option.
public struct SMTPConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: Sendable, Hashable {
        /// STARTTLS when the server offers it, plain text otherwise (`starttls=opportunistic`, the default).
        case startTLSIfOffered
        /// STARTTLS, or fail (`starttls=required`).
        case startTLSRequired
        /// Plain text even when STARTTLS is offered (`starttls=never`).
        case plaintext
        /// TLS from the first byte (`smtps://`, RFC 8314).
        case implicitTLS
    }

    /// How the server's certificate is checked.
    public enum CertificateVerification: Sendable, Hashable {
        /// Trusted chain and matching host name (`tls=verify`, the default).
        case full
        /// No check at all (`tls=insecure`): only for test servers with self-signed certificates.
        case insecureNone
    }

    /// A user name and password for SMTP AUTH. Its description hides the password.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        /// The user name.
        public var username: String
        /// The password.
        public var password: String

        /// Makes credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        /// `username:***`.
        public var description: String { "\(username):***" }
    }

    /// The environment variable holding the server's URL.
    public static let urlVariable = "COSELL_SMTP_URL"
    /// The environment variable holding the sender address.
    public static let senderVariable = "COSELL_MAIL_FROM"

    /// The server's host name or IP address (an IPv6 address without brackets).
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// How the connection is protected.
    public var security: Security
    /// How the server's certificate is checked.
    public var certificateVerification: CertificateVerification
    /// A PEM file of certificates to trust besides the system's roots.
    public var trustedCertificatesFile: String?
    /// Credentials for AUTH, if the server needs them.
    public var credentials: Credentials?
    /// Whether credentials may be sent over an unencrypted connection (default false).
    public var allowsPlaintextAuthentication: Bool
    /// The name this client gives in EHLO/HELO.
    public var clientName: String
    /// How long connecting (the TCP connection) may take.
    public var connectTimeout: Duration
    /// How long the server may take to answer each command (and the client to send it), the TLS handshake included.
    public var replyTimeout: Duration
    /// The default sender (`COSELL_MAIL_FROM`): use it as a ``MailMessage``'s `from`.
    public var sender: MailAddress

    /// Makes a configuration from its parts.
    public init(
        host: String, port: Int, security: Security = .startTLSIfOffered,
        certificateVerification: CertificateVerification = .full, trustedCertificatesFile: String? = nil,
        credentials: Credentials? = nil, allowsPlaintextAuthentication: Bool = false,
        clientName: String = SMTPConfiguration.defaultClientName, connectTimeout: Duration = .seconds(10),
        replyTimeout: Duration = .seconds(30), sender: MailAddress
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.certificateVerification = certificateVerification
        self.trustedCertificatesFile = trustedCertificatesFile
        self.credentials = credentials
        self.allowsPlaintextAuthentication = allowsPlaintextAuthentication
        self.clientName = clientName
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.sender = sender
    }

    /// Reads `COSELL_SMTP_URL` and `COSELL_MAIL_FROM`.
    ///
    /// - Returns: `nil` when `COSELL_SMTP_URL` is unset or blank (mail is not configured).
    /// - Throws: ``SMTPConfigurationError`` when either variable is malformed, or the URL is set and
    ///   `COSELL_MAIL_FROM` is not.
    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws(SMTPConfigurationError) -> SMTPConfiguration? {
        guard let url = environment[urlVariable], !MailAddress.trimmingWhitespace(url).isEmpty else { return nil }
        guard let sender = environment[senderVariable], !MailAddress.trimmingWhitespace(sender).isEmpty else {
            throw SMTPConfigurationError(
                variable: senderVariable,
                message: "\(senderVariable) is not set (the sender address, e.g. CoSell <deals@example.com>)")
        }
        return try SMTPConfiguration(url: url, sender: sender)
    }

    /// Parses a URL as `COSELL_SMTP_URL` holds it and a sender as `COSELL_MAIL_FROM` holds it; see the type's
    /// discussion for the format and options.
    ///
    /// - Throws: ``SMTPConfigurationError`` naming the variable and what is wrong, e.g.
    ///   `COSELL_SMTP_URL: the port 99999 is out of range (1-65535)`.
    public init(url: String, sender: String) throws(SMTPConfigurationError) {
        let parsedSender: MailAddress
        do {
            parsedSender = try MailAddress(parsing: sender)
        } catch {
            throw SMTPConfigurationError(
                variable: Self.senderVariable, problem: "'\(sender)' is not a usable email address: \(error.problem)")
        }
        try self.init(url: url, sender: parsedSender)
    }

    /// Parses a URL as `COSELL_SMTP_URL` holds it, with a sender given as an address.
    ///
    /// - Throws: ``SMTPConfigurationError`` naming what is wrong in the URL.
    public init(url: String, sender: MailAddress) throws(SMTPConfigurationError) {
        func fail(_ problem: String) -> SMTPConfigurationError {
            SMTPConfigurationError(variable: Self.urlVariable, problem: problem)
        }
        let text = MailAddress.trimmingWhitespace(url)
        guard let schemeEnd = text.range(of: "://") else {
            throw fail(
                "expected smtp://[user:password@]host[:port][?options] or smtps://..., got '\(Self.redacted(text))'")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let security: Security
        switch scheme {
        case "smtp": security = .startTLSIfOffered
        case "smtps": security = .implicitTLS
        default: throw fail("the scheme '\(scheme)' is not supported (use smtp:// or smtps://)")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") {
            throw fail("unexpected fragment '\(rest[hash...])'")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[slash...]
            if path != "/" { throw fail("unexpected path '\(path)' (only ?options may follow host:port)") }
            rest = rest[..<slash]
        }

        // user:password@
        var credentials: Credentials?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw fail("the user name is given without a password (write user:password@host)")
            }
            guard let username = Self.percentDecoded(userInfo[..<colon]) else {
                throw fail("the user name has an invalid percent-escape (write % as %25)")
            }
            guard let password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...]) else {
                throw fail("the password has an invalid percent-escape (write % as %25)")
            }
            guard !username.isEmpty else { throw fail("the user name is empty") }
            guard !password.isEmpty else { throw fail("the password is empty") }
            credentials = Credentials(username: username, password: password)
        }

        // host[:port]
        var host: String
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw fail("the IPv6 address '\(rest)' lacks its closing ']'")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected '\(after)' after the IPv6 address") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail("'\(host)' is not an IPv6 address")
            }
        } else {
            if let colon = rest.lastIndex(of: ":") {
                host = String(rest[..<colon])
                portText = rest[rest.index(after: colon)...]
            } else {
                host = String(rest)
            }
            guard !host.isEmpty else { throw fail("the host is missing") }
            guard host.utf8.allSatisfy({ MailAddress.isAlphanumeric($0) || "-._".utf8.contains($0) }) else {
                throw fail("the host '\(host)' has characters not allowed in a host name")
            }
        }
        var port = security == .implicitTLS ? 465 : 587
        if let portText {
            guard !portText.isEmpty else { throw fail("the port is empty after ':'") }
            guard portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), portText.count <= 9,
                let number = Int(portText)
            else {
                throw fail("the port '\(portText)' is not a number")
            }
            guard (1...65535).contains(number) else { throw fail("the port \(number) is out of range (1-65535)") }
            port = number
        }

        var configuration = SMTPConfiguration(
            host: host, port: port, security: security, credentials: credentials, sender: sender)
        try configuration.apply(query: query)
        if configuration.security == .plaintext, configuration.credentials != nil,
            !configuration.allowsPlaintextAuthentication
        {
            throw fail(
                "starttls=never with a user and password would send them in plain text; "
                    + "add plaintext_auth=allow to permit that")
        }
        self = configuration
    }

    /// The option names the URL understands.
    public static let optionNames = [
        "starttls", "tls", "ca", "plaintext_auth", "helo", "connect_timeout", "reply_timeout",
    ]

    private mutating func apply(query: Substring) throws(SMTPConfigurationError) {
        func fail(_ problem: String) -> SMTPConfigurationError {
            SMTPConfigurationError(variable: Self.urlVariable, problem: problem)
        }
        var seen: Set<String> = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecoded(parts[0]),
                let value = Self.percentDecoded(parts.count > 1 ? parts[1] : "")
            else {
                throw fail("the option '\(pair)' has an invalid percent-escape")
            }
            guard Self.optionNames.contains(name) else {
                throw fail("unknown option '\(name)' (known: \(Self.optionNames.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw fail("the option \(name) is given twice") }
            guard parts.count > 1 else { throw fail("the option \(name) has no value (write \(name)=...)") }
            switch name {
            case "starttls":
                guard security != .implicitTLS else {
                    throw fail("the option starttls does not apply to smtps:// (TLS from the first byte)")
                }
                switch value.lowercased() {
                case "opportunistic": security = .startTLSIfOffered
                case "required": security = .startTLSRequired
                case "never": security = .plaintext
                default: throw fail("the option starttls must be opportunistic, required or never, got '\(value)'")
                }
            case "tls":
                switch value.lowercased() {
                case "verify": certificateVerification = .full
                case "insecure": certificateVerification = .insecureNone
                default: throw fail("the option tls must be verify or insecure, got '\(value)'")
                }
            case "ca":
                guard !value.isEmpty else { throw fail("the option ca is empty") }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), !isDirectory.boolValue
                else {
                    throw fail("the option ca names '\(value)', which is not a file")
                }
                trustedCertificatesFile = value
            case "plaintext_auth":
                switch value.lowercased() {
                case "allow": allowsPlaintextAuthentication = true
                case "refuse": allowsPlaintextAuthentication = false
                default: throw fail("the option plaintext_auth must be allow or refuse, got '\(value)'")
                }
            case "helo":
                guard !value.isEmpty,
                    value.utf8.allSatisfy({ MailAddress.isAlphanumeric($0) || "-._[]:".utf8.contains($0) })
                else {
                    throw fail("the option helo must be a host name or an address literal, got '\(value)'")
                }
                clientName = value
            default:  // connect_timeout, reply_timeout
                guard let seconds = Double(value), seconds.isFinite, seconds > 0, seconds <= 86_400 else {
                    throw fail("the option \(name) must be a number of seconds above 0, got '\(value)'")
                }
                let duration = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
                if name == "connect_timeout" { connectTimeout = duration } else { replyTimeout = duration }
            }
        }
    }

    /// This machine's host name when it is a plausible EHLO name, else `localhost` (read once).
    public static let defaultClientName: String = {
        let name = ProcessInfo.processInfo.hostName
        let plausible =
            !name.isEmpty && name.utf8.count <= 253
            && name.utf8.allSatisfy { MailAddress.isAlphanumeric($0) || "-.".utf8.contains($0) }
        return plausible ? name : "localhost"
    }()

    /// The URL in `COSELL_SMTP_URL`'s form with the password hidden, plus the sender: for logs.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = credentials.map { "\(Self.percentEncoded($0.username)):***@" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var options: [String] = []
        switch security {
        case .startTLSRequired: options.append("starttls=required")
        case .plaintext: options.append("starttls=never")
        case .startTLSIfOffered, .implicitTLS: break
        }
        if certificateVerification == .insecureNone { options.append("tls=insecure") }
        if let trustedCertificatesFile { options.append("ca=\(trustedCertificatesFile)") }
        if allowsPlaintextAuthentication { options.append("plaintext_auth=allow") }
        let query = options.isEmpty ? "" : "?" + options.joined(separator: "&")
        return "\(scheme)://\(user)\(hostPart):\(port)\(query) from \(sender)"
    }

    // MARK: - Helpers

    /// `text` with `%XX` escapes decoded, or `nil` when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if MailAddress.isAlphanumeric(byte) || "-._~".utf8.contains(byte) {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += String(decoding: MIMEEncoding.hexEscape(byte), as: UTF8.self).replacingOccurrences(
                    of: "=", with: "%")
            }
        }
        return result
    }

    /// `text` with the password of a `user:password@` part replaced by `***` (for error messages).
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let colon = text[..<at].lastIndex(of: ":") else { return text }
        let beforeColon = text[..<colon]
        if beforeColon.hasSuffix("/") || beforeColon.hasSuffix(":") { return text }
        return String(text[...colon]) + "***" + String(text[at...])
    }
}

/// A malformed `COSELL_SMTP_URL` or `COSELL_MAIL_FROM`. Its description names the variable and the problem, e.g.
/// `COSELL_SMTP_URL: the port 99999 is out of range (1-65535)`. It never contains the password.
public struct SMTPConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The environment variable at fault.
    public let variable: String
    /// The whole message.
    public let message: String

    /// An error whose message is `variable: problem`.
    public init(variable: String, problem: String) {
        self.variable = variable
        self.message = "\(variable): \(problem)"
    }

    /// An error with a message of its own.
    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
