import Foundation

/// How much of one population an organization shows its partner, as users know it from Crossbeam.
public enum SharingLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case hidden
    case counts
    case overlappingAccounts = "overlapping_accounts"
    case allAccounts = "all_accounts"

    public var rank: Int { SharingLevel.allCases.firstIndex(of: self)! }
    public static func < (a: SharingLevel, b: SharingLevel) -> Bool { a.rank < b.rank }
}
