import Foundation
import Testing

@testable import CoSellMatching

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ v: Double) {
        lock.lock()
        values.append(v)
        lock.unlock()
    }
    var all: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}

@Suite("cosell map run")
struct RunTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "cosell-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func writesOverlapsFileAndSummary() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let salesforce =
            "Id,Name,Website,BillingCountry,Industry,NumberOfEmployees,Type\n"
            + "001A,\"Acme, Inc.\",https://www.acme.com,USA,Software,100,Prospect\n"
            + "001B,Beta GmbH,beta.de,Germany,Retail,50,Customer - Direct\n"
            + "001C,Gamma Ltd,,UK,Retail,50,Customer - Channel\n"
            + "\"001,D\",Acme Japan K.K.,acme.com,Japan,Software,20,Prospect\n"
        let hubspot =
            "Record ID,Company name,Company Domain Name,Country/Region,Industry,Number of Employees,Lifecycle Stage\n"
            + "9001,ACME INC,acme.com,United States,Software,120,customer\n"
            + "9002,Beta AG,www.beta.de,DE,Retail,55,opportunity\n"
            + "9003,Gamma Limited,,United Kingdom,Retail,50,customer\n"
            + "9004,Unrelated,unrelated.io,US,,,lead\n"
        try Data(salesforce.utf8).write(to: URL(fileURLWithPath: dir + "/HOST.csv"))
        try Data(hubspot.utf8).write(to: URL(fileURLWithPath: dir + "/PARTNER.csv"))
        let log = ProgressLog()
        let summary = try AccountMapping.run(
            hostPath: dir + "/HOST.csv", partnerPath: dir + "/PARTNER.csv", outputPath: dir + "/overlaps.csv",
            progress: { log.add($0) })
        let out = try String(contentsOfFile: dir + "/overlaps.csv", encoding: .utf8)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "host_id,partner_id,relation,method,score,host_population,partner_population,play")
        #expect(
            Array(lines.dropFirst()) == [
                "001A,9001,same_account,domain+name,1.000,prospect,customer,partner_opens_door",
                "001B,9002,same_account,domain+name,1.000,customer,open_opportunity,host_opens_door",
                "001C,9003,same_account,name,0.950,customer,customer,shared_customer",
                "\"001,D\",9001,same_family,domain,0.800,prospect,customer,partner_opens_door",
            ])
        #expect(summary.hostFormat == .salesforce)
        #expect(summary.partnerFormat == .hubspot)
        #expect(summary.hostRecords == 4 && summary.partnerRecords == 4)
        #expect(summary.overlaps == 4 && summary.sameAccount == 3 && summary.sameFamily == 1)
        #expect(summary.matrix[.prospect, .customer] == 1)
        #expect(summary.matrix[.customer, .open_opportunity] == 1)
        #expect(summary.matrix[.customer, .customer] == 1)
        #expect(summary.familyMatrix[.prospect, .customer] == 1)
        #expect(summary.plays[.partner_opens_door] == 2)
        #expect(summary.renderText().contains("Population matrix"))
        let progress = log.all
        #expect(!progress.isEmpty)
        #expect(progress.last == 1)
        #expect(zip(progress, progress.dropFirst()).allSatisfy { $0 <= $1 })
        // The CSV we wrote reads back.
        #expect(try CSV.parse(Data(out.utf8)).count == 5)
    }

    @Test func errorsNameTheFileAndLineAndLeaveNoOutput() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("account_id,name\n1,Acme\n".utf8).write(to: URL(fileURLWithPath: dir + "/HOST.csv"))
        try Data("account_id,name\n1,Acme\n2,Beta,extra\n".utf8).write(to: URL(fileURLWithPath: dir + "/PARTNER.csv"))
        do {
            _ = try AccountMapping.run(
                hostPath: dir + "/HOST.csv", partnerPath: dir + "/PARTNER.csv", outputPath: dir + "/o.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "PARTNER.csv line 3: expected 2 fields, found 3")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.csv"))
        do {
            _ = try AccountMapping.run(hostPath: dir + "/nope.csv", partnerPath: dir + "/HOST.csv", outputPath: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .io)
            #expect(error.file == "nope.csv")
        }
    }

    @Test func theSummaryRunKeepsOnlyWhatMatchingReadsAndFindsTheSame() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ds = SyntheticAccounts.generate(SyntheticConfig(count: 3000, seed: 11))
        try Data(ds.hostCSV).write(to: URL(fileURLWithPath: dir + "/host.csv"))
        try Data(ds.partnerCSV).write(to: URL(fileURLWithPath: dir + "/partner.csv"))
        let summary = try AccountMapping.run(
            hostPath: dir + "/host.csv", partnerPath: dir + "/partner.csv", outputPath: dir + "/lean.csv")
        let full = try AccountMapping.runDetailed(
            hostPath: dir + "/host.csv", partnerPath: dir + "/partner.csv", outputPath: dir + "/full.csv")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/lean.csv"))
                == Data(contentsOf: URL(fileURLWithPath: dir + "/full.csv")))
        #expect(summary.overlaps == full.summary.overlaps && summary.overlaps > 0)
        #expect(summary.hostDuplicatePairs == full.summary.hostDuplicatePairs)
        // The tables of the full run keep the names and websites; the summary run's rows leave them out.
        let first = full.host.record(at: 0)
        #expect(!first.name.isEmpty && first.website != nil)
        let lean = try AccountMapping.runLoaded(
            sources: [.path(dir + "/host.csv"), .path(dir + "/partner.csv")], outputPath: nil, options: MapOptions(),
            matchingFieldsOnly: true, progress: nil)
        #expect(lean.host.record(at: 0).name.isEmpty && lean.host.record(at: 0).website == nil)
        #expect(lean.host.record(at: 0).id == first.id && lean.host.record(at: 0).nameKey == first.nameKey)
        #expect(lean.match.overlaps == full.match.overlaps)
    }

    @Test func aFileReadFromItsPathIsTheFileReadFromMemory() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = Data(SyntheticAccounts.generate(SyntheticConfig(count: 500, seed: 3)).hostCSV)
        try csv.write(to: URL(fileURLWithPath: dir + "/host.csv"))
        // Mapped from the disk, or given as bytes: the same records.
        let mapped = try AccountTable.load(path: dir + "/host.csv")
        let given = try AccountTable.load(data: csv, fileName: "host.csv")
        #expect(mapped.count == given.count && mapped.count > 0)
        #expect((0..<mapped.count).allSatisfy { mapped.record(at: $0) == given.record(at: $0) })
        // An empty file (nothing to map: read) and one over the limit are refused, each by its name.
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.csv"))
        let empty = importError { _ = try AccountTable.load(path: dir + "/empty.csv") }
        #expect(empty?.kind == .emptyFile)
        var small = ImportOptions()
        small.maxBytes = 100
        let large = importError { _ = try AccountTable.load(path: dir + "/host.csv", options: small) }
        #expect(large?.kind == .tooLarge && large?.file == "host.csv")
    }

    @Test func singleThreadGivesTheSameResult() throws {
        let ds = SyntheticAccounts.generate(SyntheticConfig(count: 2000, seed: 7))
        var one = MapOptions()
        one.match.threads = 1
        let a = try AccountMapping.run(
            hostData: Data(ds.hostCSV), partnerData: Data(ds.partnerCSV), outputPath: nil, options: one)
        let b = try AccountMapping.run(hostData: Data(ds.hostCSV), partnerData: Data(ds.partnerCSV), outputPath: nil)
        #expect(a.match.overlaps == b.match.overlaps)
        #expect(a.match.hostDuplicates == b.match.hostDuplicates)
        // Duplicates are looked for in parts beside the writing (more parts with more threads): the same
        // pairs, in the same order, as one search over each whole table, and counted so in the summary.
        var four = MapOptions()
        four.match.threads = 4
        let c = try AccountMapping.run(
            hostData: Data(ds.hostCSV), partnerData: Data(ds.partnerCSV), outputPath: nil, options: four)
        #expect(!c.match.hostDuplicates.isEmpty && !c.match.partnerDuplicates.isEmpty)
        #expect(c.match.hostDuplicates == AccountMatcher.duplicates(in: c.host))
        #expect(c.match.partnerDuplicates == AccountMatcher.duplicates(in: c.partner))
        #expect(c.match.hostDuplicates == a.match.hostDuplicates && c.match.overlaps == a.match.overlaps)
        #expect(c.summary.hostDuplicatePairs == c.match.hostDuplicates.count)
        #expect(c.summary.partnerDuplicatePairs == c.match.partnerDuplicates.count)
    }
}

@Suite("Synthetic generator and quality report")
struct SyntheticTests {
    @Test func deterministicForASeed() {
        let a = SyntheticAccounts.generate(SyntheticConfig(count: 500, seed: 1))
        let b = SyntheticAccounts.generate(SyntheticConfig(count: 500, seed: 1))
        let c = SyntheticAccounts.generate(SyntheticConfig(count: 500, seed: 2))
        #expect(a.hostCSV == b.hostCSV && a.partnerCSV == b.partnerCSV)
        #expect(a.hostCSV != c.hostCSV)
        #expect(a.truth.csv() == b.truth.csv())
    }

    @Test func filesLookLikeCRMExportsWithNoise() throws {
        let ds = SyntheticAccounts.generate(SyntheticConfig(count: 3000, seed: 3))
        let host = try AccountTable.load(data: Data(ds.hostCSV))
        let partner = try AccountTable.load(data: Data(ds.partnerCSV))
        #expect(host.detection.format == .salesforce)
        #expect(partner.detection.format == .hubspot)
        #expect(host.count >= 3000 && host.count < 3100)  // plus ~1% duplicates
        let records = host.records
        let free = records.filter { if case .freeMail = $0.domain { return true } else { return false } }.count
        let blank = records.filter { $0.website == nil }.count
        #expect(free > 30 && blank > 60)
        #expect(records.contains { $0.website?.contains("@") == true })
        #expect(records.contains { $0.website?.hasPrefix("https://") == true })
        #expect(records.contains { $0.name.contains("GmbH") || $0.name.contains("K.K.") })
        // About 20% of each file is shared.
        let truePairs = ds.truth.trueSameAccountPairs
        #expect(truePairs > 500 && truePairs < 700)
    }

    @Test func qualityReportAgainstTruth() throws {
        let ds = SyntheticAccounts.generate(SyntheticConfig(count: 5000, seed: 11))
        let result = try AccountMapping.run(
            hostData: Data(ds.hostCSV), partnerData: Data(ds.partnerCSV), outputPath: nil)
        let overlaps = result.match.overlaps.map {
            (
                hostId: result.host.id(at: $0.hostIndex), partnerId: result.partner.id(at: $0.partnerIndex),
                relation: $0.relation
            )
        }
        let q = QualityReport.evaluate(overlaps, truth: ds.truth)
        #expect(q.truePairs == ds.truth.trueSameAccountPairs)
        #expect(q.precision >= 0.98)
        #expect(q.recall >= 0.95)
        #expect(q.familyPrecision >= 0.95)
        #expect(q.accountPrecision >= 0.98 && q.accountRecall >= 0.95)
        #expect(q.hostAccountsWithTrueMatch > 0 && q.hostAccountsFound <= q.hostAccountsWithTrueMatch)
        #expect(q.predictedFamily > 0)
        // And via the CSV the command writes.
        let csv = Data(AccountMapping.overlapsCSV(result.match.overlaps, host: result.host, partner: result.partner))
        #expect(try QualityReport.evaluate(overlapsCSV: csv, truth: ds.truth) == q)
        // A deliberately wrong prediction lowers precision.
        let wrong = QualityReport.evaluate(
            [(hostId: overlaps[0].hostId, partnerId: "nope", relation: .same_account)], truth: ds.truth)
        #expect(wrong.precision == 0)
    }
}
