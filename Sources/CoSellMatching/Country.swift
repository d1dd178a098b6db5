import Foundation

/// Normalizes country values ("United States", "USA", "U.S.", "us", "Deutschland") to ISO 3166-1
/// alpha-2 codes where known; unknown values become their lowercased letters.
public enum CountryNormalizer {
    /// Each known country's ISO 3166-1 alpha-2 code with the values that stand for it (lower case):
    /// the code, its English name first, then other names and most alpha-3 codes.
    static let table: [(String, [String])] = [
        ("US", ["us", "usa", "united states", "united states of america", "america", "u s a"]),
        (
            "GB",
            [
                "gb", "uk", "united kingdom", "great britain", "england", "scotland", "wales", "northern ireland",
                "britain", "gbr",
            ]
        ),
        ("DE", ["de", "germany", "deutschland", "deu", "ger"]),
        ("FR", ["fr", "france", "fra"]),
        ("ES", ["es", "spain", "espana", "esp"]),
        ("IT", ["it", "italy", "italia", "ita"]),
        ("NL", ["nl", "netherlands", "the netherlands", "holland", "nederland", "nld"]),
        ("BE", ["be", "belgium", "belgique", "belgie", "bel"]),
        ("LU", ["lu", "luxembourg"]),
        ("CH", ["ch", "switzerland", "schweiz", "suisse", "svizzera", "che"]),
        ("AT", ["at", "austria", "osterreich", "aut"]),
        ("SE", ["se", "sweden", "sverige", "swe"]),
        ("NO", ["no", "norway", "norge", "nor"]),
        ("DK", ["dk", "denmark", "danmark", "dnk"]),
        ("FI", ["fi", "finland", "suomi", "fin"]),
        ("IS", ["is", "iceland"]),
        ("IE", ["ie", "ireland", "irl"]),
        ("PT", ["pt", "portugal", "prt"]),
        ("PL", ["pl", "poland", "polska", "pol"]),
        ("CZ", ["cz", "czech republic", "czechia", "cze"]),
        ("SK", ["sk", "slovakia"]),
        ("HU", ["hu", "hungary", "magyarorszag"]),
        ("RO", ["ro", "romania"]),
        ("BG", ["bg", "bulgaria"]),
        ("GR", ["gr", "greece", "hellas"]),
        ("HR", ["hr", "croatia", "hrvatska"]),
        ("SI", ["si", "slovenia"]),
        ("RS", ["rs", "serbia"]),
        ("EE", ["ee", "estonia"]),
        ("LV", ["lv", "latvia"]),
        ("LT", ["lt", "lithuania"]),
        ("UA", ["ua", "ukraine"]),
        ("RU", ["ru", "russia", "russian federation"]),
        ("TR", ["tr", "turkey", "turkiye"]),
        ("IL", ["il", "israel"]),
        ("AE", ["ae", "united arab emirates", "uae"]),
        ("SA", ["sa", "saudi arabia"]),
        ("QA", ["qa", "qatar"]),
        ("EG", ["eg", "egypt"]),
        ("ZA", ["za", "south africa"]),
        ("NG", ["ng", "nigeria"]),
        ("KE", ["ke", "kenya"]),
        ("MA", ["ma", "morocco"]),
        ("CA", ["ca", "canada", "can"]),
        ("MX", ["mx", "mexico", "mex"]),
        ("BR", ["br", "brazil", "brasil", "bra"]),
        ("AR", ["ar", "argentina"]),
        ("CL", ["cl", "chile"]),
        ("CO", ["co", "colombia"]),
        ("PE", ["pe", "peru"]),
        ("JP", ["jp", "japan", "nippon", "jpn"]),
        ("CN", ["cn", "china", "prc", "people's republic of china", "chn"]),
        ("HK", ["hk", "hong kong"]),
        ("TW", ["tw", "taiwan"]),
        ("KR", ["kr", "south korea", "korea", "republic of korea", "kor"]),
        ("IN", ["in", "india", "ind"]),
        ("SG", ["sg", "singapore", "sgp"]),
        ("MY", ["my", "malaysia"]),
        ("ID", ["id", "indonesia"]),
        ("TH", ["th", "thailand"]),
        ("VN", ["vn", "vietnam", "viet nam"]),
        ("PH", ["ph", "philippines"]),
        ("AU", ["au", "australia", "aus"]),
        ("NZ", ["nz", "new zealand"]),
    ]

    static let aliases: [String: String] = {
        var d: [String: String] = [:]
        for (code, names) in table {
            for n in names { d[letters(n)] = code }
        }
        return d
    }()

    /// How many countries are known by name and code.
    public static var knownCountryCount: Int { table.count }

    /// The English name of a known country's alpha-2 code ("DE" → "Germany"); nil for another value.
    public static func name(ofCode code: String) -> String? {
        guard let names = table.first(where: { $0.0 == code.uppercased() })?.1,
            let name = names.first(where: { $0.count > 3 })
        else { return nil }
        return name.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// The English name of a country value if cosell knows it ("deutschland", "DEU" → "Germany").
    public static func knownName(_ value: String) -> String? {
        normalize(value).flatMap { name(ofCode: $0) }
    }

    static let byteTable: ByteTable = {
        var t = ByteTable(capacity: aliases.count)
        var codes: [String] = []
        var codeIndex: [String: Int32] = [:]
        for (alias, code) in aliases.sorted(by: { $0.key < $1.key }) {
            let idx: Int32
            if let i = codeIndex[code] {
                idx = i
            } else {
                idx = Int32(codes.count)
                codeIndex[code] = idx
                codes.append(code)
            }
            t.insert(Array(alias.utf8), value: idx)
        }
        return t
    }()

    static let codeList: [[UInt8]] = {
        var codes: [String] = []
        var seen: Set<String> = []
        for (_, code) in aliases.sorted(by: { $0.key < $1.key }) where !seen.contains(code) {
            seen.insert(code)
            codes.append(code)
        }
        return codes.map { Array($0.utf8) }
    }()

    /// A bit per known country code (the first 64 codes), 0 for unknown codes.
    static func bit(forCode code: String) -> UInt64 {
        guard let i = codeList.firstIndex(of: Array(code.utf8)), i < 64 else { return 0 }
        return 1 << UInt64(i)
    }

    static func letters(_ s: String) -> String {
        let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        return String(String.UnicodeScalarView(folded.unicodeScalars.filter { $0.properties.isAlphabetic }))
    }

    /// ISO code for a country value, or its lowercased letters if unknown, or nil if blank.
    public static func normalize(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: maxInput * 4 + 16)
        defer { out.deallocate() }
        let n = bytes.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            return normalize(base, b.count, out: out)
        }
        return n == 0 ? nil : String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
    }

    static let maxInput = 256

    /// Hot path: writes the code into `out` (capacity maxInput * 4 + 16) and returns its length.
    static func normalize(_ input: UnsafePointer<UInt8>, _ count: Int, out: UnsafeMutablePointer<UInt8>) -> Int {
        var ignored = -1
        return normalize(input, count, out: out, lastIndex: &ignored)
    }

    /// As above; `lastIndex` receives the code's index in `codeList` (-1 if the value is not a known country).
    static func normalize(
        _ input: UnsafePointer<UInt8>, _ count: Int, out: UnsafeMutablePointer<UInt8>, lastIndex: inout Int
    ) -> Int {
        lastIndex = -1
        let count = min(count, maxInput)
        var n = 0
        var nonASCII = false
        for i in 0..<count {
            let c = input[i]
            if c >= 0x80 {
                nonASCII = true
            } else if c >= 0x41 && c <= 0x5A {
                out[n] = c | 0x20
                n += 1
            } else if c >= 0x61 && c <= 0x7A {
                out[n] = c
                n += 1
            }
        }
        if nonASCII {
            n = 0
            for c in letters(String(decoding: UnsafeBufferPointer(start: input, count: count), as: UTF8.self)).utf8
            where n < maxInput * 4 {
                out[n] = c
                n += 1
            }
        }
        if n == 0 { return 0 }
        if let idx = byteTable.lookup(out, n) {
            let code = codeList[Int(idx)]
            out[0] = code[0]
            out[1] = code[1]
            lastIndex = Int(idx)
            return 2
        }
        return n
    }
}
