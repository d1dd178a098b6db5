import Foundation

/// A compact table of normalized accounts: one `Row` per record, all strings in one byte arena.
/// Immutable after loading; safe to share across threads.
public final class AccountTable: @unchecked Sendable {
    public let fileName: String?
    public let detection: FormatDetection
    /// Rows skipped because the name was blank.
    public let skippedBlankNames: Int

    let arena: UnsafeMutablePointer<UInt8>
    let arenaCount: Int
    let rows: UnsafeMutablePointer<Row>
    public let count: Int
    private let arenaBuffer: RawBuffer<UInt8>
    private let rowBuffer: RawBuffer<Row>

    init(fileName: String?, detection: FormatDetection, arena: RawBuffer<UInt8>, rows: RawBuffer<Row>, skipped: Int) {
        self.fileName = fileName
        self.detection = detection
        self.arena = arena.base
        self.arenaCount = arena.count
        self.rows = rows.base
        self.count = rows.count
        self.skippedBlankNames = skipped
        arenaBuffer = arena
        rowBuffer = rows
    }

    deinit {
        arenaBuffer.free()
        rowBuffer.free()
    }

    /// How many chunks the file was parsed in (0: a failed attempt placeholder).
    var chunkCount = 0
    /// The chunks were parsed where the table keeps them (`ChunkWindows`), not copied together.
    var assembledInPlace = false

    @inline(__always) func string(_ span: UInt64) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + spanOffset(span), count: spanLength(span)), as: UTF8.self)
    }

    @inline(__always) func optionalString(_ span: UInt64) -> String? {
        spanLength(span) == 0 ? nil : string(span)
    }

    /// A text field of a record, as `record(at:)` reads it.
    public enum TextField: Sendable {
        case id, name, website, country, industry, street, city, state, postalCode
        /// The registrable domain when it can be matched (`DomainResult.matchable`).
        case matchableDomain
    }

    /// Calls `body` with the bytes of record `i`'s `field`, or with nil where `record(at:)` has nil (an
    /// empty optional field, a domain that cannot be matched), without making a string: for writing a
    /// million records out. The bytes are the field's as stored, which `record(at:)` decodes as UTF-8
    /// (repairing what is not); they are valid only inside `body`.
    public func withBytes<R>(
        of field: TextField, at i: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R
    ) rethrows -> R {
        let r = rows[i]
        let span: UInt64
        var optional = true
        switch field {
        case .id:
            span = r.id
            optional = false
        case .name:
            span = r.name
            optional = false
        case .website: span = r.website
        case .matchableDomain:
            guard r.domainStatus == DomainStatus.domain.rawValue else { return try body(nil) }
            span = r.domain
            optional = false
        case .country: span = r.country
        case .industry: span = r.industry
        case .street: span = r.street
        case .city: span = r.city
        case .state: span = r.state
        case .postalCode: span = r.postalCode
        }
        if optional && spanLength(span) == 0 { return try body(nil) }
        return try body(UnsafeBufferPointer(start: arena + spanOffset(span), count: spanLength(span)))
    }

    /// Record `i`'s number of employees, nil when the file gives none (as `record(at:)` has it).
    public func employeesAt(_ i: Int) -> Int? { rows[i].employees < 0 ? nil : Int(rows[i].employees) }

    public func id(at i: Int) -> String { string(rows[i].id) }
    public func populationAt(_ i: Int) -> Population { Population.fromCode(rows[i].population) }

    public func record(at i: Int) -> AccountRecord {
        let r = rows[i]
        let d: DomainResult
        switch DomainStatus(rawValue: r.domainStatus) ?? .none {
        case .none: d = .none
        case .domain: d = .domain(string(r.domain))
        case .freeMail: d = .freeMail(string(r.domain))
        }
        return AccountRecord(
            id: string(r.id), name: string(r.name), website: optionalString(r.website), domain: d,
            nameKey: string(r.key), country: optionalString(r.country), industry: optionalString(r.industry),
            employees: r.employees < 0 ? nil : Int(r.employees), population: Population.fromCode(r.population),
            line: Int(r.line), street: optionalString(r.street), city: optionalString(r.city),
            state: optionalString(r.state), postalCode: optionalString(r.postalCode))
    }

    /// All records as values (allocates strings; for persistence and small files).
    public var records: [AccountRecord] { (0..<count).map(record(at:)) }
}
