import Foundation

public enum OverlapRelation: String, Sendable, Codable, Hashable, CaseIterable {
    case same_account, same_family
}

public enum MatchMethod: String, Sendable, Codable, Hashable, CaseIterable {
    case domain
    case name
    case domainAndName = "domain+name"
    /// Not compared directly: both records are linked to one company through its other records
    /// (`ClusterCompletion`).
    case group

    /// The method's code in the matcher's raw overlaps, and its place in `allCases`.
    var code: Int {
        switch self {
        case .domain: 0
        case .name: 1
        case .domainAndName: 2
        case .group: 3
        }
    }

    /// The method of code `code` (`RawOverlap.method`).
    init(code: UInt8) {
        switch code {
        case 0: self = .domain
        case 1: self = .name
        case 2: self = .domainAndName
        default: self = .group
        }
    }
}

/// One overlap between a host record and a partner record (indices into the two tables).
public struct Overlap: Sendable, Codable, Hashable {
    public var hostIndex: Int
    public var partnerIndex: Int
    public var relation: OverlapRelation
    public var method: MatchMethod
    /// Confidence in the stated relation, 0...1.
    public var score: Double
}

/// Two records of one file recognised as the same company.
public struct DuplicatePair: Sendable, Codable, Hashable {
    public var firstIndex: Int
    public var secondIndex: Int
    public var method: MatchMethod
    public var score: Double
}

public struct MatchResult: Sendable {
    /// Overlaps sorted by host index, then partner index.
    public var overlaps: [Overlap]
    public var hostDuplicates: [DuplicatePair]
    public var partnerDuplicates: [DuplicatePair]
}
