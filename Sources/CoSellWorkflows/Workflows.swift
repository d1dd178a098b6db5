import Foundation

/// The verbs of cosell, over one store and one clock: what the server, the CLI and the tests call.
public struct Workflows: Sendable {
    public let store: any WorkflowStore
    public let clock: @Sendable () -> Date

    public init(store: any WorkflowStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    public var access: Access { Access(store: store) }
    public var deals: DealWorkflows { DealWorkflows(store: store, clock: clock) }
    public var partnerships: PartnershipWorkflows { PartnershipWorkflows(store: store, clock: clock) }
    public var people: PeopleWorkflows { PeopleWorkflows(store: store, clock: clock) }
    public var lessons: LessonWorkflows { LessonWorkflows(store: store, clock: clock) }
    public var notifications: NotificationWorkflows { NotificationWorkflows(store: store, clock: clock) }
    public var security: SecurityWorkflows { SecurityWorkflows(store: store, clock: clock) }
    public var webhooks: WebhookWorkflows { WebhookWorkflows(store: store, clock: clock) }
    public var reviews: ReviewWorkflows { ReviewWorkflows(store: store, clock: clock) }
    public var revenue: RevenueWorkflows { RevenueWorkflows(store: store, clock: clock) }
    public var reports: ReportWorkflows { ReportWorkflows(store: store) }
    public var playbooks: PlaybookWorkflows { PlaybookWorkflows(store: store, clock: clock) }
    public var imports: AccountImportWorkflows { AccountImportWorkflows(store: store, clock: clock) }
    public var targets: TargetWorkflows { TargetWorkflows(store: store, clock: clock) }
    public var jointAccounts: JointAccountWorkflows { JointAccountWorkflows(store: store, clock: clock) }
    public var namedAccounts: NamedAccountWorkflows { NamedAccountWorkflows(store: store, clock: clock) }
    public var privateMapping: PrivateMappingWorkflows { PrivateMappingWorkflows(store: store, clock: clock) }
}
