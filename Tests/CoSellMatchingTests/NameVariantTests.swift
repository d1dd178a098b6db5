import Foundation
import Testing

@testable import CoSellMatching

/// The classes of difference from issue 16: each pair is one company written differently and must be
/// `same_account`; the counter-examples must stay `same_family` or unmatched.
@Suite("Same account across written forms of one name")
struct NameVariantTests {
    /// Runs one host row against one partner row (generic format) and returns the relation, if any.
    func relation(_ host: String, _ partner: String) throws -> OverlapRelation? {
        let (h, p, r) = try run(header + "h1," + host + ",,,\n", header + "p1," + partner + ",,,\n")
        #expect(h.count == 1 && p.count == 1)
        return r.overlaps.first?.relation
    }

    @Test(arguments: [
        ("Kovac Systems G.M.B.H.,kovac.de,DE", "Kovac Systems GmbH,kovac.de,DE"),
        ("Kovac Systems G.m.b.H.,kovac.de,DE", "Kovac Systems,kovac.de,DE"),
        ("\"Vandermeer Logistics B. V.,\",vdm.nl,NL", "Vandermeer Logistics BV,vdm.nl,NL"),
        ("Alcatel N.V.,alcatel.nl,NL", "Alcatel,alcatel.nl,NL"),
        ("Brightwave S. A.,brightwave.fr,FR", "Brightwave SA,brightwave.fr,FR"),
        ("Tornado Holding A.G.,tornado.ch,CH", "Tornado Holding AG,tornado.ch,CH"),
        // Legal form on one side only, with another name on the same domain in the file.
        ("Mercury Freight Limited,mercury.co.uk,GB", "Mercury Freight,mercury.co.uk,GB"),
    ])
    func legalFormsWithDotsOrOnOneSide(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_account, "\(pair)")
    }

    @Test(arguments: [
        ("Acme Group (Germany),acmegroup.com,DE", "Acme Group,acmegroup.com,DE"),
        ("\"ACME INC. (UNITED STATES)\",acme.com,US", "Acme Inc,acme.com,US"),
        ("Acme - EMEA,acme.com,", "Acme,acme.com,"),
        ("Acme Group GmbH (Deutschland),acmegroup.com,DE", "Acme Group,acmegroup.com,DE"),
        ("Acme Corp – North America,acme.com,US", "Acme Corporation,acme.com,US"),
        ("Acme Systems (APAC),acme.com,", "Acme Systems,acme.com,"),
    ])
    func countryOrRegionQualifier(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_account, "\(pair)")
    }

    @Test(arguments: [
        ("The Carlyle Works,carlyle.com,US", "Carlyle Works,carlyle.com,US"),
        ("THE CARLYLE WORKS INC,carlyle.com,US", "Carlyle Works,carlyle.com,US"),
        ("\"Carlyle Works, The\",,US", "Carlyle Works,,US"),
    ])
    func leadingThe(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_account, "\(pair)")
    }

    @Test(arguments: [
        ("Silver KoveanC orp.,silverkovean.com,US", "Silver Kovean Corp,silverkovean.com,US"),
        ("Silver Kove an Corp,silverkovean.com,US", "Silver Kovean Corp,silverkovean.com,US"),
        ("Silverkovean Analytics,silverkovean.com,US", "Silver Kovean Analytics,silverkovean.com,US"),
        ("Silver Kovaen Analytics,silverkovean.com,US", "Silver Kovean Analytics Inc,silverkovean.com,US"),
        ("Marvolo Tx,marvolo.com,US", "Marvolo Tx Ltd,marvolo.com,US"),
        ("Gildel Biotech Ltd,gildel.co.uk,GB", "TheG ildel Biotech,gildel.co.uk,GB"),
    ])
    func typoOrSplitWordOnOneDomain(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_account, "\(pair)")
    }

    @Test(arguments: [
        ("Quantix Robotics GmbH,,DE", "Quantix Robotics,quantix.de,Germany"),
        ("Quantix Robotics GmbH,jane@gmail.com,DE", "Quantix Robotics,quantix.de,DE"),
        ("Quantix Robotics,quantix.de,", "Quantix Robotics G.m.b.H.,info@web.de,"),
        ("The Quantix Robotics (Germany),,DE", "Quantix Robotics GmbH,quantix.de,DE"),
    ])
    func domainOnOneSideOnly(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_account, "\(pair)")
    }

    @Test func nameOnlyNeedsTheSameCountryWhenBothHaveOne() throws {
        #expect(try relation("Quantix Robotics,,DE", "Quantix Robotics,quantix.com,US") == nil)
        #expect(try relation("Quantix Robotics (Germany),,", "Quantix Robotics,quantix.com,US") == nil)
    }

    @Test func namesDifferingOnlyInCaseMatchEvenWhenRepeated() throws {
        var host = header
        var partner = header
        for i in 0..<20 { host += "h\(i),ALCATEL N.V.,,NL,,,\n" }
        for i in 0..<20 { partner += "p\(i),Alcatel N.V.,,,,,\n" }
        let (h, p, r) = try run(host, partner)
        let got = pairs(r, h, p, .same_account)
        #expect(got.count == 400)
    }

    @Test func everyHostRecordOfACompanyPairsWithEveryPartnerRecord() throws {
        let host =
            header + """
                h1,Acme Robotics Inc.,acmerobotics.com,US,,,
                h2,ACME ROBOTICS,www.acmerobotics.com,US,,,
                h3,Acme Robotics,,US,,,
                h4,Brightwave Analytics Ltd,,GB,,,
                h5,Brightwave Analytics,bw@gmail.com,GB,,,

                """
        let partner =
            header + """
                p1,Acme Robotics,acmerobotics.com,United States,,,
                p2,The Acme Robotics Corp.,acmerobotics.com,,,,
                p3,Acme Robotics (USA),,US,,,
                p4,Brightwave Analytics,brightwave.co.uk,UK,,,
                p5,Brightwave Analytics Limited,,GB,,,

                """
        let (h, p, r) = try run(host, partner)
        var want = Set<Pair>()
        for a in ["h1", "h2", "h3"] { for b in ["p1", "p2", "p3"] { want.insert(Pair(h: a, p: b)) } }
        for a in ["h4", "h5"] { for b in ["p4", "p5"] { want.insert(Pair(h: a, p: b)) } }
        #expect(pairs(r, h, p, .same_account) == want)
        #expect(pairs(r, h, p, .same_family).isEmpty)
    }

    @Test(arguments: [
        ("Acme Holdings,acme.com,US", "Acme Robotics,acme.com,US"),
        ("Acme Robotics,acme.com,US", "Acme Analytics,acme.com,US"),
        ("Acme,acme.com,US", "Acme Robotics,acme.com,US"),
        ("Acme Robotics,acme.com,US", "Acme Robotics Japan,acme.com,JP"),
        ("Acme Robotics,acme.com,US", "Acme Robotics Europe,acme.com,"),
        ("Acme Robotics,acme.com,US", "Acme Robotics Services,acme.com,US"),
        ("Kovac Bank,kovac.com,US", "Kovac Bancorp,kovac.com,US"),
    ])
    func differentCompaniesOfOneGroupStayFamily(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == .same_family, "\(pair)")
    }

    @Test(arguments: [
        ("Alpha Corp,alphacorp.com,US", "Alpha Bank,alphabank.com,US"),
        ("Alpha Corp,,US", "Alpha Bank,,US"),
        ("Alpha Corp (Germany),,DE", "Alpha Corp,,US"),
        ("Alpha Systems - EMEA,alpha.com,", "Alpha Systems,alphasys.com,"),
    ])
    func differentCompaniesDoNotMatch(_ pair: (String, String)) throws {
        #expect(try relation(pair.0, pair.1) == nil, "\(pair)")
    }

    @Test func normalizedKeys() {
        let n = NameNormalizer.shared
        #expect(n.key("Kovac Systems G.M.B.H.") == "kovac systems")
        #expect(n.key("Vandermeer B. V.,") == "vandermeer")
        #expect(n.key("ACME INC. (UNITED STATES)") == "acme")
        #expect(n.key("Acme Group (Germany)") == "acme group")
        #expect(n.key("Acme - EMEA") == "acme")
        #expect(n.key("Carlyle Works, The") == "carlyle works")
        #expect(n.key("The Carlyle Works") == "carlyle works")
        #expect(n.key("A.B.C. Trading") == "abc trading")
        #expect(n.key("Coca-Cola") == "coca cola")
        // Not a country or region: kept.
        #expect(n.key("Acme (Robotics)") == "acme robotics")
        #expect(n.key("Acme - Robotics Division") == "acme robotics division")
        // Never empty because of a qualifier.
        #expect(n.key("Germany") == "germany")
        #expect(n.key("(Germany)") == "germany")
    }
}
