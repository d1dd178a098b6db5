import Foundation

extension SyntheticAccounts {
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

    /// Legal forms that are acronyms and can be written with dots.
    static let dottableForms: Set<String> = [
        "GmbH", "AG", "KG", "SAS", "SA", "SARL", "SL", "SpA", "Srl", "BV", "NV", "AB", "KK", "LLC", "PLC",
    ]

    /// "GmbH" -> "G.m.b.H." / "G.M.B.H." / "G. m. b. H.", "BV" -> "B. V.,".
    static func dotted(_ form: String, _ rng: inout SeededRandom) -> String {
        let letters = form.map { String($0) }
        switch rng.int(4) {
        case 0: return letters.joined(separator: ".") + "."
        case 1: return letters.map { $0.uppercased() }.joined(separator: ".") + "."
        case 2: return letters.joined(separator: ". ") + ".,"
        default: return letters.map { $0.uppercased() }.joined(separator: ". ") + "."
        }
    }

    static let regionQualifiers = ["EMEA", "APAC", "North America", "Europe", "LATAM", "DACH", "Nordics"]

    /// Moves, removes or adds one space inside the name ("Silver Kovean Corp" -> "Silver KoveanC orp").
    static func splitWord(_ s: String, _ rng: inout SeededRandom) -> String {
        var chars = Array(s)
        let spaces = chars.indices.filter { chars[$0] == " " && $0 > 1 && $0 < chars.count - 2 }
        switch rng.int(3) {
        case 0 where !spaces.isEmpty:
            // Move a space one letter to the right: "Kovean Corp" -> "KoveanC orp".
            let i = rng.pick(spaces)
            if chars[i + 1] != " " && chars[i + 2] != " " { chars.swapAt(i, i + 1) }
        case 1 where !spaces.isEmpty:
            chars.remove(at: rng.pick(spaces))  // "Silver Kovean" -> "SilverKovean"
        default:
            // Split the first word: "Silverkovean" -> "Silver kovean".
            let firstSpace = chars.firstIndex(of: " ") ?? chars.count
            if firstSpace > 5 { chars.insert(" ", at: 2 + rng.int(firstSpace - 3)) }
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
                var form = ""
                if formRoll < 5 {
                    form = c.forms[0]
                } else if formRoll < 8 {
                    form = rng.pick(c.forms)
                }
                if !salesforce && !form.isEmpty && dottableForms.contains(form) && rng.chance(config.dottedFormRate) {
                    form = dotted(form, &rng)
                }
                if !form.isEmpty { name += (rng.chance(0.3) && c.code == "US" ? ", " : " ") + form }
                if !salesforce && rng.chance(config.qualifierRate) {
                    if rng.chance(0.6) {
                        let country = rng.pick(c.names)
                        name += " (" + (rng.chance(0.3) ? country.uppercased() : country) + ")"
                    } else {
                        let region = rng.pick(regionQualifiers)
                        switch rng.int(3) {
                        case 0: name += " (" + region + ")"
                        case 1: name += " - " + region
                        default: name += " – " + region
                        }
                    }
                }
                if !salesforce && !e.leadingThe && rng.chance(config.extraTheRate) { name = "The " + name }
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
                // A split or joined word while the website is the company's own.
                if !salesforce && web.contains(d) && rng.chance(config.splitWordRate) {
                    name = splitWord(name, &rng)
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
