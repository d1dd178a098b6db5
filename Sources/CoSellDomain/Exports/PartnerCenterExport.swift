import Foundation

/// Microsoft Partner Center bulk co-sell CSV: one row per joint deal past target selection, with the
/// English headers of crm-formats.md 5.5.
public enum PartnerCenterExport {
    /// A Partner Center team member: the person who exports, by default.
    public struct TeamMember: Sendable, Equatable {
        public var firstName: String
        public var lastName: String
        public var phone: String
        public var email: String

        public init(firstName: String, lastName: String, phone: String = "", email: String) {
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
            self.email = email
        }

        /// "Ada Lovelace King" → first "Ada", last "Lovelace King"; a single word is the last name.
        public init(name: String, email: String) {
            let parts = name.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2 {
                self.init(firstName: String(parts[0]), lastName: parts.dropFirst().joined(separator: " "), email: email)
            } else {
                self.init(firstName: "", lastName: name, email: email)
            }
        }
    }

    public struct Settings: Sendable, Equatable {
        /// `SOL-…`: the partner's co-sell solution.
        public var solutionID: String?
        /// Yes | No | Have not decided.
        public var marketplaceIntent: String
        /// Whether the customer consented to share contacts with Microsoft (No unless stated).
        public var consentToShare: Bool
        public var teamMember: TeamMember

        public init(
            solutionID: String?, marketplaceIntent: String = "Have not decided", consentToShare: Bool = false,
            teamMember: TeamMember
        ) {
            self.solutionID = solutionID
            self.marketplaceIntent = marketplaceIntent
            self.consentToShare = consentToShare
            self.teamMember = teamMember
        }

        public func problems() -> [MissingField] {
            var out: [MissingField] = []
            if let s = solutionID {
                if !(s.hasPrefix("SOL-") && s.count > 4 && s.count <= 100 && !s.contains(",")) {
                    out.append(MissingField("solution_id", "must look like SOL-… (the co-sell solution's id)."))
                }
            } else {
                out.append(MissingField("solution_id", "Partner Center requires a solution (SOL-…)."))
            }
            if !PartnerCenterExport.marketplaceIntents.contains(marketplaceIntent) {
                out.append(
                    MissingField(
                        "marketplace_intent",
                        "must be one of: \(PartnerCenterExport.marketplaceIntents.joined(separator: ", "))."))
            }
            return out
        }
    }

    public static let marketplaceIntents = ["Yes", "No", "Have not decided"]

    public static let header = [
        "Deal Name", "Partner Referral Status", "Partner Referral Substatus", "Estimated Deal Value", "Currency",
        "Estimated Close Date", "Customer Name", "Customer Address Line 1", "Customer City", "Customer State",
        "Customer Postal Code", "Customer Country", "Microsoft help required?",
        "Consent to share Customer/Partner contact", "Marketplace Purchase Intent", "Solution 1", "Team member 1",
        "Decline/Lost/Error reason", "CRM ID",
    ]

    /// Status and substatus (crm-formats.md 5.6, with the CSV guidance of creating as New / Accepted):
    /// door-opener → New / Accepted; later open stages → Active / Accepted; won → Closed / Won; lost →
    /// Closed / Lost.
    public static func status(of deal: Deal, stage: Stage) -> (String, String) {
        switch deal.status {
        case .won: return ("Closed", "Won")
        case .lost: return ("Closed", "Lost")
        default: break
        }
        return stage.exitCriterion.kind == .doorOpener || stage.exitCriterion.kind == .targetAccountSelection
            ? ("New", "Accepted") : ("Active", "Accepted")
    }

    /// MM/DD/YYYY.
    static func usDate(_ d: LocalDate) -> String { String(format: "%02d/%02d/%04d", d.month, d.day, d.year) }

    public static func export(_ list: [ExportDeal], settings: Settings, now: Date) -> ExportResult {
        DealExports.run(target: "partner_center", header: header, list) { e, missing in
            let d = e.deal
            let a = e.account
            let addr = e.address
            func need(_ value: String?, _ column: String, _ reason: String) -> String {
                guard let v = DealExports.present(value) else {
                    missing.append(MissingField(column, reason))
                    return ""
                }
                return v
            }
            let (status, substatus) = status(of: d, stage: e.stage)
            if d.status == .won, now.timeIntervalSince(d.createdAt) < 72 * 3_600 {
                missing.append(
                    MissingField(
                        "Partner Referral Substatus",
                        "Partner Center takes Won only 72 hours after the deal was created."))
            }
            let name = need(d.title, "Deal Name", "The deal has no title.")
            let amount = d.status == .open ? d.amount : (d.evidence.close.outcome?.finalAmount ?? d.amount)
            var value = ""
            var currency = ""
            if let amount, amount.minorUnits > 0 {
                value = amount.amountString
                currency = amount.currency.code
            } else {
                missing.append(
                    MissingField(
                        "Estimated Deal Value",
                        amount == nil ? "The deal has no amount." : "Partner Center requires a value above zero."))
            }
            var closeDate = ""
            if let outcome = d.evidence.close.outcome, d.status != .open {
                closeDate = usDate(outcome.closeDate)
            } else if let expected = d.expectedCloseDate {
                closeDate = usDate(expected)
            } else {
                missing.append(MissingField("Estimated Close Date", "The deal has no expected close date."))
            }
            let customer = need(d.accountName, "Customer Name", "The customer's name is required.")
            let line1 = need(
                addr?.line1, "Customer Address Line 1",
                "The account has no street address: import a CRM export with its billing address.")
            let city = need(
                addr?.city, "Customer City", "The account has no city: import a CRM export with its billing address.")
            var country = ""
            if DealExports.isCountryCode(a?.country) {
                country = a!.country!.uppercased()
            } else {
                missing.append(
                    MissingField(
                        "Customer Country",
                        a?.country == nil
                            ? "The account has no country."
                            : "The account's country \"\(a!.country!)\" is not a two-letter ISO 3166 code."))
            }
            var lostReason = ""
            if d.status == .lost {
                lostReason = need(
                    d.evidence.close.outcome?.lossReason, "Decline/Lost/Error reason",
                    "Partner Center requires the reason a lost deal was lost.")
            }
            let m = settings.teamMember
            return [
                name, status, substatus, value, currency, closeDate, customer, line1,
                city, addr?.state ?? "", addr?.postalCode ?? "", country, "No",
                settings.consentToShare ? "Yes" : "No", settings.marketplaceIntent,
                "\(settings.solutionID ?? ""), \(currency), \(value), 1",
                "\(m.firstName), \(m.lastName), \(m.phone), \(m.email)",
                lostReason, d.id.uuidString,
            ]
        }
    }
}
