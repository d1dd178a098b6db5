import CoSellPersistence
import CoSellWorkflows

public enum ImportViews {
    static let fieldLabels: [String: String] = [
        "id": "CRM record id", "name": "Account name", "website": "Website or domain", "country": "Country",
        "industry": "Industry", "employees": "Employees", "population": "Type or lifecycle stage",
        "street": "Street (billing address)", "city": "City", "state": "State or region",
        "postal_code": "Postal code",
    ]

    public static func upload(_ m: ImportUploadModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Import your CRM accounts" }
            el("p") {
                "Upload a Salesforce or HubSpot account export, or any CSV with a name column. You will see the detected format, the columns and what the import changes before anything is imported; a full export retires the accounts missing from it, a partial update retires none."
            }
            Layout.formError(m.error)
            Layout.postForm(
                SiteRoute.importUpload, csrf: m.chrome.csrf, attrs: [Attr("enctype", "multipart/form-data")]
            ) {
                el("div", .cls(m.error == nil ? "field" : "field has-error")) {
                    el("label", .for("import-file")) { "CSV file (up to 100 MB)" }
                    el(
                        "input", .id("import-file"), .type("file"), .name("file"), Attr("accept", ".csv,text/csv"),
                        .flag("required"))
                }
                el("button", .type("submit")) { "Upload and check" }
            }
            if let r = m.restorable {
                restoreSection(r, m)
            } else {
                // A restore refused when there is nothing left to restore says why here.
                Layout.formError(m.restoreError)
            }
        }
    }

    /// The latest import, with the button that puts the accounts back as they were before it.
    static func restoreSection(_ r: ImportRestoration, _ m: ImportUploadModel) -> Node {
        el("section", .cls("card"), .id("import-restore"), .aria("labelledby", "restore-h")) {
            el("h2", .id("restore-h")) { "Your latest import: \(r.fileName)" }
            el("p") {
                "Imported on \(m.restorableWhen). If it was the wrong file, restore your accounts as they were before it: \(r.accountsBack) accounts it changed or retired get their previous values back, and the \(r.addedRetired) accounts it added are retired (deals keep their account). Your partnerships are then matched again."
            }
            Layout.formError(m.restoreError)
            Layout.postForm(SiteRoute.importRestore(r.importID), csrf: m.chrome.csrf) {
                el("div", .cls(m.restoreError == nil ? "check" : "check has-error")) {
                    el("input", .type("checkbox"), .id("confirm-restore"), .name("confirm_restore"), .value("yes"))
                    el("label", .for("confirm-restore")) {
                        "Yes, undo the import of \(r.fileName): \(r.accountsBack) accounts back as they were, \(r.addedRetired) added accounts retired"
                    }
                }
                el("button", .type("submit")) { "Restore the accounts as they were before this import" }
            }
        }
    }

    public static func preview(_ m: ImportPreviewModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Check the columns of \(m.fileName)" }
            el("p") {
                "Detected format: "
                el("strong", .id("detected-format")) { m.format }
                if let rows = m.rows {
                    ". \(rows) account rows"
                        + ((m.skipped ?? 0) > 0 ? ", \(m.skipped!) rows without a name will be left out" : "") + "."
                }
            }
            Layout.formError(m.error)
            Layout.postForm(SiteRoute.importConfirm(m.uploadID), csrf: m.chrome.csrf) {
                el("table", .cls("stack")) {
                    el("thead") {
                        el("tr") {
                            el("th", Attr("scope", "col")) { "cosell field" }
                            el("th", Attr("scope", "col")) { "Column in your file" }
                        }
                    }
                    el("tbody") {
                        for (field, header) in m.mapping {
                            el("tr") {
                                el("th", Attr("scope", "row")) {
                                    el("label", .for("col-\(field)")) { fieldLabels[field] ?? field }
                                }
                                el("td", Attr("data-label", "Column in your file")) {
                                    el("select", .id("col-\(field)"), .name("column_\(field)")) {
                                        el("option", .value("")) { "— not imported —" }
                                        for h in m.header {
                                            el("option", attrs: [.value(h)] + (h == header ? [.flag("selected")] : []))
                                            { h }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if let i = m.impact { impactSection(i, m) }
                el("p") {
                    el("button", .type("submit")) { "Import" }; " "; link(SiteRoute.importUpload, "Start over")
                }
            }
        }
    }

    public static func result(_ m: ImportResultModel) -> Node {
        let j = m.job
        let running = j.status == "running"
        return Layout.page(m.chrome, refreshSeconds: running ? 1 : nil) {
            el("h1") { "Import of \(j.fileName)" }
            el("p") {
                "Format: \(j.format ?? "unknown") · status: "; el("strong", .id("import-status")) { j.status }
            }
            el("label", .for("import-progress")) { "Progress" }
            el("progress", .id("import-progress"), Attr("max", "100"), .value(String(m.percent))) { "\(m.percent)%" }
            if running {
                el("p", .cls("muted"), Attr("role", "status")) {
                    "Importing and matching with your partners; this page refreshes itself."
                }
            }
            if let msg = j.message { el("p", .cls("error"), Attr("role", "alert")) { msg } }
            if let restoredWhen = m.restoredWhen {
                el("p", .id("import-restored"), Attr("role", "status")) {
                    "Restored on \(restoredWhen): the accounts are back as they were before this import, "
                        + "\(j.restoredAccounts ?? 0) accounts with their previous values and "
                        + "\(j.restoredRetired ?? 0) accounts it added retired."
                }
            }
            if !running {
                el("table", .id("import-result"), .cls("stack")) {
                    el("tbody") {
                        for (label, n) in [
                            ("Rows read", j.totalRows), ("Added", j.added), ("Updated", j.updated),
                            ("Unchanged", j.unchanged), ("Retired (not in this export)", j.retired),
                            ("Rejected: no account name", j.skipped),
                            ("Duplicate pairs inside the file", j.duplicatePairs),
                        ] {
                            el("tr") {
                                el("th", Attr("scope", "row")) { label }
                                el("td", .cls("num"), Attr("data-label", "Count")) { String(n) }
                            }
                        }
                    }
                }
                el("p") { link(SiteRoute.partnerships, "See your partnerships' target accounts") }
            }
        }
    }

    /// What the import changes, a sample of the rows, the choice of full export or partial update,
    /// and the confirmation a large retirement needs.
    static func impactSection(_ i: AccountImportWorkflows.Impact, _ m: ImportPreviewModel) -> Node {
        el("section", .cls("card"), .id("import-impact"), .aria("labelledby", "impact-h")) {
            el("h2", .id("impact-h")) { "What this import changes" }
            el("p") {
                "\(i.rows) accounts in the file: \(i.added) new, \(i.known) already on your list of \(i.activeBefore)."
            }
            el("fieldset") {
                el("legend") { "The file is" }
                el("div", .cls("check")) {
                    el(
                        "input",
                        attrs: [.type("radio"), .id("mode-full"), .name("mode"), .value("full")]
                            + (m.mode == .full ? [.flag("checked")] : []))
                    el("label", .for("mode-full")) {
                        "our whole export: retire the \(i.retired) accounts missing from it"
                            + (i.overlapsLost > 0 ? " (\(i.overlapsLost) overlaps with partners go with them)" : "")
                    }
                }
                el("div", .cls("check")) {
                    el(
                        "input",
                        attrs: [.type("radio"), .id("mode-partial"), .name("mode"), .value("partial")]
                            + (m.mode == .partial ? [.flag("checked")] : []))
                    el("label", .for("mode-partial")) { "a partial update: add and update, retire nothing" }
                }
            }
            if let warning = i.warning {
                el("p", .cls("form-error"), Attr("role", "alert"), .id("retire-warning")) { warning }
                el("div", .cls("check")) {
                    el(
                        "input",
                        attrs: [
                            .type("checkbox"), .id("confirm-retirements"), .name("confirm_retirements"), .value("yes"),
                        ]
                            + (m.confirmed ? [.flag("checked")] : []))
                    el("label", .for("confirm-retirements")) {
                        "Yes, this is our whole export: retire those \(i.retired) accounts"
                    }
                }
            }
            if !i.sample.isEmpty {
                el("div", .cls("table-wrap")) {
                    el("table", .cls("stack"), .id("import-sample")) {
                        el("caption") { "The first rows as cosell reads them" }
                        el("thead") {
                            el("tr") {
                                for h in ["CRM id", "Name", "Domain", "Country", "Population"] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for r in i.sample {
                                el("tr") {
                                    el("td", Attr("data-label", "CRM id")) { r.id }
                                    el("td", Attr("data-label", "Name")) { r.name }
                                    el("td", Attr("data-label", "Domain")) { r.domain.matchable ?? "—" }
                                    el("td", Attr("data-label", "Country")) { r.country ?? "—" }
                                    el("td", Attr("data-label", "Population")) {
                                        r.population.rawValue.replacingOccurrences(of: "_", with: " ")
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
