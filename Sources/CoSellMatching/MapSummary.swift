import Foundation

/// What `cosell map` prints.
public struct MapSummary: Sendable, Hashable, Codable {
    public var hostFile: String?
    public var partnerFile: String?
    public var hostFormat: CRMFormat
    public var partnerFormat: CRMFormat
    public var hostRecords: Int
    public var partnerRecords: Int
    /// Rows skipped because their name was blank.
    public var hostSkipped: Int
    public var partnerSkipped: Int
    /// Rows written to the overlaps file.
    public var overlaps: Int
    public var sameAccount: Int
    public var sameFamily: Int
    /// Distinct host / partner records in a same_account overlap.
    public var hostAccountsOverlapping: Int
    public var partnerAccountsOverlapping: Int
    /// Host populations x partner populations over same_account overlaps.
    public var matrix: PopulationMatrix
    /// The same over same_family overlaps.
    public var familyMatrix: PopulationMatrix
    public var plays: [Play: Int]
    public var hostDuplicatePairs: Int
    public var partnerDuplicatePairs: Int
    /// Wall-clock seconds per phase: read, match, write.
    public var seconds: [String: Double]

    /// Text for a terminal: counts, the population matrix, plays.
    public func renderText() -> String {
        var s = ""
        s += "host:    \(hostFile ?? "-") (\(hostFormat.rawValue)), \(hostRecords) accounts"
        s += hostSkipped > 0 ? ", \(hostSkipped) rows without a name skipped\n" : "\n"
        s += "partner: \(partnerFile ?? "-") (\(partnerFormat.rawValue)), \(partnerRecords) accounts"
        s += partnerSkipped > 0 ? ", \(partnerSkipped) rows without a name skipped\n" : "\n"
        s += "overlaps: \(overlaps) (\(sameAccount) same_account, \(sameFamily) same_family); "
        s += "\(hostAccountsOverlapping) host and \(partnerAccountsOverlapping) partner accounts overlap\n"
        s += "duplicates within files: host \(hostDuplicatePairs) pairs, partner \(partnerDuplicatePairs) pairs\n\n"
        s += matrix.renderText(title: "Population matrix (same_account overlaps)")
        if familyMatrix.total > 0 {
            s += "\n" + familyMatrix.renderText(title: "Population matrix (same_family overlaps)")
        }
        s += "\nPlays:\n"
        for p in Play.allCases {
            s += "  \(p.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(plays[p] ?? 0)\n"
        }
        return s
    }
}
