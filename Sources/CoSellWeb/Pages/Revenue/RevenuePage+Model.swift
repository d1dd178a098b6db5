import Foundation

/// The partner revenue report of the signed-in person's organization: partner-sourced and
/// partner-influenced revenue by partner and quarter, in one reporting currency.
public struct RevenuePageModel: Sendable, Equatable {
    /// One partner and quarter: the two attributions side by side.
    public struct Row: Sendable, Equatable {
        public var partner: String
        public var quarter: String
        public var sourcedDeals: Int
        public var sourced: String
        public var influencedDeals: Int
        public var influenced: String
        public var total: String
        /// The two amounts in minor units of the reporting currency, for the chart.
        public var sourcedValue: Double
        public var influencedValue: Double
    }

    /// A won deal left out of the converted rows, with the reason.
    public struct LeftOut: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var partner: String
        public var closeDate: String
        public var amount: String
        public var reason: String
    }

    public var chrome: PageChrome
    /// The filter as typed (kept when it is refused).
    public var currency: String
    public var from: String
    public var to: String
    public var errors: [String: String]
    /// The currencies of the organization's exchange-rate tables.
    public var tableCurrencies: [String]
    /// Nil when the filter was refused: the page then shows only the form.
    public var report: Report?
    public var isAdmin: Bool

    public struct Report: Sendable, Equatable {
        public var reportingCurrency: String
        public var ratesUploadedAt: String?
        public var rows: [Row]
        public var total: String
        public var unconverted: [LeftOut]
        public var unattributed: [LeftOut]
        /// The query of the API links (`currency=EUR&from=…`).
        public var apiQuery: String
    }
}
