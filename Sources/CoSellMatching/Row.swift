import Foundation

/// One normalized record inside an `AccountTable`: spans (offset << 16 | length) into the table's byte
/// arena, plus hashes and small fields.
struct Row {
    var id: UInt64 = 0
    var name: UInt64 = 0
    var key: UInt64 = 0
    /// The key before plurals, abbreviations and inner legal forms were brought to one form (the same
    /// span as `key` when nothing changed): typos and split words are compared on it too.
    var literalKey: UInt64 = 0
    var domain: UInt64 = 0
    var country: UInt64 = 0
    var industry: UInt64 = 0
    var website: UInt64 = 0
    var street: UInt64 = 0
    var city: UInt64 = 0
    var state: UInt64 = 0
    var postalCode: UInt64 = 0
    var keyHash: UInt64 = 0
    var domainHash: UInt64 = 0
    var employees: Int32 = -1
    var line: Int32 = 0
    var domainStatus: UInt8 = 0
    var population: UInt8 = 0
    /// 1 + index of the country code (bit index for `formRegions`), 0 if unknown.
    var countryIndex: UInt8 = 0
    /// The name carried a legal form (GmbH, N.V., Inc ...).
    var hasLegalForm: Bool = false
    /// Countries implied by the stripped legal form (CountryNormalizer bits), 0 = no signal.
    var formRegions: UInt64 = 0

    @inline(__always) var hasDomain: Bool { domainStatus == DomainStatus.domain.rawValue }
}

@inline(__always) func spanLength(_ s: UInt64) -> Int { Int(s & 0xFFFF) }
@inline(__always) func spanOffset(_ s: UInt64) -> Int { Int(s >> 16) }
