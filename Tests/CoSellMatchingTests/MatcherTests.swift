import Foundation
import Testing

@testable import CoSellMatching

let header = "account_id,name,website,country,industry,employees,status\n"

let hostCSV =
    header + """
        h1,Acme Robotics Inc.,https://www.acmerobotics.com/about,US,Manufacturing,500,prospect
        h2,Acme Robotics Japan K.K.,info@acmerobotics.com,JP,Manufacturing,80,customer
        h3,Delta GmbH,delta.de,DE,Logistics,200,prospect
        h4,Foo Ltd,jane@gmail.com,GB,Software,50,prospect
        h5,Brightwave Analytics,brightwave.io,GB,Software,40,open_opportunity
        h6,Nordlicht Energie GmbH,,DE,Energy,300,prospect
        h7,Helios Solar Power,,US,Energy,20,prospect
        h8,Zenith Foods,zenith.com,US,Food,900,customer
        h9,Orbit Labs,http://orbitlabs.com,US,Software,15,customer

        """

let partnerCSV =
    header + """
        p1,Acme Robotics,acmerobotics.com,United States,Manufacturing,510,customer
        p3,Delta Air Lines Inc,delta.com,USA,Airlines,80000,customer
        p4,Bar Inc,john@gmail.com,US,Software,50,customer
        p5,Brigthwave Analytics Ltd,www.brightwave.io,UK,Software,45,customer
        p6,Nordlicht Energie AG,,Germany,Energy,310,prospect
        p7,Helois Solar Power,,USA,Energy,20,customer
        p8,Zenith Foods,zenith.de,DE,Food,40,customer
        p9,Orbit Labs Inc.,orbitlabs.de,United States,Software,15,open_opportunity
        p10,Acme Robotics Services,acmerobotics.com,US,Services,60,prospect

        """

struct Pair: Hashable, CustomStringConvertible {
    var h: String
    var p: String
    var description: String { "\(h)-\(p)" }
}

func run(
    _ host: String, _ partner: String, options: MatchOptions = MatchOptions()
) throws -> (
    AccountTable, AccountTable, MatchResult
) {
    let h = try load(host, name: "host.csv")
    let p = try load(partner, name: "partner.csv")
    return (h, p, AccountMatcher.match(host: h, partner: p, options: options))
}

func pairs(_ r: MatchResult, _ h: AccountTable, _ p: AccountTable, _ relation: OverlapRelation) -> Set<Pair> {
    Set(
        r.overlaps.filter { $0.relation == relation }.map {
            Pair(h: h.id(at: $0.hostIndex), p: p.id(at: $0.partnerIndex))
        })
}

@Suite("Matcher on hand-checked fixtures")
struct MatcherTests {
    @Test func sameAccountsAndMethods() throws {
        let (h, p, r) = try run(hostCSV, partnerCSV)
        #expect(
            pairs(r, h, p, .same_account) == [
                Pair(h: "h1", p: "p1"), Pair(h: "h5", p: "p5"), Pair(h: "h6", p: "p6"), Pair(h: "h7", p: "p7"),
                Pair(h: "h9", p: "p9"),
            ])
        func overlap(_ hid: String, _ pid: String) -> Overlap? {
            r.overlaps.first { h.id(at: $0.hostIndex) == hid && p.id(at: $0.partnerIndex) == pid }
        }
        // Same domain, same name.
        #expect(overlap("h1", "p1")?.method == .domainAndName)
        // Same domain, a typo in the name: still one account.
        #expect(overlap("h5", "p5")?.method == .domainAndName)
        // No website on either side: exact name and the same country.
        #expect(overlap("h6", "p6")?.method == .name)
        // acme.com / acme.de style: same label, exact name, same country.
        #expect(overlap("h9", "p9")?.method == .name)
        for o in r.overlaps { #expect(o.score > 0 && o.score <= 1) }
        #expect(overlap("h1", "p1")!.score > overlap("h6", "p6")!.score)
    }

    @Test func subsidiariesSharingADomainAreFamily() throws {
        let (h, p, r) = try run(hostCSV, partnerCSV)
        let family = pairs(r, h, p, .same_family)
        // The Japanese subsidiary shares acmerobotics.com with the partner's records but is not the same account.
        #expect(family.contains { $0.h == "h2" && ["p1", "p10"].contains($0.p) })
        // The partner's services subsidiary is reported as family too.
        #expect(family.contains { $0.p == "p10" })
        #expect(family.allSatisfy { ["h1", "h2"].contains($0.h) && ["p1", "p10"].contains($0.p) })
        #expect(!pairs(r, h, p, .same_account).contains(Pair(h: "h2", p: "p1")))
        #expect(r.overlaps.filter { $0.relation == .same_family }.allSatisfy { $0.method == .domain })
    }

    @Test func namesakesFreeMailAndConflictsDoNotMatch() throws {
        let (h, p, r) = try run(hostCSV, partnerCSV)
        let all = pairs(r, h, p, .same_account).union(pairs(r, h, p, .same_family))
        #expect(!all.contains { $0.h == "h3" })  // Delta GmbH (delta.de) vs Delta Air Lines (delta.com)
        #expect(!all.contains { $0.h == "h4" })  // both on gmail.com
        #expect(!all.contains { $0.h == "h8" })  // zenith.com US vs zenith.de DE
        // A typo without any shared domain: matched by default only because "Solar" and "Power" are rare
        // in these short lists (see NameVariantTests.distinctiveTypos); off without distinctive typos.
        var strict = MatchOptions()
        strict.distinctiveTypos = false
        let (h2, p2, r2) = try run(hostCSV, partnerCSV, options: strict)
        let all2 = pairs(r2, h2, p2, .same_account).union(pairs(r2, h2, p2, .same_family))
        #expect(!all2.contains { $0.h == "h7" })
        #expect(all.contains(Pair(h: "h7", p: "p7")))
    }

    @Test func typoToleranceIsOptIn() throws {
        var options = MatchOptions()
        options.typoTolerance = true
        options.distinctiveTypos = false
        let (h, p, r) = try run(hostCSV, partnerCSV, options: options)
        let o = r.overlaps.first { h.id(at: $0.hostIndex) == "h7" }
        #expect(o.map { p.id(at: $0.partnerIndex) } == "p7")
        #expect(o?.method == .name)
        #expect(o?.relation == .same_account)
        // A typo with conflicting countries is still rejected.
        let (h2, p2, r2) = try run(
            header + "a,Helios Solar Power,,US,,,prospect\n", header + "b,Helois Solar Power,,DE,,,customer\n",
            options: options)
        #expect(pairs(r2, h2, p2, .same_account).isEmpty)
    }

    @Test func ambiguousNamesakesWithoutCountryAreSkipped() throws {
        let (h, p, r) = try run(
            header + "a,Delta,,,,,prospect\n",
            header + "b,Delta,,US,,,customer\nc,Delta,,DE,,,customer\n")
        #expect(pairs(r, h, p, .same_account).isEmpty)
        // Two partner records of one company (same country) are fine.
        let (h2, p2, r2) = try run(
            header + "a,Delta,,,,,prospect\n", header + "b,Delta,,US,,,customer\nc,DELTA INC,,USA,,,customer\n")
        #expect(pairs(r2, h2, p2, .same_account) == [Pair(h: "a", p: "b"), Pair(h: "a", p: "c")])
    }

    @Test func duplicatesWithinOneFile() throws {
        let t = try load(
            header + """
                d1,Acme Robotics Inc.,acmerobotics.com,US,,,prospect
                d2,ACME ROBOTICS,https://www.acmerobotics.com,USA,,,customer
                d3,Acme Robotics Japan,acmerobotics.com,JP,,,prospect
                d4,Nordlicht Energie GmbH,,DE,,,prospect
                d5,Nordlicht Energie AG,,Germany,,,prospect
                d6,Nordlicht Energie,,US,,,prospect
                d7,Solo,solo.com,US,,,prospect
                d8,American Motors Corporation,,,,,prospect
                d9,American Motors (Canada) Inc.,,,,,prospect
                d10,American Motors Corp.,,,,,customer

                """)
        let d = AccountMatcher.duplicates(in: t)
        let found = Set(d.map { Pair(h: t.id(at: $0.firstIndex), p: t.id(at: $0.secondIndex)) })
        // The Canadian company of the group is not a duplicate of the parent; two spellings of it are.
        #expect(found == [Pair(h: "d1", p: "d2"), Pair(h: "d4", p: "d5"), Pair(h: "d8", p: "d10")])
        #expect(d.first { t.id(at: $0.firstIndex) == "d1" }?.method == .domainAndName)
        #expect(d.first { t.id(at: $0.firstIndex) == "d4" }?.method == .name)
    }
}

@Suite("Plays, matrix, ideal customer profile")
struct PlayTests {
    @Test(
        arguments: [
            (Population.prospect, Population.customer, Play.partner_opens_door),
            (.open_opportunity, .customer, .partner_opens_door),
            (.customer, .prospect, .host_opens_door),
            (.customer, .open_opportunity, .host_opens_door),
            (.customer, .customer, .shared_customer),
            (.prospect, .prospect, .joint_prospect),
            (.open_opportunity, .prospect, .joint_prospect),
            (.open_opportunity, .open_opportunity, .joint_prospect),
        ])
    func playTable(_ host: Population, _ partner: Population, _ play: Play) {
        #expect(Play.of(host: host, partner: partner) == play)
    }

    @Test func familyBetweenNonCustomersIsOther() {
        #expect(Play.of(host: .prospect, partner: .prospect, relation: .same_family) == .other)
        #expect(Play.of(host: .prospect, partner: .customer, relation: .same_family) == .partner_opens_door)
        #expect(Play.partner_opens_door.doorOpener == .partner)
        #expect(Play.host_opens_door.doorOpener == .host)
        #expect(Play.shared_customer.doorOpener == nil)
    }

    @Test func populationMatrixCountsAndRenders() throws {
        let (h, p, r) = try run(hostCSV, partnerCSV)
        let m = PopulationMatrix.from(r.overlaps, host: h, partner: p, relation: .same_account)
        // h1 and h7 prospect x p1 and p7 customer; h5 open_opp x p5 customer; h6 prospect x p6 prospect;
        // h9 customer x p9 open_opp.
        #expect(m[.prospect, .customer] == 2)
        #expect(m[.open_opportunity, .customer] == 1)
        #expect(m[.prospect, .prospect] == 1)
        #expect(m[.customer, .open_opportunity] == 1)
        #expect(m.total == 5)
        let text = m.renderText(title: "Matrix")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Matrix")
        #expect(lines[1].hasPrefix("host \\ partner"))
        #expect(lines[1].hasSuffix("total"))
        #expect(lines.count == 6)  // title, header, 3 populations, total
        #expect(lines[5].hasPrefix("total"))
        #expect(lines[5].hasSuffix(" 5"))
        #expect(lines[4].hasPrefix("prospect"))
    }

    @Test func idealCustomerProfileFit() {
        let icp = IdealCustomerProfile(
            industries: ["Software", "Retail"], employeeRange: 50...500, countries: ["United States", "DE"])
        #expect(icp.fit(industry: "software", employees: 100, country: "USA") == .strong)
        #expect(icp.fit(industry: "Software", employees: 10, country: "US") == .partial)
        #expect(icp.fit(industry: "Mining", employees: 10, country: "FR") == .none)
        #expect(icp.fit(industry: nil, employees: nil, country: "Germany") == .partial)
        #expect(IdealCustomerProfile().fit(industry: nil, employees: nil, country: nil) == .strong)
    }

    @Test func rankingPutsBothFitsAndDoorOpenersFirst() throws {
        let (h, p, r) = try run(hostCSV, partnerCSV)
        let hostICP = IdealCustomerProfile(industries: ["Manufacturing", "Software"], countries: ["US", "GB"])
        let partnerICP = IdealCustomerProfile(employeeRange: 10...1000)
        let ranked = TargetRanking.rank(
            r.overlaps, host: h, partner: p, hostProfile: hostICP, partnerProfile: partnerICP)
        #expect(ranked.count == r.overlaps.count)
        // h1/p1 and h5/p5: strong x strong and partner opens the door.
        #expect(Set(ranked.prefix(2).map { $0.host.id }) == ["h1", "h5"])
        #expect(ranked[0].play == .partner_opens_door)
        #expect(ranked[0].doorOpener == .partner)
        #expect(ranked[0].hostFit == .strong && ranked[0].partnerFit == .strong)
        // Nordlicht (energy, DE) does not fit the host profile at all: last among same accounts.
        let lastSame = ranked.last { $0.relation == .same_account }
        #expect(lastSame?.host.id == "h6")
        #expect(lastSame?.hostFit == Fit.none)
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.priority >= $1.priority })
    }
}

@Suite("Matcher edge cases")
struct MatcherEdgeTests {
    @Test func veryCommonNamesDoNotMatchOnNameAlone() throws {
        var partner = header
        for i in 0..<40 { partner += "p\(i),Test Account,,US,,,prospect\n" }
        let (h, p, r) = try run(
            header + "a,Test Account,,US,,,prospect\nb,Acme,acme.com,US,,,prospect\n",
            partner + "q,Acme Inc,acme.com,US,,,customer\n")
        #expect(pairs(r, h, p, .same_account) == [Pair(h: "b", p: "q")])
    }

    @Test func bigDomainGroupsStayBounded() throws {
        var host = header
        var partner = header
        for i in 0..<300 {
            host += "h\(i),Division \(i),bigco.com,US,,,prospect\n"
            partner += "p\(i),Unit \(i),bigco.com,US,,,customer\n"
        }
        let (h, p, r) = try run(host, partner)
        // No same-name pairs inside the group: every record gets one family pair, no explosion.
        #expect(pairs(r, h, p, .same_account).isEmpty)
        #expect(r.overlaps.count <= 600)
        #expect(Set(r.overlaps.map(\.hostIndex)).count == 300)
        #expect(Set(r.overlaps.map(\.partnerIndex)).count == 300)
    }

    @Test func emptyTables() throws {
        let (_, _, r) = try run(header, header)
        #expect(r.overlaps.isEmpty && r.hostDuplicates.isEmpty)
    }
}

@Suite("Legal forms as country evidence")
struct LegalFormCountryTests {
    @Test func distinctiveLegalFormContradictsCountry() throws {
        let (h, p, r) = try run(
            header
                + "a,Camgil Motors GmbH,,,,,prospect\nb,Velkor Labs K.K.,,,,,prospect\nc,Tekber Data GmbH,,,,,prospect\n",
            header
                + "x,Camgil Motors Inc.,camgilmotors.com,US,,,customer\ny,Velkor Labs GmbH,,,,,customer\nz,Tekber Data,,Germany,,,customer\n"
        )
        // GmbH vs US, K.K. vs GmbH: different companies. GmbH vs Germany: consistent.
        #expect(pairs(r, h, p, .same_account) == [Pair(h: "c", p: "z")])
    }

    @Test func genericFormsSayNothing() throws {
        let (h, p, r) = try run(
            header + "a,Orbit Labs Inc.,,,,,prospect\n", header + "b,Orbit Labs Ltd,,Japan,,,customer\n")
        #expect(pairs(r, h, p, .same_account) == [Pair(h: "a", p: "b")])
    }

    @Test func formRegionsAreRecorded() throws {
        let t = try load(header + "a,Acme GmbH,,,,,prospect\nb,Acme Pty Ltd,,,,,prospect\nc,Acme Inc,,,,,prospect\n")
        #expect(t.rows[0].formRegions & CountryNormalizer.bit(forCode: "DE") != 0)
        #expect(t.rows[0].formRegions & CountryNormalizer.bit(forCode: "US") == 0)
        #expect(t.rows[1].formRegions & CountryNormalizer.bit(forCode: "AU") != 0)
        #expect(t.rows[2].formRegions == 0)
    }
}
