import Foundation

/// JSON text columns: portable across SQLite and PostgreSQL.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        // Dates keep their exact Double value so a document round-trips unchanged.
        let e = JSONEncoder()
        e.dateEncodingStrategy = .deferredToDate
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .deferredToDate
        return try d.decode(type, from: Data(text.utf8))
    }
}
