import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellPersistence
@testable import CoSellWeb

/// At 375 px every data table stacks its rows (`table.stack`: the header row hidden, each cell on its
/// own line after its `data-label`), so nothing scrolls sideways and a row's link or button stays in
/// view; charts write their words as HTML, so they keep the page's font size on a phone.
@Suite("Pages: tables and charts on a phone")
struct PageSmallScreenTests {
    /// What is wrong with a page's tables: a table without the `stack` class; in its body, a data cell
    /// without a `data-label` (the row's action cell, `main-action`, needs none) or a header cell that
    /// is not a row header. `tables` counts the tables seen.
    static func tableProblems(_ html: String, page: String) -> (problems: [String], tables: Int, cells: Int) {
        var problems: [String] = []
        var tables = 0
        var cells = 0
        for table in html.matches(of: #/<table\b([^>]*)>(.*?)</table>/#.dotMatchesNewlines()) {
            tables += 1
            let attrs = String(table.output.1)
            let classes = attrs.firstMatch(of: #/\bclass="([^"]*)"/#).map { $0.output.1.split(separator: " ") } ?? []
            let heading =
                table.output.2.firstMatch(of: #/<th\b[^>]*>([^<]*)</#).map { String($0.output.1) } ?? "?"
            let name = "\(page): the table starting \"\(heading)\""
            if !classes.contains("stack") { problems.append("\(name) does not stack (class \"stack\")") }
            let body = table.output.2.firstMatch(of: #/<tbody>(.*?)</tbody>/#.dotMatchesNewlines()).map {
                String($0.output.1)
            }
            guard let body else {
                problems.append("\(name) has no tbody")
                continue
            }
            for cell in body.matches(of: #/<(td|th)\b([^>]*)>/#) {
                cells += 1
                let a = String(cell.output.2)
                if cell.output.1 == "th" {
                    if !a.contains("scope=\"row\"") {
                        problems.append("\(name): a header cell in the body is not a row header")
                    }
                } else {
                    let label = a.firstMatch(of: #/\bdata-label="([^"]+)"/#)
                    let action =
                        a.firstMatch(of: #/\bclass="([^"]*)"/#)?.output.1.split(separator: " ")
                        .contains("main-action") ?? false
                    if label == nil && !action { problems.append("\(name): a cell without data-label: <td\(a)>") }
                }
            }
        }
        return (problems, tables, cells)
    }

    @Test("the check itself: a table without the class or a label is caught, a stacked one passes")
    func theCheckCanFail() {
        let bare = "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        #expect(Self.tableProblems(bare, page: "bare").problems.count == 2)
        let unlabelled =
            "<table class=\"stack\"><tbody><tr><th scope=\"row\">A</th><td data-label=\"B\">1</td><td>2</td></tr></tbody></table>"
        #expect(Self.tableProblems(unlabelled, page: "unlabelled").problems.count == 1)
        let good =
            "<table class=\"matrix stack\"><tbody><tr><th scope=\"row\">A</th><td class=\"num\" data-label=\"B\">1</td>"
            + "<td class=\"main-action\"><a href=\"/x\">Open</a></td></tr></tbody></table>"
        let checked = Self.tableProblems(good, page: "good")
        #expect(checked.problems.isEmpty && checked.tables == 1 && checked.cells == 3)
    }

    @Test("every table of the pages stacks at 375 px and labels each cell", arguments: TestDatabase.all)
    func pagesStack(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let deals = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 5)).items
            let review = try #require(try await c.get(SiteRoute.currentReview(ps.id).href).location)
            // page → the tables it must show with the demo data
            let pages: [(String, Int)] =
                [
                    (SiteRoute.partnership(ps.id).href, 3), (SiteRoute.partnershipReports(ps.id).href, 2),
                    (SiteRoute.namedAccounts(ps.id).href, 2),
                    (SiteRoute.revenue().href, 1), ("/reports/revenue?currency=JPY&from=2000-01-01", 1),
                    (SiteRoute.exchangeRates.href, 1), (SiteRoute.audit().href, 1), (review, 0),
                    (SiteRoute.lessons.href, 0), (SiteRoute.partnerships.href, 0), (SiteRoute.playbooks.href, 0),
                    (SiteRoute.playbook(API.standardPlaybookID).href, 0), (SiteRoute.importUpload.href, 0),
                    (SiteRoute.board.href, 0), (SiteRoute.people.href, 1), (SiteRoute.passwordSettings.href, 0),
                ] + deals.map { (SiteRoute.deal($0.id).href, 0) }
            var problems: [String] = []
            for (path, expected) in pages {
                let page = try await c.get(path)
                #expect(page.status == .ok, "\(path)")
                let checked = Self.tableProblems(page.html, page: path)
                #expect(checked.tables >= expected, "\(path): \(checked.tables) tables, expected \(expected)")
                if expected > 0 { #expect(checked.cells > 0, "\(path)") }
                problems += checked.problems
            }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    @Test("the import's column check and result stack too")
    func importTables() throws {
        let chrome = PageSnapshotTests.chrome
        let preview = ImportViews.preview(
            ImportPreviewModel(
                chrome: chrome, uploadID: UUID(), fileName: "accounts.csv", format: "hubspot",
                header: ["Record ID", "Company name"], mapping: [("id", "Record ID"), ("name", "Company name")],
                rows: 2, skipped: 0, error: nil))
        let job = AccountImport(
            id: UUID(), organizationID: UUID(), fileName: "accounts.csv", format: "hubspot", status: "succeeded",
            totalRows: 2, added: 2, updated: 0, unchanged: 0, retired: 0, skipped: 0, duplicatePairs: 0,
            message: nil, startedAt: PageSnapshotTests.now, finishedAt: PageSnapshotTests.now)
        let result = ImportViews.result(ImportResultModel(chrome: chrome, job: job, percent: 100))
        for (name, node) in [("import preview", preview), ("import result", result)] {
            let checked = Self.tableProblems(node.render(), page: name)
            #expect(checked.tables == 1 && checked.cells > 0, "\(name)")
            #expect(checked.problems.isEmpty, "\(checked.problems)")
        }
    }

    @Test("a chart writes its caption, labels and values as HTML text; only the bars are drawn")
    func chartWords() {
        let html = Charts.bars(
            title: "How deals left each stage",
            [
                .init(
                    label: "A stage with a name longer than thirty characters",
                    segments: [.init(4, Charts.green, "passed"), .init(1, Charts.amber, "overridden")],
                    display: "4/1"),
                .init(label: "Door-opener", segments: [.init(2, Charts.green, "passed")], display: "2/0"),
            ], legend: [.init(0, Charts.green, "passed"), .init(0, Charts.amber, "overridden")]
        ).render()
        #expect(html.hasPrefix("<figure class=\"chart\"><figcaption>How deals left each stage</figcaption>"))
        #expect(!html.contains("<text"))
        // Whole labels (no longer cut at thirty characters), as text the page's CSS sizes.
        #expect(html.contains("<span class=\"bar-label\">A stage with a name longer than thirty characters</span>"))
        #expect(html.contains("<span class=\"bar-value\">4/1</span>"))
        // A stacked bar says its parts; a single one is hidden, its value being the text beside it.
        #expect(html.contains("role=\"img\" aria-label=\"passed 4, overridden 1\""))
        #expect(html.contains("<li><span class=\"bar-label\">Door-opener</span><svg"))
        #expect(html.contains("aria-hidden=\"true\"><rect x=\"0.0\" y=\"0\" width=\"400.0\""))
        // Bars share one scale: the longest fills the drawing.
        #expect(html.contains("width=\"800.0\""))
        #expect(html.contains("x=\"800.0\" y=\"0\" width=\"200.0\""))
    }
}
