import CoSellDomain
import Foundation
import Testing

@Suite("Deal exports: AWS ACE, Microsoft Partner Center, deals and registrations")
struct DealExportsTests {
    static let berlin = CustomerAddress(
        line1: "Invalidenstrasse 1", city: "Berlin", state: nil, postalCode: "10115")
    static let today = LocalDate(Fixture.now)  // 2026-03-06

    static func export(
        _ deal: Deal, address: CustomerAddress? = berlin, account: JointAccount? = Fixture.account
    )
        -> ExportDeal
    {
        ExportDeal(
            deal: deal, stage: Fixture.playbook.stages[deal.stageIndex], partnershipName: Fixture.partnership.name,
            account: account, address: address)
    }

    static let ace = AceExport.Settings(
        solutionOffered: "S-0001234", deliveryModel: ["SaaS or PaaS", "Professional Services"],
        useCase: "Inventory analytics")

    static func lines(_ csv: String) -> [String] { csv.split(separator: "\n").map(String.init) }

    @Test("a deal in pursuit with the customer's confirmation: every ACE column, checked by hand")
    func aceRow() {
        let deal = Fixture.deal(at: .jointPursuit)
        let result = AceExport.export([Self.export(deal)], settings: Self.ace, today: Self.today)
        #expect(result.validation.invalid.isEmpty)
        let lines = Self.lines(result.csv)
        #expect(
            lines[0]
                == "partnerCrmUniqueIdentifier,customerCompanyName,customerWebsite,industry,country,postalCode,state,city,streetAddress,partnerProjectTitle,projectDescription,useCase,deliveryModel,expectedMonthlyAwsRevenue,targetCloseDate,partnerPrimaryNeedFromAws,salesActivities,solutionOffered,IsOppFromMarketingActivity,opportunityType,stage,closedLostReason,nextStep"
        )
        // 250000.00 USD over 12 months = 20833.33 a month.
        #expect(
            lines[1]
                == "00000000-0000-0000-0000-000000000100,Globex Retail,https://globex.example,Retail,DE,10115,,Berlin,Invalidenstrasse 1,Globex inventory unification,Unify store and online inventory data,Inventory analytics,SaaS or PaaS;Professional Services,20833.33,2026-04-30,Do Not Need Support from AWS Sales Rep,Initialized discussions with customer;Customer has shown interest in solution;Conducted POC / Demo;Completed Action Plan;Agreed on solution to Business Problem,S-0001234,No,Net New Business,Business Validation,,"
        )
        #expect(lines.count == 2)
    }

    @Test("the Selling API generation of the column names")
    func aceApiNames() {
        var settings = Self.ace
        settings.naming = .api
        settings.fromMarketingActivity = true
        let result = AceExport.export(
            [Self.export(Fixture.deal(at: .jointPursuit))], settings: settings, today: Self.today)
        let header = Self.lines(result.csv)[0].split(separator: ",").map(String.init)
        #expect(header.first == "PartnerOpportunityIdentifier")
        #expect(header.contains("Project.ExpectedCustomerSpend.Amount"))
        #expect(header.contains("LifeCycle.Stage"))
        #expect(result.rows[0][18] == "Marketing Activity")
    }

    @Test("ACE stages follow the playbook stage and the outcome")
    func aceStages() {
        func stage(_ d: Deal) -> String { AceExport.stage(of: d, stage: Fixture.playbook.stages[d.stageIndex]) }
        #expect(stage(Fixture.deal(at: .doorOpener)) == "Prospect")
        #expect(stage(Fixture.deal(at: .jointDiscovery)) == "Qualified")
        var pursuit = Fixture.evidence(through: .jointPursuit)
        pursuit.jointPursuit.customerConfirmation = nil
        #expect(stage(Fixture.deal(at: .jointPursuit, evidence: pursuit)) == "Technical Validation")
        #expect(stage(Fixture.deal(at: .jointPursuit)) == "Business Validation")
        #expect(
            stage(Fixture.deal(at: .closeRegisterReview, evidence: Fixture.evidence(through: .jointPursuit)))
                == "Committed")
        #expect(stage(Fixture.deal(at: .closeRegisterReview)) == "Launched")
        #expect(stage(Fixture.deal(at: .jointDiscovery, status: .lost)) == "Closed Lost")
    }

    @Test("ACE validation names every missing field; target selection and abandoned deals are not exported")
    func aceValidation() {
        var euro = Fixture.deal(at: .jointPursuit)
        euro.id = Fixture.id(101)
        euro.amount = try! Money(amount: "90000.00", currency: Currency(code: "EUR")!)
        euro.expectedCloseDate = Fixture.date("2026-01-31")
        var us = Fixture.deal(at: .doorOpener)
        us.id = Fixture.id(102)
        var usAccount = Fixture.account
        usAccount.country = "US"
        var early = Fixture.deal(at: .targetAccountSelection)
        early.id = Fixture.id(103)
        var abandoned = Fixture.deal(at: .jointDiscovery, status: .abandoned)
        abandoned.id = Fixture.id(104)
        let result = AceExport.export(
            [
                Self.export(euro, address: nil), Self.export(us, account: usAccount), Self.export(early),
                Self.export(abandoned),
            ], settings: Self.ace, today: Self.today)
        let v = result.validation
        #expect(v.checked == 2 && v.valid == 0 && result.rows.isEmpty)
        #expect(v.invalid.map(\.dealID) == [Fixture.id(101), Fixture.id(102)])
        #expect(v.invalid[0].missing.map(\.field) == ["postalCode", "expectedMonthlyAwsRevenue", "targetCloseDate"])
        #expect(v.invalid[0].missing[1].reason == "ACE takes revenue in USD; the deal's amount is in EUR.")
        // At the door-opener stage the brief is not written yet: no business problem; and the US needs a state.
        #expect(v.invalid[1].missing.map(\.field) == ["state", "projectDescription"])
        #expect(v.excluded.map(\.dealID) == [Fixture.id(103), Fixture.id(104)])
    }

    @Test("ACE settings: solution, delivery model and use case are required, picklists are checked")
    func aceSettings() {
        #expect(Self.ace.problems().isEmpty)
        let bad = AceExport.Settings(
            solutionOffered: "1234", deliveryModel: ["Cloud"], useCase: nil, primaryNeedFromAws: ["Help"])
        #expect(
            bad.problems().map(\.field) == ["solution_offered", "delivery_model", "use_case", "primary_need_from_aws"])
        #expect(
            AceExport.Settings(solutionOffered: nil, deliveryModel: [], useCase: "x").problems().map(\.field)
                == ["solution_offered", "delivery_model"])
    }

    static let partnerCenter = PartnerCenterExport.Settings(
        solutionID: "SOL-42", teamMember: .init(name: Fixture.hostAdmin.name, email: Fixture.hostAdmin.email))

    @Test("a won deal in Partner Center's bulk co-sell CSV, checked by hand")
    func partnerCenterRow() {
        let deal = Fixture.deal(at: .closeRegisterReview)
        let result = PartnerCenterExport.export([Self.export(deal)], settings: Self.partnerCenter, now: Fixture.now)
        #expect(result.validation.invalid.isEmpty)
        let lines = Self.lines(result.csv)
        #expect(
            lines[0]
                == "Deal Name,Partner Referral Status,Partner Referral Substatus,Estimated Deal Value,Currency,Estimated Close Date,Customer Name,Customer Address Line 1,Customer City,Customer State,Customer Postal Code,Customer Country,Microsoft help required?,Consent to share Customer/Partner contact,Marketplace Purchase Intent,Solution 1,Team member 1,Decline/Lost/Error reason,CRM ID"
        )
        #expect(
            lines[1]
                == "Globex inventory unification,Closed,Won,250000.00,USD,02/25/2026,Globex Retail,Invalidenstrasse 1,Berlin,,10115,DE,No,No,Have not decided,\"SOL-42, USD, 250000.00, 1\",\"Hana, Admin, , hana@northwind.example\",,00000000-0000-0000-0000-000000000100"
        )
    }

    @Test("Partner Center: status mapping, the 72-hour rule for Won, the reason of a loss, the address")
    func partnerCenterValidation() {
        func status(_ d: Deal) -> String {
            let s = PartnerCenterExport.status(of: d, stage: Fixture.playbook.stages[d.stageIndex])
            return "\(s.0)/\(s.1)"
        }
        #expect(status(Fixture.deal(at: .doorOpener)) == "New/Accepted")
        #expect(status(Fixture.deal(at: .jointPursuit)) == "Active/Accepted")
        #expect(status(Fixture.deal(at: .closeRegisterReview)) == "Closed/Won")
        #expect(status(Fixture.deal(at: .jointDiscovery, status: .lost)) == "Closed/Lost")

        var young = Fixture.deal(at: .closeRegisterReview)
        young.createdAt = Fixture.now.addingTimeInterval(-3_600)
        var lost = Fixture.deal(at: .jointDiscovery, status: .lost)
        lost.id = Fixture.id(105)
        let result = PartnerCenterExport.export(
            [Self.export(young), Self.export(lost, address: nil)], settings: Self.partnerCenter, now: Fixture.now)
        #expect(result.validation.invalid.count == 2)
        #expect(result.validation.invalid[0].missing.map(\.field) == ["Partner Referral Substatus"])
        #expect(
            result.validation.invalid[1].missing.map(\.field)
                == ["Customer Address Line 1", "Customer City", "Decline/Lost/Error reason"])
        #expect(
            PartnerCenterExport.Settings(
                solutionID: nil, marketplaceIntent: "Maybe", teamMember: .init(name: "A", email: "a@x")
            )
            .problems().map(\.field) == ["solution_id", "marketplace_intent"])
    }

    @Test("deals and registrations CSV, one row each")
    func plainExports() {
        let won = Fixture.deal(at: .closeRegisterReview)
        var open = Fixture.deal(at: .doorOpener)
        open.id = Fixture.id(106)
        open.title = "=HYPERLINK(\"x\")"
        let list = [Self.export(won), Self.export(open)]
        let deals = Self.lines(DealExports.deals(list))
        #expect(deals[0] == DealExports.dealsHeader.joined(separator: ","))
        #expect(
            deals[1]
                == "00000000-0000-0000-0000-000000000100,Globex inventory unification,Northwind + Contoso,Globex Retail,close_register_review,\"Close, register and review\",won,250000.00,USD,2026-04-30,REG-0001,partner_sourced,2026-01-05T09:00:00Z,2026-03-05T09:00:00Z,"
        )
        // A formula-looking title is defused, and quoted for its quotes.
        #expect(deals[2].contains(",\"'=HYPERLINK(\"\"x\"\")\","))
        let regs = Self.lines(DealExports.registrations(list))
        #expect(regs.count == 2)
        #expect(
            regs[1]
                == "REG-0001,00000000-0000-0000-0000-000000000100,Globex inventory unification,Northwind + Contoso,Globex Retail,partner_sourced,partner,Pedro Manager,2026-02-25T09:00:00Z,won,won,250000.00,USD,2026-02-25,accepted,,partner,Hugo Manager,2026-02-26T09:00:00Z,,2026-05-31"
        )
    }
}
