import ArgumentParser
import CoSellApp
import CoSellDomain
import Foundation

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Print a partnership's weekly co-sell deal review (Markdown or JSON).")

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "The partnership's id.")
    var partnership: String

    @ArgumentParser.Option(name: .long, help: "The ISO week, e.g. 2026-W48 (default: the current week, UTC).")
    var week: String?

    @ArgumentParser.Option(name: .long, help: "markdown or json.")
    var format: String = ReviewFormat.markdown.rawValue

    func validate() throws {
        guard UUID(uuidString: partnership) != nil else { throw ValidationError("--partnership must be a UUID.") }
        if let week {
            if case .failure(let error) = ISOWeek.check(week) { throw ValidationError("--week: \(error.message)") }
        }
        guard ReviewFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be markdown or json.")
        }
    }

    func run() async throws {
        let w =
            try week.map { (text: String) throws -> ISOWeek in try ISOWeek.parse(text) } ?? ISOWeek(containing: Date())
        print(
            try await CoSellRunner.weeklyReview(
                database.existing, partnershipID: UUID(uuidString: partnership)!, week: w,
                format: ReviewFormat(rawValue: format)!),
            terminator: "")
    }
}
