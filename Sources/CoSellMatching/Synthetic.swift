import Foundation

/// Deterministic pseudo-random numbers (SplitMix64).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

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
    public init(count: Int, seed: UInt64 = 42) {
        self.count = count
        self.seed = seed
    }
}

/// Which company (entity) and family each synthetic record really belongs to.
public struct GroundTruth: Sendable {
    public var hostEntity: [String: Int32] = [:]
    public var hostFamily: [String: Int32] = [:]
    public var partnerEntity: [String: Int32] = [:]
    public var partnerFamily: [String: Int32] = [:]
    public init() {}

    /// Number of true same_account pairs (host record x partner record of one company).
    public var trueSameAccountPairs: Int {
        var partnerCounts: [Int32: Int] = [:]
        for (_, e) in partnerEntity { partnerCounts[e, default: 0] += 1 }
        var n = 0
        for (_, e) in hostEntity { n += partnerCounts[e] ?? 0 }
        return n
    }

    /// Truth as CSV (`side,id,entity,family`).
    public func csv() -> [UInt8] {
        var out: [UInt8] = Array("side,id,entity,family\n".utf8)
        for (id, e) in hostEntity.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: "host,\(id),\(e),\(hostFamily[id] ?? e)\n".utf8)
        }
        for (id, e) in partnerEntity.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: "partner,\(id),\(e),\(partnerFamily[id] ?? e)\n".utf8)
        }
        return out
    }

    public static func parse(csv data: Data) throws(AccountImportError) -> GroundTruth {
        var t = GroundTruth()
        for row in try CSV.parse(data).dropFirst() where row.count == 4 {
            guard let e = Int32(row[2]), let f = Int32(row[3]) else { continue }
            if row[0] == "host" {
                t.hostEntity[row[1]] = e
                t.hostFamily[row[1]] = f
            } else {
                t.partnerEntity[row[1]] = e
                t.partnerFamily[row[1]] = f
            }
        }
        return t
    }
}

/// Precision and recall of a run against the truth: per record pair and per host account.
public struct QualityReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// True same_account pairs (host record x partner record of one company).
    public var truePairs = 0
    public var predictedSameAccount = 0
    public var correctSameAccount = 0
    public var predictedFamily = 0
    /// Family pairs whose records really are in one family (or one company).
    public var correctFamily = 0
    /// Host accounts with at least one true counterpart in the partner file.
    public var hostAccountsWithTrueMatch = 0
    /// Host accounts with at least one predicted same_account partner.
    public var hostAccountsPredicted = 0
    /// Host accounts whose predicted same_account partners are all right.
    public var hostAccountsAllCorrect = 0
    /// Host accounts with a true counterpart that got at least one right partner.
    public var hostAccountsFound = 0

    public init() {}

    /// Pair level: predicted same_account pairs that are right.
    public var precision: Double {
        predictedSameAccount == 0 ? 1 : Double(correctSameAccount) / Double(predictedSameAccount)
    }
    /// Pair level: true pairs that were predicted.
    public var recall: Double { truePairs == 0 ? 1 : Double(correctSameAccount) / Double(truePairs) }
    /// Account level: matched host accounts whose matches are all right.
    public var accountPrecision: Double {
        hostAccountsPredicted == 0 ? 1 : Double(hostAccountsAllCorrect) / Double(hostAccountsPredicted)
    }
    /// Account level: host accounts with a counterpart that were matched to it.
    public var accountRecall: Double {
        hostAccountsWithTrueMatch == 0 ? 1 : Double(hostAccountsFound) / Double(hostAccountsWithTrueMatch)
    }
    public var familyPrecision: Double { predictedFamily == 0 ? 1 : Double(correctFamily) / Double(predictedFamily) }

    public var description: String {
        String(
            format:
                "same_account pairs: precision %.4f, recall %.4f (%d predicted, %d correct, %d true); host accounts: precision %.4f, recall %.4f; same_family: %d predicted, precision %.4f",
            precision, recall, predictedSameAccount, correctSameAccount, truePairs, accountPrecision, accountRecall,
            predictedFamily, familyPrecision)
    }

    public static func evaluate(
        _ overlaps: [(hostId: String, partnerId: String, relation: OverlapRelation)], truth: GroundTruth
    ) -> QualityReport {
        var r = QualityReport()
        r.truePairs = truth.trueSameAccountPairs
        var partnerEntities = Set<Int32>()
        for (_, e) in truth.partnerEntity { partnerEntities.insert(e) }
        for (_, e) in truth.hostEntity where partnerEntities.contains(e) { r.hostAccountsWithTrueMatch += 1 }
        var perHost: [String: (right: Int, wrong: Int)] = [:]
        for o in overlaps {
            let he = truth.hostEntity[o.hostId]
            let pe = truth.partnerEntity[o.partnerId]
            switch o.relation {
            case .same_account:
                r.predictedSameAccount += 1
                let right = he != nil && he == pe
                if right { r.correctSameAccount += 1 }
                var c = perHost[o.hostId] ?? (0, 0)
                if right { c.right += 1 } else { c.wrong += 1 }
                perHost[o.hostId] = c
            case .same_family:
                r.predictedFamily += 1
                let hf = truth.hostFamily[o.hostId]
                let pf = truth.partnerFamily[o.partnerId]
                if hf != nil && hf == pf { r.correctFamily += 1 }
            }
        }
        r.hostAccountsPredicted = perHost.count
        r.hostAccountsAllCorrect = perHost.values.filter { $0.wrong == 0 }.count
        r.hostAccountsFound = perHost.values.filter { $0.right > 0 }.count
        return r
    }

    /// Evaluates an overlaps CSV file as written by `AccountMapping`.
    public static func evaluate(overlapsCSV: Data, truth: GroundTruth) throws(AccountImportError) -> QualityReport {
        let rows = try CSV.parse(overlapsCSV)
        let list = rows.dropFirst().compactMap { r -> (String, String, OverlapRelation)? in
            guard r.count >= 3, let rel = OverlapRelation(rawValue: r[2]) else { return nil }
            return (r[0], r[1], rel)
        }
        return evaluate(list.map { (hostId: $0.0, partnerId: $0.1, relation: $0.2) }, truth: truth)
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

    static func csvField(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return s
    }

    static func typo(_ s: String, _ rng: inout SeededRandom) -> String {
        var chars = Array(s)
        // Only touch letters of the first word, away from the first character.
        let firstSpace = chars.firstIndex(of: " ") ?? chars.count
        guard firstSpace > 4 else { return s }
        let pos = 1 + rng.int(firstSpace - 2)
        switch rng.int(4) {
        case 0: chars[pos] = Character(UnicodeScalar(UInt8(97 + rng.int(26))))
        case 1: chars.swapAt(pos, pos + 1)
        case 2: chars.remove(at: pos)
        default: chars.insert(Character(UnicodeScalar(UInt8(97 + rng.int(26)))), at: pos)
        }
        return String(chars)
    }

    static func writeFile(
        entities: [Entity], list: [Int], salesforce: Bool, config: SyntheticConfig, rng: inout SeededRandom,
        entityTruth: inout [String: Int32], familyTruth: inout [String: Int32]
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(list.count * 110)
        if salesforce {
            out.append(contentsOf: "Id,Name,Website,BillingCountry,Industry,NumberOfEmployees,Type\n".utf8)
        } else {
            out.append(
                contentsOf:
                    "Record ID,Company name,Company Domain Name,Country/Region,Industry,Number of Employees,Lifecycle Stage\n"
                    .utf8)
        }
        var serial = 0
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        func nextId() -> String {
            serial += 1
            if salesforce {
                var v = serial
                var tail: [UInt8] = []
                for _ in 0..<12 {
                    tail.append(alphabet[v % 62])
                    v /= 62
                }
                return "001" + String(decoding: tail.reversed(), as: UTF8.self) + "AAA"
            }
            return String(1_000_000_000 + serial * 7)
        }
        for ei in list {
            let copies = rng.chance(config.duplicateRate) ? 2 : 1
            for _ in 0..<copies {
                let e = entities[ei]
                let c = countries[e.country]
                let id = nextId()
                entityTruth[id] = Int32(ei)
                familyTruth[id] = e.family
                // Name.
                var name = e.base
                if rng.chance(config.typoRate) { name = typo(name, &rng) }
                if rng.chance(0.5) {
                    name = name.folding(options: .diacriticInsensitive, locale: nil)
                }
                let formRoll = rng.int(10)
                if formRoll < 5 {
                    name += " " + c.forms[0]
                } else if formRoll < 8 {
                    name += (rng.chance(0.3) && c.code == "US" ? ", " : " ") + rng.pick(c.forms)
                }
                if e.leadingThe && rng.chance(0.6) { name = "The " + name }
                let caseRoll = rng.int(20)
                if caseRoll == 0 { name = name.uppercased() } else if caseRoll == 1 { name = name.lowercased() }
                if rng.chance(0.05) { name = name.replacingOccurrences(of: " and ", with: " & ") }
                // Website.
                var web: String
                let d = e.domain
                if rng.chance(config.blankWebsiteRate) {
                    web = ""
                } else if rng.chance(config.freeMailRate) {
                    web = "contact\(rng.int(1000))@" + rng.pick(freeMail)
                } else if rng.chance(config.emailWebsiteRate) {
                    web = rng.pick(["info", "sales", "hello", "office"]) + "@" + d
                } else if salesforce {
                    switch rng.int(8) {
                    case 0: web = d
                    case 1: web = "www." + d
                    case 2: web = "https://www." + d + "/"
                    case 3: web = "http://" + d + "/about?ref=crm"
                    case 4: web = "https://" + d + ":443/contact#team"
                    case 5: web = "WWW." + d.uppercased()
                    case 6: web = "https://shop." + d + "/en-us/"
                    default: web = "http://www." + d
                    }
                } else {
                    web = rng.int(5) == 0 ? "www." + d : d
                }
                // Country.
                let country = rng.chance(config.blankCountryRate) ? "" : rng.pick(c.names)
                let employees = rng.chance(0.1) ? "" : String(e.employees)
                let population: String
                let r = rng.int(100)
                if salesforce {
                    population =
                        r < 25
                        ? rng.pick(["Customer - Direct", "Customer - Channel"])
                        : (r < 40 ? "Open Opportunity" : "Prospect")
                } else {
                    population =
                        r < 25
                        ? "customer"
                        : (r < 40
                            ? "opportunity"
                            : rng.pick(["lead", "marketingqualifiedlead", "salesqualifiedlead", "subscriber"]))
                }
                let line = [
                    id, csvField(name), csvField(web), csvField(country), csvField(e.industry), employees, population,
                ]
                .joined(separator: ",")
                out.append(contentsOf: line.utf8)
                out.append(0x0A)
            }
        }
        return out
    }
}
