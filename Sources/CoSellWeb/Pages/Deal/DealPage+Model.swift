import CoSellDomain
import Foundation

/// Everything the deal page shows: the deal, its playbook version, each stage's checklist, the
/// diagnosis, the timeline, lessons from earlier deals, and the state of a form sent with errors.
public struct DealPageModel: Sendable {
    public struct LessonItem: Sendable, Equatable {
        public var id: UUID
        public var text: String
        public var fromDeal: String
        public var capturedOn: String
        public var appliedCount: Int
        public var appliedHere: Bool

        public init(
            id: UUID, text: String, fromDeal: String, capturedOn: String, appliedCount: Int, appliedHere: Bool
        ) {
            self.id = id
            self.text = text
            self.fromDeal = fromDeal
            self.capturedOn = capturedOn
            self.appliedCount = appliedCount
            self.appliedHere = appliedHere
        }
    }

    /// A form sent back with what was typed and what to fix.
    public struct FormState: Sendable, Equatable {
        public var action: String
        public var values: [String: String]
        public var errors: [String: String]
        public var message: String?
        /// For a refused advance: every unmet part of the exit criterion.
        public var unmet: [String]

        public init(
            action: String, values: [String: String], errors: [String: String], message: String?, unmet: [String] = []
        ) {
            self.action = action
            self.values = values
            self.errors = errors
            self.message = message
            self.unmet = unmet
        }
    }

    public var chrome: PageChrome
    public var deal: Deal
    public var playbook: Playbook
    public var partnershipName: String
    public var companies: SidePair<String>
    public var viewerSide: Side
    public var canWrite: Bool
    public var isAdmin: Bool
    public var people: [Person]
    public var gates: [GateReport]
    public var diagnosis: Diagnosis
    public var timeline: [DealEvent]
    public var lessons: [LessonItem]
    public var form: FormState?
    public var localeIdentifier: String
    public var today: LocalDate
    /// After a form: the section that changed and its message, shown there.
    public var sectionNotice: (section: String, text: String)?
    /// The one-page record to print: every stage open, no forms.
    public var printView = false
    /// Admins and partner managers may correct a completed deal's outcome, with a reason.
    public var canAmend = false
    /// The reader's role: with `viewerSide`, which deal forms `DealPermissions` lets them use.
    public var viewerRole: Role = .seller
    /// The customer's people kept on the joint account (named on this deal or an earlier one).
    public var contacts: [CustomerContact] = []
    /// The link to the partnership's published joint value proposition, or that none is published yet.
    public var valueProposition: ValuePropositionLink? = nil

    public init(
        chrome: PageChrome, deal: Deal, playbook: Playbook, partnershipName: String, companies: SidePair<String>,
        viewerSide: Side, canWrite: Bool, isAdmin: Bool, people: [Person], gates: [GateReport],
        diagnosis: Diagnosis, timeline: [DealEvent], lessons: [LessonItem],
        form: FormState?, localeIdentifier: String, today: LocalDate
    ) {
        self.chrome = chrome
        self.deal = deal
        self.playbook = playbook
        self.partnershipName = partnershipName
        self.companies = companies
        self.viewerSide = viewerSide
        self.canWrite = canWrite
        self.isAdmin = isAdmin
        self.people = people
        self.gates = gates
        self.diagnosis = diagnosis
        self.timeline = timeline
        self.lessons = lessons
        self.form = form
        self.localeIdentifier = localeIdentifier
        self.today = today
    }
}
