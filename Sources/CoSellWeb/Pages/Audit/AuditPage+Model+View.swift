public struct AuditModel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var at: String
        public var kind: String
        public var actor: String
        public var detail: String
        public var address: String
    }

    public var chrome: PageChrome
    public var rows: [Row]
    public var total: Int
    public var offset: Int
    public var limit: Int
}

public enum AuditView {
    public static func render(_ m: AuditModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Audit log" }
            el("p") {
                "\(m.total) events, newest first. "
                link(SiteRoute.apiAuditCSV, "Download as CSV")
            }
            el("div", .cls("table-wrap")) {
                el("table", .cls("stack")) {
                    el("thead") {
                        el("tr") {
                            for h in ["When", "What", "Who", "Detail", "From"] { el("th", Attr("scope", "col")) { h } }
                        }
                    }
                    el("tbody") {
                        for r in m.rows {
                            el("tr") {
                                el("td", Attr("data-label", "When")) { r.at }
                                el("td", Attr("data-label", "What")) { r.kind }
                                el("td", Attr("data-label", "Who")) { r.actor }
                                el("td", Attr("data-label", "Detail")) { r.detail }
                                el("td", Attr("data-label", "From")) { r.address }
                            }
                        }
                    }
                }
            }
            el("p") {
                if m.offset > 0 { link(SiteRoute.audit(offset: max(0, m.offset - m.limit)), "Newer"); " " }
                if m.offset + m.rows.count < m.total { link(SiteRoute.audit(offset: m.offset + m.limit), "Older") }
            }
        }
    }
}
