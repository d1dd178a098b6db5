import Foundation

/// Converted revenue of registered won deals for one partner organization, quarter and attribution.
public struct PartnerRevenueRow: Codable, Sendable, Equatable {
    /// The deal's partner organization (the non-host side).
    public var partnerOrganizationID: UUID
    /// The quarter of the close date, e.g. "2026-Q4".
    public var quarter: String
    public var attribution: Attribution
    /// The side that sourced the deal (partner for sourced, host for influenced).
    public var sourcedBy: Side
    public var deals: Int
    /// The sum of each deal's final amount converted at its close date's rate, in the reporting currency.
    public var amount: Money

    public init(
        partnerOrganizationID: UUID, quarter: String, attribution: Attribution, sourcedBy: Side, deals: Int,
        amount: Money
    ) {
        self.partnerOrganizationID = partnerOrganizationID
        self.quarter = quarter
        self.attribution = attribution
        self.sourcedBy = sourcedBy
        self.deals = deals
        self.amount = amount
    }
}

/// Why a won deal's amount is not in the converted totals.
public enum UnconvertedReason: String, Codable, Sendable {
    /// The table has no rate for the currency on or before the close date.
    case noRate = "no_rate"
    /// The converted amount, or the row's sum, does not fit in minor units.
    case tooLarge = "too_large"
}

/// A registered won deal whose amount could not be converted: shown, never dropped.
public struct UnconvertedRevenueLine: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var partnerOrganizationID: UUID
    public var quarter: String
    public var attribution: Attribution
    public var sourcedBy: Side
    public var closeDate: LocalDate
    /// The final amount as logged, in its own currency.
    public var amount: Money
    public var reason: UnconvertedReason

    public init(
        dealID: UUID, partnerOrganizationID: UUID, quarter: String, attribution: Attribution, sourcedBy: Side,
        closeDate: LocalDate, amount: Money, reason: UnconvertedReason
    ) {
        self.dealID = dealID
        self.partnerOrganizationID = partnerOrganizationID
        self.quarter = quarter
        self.attribution = attribution
        self.sourcedBy = sourcedBy
        self.closeDate = closeDate
        self.amount = amount
        self.reason = reason
    }
}

/// A won deal with no accepted registration (none, pending, rejected or lapsed before the close):
/// not partner revenue until registered and accepted ("unprovable").
public struct UnattributedWin: Codable, Sendable, Equatable {
    public var dealID: UUID
    public var partnershipID: UUID
    public var partnerOrganizationID: UUID
    public var title: String
    public var quarter: String
    public var closeDate: LocalDate
    /// The final amount as logged.
    public var amount: Money
    /// The amount at the close date's rate; nil when it could not be converted.
    public var amountInReportingCurrency: Money?

    public init(
        dealID: UUID, partnershipID: UUID, partnerOrganizationID: UUID, title: String, quarter: String,
        closeDate: LocalDate, amount: Money, amountInReportingCurrency: Money?
    ) {
        self.dealID = dealID
        self.partnershipID = partnershipID
        self.partnerOrganizationID = partnerOrganizationID
        self.title = title
        self.quarter = quarter
        self.closeDate = closeDate
        self.amount = amount
        self.amountInReportingCurrency = amountInReportingCurrency
    }
}

/// Partner-sourced and partner-influenced revenue in a reporting currency, at each close date's rate.
public struct PartnerRevenueReport: Codable, Sendable, Equatable {
    public var reportingCurrency: Currency
    /// By partner organization (id order), quarter, then attribution.
    public var rows: [PartnerRevenueRow]
    /// The sum of `rows`; nil when it does not fit in minor units.
    public var total: Money?
    /// Registered won deals left out of `rows`, by close date.
    public var unconverted: [UnconvertedRevenueLine]
    /// Won deals without a registration, by close date.
    public var unattributed: [UnattributedWin]

    public init(
        reportingCurrency: Currency, rows: [PartnerRevenueRow], total: Money?, unconverted: [UnconvertedRevenueLine],
        unattributed: [UnattributedWin]
    ) {
        self.reportingCurrency = reportingCurrency
        self.rows = rows
        self.total = total
        self.unconverted = unconverted
        self.unattributed = unattributed
    }
}

extension Reports {
    /// Partner-sourced and partner-influenced revenue of the won deals among `deals` (by their logged
    /// outcome), by partner organization, quarter of the close date and attribution. Each deal's final
    /// amount is converted at the latest rate on or before its close date (never a later one) and
    /// rounded half-even to the reporting currency's minor units, then summed.
    public static func partnerRevenue(deals: [Deal], rates: ExchangeRateTable) -> PartnerRevenueReport {
        partnerRevenue(facts: deals.map { DealFacts($0) }, rates: rates)
    }

    /// `partnerRevenue(deals:…)` over the deals' stored facts.
    public static func partnerRevenue(facts deals: [DealFacts], rates: ExchangeRateTable) -> PartnerRevenueReport {
        struct Key: Hashable {
            let partner: UUID
            let quarter: String
            let attribution: Attribution
            let sourcedBy: Side
        }
        var groups: [Key: (deals: Int, sum: MinorUnitsSum, dealIDs: [(UUID, LocalDate, Money)])] = [:]
        var unconverted: [UnconvertedRevenueLine] = []
        var unattributed: [UnattributedWin] = []
        let target = rates.reportingCurrency

        for deal in deals {
            guard let outcome = deal.outcome, outcome.result == .won else { continue }
            let quarter = quarter(of: outcome.closeDate)
            let converted = rates.convert(outcome.finalAmount, on: outcome.closeDate)
            // Only a registration both companies agreed to, and that held on the close date, makes it partner revenue.
            guard let reg = deal.registration, reg.counts else {
                unattributed.append(
                    UnattributedWin(
                        dealID: deal.id, partnershipID: deal.partnershipID,
                        partnerOrganizationID: deal.partnerOrganizationID, title: deal.title, quarter: quarter,
                        closeDate: outcome.closeDate, amount: outcome.finalAmount,
                        amountInReportingCurrency: converted))
                continue
            }
            guard let converted else {
                let reason: UnconvertedReason =
                    rates.rate(for: outcome.finalAmount.currency, on: outcome.closeDate) == nil ? .noRate : .tooLarge
                unconverted.append(
                    UnconvertedRevenueLine(
                        dealID: deal.id, partnerOrganizationID: deal.partnerOrganizationID, quarter: quarter,
                        attribution: reg.attribution, sourcedBy: reg.sourcedBy, closeDate: outcome.closeDate,
                        amount: outcome.finalAmount, reason: reason))
                continue
            }
            let key = Key(
                partner: deal.partnerOrganizationID, quarter: quarter, attribution: reg.attribution,
                sourcedBy: reg.sourcedBy)
            var g = groups[key] ?? (0, MinorUnitsSum(), [])
            g.deals += 1
            g.sum.add(converted.minorUnits)
            g.dealIDs.append((deal.id, outcome.closeDate, outcome.finalAmount))
            groups[key] = g
        }

        var rows: [PartnerRevenueRow] = []
        var total = MinorUnitsSum()
        for (key, g) in groups {
            if g.sum.overflowed {
                // The row cannot hold its sum: show its deals as lines rather than a wrong total.
                for (id, closeDate, amount) in g.dealIDs {
                    unconverted.append(
                        UnconvertedRevenueLine(
                            dealID: id, partnerOrganizationID: key.partner, quarter: key.quarter,
                            attribution: key.attribution, sourcedBy: key.sourcedBy, closeDate: closeDate,
                            amount: amount, reason: .tooLarge))
                }
                continue
            }
            total.add(g.sum.value)
            rows.append(
                PartnerRevenueRow(
                    partnerOrganizationID: key.partner, quarter: key.quarter, attribution: key.attribution,
                    sourcedBy: key.sourcedBy, deals: g.deals, amount: Money(minorUnits: g.sum.value, currency: target)))
        }
        rows = rows.map {
            (($0.partnerOrganizationID.order, $0.quarter, $0.attribution.rawValue, $0.sourcedBy.rawValue), $0)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        unconverted = unconverted.map { (($0.closeDate, $0.dealID.order), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        unattributed = unattributed.map { (($0.closeDate, $0.dealID.order), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        return PartnerRevenueReport(
            reportingCurrency: target, rows: rows,
            total: total.overflowed ? nil : Money(minorUnits: total.value, currency: target),
            unconverted: unconverted, unattributed: unattributed)
    }
}

extension PartnerRevenueReport {
    /// Every line of the report: `converted` rows (one per partner, quarter and attribution), then
    /// `unconverted` and `unattributed` deals, each with its original amount.
    public func csv() -> String {
        let header = [
            "line", "partner_organization_id", "quarter", "attribution", "sourced_by", "deals", "amount",
            "reporting_currency", "deal_id", "close_date", "original_amount", "original_currency", "note",
        ]
        var rows: [[String]] = []
        for r in self.rows {
            rows.append([
                "converted", r.partnerOrganizationID.uuidString, r.quarter, r.attribution.rawValue,
                r.sourcedBy.rawValue,
                String(r.deals), r.amount.amountString, reportingCurrency.code, "", "", "", "", "",
            ])
        }
        for u in unconverted {
            let note =
                u.reason == .noRate
                ? "no \(u.amount.currency.code) rate on or before \(Reports.text(of: u.closeDate))"
                : "amount too large to convert or sum"
            rows.append([
                "unconverted", u.partnerOrganizationID.uuidString, u.quarter, u.attribution.rawValue,
                u.sourcedBy.rawValue, "1", "", reportingCurrency.code, u.dealID.uuidString,
                Reports.text(of: u.closeDate),
                u.amount.amountString, u.amount.currency.code, note,
            ])
        }
        for w in unattributed {
            rows.append([
                "unattributed", w.partnerOrganizationID.uuidString, w.quarter, "", "", "1",
                CSV.money(w.amountInReportingCurrency), reportingCurrency.code, w.dealID.uuidString,
                Reports.text(of: w.closeDate), w.amount.amountString, w.amount.currency.code,
                "not registered: " + w.title,
            ])
        }
        return CSV.render(header: header, rows: rows)
    }
}
