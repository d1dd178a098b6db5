import Foundation
import Testing

@testable import CoSellMatching

@Suite("Domain normalizer")
struct DomainNormalizerTests {
    static let cases: [(String, DomainResult)] = [
        ("acme.com", .domain("acme.com")),
        ("www.acme.com", .domain("acme.com")),
        ("WWW.ACME.COM", .domain("acme.com")),
        ("https://www.acme.com/", .domain("acme.com")),
        ("http://acme.com/about?ref=crm", .domain("acme.com")),
        ("https://acme.com:8443/contact#team", .domain("acme.com")),
        ("  https://shop.eu.acme.com/en-us/cart?id=1  ", .domain("acme.com")),
        ("//acme.com/path", .domain("acme.com")),
        ("acme.com.", .domain("acme.com")),
        ("https://user:pw@portal.acme.com/x", .domain("acme.com")),
        ("info@acme.com", .domain("acme.com")),
        ("mailto:Sales@Acme.COM", .domain("acme.com")),
        ("\"Jane Doe\" <jane.doe@mail.acme.de>", .domain("acme.de")),
        ("acme.com; acme.de", .domain("acme.com")),
        // Public suffix list: multi-label suffixes.
        ("www.acme.co.uk", .domain("acme.co.uk")),
        ("https://shop.acme.co.uk/", .domain("acme.co.uk")),
        ("acme.com.au", .domain("acme.com.au")),
        ("investors.acme.com.au", .domain("acme.com.au")),
        ("www.toyota.co.jp", .domain("toyota.co.jp")),
        ("acme.com.br", .domain("acme.com.br")),
        // Wildcard and exception rules (*.ck, !www.ck; *.kawasaki.jp, !city.kawasaki.jp).
        ("shop.acme.foo.ck", .domain("acme.foo.ck")),
        ("www.ck", .domain("www.ck")),
        ("city.kawasaki.jp", .domain("city.kawasaki.jp")),
        // Private section: each subdomain of a hosting suffix is its own site.
        ("acme.github.io", .domain("acme.github.io")),
        ("https://blog.acme.github.io/post", .domain("acme.github.io")),
        // IDN: Unicode lowercasing, Unicode suffix rules.
        ("https://www.Bücher.DE/", .domain("bücher.de")),
        ("WWW.MÜNCHEN.DE", .domain("münchen.de")),
        ("shop.example.公司.cn", .domain("example.公司.cn")),
        ("xn--bcher-kva.de", .domain("xn--bcher-kva.de")),
        // Free-mail and disposable mail never match.
        ("jane@gmail.com", .freeMail("gmail.com")),
        ("JOHN.DOE@Hotmail.co.uk", .freeMail("hotmail.co.uk")),
        ("someone@mailinator.com", .freeMail("mailinator.com")),
        ("http://mail.yahoo.com", .freeMail("yahoo.com")),
        // Nothing usable.
        ("", .none),
        ("   ", .none),
        ("n/a", .none),
        ("localhost", .none),
        ("http://192.168.0.1/", .none),
        ("co.uk", .none),
        ("com", .none),
        ("not a website", .none),
    ]

    @Test("websites, URLs and e-mails reduce to registrable domains", arguments: cases)
    func normalize(_ input: String, _ expected: DomainResult) {
        #expect(DomainNormalizer.shared.normalize(input) == expected)
    }

    @Test func registrableDomainOfHost() {
        let d = DomainNormalizer.shared
        #expect(d.registrableDomain(ofHost: "a.b.c.example.co.uk") == "example.co.uk")
        #expect(d.registrableDomain(ofHost: "co.uk") == nil)
        #expect(d.registrableDomain(ofHost: "example.unknowntld") == "example.unknowntld")
        #expect(d.isFreeMail("GMAIL.com"))
        #expect(!d.isFreeMail("acme.com"))
    }

    @Test func customListsAreUsed() {
        let d = DomainNormalizer(publicSuffixList: "com\nexample.com\n", freeMailList: "# c\nfree.com\n")
        #expect(d.normalize("a.b.example.com") == .domain("b.example.com"))
        #expect(d.normalize("x@free.com") == .freeMail("free.com"))
        #expect(d.normalize("x@gmail.com") == .domain("gmail.com"))
    }
}

@Suite("Name normalizer")
struct NameNormalizerTests {
    static let cases: [(String, String)] = [
        ("Acme", "acme"),
        ("ACME Inc.", "acme"),
        ("Acme, Inc.", "acme"),
        ("Acme Incorporated", "acme"),
        ("Acme LLC", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("Acme PLC", "acme"),
        ("Acme GmbH", "acme"),
        ("Acme GmbH & Co. KG", "acme"),
        ("Acme AG", "acme"),
        ("Acme KG", "acme"),
        ("Acme SA", "acme"),
        ("Acme S.A.", "acme"),
        ("Acme SAS", "acme"),
        ("Acme S.A.S.", "acme"),
        ("Acme SARL", "acme"),
        ("Acme S.L.", "acme"),
        ("Acme B.V.", "acme"),
        ("Acme N.V.", "acme"),
        ("Acme KK", "acme"),
        ("Acme K.K.", "acme"),
        ("Acme Kabushiki Kaisha", "acme"),
        ("Kabushiki Kaisha Acme", "acme"),
        ("Acme Co., Ltd.", "acme"),
        ("Acme Co. Ltd", "acme"),
        ("Acme Pty Ltd", "acme"),
        ("Acme Pty. Ltd.", "acme"),
        ("Acme Ltda", "acme"),
        ("Acme AB", "acme"),
        ("Acme AB (publ)", "acme"),
        ("Acme Oy", "acme"),
        ("Acme Oyj", "acme"),
        ("Acme SpA", "acme"),
        ("Acme S.p.A.", "acme"),
        ("Acme S.r.l.", "acme"),
        ("Acme sp. z o.o.", "acme"),
        ("Acme s.r.o.", "acme"),
        ("PT Acme Tbk", "acme"),
        ("The Acme Company", "acme"),
        ("The Acme Group", "acme group"),
        ("Smith & Sons", "smith son"),
        ("Smith and Sons", "smith son"),
        ("Procter & Gamble Co.", "procter gamble"),
        ("Johnson + Johnson", "johnson johnson"),
        ("McDonald's Corporation", "mcdonald"),
        ("Müller GmbH", "muller"),
        ("MÜLLER", "muller"),
        ("Société Générale S.A.", "societe generale"),
        ("Nestlé S.A.", "nestle"),
        ("Straße Logistik GmbH", "strasse logistik"),
        ("Ørsted A/S", "orsted"),
        ("Łódź Systems", "lodz system"),
        ("ＡＣＭＥ Inc", "acme"),
        ("  Acme   Robotics  ", "acme robotic"),
        ("Acme-Robotics", "acme robotic"),
        ("The", "the"),
        ("Inc", "inc"),
        ("AB Volvo", "ab volvo"),
    ]

    @Test("company names reduce to comparison keys", arguments: cases)
    func key(_ input: String, _ expected: String) {
        #expect(NameNormalizer.shared.key(input) == expected)
    }

    @Test func textReadTwiceAsWindows1252IsRepaired() {
        let n = NameNormalizer.shared
        // UTF-8 read as Windows-1252 and written again, once and twice, is the name as written.
        #expect(n.key("B\u{C3}\u{BC}hler Motor GmbH") == n.key("Bühler Motor GmbH"))
        let twice = "Max-Planck-Gesellschaft zur F\u{C3}\u{192}\u{C2}\u{B6}rderung der Wissenschaften e.V."
        #expect(n.key(twice) == n.key("Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V."))
        #expect(n.key(twice) == "max planck gesellschaft forderung wissenschaften")
        #expect(
            NameNormalizer.repairedMojibake("Soci\u{C3}\u{A9}t\u{C3}\u{A9} G\u{C3}\u{A9}n\u{C3}\u{A9}rale")
                == "Société Générale")
        // Text that only looks like it: a capital A with a tilde before a letter, or a character
        // Windows-1252 does not have.
        #expect(NameNormalizer.repairedMojibake("SÃO PAULO ALPARGATAS") == nil)
        #expect(n.key("SÃO PAULO ALPARGATAS") == "sao paulo alpargata")
        #expect(NameNormalizer.repairedMojibake("Ã\u{BC} 東京") == nil)
        #expect(NameNormalizer.repairedMojibake("Bühler") == nil)
    }

    @Test func similarity() {
        #expect(NameSimilarity.score("acme robotics", "acme robotics") == 1)
        #expect(NameSimilarity.score("acme robotics", "acme robtoics") > 0.9)  // transposition = 1 edit
        #expect(NameSimilarity.score("acme robotics", "acme robotic") > 0.9)
        #expect(NameSimilarity.score("acme robotics", "acme robotics japan") < 0.8)
        #expect(NameSimilarity.score("delta", "omega") < 0.7)
    }
}

@Suite("Country normalizer")
struct CountryTests {
    @Test(
        arguments: [
            ("United States", "US"), ("USA", "US"), ("U.S.A.", "US"), ("us", "US"), ("Deutschland", "DE"),
            ("Germany", "DE"), ("United Kingdom", "GB"), ("UK", "GB"), ("England", "GB"), ("España", "ES"),
            ("Österreich", "AT"), ("Japan", "JP"), ("Atlantis", "atlantis"),
        ])
    func normalize(_ input: String, _ expected: String) {
        #expect(CountryNormalizer.normalize(input) == expected)
    }

    @Test func blankIsNil() {
        #expect(CountryNormalizer.normalize("  ") == nil)
    }
}
