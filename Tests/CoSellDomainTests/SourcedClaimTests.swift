import Foundation
import Testing

@testable import CoSellDomain

/// A partner-sourced claim on an account the host's CRM already had as a customer or an open
/// opportunity is flagged on the registration, for both companies to read before the decision.
@Suite("Sourced claims checked against the host's CRM")
struct SourcedClaimTests {
    struct Case: CustomStringConvertible, Sendable {
        var attribution: Attribution
        var population: String?
        var flagged: String?
        var description: String { "\(attribution.rawValue) on \(population ?? "unknown")" }
    }

    static let cases: [Case] = [
        Case(attribution: .partnerSourced, population: "customer", flagged: "as a customer before this deal"),
        Case(
            attribution: .partnerSourced, population: "open_opportunity",
            flagged: "as an open opportunity before this deal"),
        Case(attribution: .partnerSourced, population: "prospect", flagged: nil),
        Case(attribution: .partnerSourced, population: nil, flagged: nil),
        Case(attribution: .partnerInfluenced, population: "customer", flagged: nil),
    ]

    @Test("flagged only for a partner-sourced claim on a customer or an open opportunity", arguments: cases)
    func flagged(_ c: Case) throws {
        var context = RegistrationWorkflowTests.context()
        context.hostPopulation = c.population
        let command = DealCommand.register(
            registrationID: "REG-77", attribution: c.attribution,
            sourcedBy: c.attribution == .partnerSourced ? .partner : .host)
        let (deal, _) = try DealEngine.apply(
            command, to: RegistrationWorkflowTests.unregistered, by: Fixture.actor(Fixture.partnerManager),
            context: context)
        let warning = deal.evidence.close.registration?.sourcedClaimWarning
        if let flagged = c.flagged {
            let w = try #require(warning)
            #expect(w.contains(flagged), "\(w)")
            #expect(w.hasPrefix("\(Fixture.hostOrg.name)'s CRM had \(deal.accountName)"))
            #expect(w.contains("\(Fixture.partnerOrg.name) brought the deal"))
        } else {
            #expect(warning == nil)
        }
        // The flag does not block: the registration waits for the other company as always.
        #expect(deal.evidence.close.registration?.status == .pending)
    }
}
