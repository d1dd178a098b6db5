import CoSellDomain

/// The weekly co-sell deal review of one partnership as a page, with the form that records who
/// attended and what was decided.
public struct ReviewPageModel: Sendable {
    public var chrome: PageChrome
    public var review: WeeklyReview
    public var canRecord: Bool
    /// Whether the reader checks decisions off (people who write, whatever the week).
    public var canCheckOff: Bool = false
    public var attendees: String
    public var decisions: String
    public var errors: [String: String]
    public var message: String?
    public var localeIdentifier: String
}
