public enum BoardView {
    public static func render(_ m: BoardModel) -> Node {
        Layout.page(m.chrome) {
            el("div", .cls("title-row")) {
                el("h1") { "Joint deals" }
                el("a", .cls("button"), .href(SiteRoute.newDeal)) { "New deal" }
            }
            el(
                "form", Attr("method", "get"), Attr("action", SiteRoute.board), .cls("filters"),
                .aria("label", "Filters")
            ) {
                Layout.select(
                    "partnership", "Partnership", options: m.partnerships.map { ($0.value, $0.label) },
                    selected: m.filter["partnership"], formID: "f", includeBlank: true)
                Layout.select(
                    "owner", "Owner", options: m.owners.map { ($0.value, $0.label) }, selected: m.filter["owner"],
                    formID: "f", includeBlank: true)
                Layout.select(
                    "side", "Our side", options: [("host", "We host"), ("partner", "We partner")],
                    selected: m.filter["side"], formID: "f", includeBlank: true)
                Layout.select(
                    "status", "Status",
                    options: [
                        ("in_play", "Open or waiting for its review"), ("open", "Open"), ("won", "Won"),
                        ("lost", "Lost"), ("abandoned", "Abandoned"),
                        ("ended", "Ended"), ("all", "All"),
                    ],
                    selected: m.filter["status"] ?? "in_play", formID: "f")
                el("div", .cls("field")) { el("button", .type("submit")) { "Filter" } }
            }
            el("div", .cls("board")) {
                for c in m.columns {
                    el("section", .cls("column"), .aria("label", c.stageName)) {
                        el("h2") { c.stageName }
                        el("p", .cls("muted")) { "\(c.count) deal\(c.count == 1 ? "" : "s") · \(c.total)" }
                        for card in c.cards { cardNode(card) }
                        if c.count > c.cards.count {
                            el("p", .cls("muted")) {
                                "\(c.count - c.cards.count) more, least recently active; narrow the filters."
                            }
                        }
                    }
                }
            }
        }
    }

    static func cardNode(_ c: BoardModel.Card) -> Node {
        el("article", .cls("deal-card")) {
            el("h3") { link(SiteRoute.deal(c.dealID), c.title) }
            el("p", .cls("muted")) { c.account }
            el("p") { el("strong") { c.amount } }
            for o in c.owners {
                el("p") { "\(o.company): \(o.names)" }
            }
            el("p") {
                Layout.badge("gate \(c.gateMet)/\(c.gateTotal)", c.gateMet == c.gateTotal ? "ok" : "info")
                if c.stalled {
                    " "
                    Layout.badge("stalled", "warn")
                }
                if let p = c.pitfall {
                    " "
                    Layout.badge(p, "bad")
                }
                if let s = c.status {
                    " "
                    Layout.badge(s, "info")
                }
            }
        }
    }
}
