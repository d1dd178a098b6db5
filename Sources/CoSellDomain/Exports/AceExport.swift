import Foundation

/// AWS ACE (Partner Central) opportunity export: one row per joint deal past target selection, with
/// the field names of either generation: the legacy CRM-integration names or the Selling API paths.
public enum AceExport {
    public enum Naming: String, Sendable, CaseIterable {
        case legacy
        case api
    }

    /// The values that hold for every deal of the export: what the partner offers and how.
    public struct Settings: Sendable, Equatable {
        /// `S-0001234`: the partner's solution listed in ACE.
        public var solutionOffered: String?
        /// One or more of `deliveryModels`.
        public var deliveryModel: [String]
        public var useCase: String?
        public var primaryNeedFromAws: [String]
        public var fromMarketingActivity: Bool
        public var naming: Naming

        public init(
            solutionOffered: String?, deliveryModel: [String], useCase: String?,
            primaryNeedFromAws: [String] = ["Do Not Need Support from AWS Sales Rep"],
            fromMarketingActivity: Bool = false, naming: Naming = .legacy
        ) {
            self.solutionOffered = solutionOffered
            self.deliveryModel = deliveryModel
            self.useCase = useCase
            self.primaryNeedFromAws = primaryNeedFromAws
            self.fromMarketingActivity = fromMarketingActivity
            self.naming = naming
        }

        /// The settings that are missing or not allowed, by query parameter name.
        public func problems() -> [MissingField] {
            var out: [MissingField] = []
            if let s = solutionOffered {
                if !AceExport.isSolutionID(s) {
                    out.append(MissingField("solution_offered", "must look like S-0001234."))
                }
            } else {
                out.append(MissingField("solution_offered", "ACE requires the solution offered (S-0001234)."))
            }
            if deliveryModel.isEmpty {
                out.append(
                    MissingField(
                        "delivery_model",
                        "ACE requires a delivery model: \(AceExport.deliveryModels.joined(separator: "; "))."))
            }
            for m in deliveryModel where !AceExport.deliveryModels.contains(m) {
                out.append(
                    MissingField(
                        "delivery_model",
                        "\"\(m)\" is not an ACE delivery model: \(AceExport.deliveryModels.joined(separator: "; "))."))
            }
            if useCase.map({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? true {
                out.append(MissingField("use_case", "ACE requires the customer use case."))
            }
            if primaryNeedFromAws.isEmpty {
                out.append(MissingField("primary_need_from_aws", "ACE requires the partner's primary need from AWS."))
            }
            for n in primaryNeedFromAws where !AceExport.primaryNeeds.contains(n) {
                out.append(
                    MissingField(
                        "primary_need_from_aws",
                        "\"\(n)\" is not an ACE value: \(AceExport.primaryNeeds.joined(separator: "; "))."))
            }
            return out
        }
    }

    public static let deliveryModels = [
        "SaaS or PaaS", "BYOL or AMI", "Managed Services", "Professional Services", "Resell", "Other",
    ]
    public static let primaryNeeds = [
        "Co-Sell - Architectural Validation", "Co-Sell - Business Presentation", "Co-Sell - Competitive Information",
        "Co-Sell - Pricing Assistance", "Co-Sell - Technical Consultation",
        "Co-Sell - Total Cost of Ownership Evaluation", "Co-Sell - Deal Support",
        "Co-Sell - Support for Public Tender / RFx", "Do Not Need Support from AWS Sales Rep",
    ]

    static func isSolutionID(_ s: String) -> Bool {
        guard s.hasPrefix("S-") else { return false }
        let digits = s.dropFirst(2)
        return !digits.isEmpty && digits.count <= 19 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The columns, as (legacy name, Selling API path).
    public static let columns: [(legacy: String, api: String)] = [
        ("partnerCrmUniqueIdentifier", "PartnerOpportunityIdentifier"),
        ("customerCompanyName", "Customer.Account.CompanyName"),
        ("customerWebsite", "Customer.Account.WebsiteUrl"),
        ("industry", "Customer.Account.Industry"),
        ("country", "Customer.Account.Address.CountryCode"),
        ("postalCode", "Customer.Account.Address.PostalCode"),
        ("state", "Customer.Account.Address.StateOrRegion"),
        ("city", "Customer.Account.Address.City"),
        ("streetAddress", "Customer.Account.Address.StreetAddress"),
        ("partnerProjectTitle", "Project.Title"),
        ("projectDescription", "Project.CustomerBusinessProblem"),
        ("useCase", "Project.CustomerUseCase"),
        ("deliveryModel", "Project.DeliveryModel"),
        ("expectedMonthlyAwsRevenue", "Project.ExpectedCustomerSpend.Amount"),
        ("targetCloseDate", "LifeCycle.TargetCloseDate"),
        ("partnerPrimaryNeedFromAws", "PrimaryNeedsFromAWS"),
        ("salesActivities", "Project.SalesActivities"),
        ("solutionOffered", "RelatedEntityIdentifiers.Solutions"),
        ("IsOppFromMarketingActivity", "Marketing.Source"),
        ("opportunityType", "OpportunityType"),
        ("stage", "LifeCycle.Stage"),
        ("closedLostReason", "LifeCycle.ClosedLostReason"),
        ("nextStep", "LifeCycle.NextSteps"),
    ]

    /// The ACE stage of a deal (crm-formats.md 5.6): door-opener → Prospect, joint discovery →
    /// Qualified, pursuit → Technical Validation, or Business Validation once the customer confirmed
    /// the path to a decision; the last stage → Committed while open, Launched when won; lost at any
    /// stage → Closed Lost.
    public static func stage(of deal: Deal, stage: Stage) -> String {
        switch deal.status {
        case .lost: return "Closed Lost"
        case .won: return "Launched"
        default: break
        }
        switch stage.exitCriterion.kind {
        case .targetAccountSelection, .doorOpener: return "Prospect"
        case .jointDiscovery: return "Qualified"
        case .jointPursuit:
            return deal.evidence.jointPursuit.customerConfirmation == nil
                ? "Technical Validation" : "Business Validation"
        case .closeRegisterReview: return "Committed"
        }
    }

    /// The ACE sales activities the deal's evidence shows.
    public static func salesActivities(of deal: Deal) -> [String] {
        let e = deal.evidence
        var out: [String] = []
        if e.doorOpener.firstMeeting != nil { out.append("Initialized discussions with customer") }
        if !e.jointDiscovery.activeBriefs.isEmpty { out.append("Customer has shown interest in solution") }
        if e.jointPursuit.proof != nil { out.append("Conducted POC / Demo") }
        if !e.jointPursuit.activeClosePlans.isEmpty { out.append("Completed Action Plan") }
        if e.jointPursuit.customerConfirmation != nil { out.append("Agreed on solution to Business Problem") }
        if e.close.outcome?.result == .won { out.append("SOW Signed") }
        return out
    }

    /// ACE's expected monthly AWS revenue, from the deal's total amount in US dollars spread over
    /// twelve months (cents rounded half up).
    public static func monthlyRevenue(_ total: Money) -> String {
        let cents = (total.minorUnits + 6) / 12
        return String(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + String(cents % 100)
    }

    public static func export(_ list: [ExportDeal], settings: Settings, today: LocalDate) -> ExportResult {
        let header = columns.map { settings.naming == .legacy ? $0.legacy : $0.api }
        let col = { (i: Int) in header[i] }
        return DealExports.run(target: "aws_ace", header: header, list) { e, missing in
            let d = e.deal
            let a = e.account
            func need(_ value: String?, _ i: Int, _ reason: String) -> String {
                guard let v = DealExports.present(value) else {
                    missing.append(MissingField(col(i), reason))
                    return ""
                }
                return v
            }
            let company = need(d.accountName, 1, "The customer's company name is required.")
            let website = need(
                a?.domain.map { "https://\($0)" }, 2, "The account has no domain to give as the customer website.")
            let industry = need(a?.industry, 3, "The account has no industry.")
            var country = ""
            if DealExports.isCountryCode(a?.country) {
                country = a!.country!.uppercased()
            } else {
                missing.append(
                    MissingField(
                        col(4),
                        a?.country == nil
                            ? "The account has no country."
                            : "The account's country \"\(a!.country!)\" is not a two-letter ISO 3166 code."))
            }
            let addr = e.address
            let postal = need(
                addr?.postalCode, 5, "The account has no postal code: import a CRM export with its billing address.")
            var state = DealExports.present(addr?.state) ?? ""
            if country == "US" && state.isEmpty {
                state = need(nil, 6, "ACE requires the state for a customer in the United States.")
            }
            let title = need(d.title, 9, "The deal has no title.")
            var problem = ""
            if let need = DealExports.customerNeed(d), need.count >= 20 {
                problem = need
            } else {
                missing.append(
                    MissingField(
                        col(10),
                        "ACE requires the customer's business problem (20 characters or more): write the account brief's customer need."
                    ))
            }
            var revenue = ""
            let amount = d.status == .open ? d.amount : (d.evidence.close.outcome?.finalAmount ?? d.amount)
            if let amount, amount.currency.code == "USD", amount.minorUnits > 0 {
                revenue = monthlyRevenue(amount)
            } else {
                missing.append(
                    MissingField(
                        col(13),
                        amount == nil
                            ? "The deal has no amount."
                            : (amount!.currency.code != "USD"
                                ? "ACE takes revenue in USD; the deal's amount is in \(amount!.currency.code)."
                                : "ACE requires an amount above zero.")))
            }
            var closeDate = ""
            if let outcome = d.evidence.close.outcome, d.status != .open {
                closeDate = outcome.closeDate.description
            } else if let expected = d.expectedCloseDate {
                if expected < today {
                    missing.append(
                        MissingField(col(14), "The expected close date \(expected) is in the past; ACE refuses it."))
                } else {
                    closeDate = expected.description
                }
            } else {
                missing.append(MissingField(col(14), "The deal has no expected close date."))
            }
            let activities = salesActivities(of: d)
            if activities.isEmpty {
                missing.append(
                    MissingField(
                        col(16), "ACE requires a sales activity: book the first joint conversation first."))
            }
            var lostReason = ""
            if d.status == .lost {
                lostReason = need(
                    d.evidence.close.outcome?.lossReason, 21, "ACE requires the closed-lost reason of a lost deal.")
            }
            let nextStep =
                d.moves.filter { $0.doneAt == nil && $0.stageKey == e.stage.key }
                .min {
                    ($0.dueOn ?? .init(year: 9999, month: 12, day: 31)!)
                        < ($1.dueOn ?? .init(year: 9999, month: 12, day: 31)!)
                }?
                .description ?? ""
            return [
                d.id.uuidString, company, website, industry, country, postal, state,
                addr?.city ?? "", addr?.line1 ?? "", title, problem,
                settings.useCase ?? "", settings.deliveryModel.joined(separator: ";"), revenue, closeDate,
                settings.primaryNeedFromAws.joined(separator: ";"), activities.joined(separator: ";"),
                settings.solutionOffered ?? "",
                settings.naming == .legacy
                    ? (settings.fromMarketingActivity ? "Yes" : "No")
                    : (settings.fromMarketingActivity ? "Marketing Activity" : "None"),
                "Net New Business", stage(of: d, stage: e.stage), lostReason, nextStep,
            ]
        }
    }
}
