import Foundation

/// Decoders written for the tests, independent of the library's encoders, to check round trips.
enum MIMEDecoding {
    /// Decodes quoted-printable text (soft line breaks removed, `=XX` decoded) as UTF-8.
    static func quotedPrintable(_ text: String) -> String? {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < input.count, input[index + 1] == 0x0D, input[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                guard index + 2 < input.count,
                    let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    /// Decodes one `=?UTF-8?Q?...?=` word; nil when it is not one or its bytes are not UTF-8 on their own.
    static func encodedWord(_ word: Substring) -> String? {
        guard word.hasPrefix("=?UTF-8?Q?"), word.hasSuffix("?=") else { return nil }
        let payload = word.dropFirst(10).dropLast(2)
        var bytes: [UInt8] = []
        var iterator = Array(payload.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "_"):
                bytes.append(0x20)
            case UInt8(ascii: "="):
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            default:
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    /// Decodes a header value made only of encoded-words separated by folding whitespace.
    static func encodedWords(_ value: String) -> String? {
        let unfolded = value.replacingOccurrences(of: "\r\n", with: "")
        var result = ""
        for word in unfolded.split(separator: " ") {
            guard let decoded = encodedWord(word) else { return nil }
            result += decoded
        }
        return result
    }

    /// The rendered message split into its header block (unfolded lines) and its body.
    static func split(_ message: [UInt8]) -> (headers: [(name: String, value: String)], body: String) {
        let text = String(decoding: message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return ([], text) }
        let block = String(text[..<end.lowerBound])
        var headers: [(String, String)] = []
        for line in block.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !headers.isEmpty {
                headers[headers.count - 1].1 += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
                headers.append((String(line[..<colon]), String(value)))
            }
        }
        return (headers, String(text[end.upperBound...]))
    }
}
