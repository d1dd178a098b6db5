import Foundation
import Vapor

/// The API's JSON: snake_case keys, ISO 8601 timestamps.
public enum APIJSON {
    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .custom { path in JSONKey(SnakeCaseKeys.shared.key(path.last!.stringValue)) }
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    public static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .custom { path in JSONKey(camelCase(path.last!.stringValue)) }
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            if let date = parseTimestamp(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected an ISO 8601 timestamp such as 2026-11-26T15:00:00Z, got \"\(text)\"")
        }
        return d
    }()

    static func parseTimestamp(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let frac = ISO8601DateFormatter()
        frac.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return frac.date(from: text)
    }

    /// The largest request body the API reads (the routes also refuse larger ones while streaming).
    static let maxBodyBytes = 1_048_576

    /// Decodes a request body, with problems that name the field.
    static func decode<T: Decodable>(_ type: T.Type, from req: Request) throws -> T {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw Problem.badRequest("body", "The request needs a JSON body.")
        }
        if buffer.readableBytes > maxBodyBytes {
            throw Problem(
                .payloadTooLarge, type: "too-large", title: "The request body is too large",
                detail: "The body is larger than the limit of 1 MB.", field: "body")
        }
        if let ct = req.headers.contentType,
            !(ct.type == "application" && (ct.subType == "json" || ct.subType.hasSuffix("+json")))
        {
            throw Problem(
                .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                detail: "Send the body as application/json.", field: "body")
        }
        let data = Data(buffer: buffer)
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Problem.badRequest("body", "The body is not valid JSON.")
        }
        return try decoder.decode(T.self, from: data)
    }

    static func response<T: Encodable>(
        _ value: T, status: HTTPResponseStatus = .ok, etag: Int? = nil
    ) throws -> Response {
        let r = Response(status: status)
        r.headers.contentType = .json
        if let etag { r.headers.replaceOrAdd(name: .eTag, value: "\"\(etag)\"") }
        r.body = .init(data: try encoder.encode(value))
        return r
    }
}

struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// `ownerID` -> `owner_id`, `namedAccountIDs` -> `named_account_ids`, `isOpen` -> `is_open`.
/// `snakeCase` remembered per key: the encoder asks for every key of every object, and a report
/// lists tens of thousands of objects with the same few dozen keys.
final class SnakeCaseKeys: @unchecked Sendable {
    static let shared = SnakeCaseKeys()
    private let lock = NSLock()
    private var known: [String: String] = [:]

    func key(_ name: String) -> String {
        lock.lock()
        if let k = known[name] {
            lock.unlock()
            return k
        }
        lock.unlock()
        let k = snakeCase(name)
        lock.lock()
        // Coding keys are the program's own names, a small set; keys of encoded dictionaries come
        // from data, so the memory is capped.
        if known.count < 4_096 { known[name] = k }
        lock.unlock()
        return k
    }
}

public func snakeCase(_ key: String) -> String {
    var s = key.replacingOccurrences(of: "IDs", with: "Ids")
    var out = ""
    var chars = Array(s)
    var i = 0
    // "ID" as a word (followed by an upper-case letter or the end) becomes "Id".
    while i < chars.count {
        if chars[i] == "I", i + 1 < chars.count, chars[i + 1] == "D", i + 2 == chars.count || chars[i + 2].isUppercase {
            chars[i + 1] = "d"
        }
        i += 1
    }
    s = String(chars)
    for ch in s {
        if ch.isUppercase {
            if !out.isEmpty { out += "_" }
            out += ch.lowercased()
        } else {
            out.append(ch)
        }
    }
    return out
}

/// `owner_id` -> `ownerID`, `named_account_ids` -> `namedAccountIDs`, `is_open` -> `isOpen`.
public func camelCase(_ key: String) -> String {
    let parts = key.split(separator: "_", omittingEmptySubsequences: true)
    guard let first = parts.first else { return key }
    var out = String(first)
    for part in parts.dropFirst() {
        switch part {
        case "id": out += "ID"
        case "ids": out += "IDs"
        default: out += part.prefix(1).uppercased() + part.dropFirst()
        }
    }
    return out
}
