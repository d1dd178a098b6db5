/// An email address with an optional display name, as written in `CoSell Deals <deals@example.com>`.
///
/// The address itself (`local-part@domain`) must be ASCII: internationalized addresses (SMTPUTF8, IDN domains) are
/// not supported and are refused with an error. The display name may hold any Unicode text without control
/// characters; it is written as RFC 2047 encoded-words when it is not plain ASCII.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address proper, `local-part@domain`, as used in the SMTP envelope (`MAIL FROM`, `RCPT TO`).
    public let address: String
    /// The display name, if any, in its decoded form (`nil` when there is none).
    public let name: String?

    /// Makes an address from its parts, checking both.
    ///
    /// - Parameters:
    ///   - address: `local-part@domain`, ASCII, with a dot-atom local part (quoted local parts are not supported).
    ///   - name: a display name; empty or all-whitespace counts as none. Control characters (CR and LF among them)
    ///     are refused, so that the name can never break out of its header.
    /// - Throws: ``MailAddressError`` naming what is wrong.
    public init(_ address: String, name: String? = nil) throws(MailAddressError) {
        try Self.validate(address: address)
        if let name {
            if name.unicodeScalars.contains(where: MailAddress.isControl) {
                throw MailAddressError(
                    input: name, problem: "the display name contains a control character (such as a line break)")
            }
        }
        let trimmed = name.map(Self.trimmingWhitespace)
        self.address = address
        self.name = (trimmed?.isEmpty ?? true) ? nil : trimmed
    }

    /// Parses `addr@domain`, `Name <addr@domain>` or `"Name, with comma" <addr@domain>`.
    ///
    /// Surrounding whitespace is ignored. A quoted display name may contain `\"` and `\\` escapes.
    /// - Throws: ``MailAddressError`` naming what is wrong.
    public init(parsing text: String) throws(MailAddressError) {
        let trimmed = Self.trimmingWhitespace(text)
        guard !trimmed.isEmpty else { throw MailAddressError(input: text, problem: "it is empty") }
        if trimmed.hasSuffix(">") {
            guard let open = trimmed.lastIndex(of: "<") else {
                throw MailAddressError(input: text, problem: "it has a '>' without a matching '<'")
            }
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = Self.trimmingWhitespace(String(trimmed[..<open]))
            if name.hasPrefix("\"") {
                guard name.count >= 2, name.hasSuffix("\""), let unquoted = Self.unquote(name.dropFirst().dropLast())
                else {
                    throw MailAddressError(input: text, problem: "the quoted display name is not closed properly")
                }
                name = unquoted
            }
            do {
                try self.init(address, name: name)
            } catch {
                throw MailAddressError(input: text, problem: error.problem)
            }
        } else {
            if trimmed.contains("<") || trimmed.contains(">") {
                throw MailAddressError(input: text, problem: "it has a '<' without a closing '>' at the end")
            }
            do {
                try self.init(trimmed, name: nil)
            } catch {
                throw MailAddressError(input: text, problem: error.problem)
            }
        }
    }

    /// The part after the `@` (used, among others, for the Message-ID).
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return String(address[address.index(after: at)...])
    }

    /// `Name <address>` or just `address`, not encoded: for logs and messages to people, not for headers.
    public var description: String {
        guard let name else { return address }
        return "\(name) <\(address)>"
    }

    // MARK: - Validation

    static func validate(address: String) throws(MailAddressError) {
        func fail(_ problem: String) -> MailAddressError { MailAddressError(input: address, problem: problem) }
        guard !address.isEmpty else { throw fail("it is empty") }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else {
            throw fail("internationalized (non-ASCII) addresses are not supported")
        }
        let bytes = Array(address.utf8)
        let ats = bytes.indices.filter { bytes[$0] == UInt8(ascii: "@") }
        guard let at = ats.first else { throw fail("it has no '@'") }
        guard ats.count == 1 else { throw fail("it has more than one '@'") }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty else { throw fail("the part before '@' is empty") }
        guard !domain.isEmpty else { throw fail("the domain after '@' is empty") }
        guard local.count <= 64 else { throw fail("the part before '@' is longer than 64 characters") }
        guard bytes.count <= 254 else { throw fail("it is longer than 254 characters") }
        if let bad = local.first(where: { !isAtext($0) && $0 != UInt8(ascii: ".") }) {
            throw fail("the part before '@' contains \(describe(bad)), which is not allowed")
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".")
            || zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
        {
            throw fail("the part before '@' has a misplaced '.'")
        }
        if domain.first == UInt8(ascii: "[") {
            // An address literal such as [192.0.2.1] or [IPv6:2001:db8::1].
            guard domain.last == UInt8(ascii: "]"), domain.count > 2,
                domain.dropFirst().dropLast().allSatisfy({ isAlphanumeric($0) || ":.".utf8.contains($0) })
            else { throw fail("the domain literal is malformed") }
            return
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { throw fail("the domain has an empty label (a misplaced '.')") }
            if let bad = label.first(where: { !isAlphanumeric($0) && $0 != UInt8(ascii: "-") }) {
                throw fail("the domain contains \(describe(bad)), which is not allowed")
            }
        }
    }

    static func isAtext(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: " "): return "a space"
        case 0..<0x20, 0x7F: return "a control character"
        default: return "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    static func trimmingWhitespace(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    private static func unquote(_ quoted: Substring) -> String? {
        var result = ""
        var escaping = false
        for character in quoted {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : result
    }
}

/// Why a text is not a usable ``MailAddress``.
public struct MailAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that was refused.
    public let input: String
    /// What is wrong with it, e.g. `it has no '@'`.
    public let problem: String

    /// Makes an error for `input` with a human-readable `problem`.
    public init(input: String, problem: String) {
        self.input = input
        self.problem = problem
    }

    /// `'input' is not a usable email address: problem`.
    public var description: String { "'\(input)' is not a usable email address: \(problem)" }
}
