import CoSellMatching
import CoSellPrivateSet
import Foundation
import Testing

/// The private set intersection and its keys, without a server: commutativity, refusals, and an
/// overlap that equals the exact-key overlap computed directly on both lists.
@Suite("Private set intersection")
struct PrivateSetTests {
    func records(_ csv: String) throws -> [AccountRecord] {
        try AccountTable.load(data: Data(csv.utf8), fileName: "t.csv", threads: 1).records
    }

    /// The server's side of a run, done here: the set encrypted by `b`, the query's points by `b`.
    func privateOverlap(query: [AccountRecord], set: [AccountRecord]) throws -> [Int] {
        let b = PrivateSet.Secret()
        var held = Set<String>()
        for r in set { held.formUnion(PrivateMatchKeys.keys(of: r, role: .set)) }
        let encryptedSet = try PrivateSet.encrypt(held.shuffled(), with: b)
        let q = PrivateSet.Query(keysPerAccount: query.map { PrivateMatchKeys.keys(of: $0, role: .query) })
        let evaluated = try PrivateSet.multiply(try q.blinded(), by: b)
        return try q.overlap(evaluated: evaluated, set: encryptedSet)
    }

    @Test("a·(b·H(k)) equals b·(a·H(k)), and differs for another key or another secret")
    func commutes() throws {
        let a = PrivateSet.Secret()
        let b = PrivateSet.Secret()
        let ab = try PrivateSet.multiply(try PrivateSet.encrypt(["d:acme.com"], with: a), by: b)
        let ba = try PrivateSet.multiply(try PrivateSet.encrypt(["d:acme.com"], with: b), by: a)
        #expect(ab == ba)
        #expect(ab.count == PrivateSet.elementBytes)
        let other = try PrivateSet.multiply(try PrivateSet.encrypt(["d:acme.co"], with: a), by: b)
        #expect(other != ab)
        let c = PrivateSet.Secret()
        #expect(try PrivateSet.multiply(try PrivateSet.encrypt(["d:acme.com"], with: a), by: c) != ab)
        // A stored secret is the same secret.
        let again = try PrivateSet.Secret(raw: b.raw)
        #expect(try PrivateSet.multiply(try PrivateSet.encrypt(["d:acme.com"], with: a), by: again) == ab)
        // What the server sees of a key is not the key's hash.
        #expect(try PrivateSet.encrypt(["d:acme.com"], with: a) != Data(PrivateSet.point("d:acme.com")))
    }

    @Test("bytes that are not whole points, small-order points and a short secret are refused")
    func refusals() throws {
        let b = PrivateSet.Secret()
        #expect(throws: PrivateSet.Failure.length(31)) { try PrivateSet.multiply(Data(count: 31), by: b) }
        // u = 0 and u = 1 are points of small order: their product is zero.
        var points = try PrivateSet.encrypt(["d:a.com", "d:b.com"], with: PrivateSet.Secret())
        points.append(Data(count: 32))
        #expect(throws: PrivateSet.Failure.smallOrder(index: 2)) { try PrivateSet.multiply(points, by: b) }
        var one = Data(count: 32)
        one[0] = 1
        #expect(throws: PrivateSet.Failure.smallOrder(index: 0)) { try PrivateSet.multiply(one, by: b) }
        #expect(throws: PrivateSet.Failure.secret) { try PrivateSet.Secret(raw: Data(count: 16)) }
        #expect(try PrivateSet.multiply(Data(), by: b).isEmpty)
    }

    @Test(
        "a domain matches with the name; a name matches across a missing country or domain, never across two countries or two domains"
    )
    func matchRules() throws {
        let set = try records(
            """
            id,name,website,country
            S1,Kestrel Logistics GmbH,,DE
            S2,Brightwater Pharmaceuticals AG,,CH
            S3,Harbor Lights Ltd,,
            S4,Copperline Bank,https://copperline.example,US
            S5,Acme Robotics,acme.example,US
            S6,Vinrin Steel Inc.,vinrinsteel.example,US
            S7,Tekhal Clinics,tekhal.example,US
            """)
        let query = try records(
            """
            id,name,website,country
            Q1,KESTREL LOGISTICS,,Germany
            Q2,Brightwater Pharmaceuticals,,FR
            Q3,Harbor Lights,,GB
            Q4,Brightwater Pharmaceuticals,,
            Q5,Copperline Bank Inc.,www.copperline.example,
            Q6,Quietwater Widgets,quietwater.example,US
            Q7,Acme Holdings,acme.example,US
            Q8,Vinrin Steel,vinrin.example,US
            Q9,Tekhal Clinics,,US
            """)
        // Q2: two countries. Q6: nothing alike. Q7: same domain, another company of the group.
        // Q8: same name, two domains (two companies). Q9: same name and country, one domain.
        let expected = [0, 2, 3, 4, 8]
        #expect(PrivateMatchKeys.directOverlap(query: query, set: set) == expected)
        #expect(try privateOverlap(query: query, set: set) == expected)
        #expect(
            query.allSatisfy { PrivateMatchKeys.keys(of: $0, role: .query).count <= PrivateMatchKeys.maxPerAccount })
        #expect(set.allSatisfy { PrivateMatchKeys.keys(of: $0, role: .set).count <= PrivateMatchKeys.maxPerAccount })
    }

    @Test("on generated lists the private overlap is exactly the direct exact-key overlap", arguments: [7, 20_261_205])
    func equalsDirectOverlap(seed: UInt64) throws {
        var g = SeededRandom(seed: seed)
        let forms = ["", " Inc.", " GmbH", " Ltd", " S.A.", " B.V."]
        let countries = ["US", "DE", "FR", "GB", ""]
        func line(_ i: Int, _ word: String, sideB: Bool) -> String {
            let form = forms[Int(g.next() % UInt64(forms.count))]
            let country = countries[Int(g.next() % UInt64(countries.count))]
            let site = g.next() % 3 == 0 ? "" : "https://\(word.lowercased()).example"
            return "\(sideB ? "B" : "A")\(i),\(word)\(sideB ? "" : form),\(site),\(country)"
        }
        var a = ["id,name,website,country"]
        var b = ["id,name,website,country"]
        for i in 0..<400 {
            let word = "Company\(g.next() % 600)"
            a.append(line(i, word, sideB: false))
            b.append(line(i, word + (g.next() % 4 == 0 ? "x" : ""), sideB: true))
        }
        let query = try records(a.joined(separator: "\n"))
        let set = try records(b.joined(separator: "\n"))
        let direct = PrivateMatchKeys.directOverlap(query: query, set: set)
        #expect(direct.count > 50 && direct.count < query.count)
        #expect(try privateOverlap(query: query, set: set) == direct)
    }

    @Test("each key is sent once and maps back to every account that has it")
    func keysSentOnce() throws {
        let q = PrivateSet.Query(keysPerAccount: [["d:a.com", "n:a|US"], ["d:a.com"], ["d:b.com"]])
        #expect(q.keys == ["d:a.com", "n:a|US", "d:b.com"])
        let b = PrivateSet.Secret()
        let set = try PrivateSet.encrypt(["d:a.com"], with: b)
        #expect(try q.overlap(evaluated: try PrivateSet.multiply(try q.blinded(), by: b), set: set) == [0, 1])
        #expect(throws: PrivateSet.Failure.self) { try q.overlap(evaluated: Data(count: 32), set: set) }
    }
}
