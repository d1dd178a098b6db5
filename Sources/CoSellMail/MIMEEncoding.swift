import Foundation

/// The encodings used to render a message: quoted-printable bodies, RFC 2047 encoded-words, header folding,
/// RFC 5322 dates. Everything here produces ASCII.
enum MIMEEncoding {
    /// Longest line a header is folded to when it can be (RFC 5322 2.1.1 "SHOULD").
    static let preferredLineLength = 78
    /// Longest line allowed at all, CRLF excluded (RFC 5322 2.1.1 "MUST").
    static let maximumLineLength = 998

    // MARK: - Line breaks

    /// The lines of `text`, taking CRLF, lone CR and lone LF each as one line break.
    static func lines(_ text: String) -> [Substring.UTF8View] {
        var lines: [Substring.UTF8View] = []
        let utf8 = Substring(text).utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0D || byte == 0x0A {
                lines.append(utf8[start..<index])
                var next = utf8.index(after: index)
                if byte == 0x0D, next != utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                start = next
                index = next
            } else {
                index = utf8.index(after: index)
            }
        }
        lines.append(utf8[start..<utf8.endIndex])
        return lines
    }

    // MARK: - Quoted-printable (RFC 2045 6.7)

    /// `text` as UTF-8 quoted-printable with CRLF line breaks and lines of at most 76 characters.
    ///
    /// Line breaks in `text` (CRLF, CR or LF) become hard CRLF line breaks; spaces and tabs at the end of a line are
    /// encoded so that no transport can strip them.
    static func quotedPrintable(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let allLines = lines(text)
        for (lineNumber, line) in allLines.enumerated() {
            if lineNumber > 0 { output.append(contentsOf: [0x0D, 0x0A]) }
            var lineLength = 0
            var index = line.startIndex
            while index != line.endIndex {
                let byte = line[index]
                let next = line.index(after: index)
                let isLast = next == line.endIndex
                var token: [UInt8]
                switch byte {
                case 0x20, 0x09:
                    token = isLast ? hexEscape(byte) : [byte]
                case 33...126 where byte != UInt8(ascii: "="):
                    token = [byte]
                default:
                    token = hexEscape(byte)
                }
                if lineLength + token.count > 75 {
                    output.append(contentsOf: [UInt8(ascii: "="), 0x0D, 0x0A])
                    lineLength = 0
                }
                output.append(contentsOf: token)
                lineLength += token.count
                index = next
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func hexEscape(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    // MARK: - Encoded-words (RFC 2047)

    /// `text` as a sequence of `=?UTF-8?Q?...?=` encoded-words, each at most `maximumWordLength` characters
    /// long and never splitting a character's UTF-8 sequence. Join them with a space: a decoder drops the
    /// whitespace between adjacent encoded-words.
    ///
    /// Only letters, digits and `! * + - /` stay literal, so the words are valid in a display name (phrase) as well
    /// as in unstructured text such as the subject.
    static func encodedWords(_ text: String, maximumWordLength: Int = 75) -> [String] {
        let prefix = "=?UTF-8?Q?"
        let suffix = "?="
        let budget = max(12, maximumWordLength - prefix.count - suffix.count)
        var words: [String] = []
        var current: [UInt8] = []
        for scalar in text.unicodeScalars {
            var encoded: [UInt8] = []
            for byte in String(scalar).utf8 {
                if MailAddress.isAlphanumeric(byte) || "!*+-/".utf8.contains(byte) {
                    encoded.append(byte)
                } else if byte == 0x20 {
                    encoded.append(UInt8(ascii: "_"))
                } else {
                    encoded.append(contentsOf: hexEscape(byte))
                }
            }
            if !current.isEmpty && current.count + encoded.count > budget {
                words.append(prefix + String(decoding: current, as: UTF8.self) + suffix)
                current = []
            }
            current.append(contentsOf: encoded)
        }
        if !current.isEmpty || words.isEmpty {
            words.append(prefix + String(decoding: current, as: UTF8.self) + suffix)
        }
        return words
    }

    /// Whether unstructured header text can go out as it is: printable ASCII and spaces only, no `=?` that a reader
    /// could take for an encoded-word, and no run without whitespace too long to fold.
    static func isPlainUnstructured(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }), !text.contains("=?") else { return false }
        return text.split(separator: " ").allSatisfy { $0.utf8.count <= 60 }
    }

    /// An unstructured header value such as the subject: as it is when plain, else as encoded-words.
    static func unstructured(_ text: String) -> String {
        isPlainUnstructured(text) ? text : encodedWords(text).joined(separator: " ")
    }

    /// An extra header's value: as it is when printable ASCII (structured values such as `List-Unsubscribe`'s
    /// `<https://...>` must not be encoded), else as encoded-words, as for unstructured text.
    static func extraHeaderValue(_ text: String) -> String {
        text.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 })
            ? text : encodedWords(text).joined(separator: " ")
    }

    /// A display name as an RFC 5322 phrase: atoms as they are, other ASCII as a quoted-string, anything else
    /// (or anything containing `=?`) as encoded-words.
    static func phrase(_ name: String) -> String {
        let bytes = Array(name.utf8)
        if !bytes.allSatisfy({ (0x20...0x7E).contains($0) }) || name.contains("=?") {
            return encodedWords(name).joined(separator: " ")
        }
        if bytes.allSatisfy({ MailAddress.isAtext($0) || $0 == 0x20 }) { return name }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }

    /// An address for the From, To, Cc and Reply-To headers: `phrase <address>` or `address`.
    static func mailbox(_ address: MailAddress) -> String {
        guard let name = address.name else { return address.address }
        return "\(phrase(name)) <\(address.address)>"
    }

    // MARK: - Header folding (RFC 5322 2.2.3)

    /// `name: value` folded (a CRLF inserted before some spaces) so that lines stay within 78 characters where the
    /// value's whitespace allows, without a trailing CRLF. `value` must be ASCII without CR or LF.
    ///
    /// - Throws: ``MailMessageError/headerLineTooLong(header:)`` when a run without whitespace would make a line
    ///   longer than 998 characters.
    static func foldedHeader(name: String, value: String) throws(MailMessageError) -> String {
        let bytes = Array("\(name): \(value)".utf8)
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        // Tokens start at a whitespace that follows a non-whitespace: a fold never leaves a blank line.
        var tokens: [[UInt8]] = []
        var current: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if isWhitespace(byte), index > 0, !isWhitespace(bytes[index - 1]), !current.isEmpty {
                tokens.append(current)
                current = []
            }
            current.append(byte)
        }
        tokens.append(current)
        var lines: [[UInt8]] = [tokens[0]]
        for token in tokens.dropFirst() {
            if lines[lines.count - 1].count + token.count <= preferredLineLength {
                lines[lines.count - 1].append(contentsOf: token)
            } else {
                lines.append(token)
            }
        }
        if lines.contains(where: { $0.count > maximumLineLength }) {
            throw .headerLineTooLong(header: name)
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n")
    }

    // MARK: - Dates (RFC 5322 3.3)

    /// `date` as `Tue, 3 Dec 2024 23:35:07 +0000` (always in UTC).
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = days[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(parts.day ?? 1) \(month) \(parts.year ?? 1970) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }
}
