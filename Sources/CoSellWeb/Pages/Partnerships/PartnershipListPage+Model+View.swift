import Foundation

public struct PartnershipListModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var partner: String
        public var status: String
        public var plan: String
    }

    public var chrome: PageChrome
    public var items: [Item]
    public var canImport: Bool
}

extension PartnershipViews {
    public static func list(_ m: PartnershipListModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Partnerships" }
            el("p") {
                if m.canImport {
                    link(SiteRoute.importUpload, "Import your CRM accounts", .cls("button"))
                    " "
                }
                link(SiteRoute.revenue(), "Partner revenue report")
            }
            if m.items.isEmpty { el("p", .cls("muted")) { "No partnerships yet." } }
            el("div", .cls("grid")) {
                for i in m.items {
                    el("article", .cls("card")) {
                        el("h2") { link(SiteRoute.partnership(i.id), i.name) }
                        el("p") {
                            "With \(i.partner) · "; Layout.badge(i.status, i.status == "active" ? "ok" : "warn")
                        }
                        el("p", .cls("muted")) { i.plan }
                    }
                }
            }
        }
    }
}
