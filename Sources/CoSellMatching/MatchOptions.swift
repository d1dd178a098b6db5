import Foundation

public struct MatchOptions: Sendable, Codable, Hashable {
    /// Minimum name similarity for two records with the same registrable domain to be the same account.
    public var sameDomainNameThreshold: Double = 0.8
    /// ... and at most this many character edits apart.
    public var maxSameDomainEdits: Int = 2
    /// Name keys shorter than this only match exactly when there is no domain agreement.
    public var fuzzyMinimumLength: Int = 8
    /// Also match names one typo apart when no shared domain supports them (needs the same country on
    /// both sides and no conflicting domains). Off by default: on large lists one-edit neighbours are
    /// often different companies (measured precision of such matches was about 0.3 on the synthetic
    /// benchmark). Typos are always tolerated between records sharing a registrable domain.
    public var typoTolerance: Bool = false
    /// Match names one typo apart without a shared domain or country when the typo is inside a long word
    /// and another word of the name is rare in both lists ("Loyola University of Chicage" / "... Chicago").
    /// Measured on real organization names and on the synthetic benchmark: see BENCHMARKS.md.
    public var distinctiveTypos: Bool = true
    /// Cap on comparisons per record inside one domain block.
    public var maxBlockComparisons: Int = 2000
    /// A name shared by more records than this on the other side is not distinctive: no name-only match
    /// ("Test Account", "Unknown"). Below it, every record of the name on the other side is paired as long
    /// as they do not disagree on domain or country (several records of one company in one CRM are normal).
    public var maxNameCandidates: Int = 16
    /// The same for names written with a legal form on both sides ("ALCATEL N.V." / "Alcatel N.V."):
    /// a registered company's name, not a placeholder, so a larger cluster of its records is still paired.
    public var maxLegalNameCandidates: Int = 256
    /// Pair every host record of a company with every partner record of it, also those two records that
    /// were not compared directly but are linked through others (`ClusterCompletion`).
    public var completeClusters: Bool = true
    /// Worker threads (default: active processors).
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public init() {}
}
