import Foundation

/// Settings for the synthetic account lists.
public struct SyntheticConfig: Sendable, Hashable, Codable {
    /// Records per file (before within-file duplicates).
    public var count: Int
    /// Fraction of each file's companies also in the other file.
    public var overlapFraction: Double = 0.2
    public var seed: UInt64 = 42
    /// Fraction of companies that are parents with 1-3 subsidiaries sharing their domain.
    public var parentRate: Double = 0.03
    /// Fraction of companies that reuse another company's name (different country and domain).
    public var namesakeRate: Double = 0.02
    public var duplicateRate: Double = 0.01
    public var blankWebsiteRate: Double = 0.06
    public var freeMailRate: Double = 0.03
    public var emailWebsiteRate: Double = 0.05
    public var typoRate: Double = 0.04
    public var blankCountryRate: Double = 0.05
    // Variants written into the partner file only (each record stays the same company in the truth):
    /// Of the partner records whose legal form is an acronym (GmbH, BV, SA ...), the share that write it
    /// with dots and capitals ("G.M.B.H.", "B. V.,", "N.V.").
    public var dottedFormRate: Double = 0.15
    /// A country or region qualifier: "Acme Group (Germany)", "ACME INC. (UNITED STATES)", "Acme - EMEA".
    public var qualifierRate: Double = 0.04
    /// A leading "The" that the other file does not have.
    public var extraTheRate: Double = 0.02
    /// A split or joined word, or a space moved by one letter, while the website is the company's own.
    public var splitWordRate: Double = 0.03
    public init(count: Int, seed: UInt64 = 42) {
        self.count = count
        self.seed = seed
    }
}

/// A generated pair of files with truth.
public struct SyntheticDataset: Sendable {
    /// Salesforce export (API-name headers).
    public var hostCSV: [UInt8]
    /// HubSpot export (label headers).
    public var partnerCSV: [UInt8]
    public var truth: GroundTruth
}

/// Generates realistic noisy account lists with ground truth, deterministically from a seed.
public enum SyntheticAccounts {
    struct Entity {
        var base: String  // name without legal form
        var country: Int
        var domain: String
        var industry: String
        var employees: Int
        var family: Int32
        var leadingThe: Bool
    }

    static let syllables = [
        "ka", "lo", "ve", "ra", "ti", "no", "mar", "del", "sen", "vor", "qui", "ban", "tor", "lex", "zen", "pha",
        "cor", "mi", "ta", "ne", "su", "gra", "fel", "dor", "ris", "an", "el", "ost", "bri", "hal", "wen", "yor",
        "cam", "bel", "dun", "fra", "gil", "har", "ix", "jun", "kel", "lum", "mor", "nix", "pol", "quar", "rin", "sol",
        "tek", "ul", "vin", "wal", "xen", "yan", "zor", "ber", "cla", "dra", "eto", "fin",
    ]
    static let words = [
        "Analytics", "Logistics", "Systems", "Health", "Energy", "Foods", "Motors", "Capital", "Software", "Labs",
        "Robotics", "Media", "Partners", "Networks", "Pharma", "Bank", "Insurance", "Retail", "Textiles", "Aerospace",
        "Mining", "Foundry", "Studios", "Consulting", "Telecom", "Security", "Dynamics", "Solutions", "Technologies",
        "Industries", "Materials", "Chemicals", "Apparel", "Airlines", "Shipping", "Brewing", "Farms", "Clinics",
        "Devices", "Instruments", "Data", "Cloud", "Payments", "Travel", "Hotels", "Construction", "Engineering",
        "Optics", "Semiconductors", "Biotech", "Water", "Steel", "Paper", "Glass", "Toys", "Games", "Books", "Music",
    ]
    static let divisions = [
        "Japan", "Services", "Financial Services", "Research", "Ventures", "Holdings", "Digital", "Europe",
        "Foundation", "Asia Pacific",
    ]
    static let industries = [
        "Technology", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Energy", "Media", "Logistics",
        "Education", "Telecommunications",
    ]
    // country code, written forms, tld, legal forms (canonical first)
    static let countries: [(code: String, names: [String], tld: String, forms: [String], weight: Int)] = [
        (
            "US", ["United States", "USA", "US", "United States of America"], "com",
            ["Inc.", "LLC", "Corp.", "Corporation", "Incorporated", "Co."], 40
        ),
        ("GB", ["United Kingdom", "UK", "GB", "England"], "co.uk", ["Ltd", "Limited", "PLC", "Ltd."], 10),
        ("DE", ["Germany", "Deutschland", "DE"], "de", ["GmbH", "AG", "GmbH & Co. KG", "KG"], 10),
        ("FR", ["France", "FR"], "fr", ["SAS", "SA", "SARL", "S.A."], 7),
        ("ES", ["Spain", "España", "ES"], "es", ["S.L.", "SA", "S.A.", "SL"], 4),
        ("IT", ["Italy", "Italia", "IT"], "it", ["S.p.A.", "S.r.l.", "SpA", "Srl"], 4),
        ("NL", ["Netherlands", "NL", "Holland"], "nl", ["B.V.", "N.V.", "BV"], 4),
        ("SE", ["Sweden", "SE"], "se", ["AB", "AB (publ)"], 3),
        ("FI", ["Finland", "FI"], "fi", ["Oy", "Oyj"], 2),
        ("JP", ["Japan", "JP"], "co.jp", ["K.K.", "Kabushiki Kaisha", "Co., Ltd.", "KK"], 6),
        ("AU", ["Australia", "AU"], "com.au", ["Pty Ltd", "Pty. Ltd.", "Limited"], 4),
        ("BR", ["Brazil", "Brasil", "BR"], "com.br", ["Ltda", "Ltda.", "S.A."], 3),
        ("CA", ["Canada", "CA"], "ca", ["Inc.", "Ltd.", "Corp."], 3),
    ]
    static let diacriticMap: [Character: Character] = ["o": "ö", "a": "ä", "e": "é", "u": "ü", "n": "ñ", "c": "ç"]
    static let freeMail = [
        "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "web.de", "yahoo.co.uk", "icloud.com",
    ]

    public static func generate(_ config: SyntheticConfig) -> SyntheticDataset {
        var rng = SeededRandom(seed: config.seed)
        let n = config.count
        let shared = Int(Double(n) * config.overlapFraction)
        let totalEntities = 2 * n - shared
        var weightTable: [Int] = []
        for (i, c) in countries.enumerated() { weightTable.append(contentsOf: Array(repeating: i, count: c.weight)) }
        var usedDomains = Set<String>()
        usedDomains.reserveCapacity(totalEntities)
        var entities: [Entity] = []
        entities.reserveCapacity(totalEntities + totalEntities / 10)
        var usedNames = Set<String>()
        usedNames.reserveCapacity(totalEntities)
        func newBase(_ rng: inout SeededRandom) -> String {
            while true {
                var w = ""
                let k = 2 + rng.int(3)
                for _ in 0..<k { w += rng.pick(syllables) }
                let name = w.prefix(1).uppercased() + w.dropFirst() + " " + rng.pick(words)
                if usedNames.insert(name).inserted { return name }
            }
        }
        func domainFor(_ base: String, tld: String, _ rng: inout SeededRandom) -> String {
            let parts = base.lowercased().folding(options: .diacriticInsensitive, locale: nil).split(separator: " ")
            var d = rng.chance(0.5) ? parts.joined() : parts.joined(separator: "-")
            if rng.chance(0.3) { d = String(parts[0]) }
            var candidate = d + "." + tld
            var k = 2
            while usedDomains.contains(candidate) {
                candidate = d + String(k) + "." + tld
                k += 1
            }
            usedDomains.insert(candidate)
            return candidate
        }
        var i = 0
        while entities.count < totalEntities {
            let c = weightTable[rng.int(weightTable.count)]
            var base = newBase(&rng)
            if rng.chance(config.namesakeRate), !entities.isEmpty {
                // A namesake: same name as an existing company, different country and domain.
                let other = entities[rng.int(entities.count)]
                base = other.base
            } else if (c == 2 || c == 3 || c == 4 || c == 8) && rng.chance(0.25) {
                // Diacritics in local names.
                var chars = Array(base)
                for j in 0..<min(chars.count, 8) {
                    if let d = diacriticMap[chars[j]] {
                        chars[j] = d
                        break
                    }
                }
                base = String(chars)
            }
            let family = Int32(entities.count)
            let e = Entity(
                base: base, country: c, domain: domainFor(base, tld: countries[c].tld, &rng),
                industry: rng.pick(industries), employees: 5 + rng.int(20000), family: family,
                leadingThe: rng.chance(0.03))
            entities.append(e)
            if rng.chance(config.parentRate) {
                let subs = 1 + rng.int(3)
                var usedDiv = Set<String>()
                for _ in 0..<subs where entities.count < totalEntities {
                    let div = rng.pick(divisions)
                    if usedDiv.contains(div) { continue }
                    usedDiv.insert(div)
                    var s = e
                    s.base = e.base + " " + div
                    s.country = rng.chance(0.5) ? e.country : weightTable[rng.int(weightTable.count)]
                    s.leadingThe = false
                    entities.append(s)
                }
            }
            i += 1
        }
        // Assign entities to files: a random permutation; first `shared` in both.
        var order = Array(0..<entities.count)
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, rng.int(k + 1)) }
        let sharedSet = order[0..<shared]
        let hostOnly = order[shared..<n]
        let partnerOnly = order[n..<min(order.count, 2 * n - shared)]
        var hostList = Array(sharedSet) + Array(hostOnly)
        var partnerList = Array(sharedSet) + Array(partnerOnly)
        for k in stride(from: hostList.count - 1, to: 0, by: -1) { hostList.swapAt(k, rng.int(k + 1)) }
        for k in stride(from: partnerList.count - 1, to: 0, by: -1) { partnerList.swapAt(k, rng.int(k + 1)) }
        var truth = GroundTruth()
        truth.hostEntity.reserveCapacity(n + n / 50)
        truth.partnerEntity.reserveCapacity(n + n / 50)
        let host = writeFile(
            entities: entities, list: hostList, salesforce: true, config: config, rng: &rng,
            entityTruth: &truth.hostEntity, familyTruth: &truth.hostFamily)
        let partner = writeFile(
            entities: entities, list: partnerList, salesforce: false, config: config, rng: &rng,
            entityTruth: &truth.partnerEntity, familyTruth: &truth.partnerFamily)
        return SyntheticDataset(hostCSV: host, partnerCSV: partner, truth: truth)
    }
}
