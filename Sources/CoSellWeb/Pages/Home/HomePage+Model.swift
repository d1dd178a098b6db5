import Foundation

public struct HomeModel: Sendable, Equatable {
    /// One next action of a deal, from its gate.
    public struct ActionItem: Sendable, Equatable {
        public var dealID: UUID
        public var dealTitle: String
        public var stageName: String
        public var title: String
        /// The company or companies that act, by name.
        public var company: String
        public var owner: String?
        public var due: String?
        public var overdue: Bool
        /// What has to happen first, in words; nil when nothing blocks it.
        public var waitsFor: String?

        public init(
            dealID: UUID, dealTitle: String, stageName: String, title: String, company: String, owner: String?,
            due: String?, overdue: Bool, waitsFor: String? = nil
        ) {
            self.dealID = dealID
            self.dealTitle = dealTitle
            self.stageName = stageName
            self.title = title
            self.company = company
            self.owner = owner
            self.due = due
            self.overdue = overdue
            self.waitsFor = waitsFor
        }
    }

    /// A list of actions, with how many there are in all (the page shows the first ones).
    public struct Actions: Sendable, Equatable {
        public var items: [ActionItem]
        public var total: Int

        public init(_ items: [ActionItem], total: Int? = nil) {
            self.items = items
            self.total = total ?? items.count
        }
    }

    public struct DealItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var detail: String
    }

    public struct StalledItem: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var stageName: String
        public var cause: String?
        public var explanation: String
    }

    public var chrome: PageChrome
    public var firstName: String
    public var companyName: String
    /// What waits on the reader.
    public var mine: Actions
    /// What waits on others of the reader's company.
    public var myCompany: Actions
    /// The partner companies' names, for the heading of `partners`.
    public var partnerNames: String
    /// What waits on the partner companies.
    public var partners: Actions
    /// Deals won or lost whose review is still to be held.
    public var awaitingReview: [DealItem]
    public var stalled: [StalledItem]
    /// For an admin of a server that sends no mail: nobody is told of what waits on them.
    public var mailOff = false
    /// The first steps, until the organization has imported, invited and shared.
    public var guide: GuidedStart? = nil
    /// No partnership is active yet: there are no deals to list.
    public var noActivePartnership = false
    /// What the reader's partnerships wait on them for (the discovery call and its next move).
    public var partnershipActions: [PartnershipItem] = []
    /// A seller's named accounts, per active partnership: the top of their page.
    var namedAccounts: [HomeNamedAccounts] = []
}
