import Foundation

/// A change to a deal, as one timeline entry: what kind, in words, with the changed part before and after.
public struct DealChange: Sendable, Equatable {
    public var kind: String
    public var summary: String
    public var before: String?
    public var after: String?

    public init(kind: String, summary: String, before: String?, after: String?) {
        self.kind = kind
        self.summary = summary
        self.before = before
        self.after = after
    }
}

/// Where a deal stood, for the timeline.
public struct StagePosition: Codable, Sendable, Equatable {
    public var stage: String
    public var enteredAt: Date
}

/// The headline fields of a deal, for the timeline.
public struct DealSummary: Codable, Sendable, Equatable {
    public var title: String
    public var amount: Money?
    public var expectedCloseDate: LocalDate?
    public var status: DealStatus

    public init(_ d: Deal) {
        title = d.title
        amount = d.amount
        expectedCloseDate = d.expectedCloseDate
        status = d.status
    }
}

/// Canonical JSON for timeline snapshots: snake_case keys, sorted, ISO 8601 dates.
public func timelineJSON<T: Encodable>(_ value: T?) -> String? {
    guard let value else { return nil }
    let e = JSONEncoder()
    e.keyEncodingStrategy = .convertToSnakeCase
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    e.dateEncodingStrategy = .iso8601
    guard let data = try? e.encode(value) else { return nil }
    return String(decoding: data, as: UTF8.self)
}
