import Foundation

/// One normalized record inside an `AccountTable`: where its strings are in the table's byte arena, plus
/// hashes and small fields, in 64 bytes.
///
/// A row's strings follow one another in the arena, in this order: name, key, literal key (left out when
/// it equals the key), id, website, domain, country, industry, street, city, state, postal code. So the
/// row keeps where the first one starts (32 bits) and each one's length (16 bits), and works out an
/// offset by adding the lengths before it. Spans are read as one `UInt64` (offset << 16 | length).
/// `Row.Writer` appends the strings in that order; nothing else writes them. Two lists of a million rows
/// take 128 MB instead of the 272 MB of twelve 64-bit spans. A table's arena stays under 4 GiB
/// (`Row.maxArenaBytes`); loading checks it and refuses a larger file with `tooLarge`.
struct Row {
    /// The largest arena a row's 32-bit offsets can address.
    static let maxArenaBytes = Int(UInt32.max)

    private var base: UInt32 = 0
    private var nameLength: UInt16 = 0
    private var keyLength: UInt16 = 0
    private var literalKeyLength: UInt16 = 0
    private var idLength: UInt16 = 0
    private var websiteLength: UInt16 = 0
    private var domainLength: UInt16 = 0
    private var countryLength: UInt16 = 0
    private var industryLength: UInt16 = 0
    private var streetLength: UInt16 = 0
    private var cityLength: UInt16 = 0
    private var stateLength: UInt16 = 0
    private var postalCodeLength: UInt16 = 0
    var employees: Int32 = -1
    var line: Int32 = 0
    var domainStatus: UInt8 = 0
    var population: UInt8 = 0
    /// 1 + index of the country code (bit index for `formRegions`), 0 if unknown.
    var countryIndex: UInt8 = 0
    private var flags: UInt8 = 0
    var keyHash: UInt64 = 0
    var domainHash: UInt64 = 0
    /// Countries implied by the stripped legal form (CountryNormalizer bits), 0 = no signal.
    var formRegions: UInt64 = 0

    private static let legalFormFlag: UInt8 = 1
    private static let literalIsKeyFlag: UInt8 = 2
    private static let countryQualifierFlag: UInt8 = 4

    @inline(__always) var hasDomain: Bool { domainStatus == DomainStatus.domain.rawValue }

    /// The name carried a legal form (GmbH, N.V., Inc ...).
    var hasLegalForm: Bool {
        @inline(__always) get { flags & Self.legalFormFlag != 0 }
        set { flags = newValue ? flags | Self.legalFormFlag : flags & ~Self.legalFormFlag }
    }

    /// `formRegions` is a country the name itself names ("Acme (Canada) Inc."), not a legal form's.
    var hasCountryQualifier: Bool {
        @inline(__always) get { flags & Self.countryQualifierFlag != 0 }
        set { flags = newValue ? flags | Self.countryQualifierFlag : flags & ~Self.countryQualifierFlag }
    }

    @inline(__always) private static func span(_ offset: UInt32, _ length: UInt16) -> UInt64 {
        UInt64(offset) << 16 | UInt64(length)
    }

    @inline(__always) var name: UInt64 { Self.span(base, nameLength) }
    @inline(__always) private var keyOffset: UInt32 { base &+ UInt32(nameLength) }
    @inline(__always) var key: UInt64 { Self.span(keyOffset, keyLength) }
    /// The key before plurals, abbreviations and inner legal forms were brought to one form (the same
    /// span as `key` when nothing changed): typos and split words are compared on it too.
    @inline(__always) var literalKey: UInt64 {
        flags & Self.literalIsKeyFlag != 0 ? key : Self.span(keyOffset &+ UInt32(keyLength), literalKeyLength)
    }
    @inline(__always) private var idOffset: UInt32 {
        keyOffset &+ UInt32(keyLength) &+ UInt32(literalKeyLength)
    }
    @inline(__always) var id: UInt64 { Self.span(idOffset, idLength) }
    @inline(__always) private var websiteOffset: UInt32 { idOffset &+ UInt32(idLength) }
    @inline(__always) var website: UInt64 { Self.span(websiteOffset, websiteLength) }
    @inline(__always) private var domainOffset: UInt32 { websiteOffset &+ UInt32(websiteLength) }
    @inline(__always) var domain: UInt64 { Self.span(domainOffset, domainLength) }
    @inline(__always) private var countryOffset: UInt32 { domainOffset &+ UInt32(domainLength) }
    @inline(__always) var country: UInt64 { Self.span(countryOffset, countryLength) }
    @inline(__always) private var industryOffset: UInt32 { countryOffset &+ UInt32(countryLength) }
    @inline(__always) var industry: UInt64 { Self.span(industryOffset, industryLength) }
    @inline(__always) private var streetOffset: UInt32 { industryOffset &+ UInt32(industryLength) }
    @inline(__always) var street: UInt64 { Self.span(streetOffset, streetLength) }
    @inline(__always) private var cityOffset: UInt32 { streetOffset &+ UInt32(streetLength) }
    @inline(__always) var city: UInt64 { Self.span(cityOffset, cityLength) }
    @inline(__always) private var stateOffset: UInt32 { cityOffset &+ UInt32(cityLength) }
    @inline(__always) var state: UInt64 { Self.span(stateOffset, stateLength) }
    @inline(__always) var postalCode: UInt64 { Self.span(stateOffset &+ UInt32(stateLength), postalCodeLength) }

    /// Moves the row's strings by `bytes` (a chunk's arena copied into a table's at that offset).
    @inline(__always) mutating func rebase(by bytes: UInt32) { base &+= bytes }

    /// Appends one row's strings to an arena, in the row's order. The caller keeps the arena under
    /// `maxArenaBytes` (a row adds at most twelve strings of 64 KiB).
    struct Writer {
        var row = Row()

        init(startingAt offset: Int) { row.base = UInt32(truncatingIfNeeded: offset) }

        @inline(__always) private static func append(
            _ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>
        ) -> UInt16 {
            UInt16(truncatingIfNeeded: spanLength(arena.appendSpan(p, n)))
        }

        mutating func name(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.nameLength = Self.append(p, n, to: &arena)
        }
        mutating func key(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.keyLength = Self.append(p, n, to: &arena)
        }
        /// The literal key, or nothing when it is the key.
        mutating func literalKey(_ p: UnsafePointer<UInt8>, _ n: Int, sameAsKey: Bool, to arena: inout RawBuffer<UInt8>)
        {
            if sameAsKey {
                row.flags |= Row.literalIsKeyFlag
            } else {
                row.literalKeyLength = Self.append(p, n, to: &arena)
            }
        }
        mutating func id(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.idLength = Self.append(p, n, to: &arena)
        }
        mutating func website(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.websiteLength = Self.append(p, n, to: &arena)
        }
        mutating func domain(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.domainLength = Self.append(p, n, to: &arena)
        }
        mutating func country(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.countryLength = Self.append(p, n, to: &arena)
        }
        mutating func industry(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.industryLength = Self.append(p, n, to: &arena)
        }
        mutating func street(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.streetLength = Self.append(p, n, to: &arena)
        }
        mutating func city(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.cityLength = Self.append(p, n, to: &arena)
        }
        mutating func state(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.stateLength = Self.append(p, n, to: &arena)
        }
        mutating func postalCode(_ p: UnsafePointer<UInt8>, _ n: Int, to arena: inout RawBuffer<UInt8>) {
            row.postalCodeLength = Self.append(p, n, to: &arena)
        }
    }
}

@inline(__always) func spanLength(_ s: UInt64) -> Int { Int(s & 0xFFFF) }
@inline(__always) func spanOffset(_ s: UInt64) -> Int { Int(s >> 16) }
