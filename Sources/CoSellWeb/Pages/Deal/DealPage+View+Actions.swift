import CoSellDomain

extension DealPageView.Renderer {
    /// The host company's admins and partner managers take a lost or abandoned deal up again.
    func reopenForm() -> Node {
        el("section", .aria("labelledby", "reopen-h")) {
            el("h2", .id("reopen-h")) { "Reopen" }
            actionForm("reopen", "Reopen the \(d.status.rawValue) deal, with a reason") {
                el("p", .cls("muted")) {
                    "It is open again at \(m.playbook.stages[d.stageIndex].name)"
                        + (d.status == .lost ? "; the logged loss is undone (the timeline keeps it)." : ".")
                }
                Layout.textArea(
                    "reason", "Why the deal is taken up again", value: value("reopen", "reason"), required: true,
                    error: error("reopen", "reason"), formID: "reopen")
                submit("Reopen the deal")
            }
        }
    }

    /// Whether the reader's company and role may give a command family (`DealPermissions.rules`):
    /// the page offers only the forms the server would take.
    func may(_ family: String) -> Bool {
        DealPermissions.rules[family]?.allows(m.viewerRole, of: m.viewerSide) ?? true
    }

    func dealActions() -> Node {
        el("section", .aria("labelledby", "actions-h")) {
            el("h2", .id("actions-h")) { "Deal" }
            if !may("details") {
                el("p", .cls("muted")) {
                    "\(company(.host)) hosts this deal: its title, amount and outcome are \(company(.host))'s to change."
                }
            }
            if may("details") {
                actionForm("details", "Edit title, amount or expected close") {
                    Layout.field(
                        "title", "Title", value: value("details", "title", d.title), required: true,
                        error: error("details", "title"), formID: "details")
                    Layout.field(
                        "amount", "Amount", value: value("details", "amount", d.amount?.amountString),
                        error: error("details", "amount"),
                        formID: "details", extra: [Attr("inputmode", "decimal")])
                    Layout.field(
                        "currency", "Currency (ISO 4217)",
                        value: value("details", "currency", d.amount?.currency.code ?? "USD"),
                        error: error("details", "currency"), formID: "details")
                    Layout.field(
                        "expected_close_date", "Expected close",
                        value: value("details", "expected_close_date", d.expectedCloseDate?.description),
                        type: "date", error: error("details", "expected_close_date"), formID: "details")
                    submit("Save")
                }
            }
            if d.stageIndex > 0 && d.status == .open && may("move_back") {
                actionForm("move-back", "Move back one stage") {
                    Layout.textArea(
                        "reason", "Reason", value: value("move-back", "reason"), required: true,
                        error: error("move-back", "reason"), formID: "move-back")
                    submit("Move back")
                }
            }
            if d.status == .open && d.stageIndex < m.playbook.stages.count - 1 && may("outcome") {
                // A deal can be lost at any stage; it then goes straight to its review.
                actionForm("lost", "Log the deal as lost") {
                    el("input", .type("hidden"), .name("result"), .value("lost"))
                    Layout.field(
                        "final_amount", "Final amount",
                        value: value("lost", "final_amount", d.amount?.amountString ?? "0"),
                        required: true, error: error("lost", "final_amount"), formID: "lost",
                        extra: [Attr("inputmode", "decimal")])
                    Layout.field(
                        "currency", "Currency (ISO 4217)",
                        value: value("lost", "currency", d.amount?.currency.code ?? "USD"),
                        required: true, error: error("lost", "currency"), formID: "lost")
                    Layout.field(
                        "close_date", "Close date", value: value("lost", "close_date", m.today.description),
                        type: "date",
                        required: true, error: error("lost", "close_date"), formID: "lost")
                    Layout.select(
                        "loss_category", "Why it was lost",
                        options: [("", "Choose why…")] + LossCategory.allCases.map { ($0.rawValue, $0.title) },
                        selected: value("lost", "loss_category"), error: error("lost", "loss_category"),
                        formID: "lost")
                    Layout.textArea(
                        "loss_reason", "In your words (needed for another reason)", value: value("lost", "loss_reason"),
                        error: error("lost", "loss_reason"), formID: "lost")
                    submit("Log as lost")
                }
            }
            if d.status == .lost && d.completedAt == nil && d.stageIndex < m.playbook.stages.count - 1 {
                actionForm(
                    "review", "Hold the review of the lost deal and capture lessons",
                    open: d.evidence.close.review == nil
                ) {
                    reviewFields()
                }
                Layout.postForm(
                    SiteRoute.dealAction(d.id, "advance"), csrf: m.chrome.csrf, attrs: [.cls("inline")]
                ) {
                    el("button", .type("submit")) { "Complete the lost deal" }
                }
            }
            if d.status == .open && may("abandon") {
                actionForm("abandon", "Abandon the deal") {
                    Layout.textArea(
                        "reason", "Reason", value: value("abandon", "reason"), required: true,
                        error: error("abandon", "reason"), formID: "abandon")
                    el("fieldset") {
                        el("legend") { "The lesson it leaves for the next deal" }
                        Layout.select(
                            "lesson_stage_1", "Stage it is about",
                            options: m.playbook.stages.map { ($0.key, $0.name) },
                            selected: value("abandon", "lesson_stage_1", m.playbook.stages[d.stageIndex].key),
                            error: error("abandon", "lesson_stage_1"), formID: "abandon")
                        Layout.textArea(
                            "lesson_text_1", "What the playbook got right or wrong",
                            value: value("abandon", "lesson_text_1"), required: true,
                            error: error("abandon", "lesson_text_1"), formID: "abandon")
                    }
                    submit("Abandon")
                }
            }
        }
    }

    /// A completed deal's correction: the final amount or the close date, with a reason.
    func amendForm() -> Node {
        let o = d.evidence.close.outcome
        return el("section", .aria("labelledby", "amend-h")) {
            el("h2", .id("amend-h")) { "Correct the outcome" }
            actionForm("amend", "Amend the final amount or the close date (with a reason)") {
                Layout.field(
                    "final_amount", "Final amount", value: value("amend", "final_amount", o?.finalAmount.amountString),
                    hint: "As you write it: 310,000 or $310,000 or 310k", error: error("amend", "final_amount"),
                    formID: "amend", extra: [Attr("inputmode", "decimal")])
                Layout.field(
                    "currency", "Currency (ISO 4217)",
                    value: value("amend", "currency", o?.finalAmount.currency.code ?? "USD"),
                    error: error("amend", "currency"), formID: "amend")
                Layout.field(
                    "close_date", "Close date", value: value("amend", "close_date", o?.closeDate.description),
                    type: "date", error: error("amend", "close_date"), formID: "amend")
                Layout.textArea(
                    "reason", "Why (kept on the timeline and in both companies' audit logs)",
                    value: value("amend", "reason"), required: true, error: error("amend", "reason"), formID: "amend")
                submit("Amend the outcome")
            }
        }
    }
}
