import CoSellWorkflows
import Foundation
import Vapor

/// The HTML pages: server-rendered from the same core and the same visibility rules as the API.
/// Each route is registered from its `SiteRoute`, the value every link to it is built from.
enum PageRoutes {
    static func register(on app: Application) {
        let id = UUID.placeholder
        Assets.register(on: app)
        SignInController.register(app)
        app.page(.GET, .home, HomeController.show)
        app.page(.GET, .board, BoardController.show)
        app.page(.GET, .newDeal, PartnershipChooser.newDeal)
        app.page(.GET, .reviews, PartnershipChooser.reviews)
        app.page(.GET, .notificationSettings, NotificationSettingsController.show)
        app.page(.POST, .notificationSettings, NotificationSettingsController.save)
        app.page(.GET, .unsubscribe(""), NotificationSettingsController.unsubscribePage)
        app.page(.POST, .unsubscribe(""), NotificationSettingsController.unsubscribe)
        PeoplePageController.register(app)
        ProfilePageController.register(app)
        AccessPagesController.register(app)
        SetupAndPasswordController.register(app)
        PartnerInvitationPages.register(app)
        NamedAccountsPage.register(app)
        ValuePropositionPage.register(app)
        app.page(.GET, .deal(id), DealPageController.show)
        app.page(.POST, .dealAction(id, ""), DealPageController.action)
        app.page(.GET, .partnerships, PartnershipController.list)
        app.page(.GET, .partnership(id), PartnershipController.show)
        app.page(.GET, .partnershipReports(id), ReportsController.show)
        app.page(.POST, .partnershipCompensation(id), ReportsController.recordCompensation)
        app.page(.GET, .currentReview(id), ReviewPageController.current)
        app.page(.GET, .review(id, week: ""), ReviewPageController.show)
        app.page(.POST, .review(id, week: ""), ReviewPageController.record)
        app.page(.POST, .reviewDecision(id, week: "", decision: id), ReviewPageController.checkOff)
        app.page(.GET, .revenue(), RevenuePageController.show)
        app.page(.GET, .exchangeRates, ExchangeRatesPageController.show)
        app.page(
            .POST, .exchangeRates, body: .collect(maxSize: ByteCount(value: RevenueWorkflows.maxUpload + 64 * 1024)),
            ExchangeRatesPageController.upload)
        app.page(.GET, .lessons, LessonsController.show)
        app.page(.POST, .sharing(id), PartnershipController.setSharing)
        app.page(.POST, .discoveryCall(id), PartnershipController.saveDiscoveryCall)
        app.page(.POST, .discoveryCallConfirmation(id), PartnershipController.confirmDiscoveryCall)
        app.page(.POST, .startDeal(id, overlap: id), PartnershipController.startDeal)
        app.page(.GET, .targets(id), TargetsPageController.show)
        app.page(.GET, .importUpload, ImportController.uploadPage)
        app.page(
            .POST, .importUpload,
            body: .collect(maxSize: ByteCount(value: AccountImportWorkflows.maxUpload + 64 * 1024)),
            ImportController.upload)
        app.page(.GET, .importPreview(id), ImportController.preview)
        app.page(.POST, .importConfirm(id), ImportController.confirm)
        app.page(.GET, .importResult(id), ImportController.result)
        app.page(.POST, .importRestore(id), ImportController.restore)
        app.page(.GET, .playbooks, PlaybookController.list)
        app.page(.GET, .playbook(id), PlaybookController.show)
        app.page(.GET, .playbookEdit(id), PlaybookController.editPage)
        app.page(.POST, .playbookEdit(id), PlaybookController.save)
        app.page(.POST, .playbookCopy(id), PlaybookController.copy)
        app.page(.GET, .audit(), AuditController.show)
    }
}
