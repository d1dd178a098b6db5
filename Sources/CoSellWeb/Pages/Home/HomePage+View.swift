public enum HomeView {
    public static func render(_ m: HomeModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Hello, \(m.firstName)" }
            el("p", .cls("muted")) {
                "What needs you this week in your joint deals, and what is stuck. "
                link(SiteRoute.board, "Open the deal board")
            }
            el("section", .aria("labelledby", "moves-h")) {
                el("h2", .id("moves-h")) { "My next moves" }
                if m.moves.isEmpty {
                    el("p", .cls("muted")) { "No open moves in the deals you are on." }
                } else {
                    el("div", .cls("table-wrap")) {
                        el("table") {
                            el("thead") {
                                el("tr") {
                                    el("th", Attr("scope", "col")) { "Move" }
                                    el("th", Attr("scope", "col")) { "Deal" }
                                    el("th", Attr("scope", "col")) { "Company" }
                                    el("th", Attr("scope", "col")) { "Owner" }
                                    el("th", Attr("scope", "col")) { "Due" }
                                }
                            }
                            el("tbody") {
                                for mv in m.moves {
                                    el("tr") {
                                        el("td") { mv.description }
                                        el("td") {
                                            link(SiteRoute.deal(mv.dealID), mv.dealTitle)
                                            el("br")
                                            el("small", .cls("muted")) { mv.stageName }
                                        }
                                        el("td") { mv.company }
                                        el("td") { mv.owner ?? "Nobody yet" }
                                        el("td") {
                                            mv.due ?? "No date"
                                            if mv.overdue { " "; Layout.badge("overdue", "bad") }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "waiting-h")) {
                el("h2", .id("waiting-h")) { "Waiting on \(m.companyName)" }
                dealList(m.waiting, empty: "No deal is waiting on your company.")
            }
            el("section", .aria("labelledby", "stalled-h")) {
                el("h2", .id("stalled-h")) { "Stalled deals" }
                if m.stalled.isEmpty {
                    el("p", .cls("muted")) { "No stalled deals." }
                } else {
                    if m.stalled.count >= HomeController.shown {
                        el("p", .cls("muted")) { "The \(m.stalled.count) longest idle stalled deals." }
                    }
                    el("ul", .cls("plain")) {
                        for s in m.stalled {
                            el("li", .cls("card")) {
                                el("h3") { link(SiteRoute.deal(s.dealID), s.title) }
                                el("p") {
                                    Layout.badge("stalled", "warn")
                                    " in \(s.stageName)"
                                    if let c = s.cause {
                                        " · "
                                        Layout.badge(c, "bad")
                                    }
                                }
                                el("p") { s.explanation }
                            }
                        }
                    }
                }
            }
        }
    }

    static func dealList(_ items: [HomeModel.DealItem], empty: String) -> Node {
        guard !items.isEmpty else { return el("p", .cls("muted")) { empty } }
        return el("ul", .cls("plain")) {
            for d in items {
                el("li", .cls("card")) {
                    el("strong") { link(SiteRoute.deal(d.dealID), d.title) }
                    el("span", .cls("muted")) { " · \(d.stageName)" }
                    el("p") { d.detail }
                }
            }
        }
    }
}
