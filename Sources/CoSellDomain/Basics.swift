import Foundation

/// One of the two halves of a joint deal. Which organization is the host is decided per deal.
public enum Side: String, Codable, Sendable, CaseIterable, Hashable {
    case host
    case partner

    public var other: Side { self == .host ? .partner : .host }

    /// "Host" / "Partner", for sentences.
    public var title: String { self == .host ? "Host" : "Partner" }
}

/// A value for each side of a deal, either of which may be missing.
public struct SidePair<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var host: Value?
    public var partner: Value?

    public init(host: Value? = nil, partner: Value? = nil) {
        self.host = host
        self.partner = partner
    }

    public subscript(side: Side) -> Value? {
        get { side == .host ? host : partner }
        set {
            if side == .host { host = newValue } else { partner = newValue }
        }
    }
}

/// A company using cosell.
public struct Organization: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var domain: String?
    public var createdAt: Date

    public init(id: UUID, name: String, domain: String?, createdAt: Date) {
        self.id = id
        self.name = name
        self.domain = domain
        self.createdAt = createdAt
    }
}

/// What a person may do in their own organization.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    case partnerManager = "partner_manager"
    case seller
    case viewer

    public var canWrite: Bool { self != .viewer }
}

/// A person of one organization: an owner of moves, the one who commits or approves.
public struct Person: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var name: String
    public var email: String
    public var role: Role
    public var title: String?
    /// Set when an admin deactivated the person: they can no longer sign in or use tokens.
    public var deactivatedAt: Date?

    public init(
        id: UUID, organizationID: UUID, name: String, email: String, role: Role, title: String? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.email = email
        self.role = role
        self.title = title
    }
}

/// Who is making a change: a person acting for their organization.
public struct Actor: Codable, Sendable, Equatable {
    public var personID: UUID
    public var organizationID: UUID
    public var role: Role
    public var name: String

    public init(personID: UUID, organizationID: UUID, role: Role, name: String) {
        self.personID = personID
        self.organizationID = organizationID
        self.role = role
        self.name = name
    }

    public init(_ person: Person) {
        self.init(
            personID: person.id, organizationID: person.organizationID, role: person.role, name: person.name)
    }
}

/// A calendar day without a time zone (close dates, due dates, decision dates), written `YYYY-MM-DD`.
public struct LocalDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day on which `date` falls.
    public init(_ date: Date) {
        let c = LocalDate.utc.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Midnight UTC at the start of this day.
    public var startOfDay: Date {
        LocalDate.utc.date(from: DateComponents(year: year, month: month, day: day))!
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "expected a date as YYYY-MM-DD, got \"\(text)\""))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Whole days from `from` to `to` (rounded down); negative when `to` is earlier.
public func wholeDays(from: Date, to: Date) -> Int {
    Int((to.timeIntervalSince(from) / 86_400).rounded(.down))
}

/// A UUID as a value that sorts exactly like its `uuidString` (upper-case hex digits in byte order),
/// without building the string: the tie-breaker of every stable order in the reports and reviews,
/// where building two strings per comparison cost more than the rest of the sort.
public struct UUIDOrder: Comparable, Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    public init(_ id: UUID) {
        let u = id.uuid
        high =
            UInt64(u.0) << 56 | UInt64(u.1) << 48 | UInt64(u.2) << 40 | UInt64(u.3) << 32 | UInt64(u.4) << 24
            | UInt64(u.5) << 16 | UInt64(u.6) << 8 | UInt64(u.7)
        low =
            UInt64(u.8) << 56 | UInt64(u.9) << 48 | UInt64(u.10) << 40 | UInt64(u.11) << 32 | UInt64(u.12) << 24
            | UInt64(u.13) << 16 | UInt64(u.14) << 8 | UInt64(u.15)
    }

    public static func < (a: UUIDOrder, b: UUIDOrder) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

extension UUID {
    /// This id's place in the order of `uuidString`s (see `UUIDOrder`).
    public var order: UUIDOrder { UUIDOrder(self) }
}

extension Array {
    /// The elements in the order of a key computed once per element; equal keys keep their order.
    /// For large elements and costly keys, where `sorted(by:)` would move whole values and compute
    /// the key twice per comparison.
    public func sorted<Key>(byKey key: (Element) -> Key, _ less: (Key, Key) -> Bool) -> [Element] {
        let keys = map(key)
        return indices.sorted { less(keys[$0], keys[$1]) || (!less(keys[$1], keys[$0]) && $0 < $1) }.map {
            self[$0]
        }
    }
}
