import Foundation

/// Options for reading an account export.
public struct ImportOptions: Sendable, Hashable, Codable {
    /// Explicit field -> header mapping; overrides detection for the fields it names.
    public var mapping: ColumnMapping?
    /// Population rules; nil means the detected format's defaults.
    public var populationRules: PopulationRules?
    /// Files larger than this are refused before reading (default 1 GiB).
    public var maxBytes: Int

    public init(mapping: ColumnMapping? = nil, populationRules: PopulationRules? = nil, maxBytes: Int = 1 << 30) {
        self.mapping = mapping
        self.populationRules = populationRules
        self.maxBytes = maxBytes
    }
}
