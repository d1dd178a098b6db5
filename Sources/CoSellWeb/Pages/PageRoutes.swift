import Vapor

/// The HTML pages: server-rendered from the same core and the same visibility rules as the API.
enum PageRoutes {
    static func register(on app: Application) {
        Assets.register(on: app)
        SignInController.register(app)
        app.get(use: Pages.handler(HomeController.show))
        app.get("deals", use: Pages.handler(BoardController.show))
        app.get("deals", ":deal_id", use: Pages.handler(DealPageController.show))
        app.post("deals", ":deal_id", "actions", ":action", use: Pages.handler(DealPageController.action))
        app.get("partnerships", use: Pages.handler(PartnershipController.list))
        app.get("partnerships", ":partnership_id", use: Pages.handler(PartnershipController.show))
        app.get("partnerships", ":partnership_id", "reports", use: Pages.handler(ReportsController.show))
        app.get("partnerships", ":partnership_id", "review", use: Pages.handler(ReviewPageController.current))
        app.get("partnerships", ":partnership_id", "reviews", ":week", use: Pages.handler(ReviewPageController.show))
        app.post(
            "partnerships", ":partnership_id", "reviews", ":week", use: Pages.handler(ReviewPageController.record))
        app.get("reports", "revenue", use: Pages.handler(RevenuePageController.show))
        app.get("exchange-rates", use: Pages.handler(ExchangeRatesPageController.show))
        app.on(
            .POST, "exchange-rates", body: .collect(maxSize: ByteCount(value: RevenueAPI.maxUpload + 64 * 1024)),
            use: Pages.handler(ExchangeRatesPageController.upload))
        app.get("lessons", use: Pages.handler(LessonsController.show))
        app.post("partnerships", ":partnership_id", "sharing", use: Pages.handler(PartnershipController.setSharing))
        app.post(
            "partnerships", ":partnership_id", "targets", ":overlap_id", "deal",
            use: Pages.handler(PartnershipController.startDeal))
        app.get("import", use: Pages.handler(ImportController.uploadPage))
        app.on(
            .POST, "import", body: .collect(maxSize: ByteCount(value: MappingAPI.maxUpload + 64 * 1024)),
            use: Pages.handler(ImportController.upload))
        app.get("import", ":upload_id", use: Pages.handler(ImportController.preview))
        app.post("import", ":upload_id", "confirm", use: Pages.handler(ImportController.confirm))
        app.get("imports", ":import_id", use: Pages.handler(ImportController.result))
        app.get("playbooks", use: Pages.handler(PlaybookController.list))
        app.get("playbooks", ":playbook_id", use: Pages.handler(PlaybookController.show))
        app.get("playbooks", ":playbook_id", "edit", use: Pages.handler(PlaybookController.editPage))
        app.post("playbooks", ":playbook_id", "edit", use: Pages.handler(PlaybookController.save))
        app.post("playbooks", ":playbook_id", "copy", use: Pages.handler(PlaybookController.copy))
        app.get("audit", use: Pages.handler(AuditController.show))
    }
}
