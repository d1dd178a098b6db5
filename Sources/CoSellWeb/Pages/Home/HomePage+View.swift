public enum HomeView {
    public static func render(_ m: HomeModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Hello, \(m.firstName)" }
            namedAccounts(m.namedAccounts, csrf: m.chrome.csrf)
            if m.mailOff {
                el("p", .cls("form-error"), .id("mail-off")) {
                    "This server sends no mail: nobody is told when something waits on them. Set COSELL_SMTP_URL and COSELL_MAIL_FROM (see docs/configuration.md) and restart."
                }
            }
            if let g = m.guide { guide(g, company: m.companyName) }
            partnershipActions(m.partnershipActions)
            if !(m.noActivePartnership && m.guide != nil) { deals(m) }
        }
    }

    /// The first steps, numbered, each with its state, its link and whom to ask.
    static func guide(_ g: GuidedStart, company: String) -> Node {
        el("section", .id("first-steps"), .aria("labelledby", "first-steps-h")) {
            el("h2", .id("first-steps-h")) { "Get \(company) started" }
            el("p", .cls("muted")) {
                "Three steps to the first target accounts: \(g.steps.filter(\.done).count) of 3 done."
            }
            el("ul", .cls("plain")) {
                for (i, step) in g.steps.enumerated() {
                    el("li", .cls("card"), .id("step-\(i + 1)")) {
                        el("h3") {
                            "\(i + 1). \(step.title) "
                            step.done ? Layout.badge("done", "ok") : Layout.badge("to do", "warn")
                        }
                        el("p") { step.state }
                        if let ask = step.ask { el("p", .cls("muted")) { ask } }
                        if let href = step.href, let text = step.linkText {
                            el("p") { el("a", .href(href)) { text } }
                        }
                    }
                }
            }
        }
    }

    /// The deals: what waits on whom, deals waiting for their review, stalled deals.
    static func deals(_ m: HomeModel) -> Node {
        group {
            el("p", .cls("muted")) {
                "What each joint deal's gate is waiting for, and on whom. "
                link(SiteRoute.board, "Open the deal board")
            }
            el("section", .aria("labelledby", "mine-h")) {
                el("h2", .id("mine-h")) { "Waiting on you" }
                actions(m.mine, showCompany: false, empty: "Nothing is waiting on you.")
            }
            el("section", .aria("labelledby", "company-h")) {
                el("h2", .id("company-h")) { "Waiting on others at \(m.companyName)" }
                actions(m.myCompany, showCompany: false, empty: "Nothing is waiting on others at \(m.companyName).")
            }
            el("section", .aria("labelledby", "partners-h")) {
                el("h2", .id("partners-h")) { "Waiting on \(m.partnerNames)" }
                actions(m.partners, showCompany: true, empty: "Nothing is waiting on \(m.partnerNames).")
            }
            el("section", .aria("labelledby", "review-h")) {
                el("h2", .id("review-h")) { "Closed, waiting for the review" }
                dealList(m.awaitingReview, empty: "No closed deal is waiting for its review.")
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

    /// Actions as cards: the action, the deal and its stage, then who and when.
    static func actions(_ list: HomeModel.Actions, showCompany: Bool, empty: String) -> Node {
        guard !list.items.isEmpty else { return el("p", .cls("muted")) { empty } }
        return Node.group([
            list.total > list.items.count
                ? el("p", .cls("muted")) { "Showing \(list.items.count) of \(list.total), the most urgent first." }
                : Node.group([]),
            el("ul", .cls("plain")) {
                for a in list.items {
                    el("li", .cls("card")) {
                        el("strong") { a.title }
                        el("p") {
                            link(SiteRoute.deal(a.dealID), a.dealTitle)
                            el("span", .cls("muted")) { " · \(a.stageName)" }
                        }
                        el("p", .cls("muted")) {
                            if showCompany { "\(a.company) · " }
                            a.owner.map { "Owner: \($0)" } ?? "No owner yet"
                            " · "
                            a.due.map { "Due \($0)" } ?? "No due date"
                            if a.overdue { " "; Layout.badge("overdue", "bad") }
                            if let w = a.waitsFor { " · Waits for: \(w)" }
                        }
                    }
                }
            },
        ])
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
