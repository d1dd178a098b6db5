import FluentKit

/// Every migration, in order. Names are explicit and stable: they are what the database remembers.
public enum CoSellMigrations {
    public static let all: [any AsyncMigration] = [
        CreateOrganizationsAndPeople(),
        CreateAPITokens(),
        CreatePartnershipsAndAccounts(),
        CreatePlaybooks(),
        CreateDeals(),
        CreateAccountMapping(),
        CreateSignInAndAudit(),
        CreateWebhooksAndDeliveries(),
        CreateReviewsLessonsAndRates(),
        AddDealNextDueAndPendingUploads(),
        AddDealFacts(),
        AddAccountAddresses(),
        TunePageIndexes(),
        AddEventPartnership(),
        AddFactsRevisions(),
        RebuildFactsWithActions(),
        CreateMailOutbox(),
        RebuildFactsWithAdvance(),
        AddPartnershipOpenPair(),
        AddImportRunner(),
        AddAccountStaging(),
        AddRegistrationWorkflow(),
        AddDealAccountIndex(),
        CreateAccountMailAndPasswordResets(),
        CreateCustomerContacts(),
        RebuildFactsWithLossCategory(),
        CreatePartnerInvitations(),
        AddAccountImportUndo(),
        CreateDiscoveryCalls(),
        CreateNamedAccounts(),
        CreateCompensationPlans(),
        CreateValuePropositions(),
        CreatePrivateMapping(),
        KeyAccountStaging(),
    ]

    /// The schema version this build expects: the number of migrations.
    public static var schemaVersion: Int { all.count }
}
