import CoSellApp
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The typed page routes: every link is built from the value the route is registered from.
@Suite("Site routes")
struct SiteRouteTests {
    static let deal = UUID(uuidString: "6F1C2A4E-1111-4C9B-9D3E-0123456789AB")!
    static let other = UUID(uuidString: "0A0B0C0D-2222-4C9B-9D3E-0123456789AB")!

    /// One value of every page route, with the address it must write into a page.
    static let pages: [(SiteRoute, String)] = [
        (.home, "/"),
        (.signIn(), "/sign-in"),
        (.signIn(next: "/deals?status=all"), "/sign-in?next=%2Fdeals%3Fstatus%3Dall"),
        (.signOut, "/sign-out"),
        (.board, "/deals"),
        (.deal(deal), "/deals/\(deal.uuidString)"),
        (.dealAction(deal, "approve-brief"), "/deals/\(deal.uuidString)/actions/approve-brief"),
        (.partnerships, "/partnerships"),
        (.partnership(deal), "/partnerships/\(deal.uuidString)"),
        (.partnershipReports(deal), "/partnerships/\(deal.uuidString)/reports"),
        (.partnershipCompensation(deal), "/partnerships/\(deal.uuidString)/reports/compensation"),
        (.currentReview(deal), "/partnerships/\(deal.uuidString)/review"),
        (.review(deal, week: "2026-W49"), "/partnerships/\(deal.uuidString)/reviews/2026-W49"),
        (
            .review(deal, week: "2026-W49", limit: 50, offset: 100),
            "/partnerships/\(deal.uuidString)/reviews/2026-W49?limit=50&offset=100"
        ),
        (.sharing(deal), "/partnerships/\(deal.uuidString)/sharing"),
        (.startDeal(deal, overlap: other), "/partnerships/\(deal.uuidString)/targets/\(other.uuidString)/deal"),
        (.targets(deal), "/partnerships/\(deal.uuidString)/targets"),
        (
            .targets(
                deal,
                TargetQuery(
                    q: "Zürich & co", population: .prospect, partnerPopulation: .customer, play: .partner_opens_door,
                    fit: .both_fit, relation: .same_family, offset: 50)),
            "/partnerships/\(deal.uuidString)/targets?q=Z%C3%BCrich%20%26%20co&population=prospect"
                + "&partner_population=customer&play=partner_opens_door&fit=both_fit&relation=same_family&offset=50"
        ),
        (.revenue(), "/reports/revenue"),
        (.revenue(currency: "EUR"), "/reports/revenue?currency=EUR"),
        (.exchangeRates, "/exchange-rates"),
        (.lessons, "/lessons"),
        (.importUpload, "/import"),
        (.importPreview(deal), "/import/\(deal.uuidString)"),
        (.importConfirm(deal), "/import/\(deal.uuidString)/confirm"),
        (.importResult(deal), "/imports/\(deal.uuidString)"),
        (.importRestore(deal), "/imports/\(deal.uuidString)/restore"),
        (.playbooks, "/playbooks"),
        (.playbook(deal), "/playbooks/\(deal.uuidString)"),
        (.playbook(deal, version: 3), "/playbooks/\(deal.uuidString)?version=3"),
        (.playbookEdit(deal), "/playbooks/\(deal.uuidString)/edit"),
        (.playbookCopy(deal), "/playbooks/\(deal.uuidString)/copy"),
        (.audit(), "/audit"),
        (.audit(offset: 50), "/audit?offset=50"),
        (.people, "/settings/people"),
        (.personRole(deal), "/settings/people/\(deal.uuidString)/role"),
        (.profile, "/settings/profile"),
    ]

    @Test("each route writes its address: path, ids and query")
    func hrefs() {
        for (route, href) in Self.pages {
            #expect(route.href == href)
        }
        #expect(
            SiteRoute.apiReport(Self.deal, "pipeline.csv").href
                == "/api/v1/partnerships/\(Self.deal.uuidString)/reports/pipeline.csv")
        #expect(
            SiteRoute.apiReview(Self.deal, week: "2026-W49", markdown: true).href
                == "/api/v1/partnerships/\(Self.deal.uuidString)/reviews/2026-W49/markdown")
        #expect(
            SiteRoute.apiRevenue(csv: true, query: "currency=USD").href == "/api/v1/reports/revenue.csv?currency=USD")
        #expect(SiteRoute.apiAuditCSV.href == "/api/v1/audit.csv")
    }

    @Test("every page address a route can write is a route the application answers")
    func everyLinkIsRegistered() async throws {
        try await withTestApp(.sqlite, demo: false) { app in
            let registered = Set(app.routes.all.map { r in r.path.map(\.description).joined(separator: "/") })
            for (route, _) in Self.pages {
                let pattern = route.pathComponents.map(\.description).joined(separator: "/")
                #expect(registered.contains(pattern), "\(route.href) has no route")
            }
            // And the API downloads the pages link to are operations of the API.
            for route in [
                SiteRoute.apiReport(Self.deal, "pipeline"), .apiReport(Self.deal, "adoption.csv"),
                .apiReview(Self.deal, week: "2026-W49", markdown: true), .apiRevenue(csv: false, query: ""),
                .apiAuditCSV,
            ] {
                let parts = route.segments.map { segment -> String in
                    switch segment {
                    case .constant(let c): return c
                    case .parameter(let name, _): return ":" + name
                    }
                }
                let known = registered.contains { pattern in
                    let p = pattern.split(separator: "/").map(String.init)
                    return p.count == parts.count
                        && zip(p, parts).allSatisfy { $0 == $1 || ($0.hasPrefix(":") && !$1.hasPrefix(":")) }
                }
                #expect(known, "\(route.href) is not an API route")
            }
        }
    }
}
