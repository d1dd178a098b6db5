import ArgumentParser
import CoSellApp
import CoSellMatching
import CoSellWorkflows
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import an organization's CRM account export (upsert by CRM id; missing accounts are retired), or restore the accounts as they were before its latest import (--restore-latest)."
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "The organization's id.")
    var organization: String

    @Argument(help: "The account export (Salesforce, HubSpot or generic CSV); none with --restore-latest.")
    var file: String?

    @ArgumentParser.Option(
        name: .customLong("column"),
        help:
            "Override the detected column of a field, e.g. --column name=Company (fields: id, name, website, country, industry, employees, population, street, city, state, postal_code)."
    )
    var columns: [String] = []

    @ArgumentParser.Flag(
        name: .long, help: "A partial update: add and update the file's accounts, retire none of the others.")
    var partial = false

    @ArgumentParser.Flag(
        name: .long,
        help:
            "Apply a full export that retires more than a tenth of the accounts, or accounts with an open deal (refused without it, saying what it would retire)."
    )
    var confirmRetirements = false

    @ArgumentParser.Flag(
        name: .long,
        help:
            "Put the organization's accounts back as they were before its latest import (the accounts it changed or retired get their previous values, those it added are retired), then match its partnerships again."
    )
    var restoreLatest = false

    @ArgumentParser.Flag(name: .long, help: "No progress bar.")
    var quiet = false

    /// Tests only: write this file and wait, killed, inside the import's transaction on SQLite.
    @ArgumentParser.Option(name: .customLong("test-pause-before-commit"), help: .hidden)
    var testPauseBeforeCommit: String?

    func validate() throws {
        guard UUID(uuidString: organization) != nil else { throw ValidationError("--organization must be a UUID.") }
        if restoreLatest {
            guard file == nil, columns.isEmpty, !partial, !confirmRetirements else {
                throw ValidationError("--restore-latest takes no file, --column, --partial or --confirm-retirements.")
            }
        } else if file == nil {
            throw ValidationError("Give the account export (<file>) to import, or --restore-latest.")
        }
        _ = try columnMapping(columns)
    }

    func run() async throws {
        if restoreLatest {
            do {
                print(
                    try await CoSellRunner.restoreLatestImport(
                        database.existing, organizationID: UUID(uuidString: organization)!))
            } catch WorkflowError.conflict(let message) {
                // Nothing was changed.
                FileHandle.standardError.write(Data("cosell import: \(message)\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        guard let file else {
            throw ValidationError("Give the account export (<file>) to import, or --restore-latest.")
        }
        if let testPauseBeforeCommit { CoSellRunner.holdImportsBeforeCommit(at: testPauseBeforeCommit) }
        let bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        do {
            let message = try await CoSellRunner.importAccounts(
                database.existing, organizationID: UUID(uuidString: organization)!, path: file,
                mapping: try columnMapping(columns), mode: partial ? .partial : .full,
                confirmRetirements: confirmRetirements, progress: { bar.update($0) })
            bar.finish()
            print(message)
        } catch WorkflowError.invalid(field: "body", let message) {
            // The file cannot be read (naming the line); nothing was stored.
            bar.finish()
            FileHandle.standardError.write(Data("cosell import: \(message)\n".utf8))
            throw ExitCode(1)
        } catch WorkflowError.invalid(field: "confirm_retirements", let message) {
            // Nothing was stored: the file would retire much of the list.
            bar.finish()
            FileHandle.standardError.write(
                Data("cosell import: \(message) (--confirm-retirements, or --partial)\n".utf8))
            throw ExitCode(1)
        }
    }
}
