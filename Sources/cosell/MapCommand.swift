import ArgumentParser
import CoSellApp
import CoSellMatching
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `cosell map HOST.csv PARTNER.csv --out overlaps.csv`: account mapping of two CRM exports on this
/// machine, nothing uploaded anywhere.
struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the accounts two companies' CRM exports share, and what each overlap is good for.",
        discussion: """
            Reads two account exports (Salesforce, HubSpot or generic CSV; the format is detected from the \
            header), prints the population matrix and writes one row per overlap:
            \(AccountMapping.overlapsHeader)
            """)

    @Argument(help: "The host company's account export (CSV).")
    var host: String

    @Argument(help: "The partner company's account export (CSV).")
    var partner: String

    @ArgumentParser.Option(name: .long, help: "Where to write the overlaps CSV.")
    var out: String = "overlaps.csv"

    @ArgumentParser.Option(
        name: .customLong("host-column"),
        help:
            "Override the detected column of a field in the host file, e.g. --host-column name=Company (fields: id, name, website, country, industry, employees, population, street, city, state, postal_code)."
    )
    var hostColumns: [String] = []

    @ArgumentParser.Option(
        name: .customLong("partner-column"), help: "The same for the partner file.")
    var partnerColumns: [String] = []

    @ArgumentParser.Flag(name: .long, help: "No progress bar.")
    var quiet = false

    func validate() throws {
        _ = try columnMapping(hostColumns)
        _ = try columnMapping(partnerColumns)
    }

    func run() throws {
        try CoSellConfig.applyMatchingSwitches()
        let hostMapping = try columnMapping(hostColumns)
        let partnerMapping = try columnMapping(partnerColumns)
        let bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        do {
            let summary = try AccountMapping.run(
                hostPath: host, partnerPath: partner, outputPath: out,
                options: MapOptions(
                    host: ImportOptions(mapping: hostMapping), partner: ImportOptions(mapping: partnerMapping)),
                progress: { bar.update($0) })
            bar.finish()
            print(summary.renderText())
            print("Wrote \(summary.overlaps) overlaps to \(out).")
        } catch {
            bar.finish()
            FileHandle.standardError.write(Data("cosell map: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A one-line progress bar on standard error, redrawn at most every percent.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var last = -1
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int((max(0, min(1, fraction)) * 100).rounded(.down))
        lock.lock()
        defer { lock.unlock() }
        guard percent != last else { return }
        last = percent
        let width = 30
        let filled = percent * width / 100
        let line =
            "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(percent)%"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if last >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Parses `field=Header` overrides into a column mapping (nil when there are none).
func columnMapping(_ values: [String]) throws -> ColumnMapping? {
    guard !values.isEmpty else { return nil }
    var headers: [AccountField: String] = [:]
    for v in values {
        let parts = v.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let field = AccountField(rawValue: parts[0].lowercased()), !parts[1].isEmpty else {
            throw ValidationError(
                "\(v): write field=Header, with a field among \(AccountField.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        headers[field] = parts[1]
    }
    return ColumnMapping(headers)
}
