import Foundation
import Testing

@testable import CoSellMatching

func load(_ csv: String, options: ImportOptions = ImportOptions(), name: String = "HOST.csv") throws -> AccountTable {
    try AccountTable.load(data: Data(csv.utf8), fileName: name, options: options)
}

func importError(_ body: () throws -> Void) -> AccountImportError? {
    do {
        try body()
        return nil
    } catch let e as AccountImportError {
        return e
    } catch {
        return nil
    }
}

@Suite("CSV reading")
struct CSVTests {
    @Test func quotedFieldsEmbeddedNewlinesCommasAndQuotes() throws {
        let rows = try CSV.parse(Data("a,b,c\r\n\"x, y\",\"line1\nline2\",\"say \"\"hi\"\"\"\r\n1,,3".utf8))
        #expect(rows == [["a", "b", "c"], ["x, y", "line1\nline2", "say \"hi\""], ["1", "", "3"]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try load("\u{FEFF}Id,Name,Website\n001,Acme,acme.com\n")
        #expect(t.detection.format == .salesforce)
        #expect(t.record(at: 0).id == "001")
        #expect(t.record(at: 0).name == "Acme")
    }

    @Test func raggedRowNamesThePhysicalLine() {
        // The quoted newline in record 1 makes record 2 start on line 4.
        let csv = "account_id,name,website\n1,\"Acme\nRobotics\",acme.com\n2,Beta\n"
        let e = importError { _ = try load(csv) }
        #expect(e?.kind == .raggedRow)
        #expect(e?.line == 4)
        #expect(e?.message == "expected 3 fields, found 2")
        #expect(e?.description == "HOST.csv line 4: expected 3 fields, found 2")
    }

    @Test func invalidUTF8NamesTheLine() {
        var bytes = Array("account_id,name\n1,Acme\n2,B".utf8)
        bytes.append(0xC3)  // truncated sequence
        bytes.append(contentsOf: Array("x\n".utf8))
        let e = importError { _ = try AccountTable.load(data: Data(bytes), fileName: "P.csv") }
        #expect(e?.kind == .encoding)
        #expect(e?.line == 3)
        #expect(e?.description == "P.csv line 3: not valid UTF-8")
        // Overlong encoding and lone surrogate are rejected too.
        #expect(firstInvalidUTF8(UnsafeBufferPointer(start: [0xC0, 0x80], count: 2)) == 0)
        #expect(firstInvalidUTF8(UnsafeBufferPointer(start: [0x41, 0xED, 0xA0, 0x80], count: 4)) == 1)
        #expect(
            firstInvalidUTF8(UnsafeBufferPointer(start: Array("héllo ✓ 𝄞".utf8), count: Array("héllo ✓ 𝄞".utf8).count))
                == nil)
    }

    @Test func unterminatedQuote() {
        let e = importError { _ = try load("account_id,name\n1,Acme\n2,\"Beta\n3,Gamma\n") }
        #expect(e?.kind == .unterminatedQuote)
        #expect(e?.line == 3)
    }

    @Test func sizeLimit() throws {
        let csv = "account_id,name\n1,Acme\n"
        let e = importError { _ = try load(csv, options: ImportOptions(maxBytes: 10)) }
        #expect(e?.kind == .tooLarge)
        let path = NSTemporaryDirectory() + "cosell-size-\(getpid()).csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let e2 = importError { _ = try AccountTable.load(path: path, options: ImportOptions(maxBytes: 10)) }
        #expect(e2?.kind == .tooLarge)
        #expect(e2?.file == (path as NSString).lastPathComponent)
        #expect(try AccountTable.load(path: path).count == 1)
    }

    @Test func emptyFileAndMissingNameColumn() {
        #expect(importError { _ = try load("") }?.kind == .emptyFile)
        let e = importError { _ = try load("Id,Website\n1,acme.com\n") }
        #expect(e?.kind == .missingColumn)
        #expect(e?.line == 1)
        #expect(e?.message.contains("no name column") == true)
    }

    @Test func blankLinesAndBlankNames() throws {
        let t = try load("account_id,name,website\n\n1,Acme,acme.com\n2,,beta.com\n\n3,Gamma,\n")
        #expect(t.count == 2)
        #expect(t.skippedBlankNames == 1)
        #expect(t.records.map(\.line) == [3, 6])
    }

    @Test func missingIdUsesLineNumber() throws {
        let t = try load("name,website\nAcme,acme.com\n")
        #expect(t.record(at: 0).id == "line-2")
    }
}

@Suite("Format detection and populations")
struct FormatTests {
    @Test func salesforceAPINames() throws {
        let t = try load(
            "Id,Name,Website,BillingCountry,Industry,NumberOfEmployees,Type\n"
                + "001A,Acme Inc.,https://www.acme.com,USA,Software,\"1,200\",Customer - Direct\n"
                + "001B,Beta GmbH,beta.de,Germany,Retail,50,Prospect\n"
                + "001C,Gamma,,,,,Open Opportunity\n")
        #expect(t.detection.format == .salesforce)
        let r = t.records
        #expect(r[0].id == "001A")
        #expect(r[0].domain == .domain("acme.com"))
        #expect(r[0].country == "US")
        #expect(r[0].industry == "Software")
        #expect(r[0].employees == 1200)
        #expect(r[0].population == .customer)
        #expect(r[1].population == .prospect)
        #expect(r[1].nameKey == "beta")
        #expect(r[2].population == .open_opportunity)
        #expect(r[2].employees == nil)
        #expect(r[2].country == nil)
    }

    @Test func salesforceReportLabels() throws {
        let t = try load(
            "Account ID,Account Name,Website,Billing Country,Industry,Employees,Type\n"
                + "001A,Acme,acme.com,US,Software,10,Customer - Channel\n")
        #expect(t.detection.format == .salesforce)
        #expect(t.record(at: 0).population == .customer)
        #expect(t.record(at: 0).employees == 10)
    }

    @Test func hubspotInternalNames() throws {
        let t = try load(
            "hs_object_id,name,domain,country,industry,numberofemployees,lifecyclestage\n"
                + "101,Acme,acme.com,United States,SOFTWARE,100,customer\n"
                + "102,Beta,beta.com,,,,opportunity\n"
                + "103,Gamma,gamma.com,,,,lead\n")
        #expect(t.detection.format == .hubspot)
        #expect(t.records.map(\.population) == [.customer, .open_opportunity, .prospect])
    }

    @Test func hubspotLabelsCaseInsensitive() throws {
        let t = try load(
            "RECORD ID,company name,Company Domain Name,Country/Region,Industry,Number of Employees,Lifecycle Stage\n"
                + "101,Acme,acme.com,Germany,Retail,5,Customer\n")
        #expect(t.detection.format == .hubspot)
        #expect(t.record(at: 0).id == "101")
        #expect(t.record(at: 0).country == "DE")
        #expect(t.record(at: 0).population == .customer)
    }

    @Test func genericFormat() throws {
        let t = try load(
            "account_id,name,website,country,industry,employees,status\n"
                + "a1,Acme,acme.com,FR,Retail,5,customer\n" + "a2,Beta,beta.com,FR,Retail,5,open_opportunity\n"
                + "a3,Gamma,gamma.com,FR,Retail,5,prospect\n")
        #expect(t.detection.format == .generic)
        #expect(t.records.map(\.population) == [.customer, .open_opportunity, .prospect])
    }

    @Test func explicitMappingOverridesDetection() throws {
        let csv = "Ref,Firma,Site,Stage\nX1,Acme,acme.com,Kunde\nX2,Beta,beta.com,Interessent\n"
        #expect(importError { _ = try load(csv) }?.kind == .missingColumn)
        let rules = PopulationRules(rules: [.init(.equals, "kunde", .customer)], defaultPopulation: .prospect)
        let options = ImportOptions(
            mapping: ColumnMapping([.id: "Ref", .name: "firma", .website: "SITE", .population: "Stage"]),
            populationRules: rules)
        let t = try load(csv, options: options)
        #expect(t.detection.format == .custom)
        #expect(t.records.map(\.id) == ["X1", "X2"])
        #expect(t.records.map(\.population) == [.customer, .prospect])
        #expect(t.record(at: 0).domain == .domain("acme.com"))
        let bad = ImportOptions(mapping: ColumnMapping([.name: "Nope"]))
        #expect(importError { _ = try load(csv, options: bad) }?.kind == .badMapping)
    }

    @Test func billingAddressColumns() throws {
        // Salesforce Data Loader names (the jsforce sample header, in capitals), with a quoted street.
        let sf = try load(
            "ID,NAME,TYPE,BILLINGSTREET,BILLINGCITY,BILLINGSTATE,BILLINGPOSTALCODE,BILLINGCOUNTRY,SHIPPINGSTREET,SHIPPINGCITY\n"
                + "001A,Acme Inc,Customer,\"1 Main St, Suite 5\",Austin,TX,78701,US,9 Dock Rd,Houston\n"
                + "001B,Beta GmbH,Prospect,,,,,DE,,\n")
        #expect(sf.detection.format == .salesforce)
        let a = sf.record(at: 0)
        #expect(a.street == "1 Main St, Suite 5")
        #expect(a.city == "Austin")
        #expect(a.state == "TX")
        #expect(a.postalCode == "78701")
        let b = sf.record(at: 1)
        #expect(b.street == nil && b.city == nil && b.state == nil && b.postalCode == nil)
        // Salesforce report labels.
        let labels = try load(
            "Account ID,Account Name,Billing Street,Billing City,Billing State/Province,Billing Zip/Postal Code,Billing Country\n"
                + "001A,Acme,1 Main St,Austin,TX,78701,US\n")
        #expect(labels.record(at: 0).postalCode == "78701")
        #expect(labels.record(at: 0).state == "TX")
        // HubSpot internal names and labels.
        let hs = try load(
            "hs_object_id,name,domain,address,city,state,zip,country,lifecyclestage\n"
                + "101,Acme,acme.com,1 Main St,Austin,TX,78701,United States,customer\n")
        #expect(hs.detection.format == .hubspot)
        #expect(hs.record(at: 0).street == "1 Main St")
        #expect(hs.record(at: 0).postalCode == "78701")
        let hsLabels = try load(
            "Record ID,Company name,Company Domain Name,Street Address,City,State/Region,Postal Code,Country/Region\n"
                + "101,Acme,acme.com,1 Main St,Austin,TX,78701,United States\n")
        #expect(hsLabels.detection.format == .hubspot)
        #expect(hsLabels.record(at: 0).city == "Austin")
        #expect(hsLabels.record(at: 0).state == "TX")
        // Files without address columns read as before.
        let none = try load("account_id,name,website,country\na1,Acme,acme.com,FR\n")
        #expect(none.record(at: 0).street == nil)
        #expect(none.record(at: 0).postalCode == nil)
        // Rows built in memory carry them too.
        let built = try AccountTable.from(rows: [[.name: "Acme", .street: "1 Main St", .postalCode: "78701"]])
        #expect(built.record(at: 0).street == "1 Main St")
        #expect(built.record(at: 0).postalCode == "78701")
    }

    @Test func populationRulesAreConfigurable() {
        #expect(PopulationRules.salesforce.classify("Customer - Direct") == .customer)
        #expect(PopulationRules.salesforce.classify("  customer  ") == .customer)
        #expect(PopulationRules.salesforce.classify("Partner") == .prospect)
        #expect(PopulationRules.hubspot.classify("opportunity") == .open_opportunity)
        #expect(PopulationRules.hubspot.classify("salesqualifiedlead") == .prospect)
        let custom = PopulationRules(
            rules: [.init(.contains, "won", .customer), .init(.prefix, "pipe", .open_opportunity)],
            defaultPopulation: .prospect)
        #expect(custom.classify("Closed Won") == .customer)
        #expect(custom.classify("Pipeline") == .open_opportunity)
        #expect(custom.classify("Lost") == .prospect)
    }
}
