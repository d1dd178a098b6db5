import CoSellDomain
import CoSellMatching
import CoSellPersistence
import Foundation
import Vapor

public struct ImportUploadModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var error: String?
}

public struct ImportPreviewModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var uploadID: UUID
    public var fileName: String
    public var format: String
    public var header: [String]
    /// Field -> chosen header (nil: not imported).
    public var mapping: [(field: String, header: String?)]
    public var rows: Int?
    public var skipped: Int?
    public var error: String?

    public static func == (a: ImportPreviewModel, b: ImportPreviewModel) -> Bool {
        a.chrome == b.chrome && a.uploadID == b.uploadID && a.format == b.format && a.header == b.header
            && a.mapping.map { "\($0.field)=\($0.header ?? "")" } == b.mapping.map { "\($0.field)=\($0.header ?? "")" }
            && a.rows == b.rows && a.error == b.error
    }
}

public struct ImportResultModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var job: AccountImport
    public var percent: Int
}

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
                "Upload a Salesforce or HubSpot account export, or any CSV with a name column. You will see the detected format and columns before anything is imported; accounts missing from a new export are retired."
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
                el("table") {
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
                                el("td") {
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
            if !running {
                el("table", .id("import-result")) {
                    el("tbody") {
                        for (label, n) in [
                            ("Rows read", j.totalRows), ("Added", j.added), ("Updated", j.updated),
                            ("Unchanged", j.unchanged), ("Retired (not in this export)", j.retired),
                            ("Rejected: no account name", j.skipped),
                            ("Duplicate pairs inside the file", j.duplicatePairs),
                        ] {
                            el("tr") {
                                el("th", Attr("scope", "row")) { label }; el("td", .cls("num")) { String(n) }
                            }
                        }
                    }
                }
                el("p") { link(SiteRoute.partnerships, "See your partnerships' target accounts") }
            }
        }
    }
}

enum ImportController {
    static func requireImporter(_ s: PageSession) throws {
        guard s.person.role == .admin || s.person.role == .partnerManager else {
            throw Problem.forbidden("Only admins and partner managers import the CRM export.")
        }
    }

    static func uploadPage(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        return Pages.html(ImportViews.upload(try await uploadModel(req, s, error: nil)))
    }

    static func uploadModel(_ req: Request, _ s: PageSession, error: String?) async throws -> ImportUploadModel {
        ImportUploadModel(chrome: s.chrome("Import accounts", .partnerships), error: error)
    }

    static func upload(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            return Pages.html(
                ImportViews.upload(try await uploadModel(req, s, error: "Choose a CSV file to upload.")),
                status: .badRequest)
        }
        let data = Data(buffer: file.data)
        let id = UUID()
        let name = String(file.filename.prefix(200))
        try await req.store.savePendingUpload(
            id: id, organizationID: s.person.organizationID, personID: s.person.id,
            fileName: name.isEmpty ? "upload.csv" : name,
            data: data, at: Date())
        return Pages.seeOther(SiteRoute.importPreview(id))
    }

    static func header(of data: Data) -> [String] {
        var bytes = data.prefix(64 * 1024)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let line = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? Data()
        return (try? CSV.parse(Data(line)).first) ?? []
    }

    static func preview(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        let id = try req.id("upload_id", "upload")
        guard let up = try await req.store.pendingUpload(id, personID: s.person.id) else {
            throw Problem.notFound("upload")
        }
        let settings = try await req.store.settings(of: s.person.organizationID)
        let header = header(of: up.data)
        var format = "unknown"
        var mapping: [(field: String, header: String?)] = AccountField.allCases.map { ($0.rawValue, nil) }
        var rows: Int? = nil
        var skipped: Int? = nil
        var problem: String? = nil
        do {
            let t = try AccountTable.load(
                data: up.data, fileName: up.fileName,
                options: ImportOptions(populationRules: settings.populationRules, maxBytes: MappingAPI.maxUpload))
            format = t.detection.format.rawValue
            mapping = AccountField.allCases.map { f in
                (f.rawValue, t.detection.columns[f].map { t.detection.header[$0] })
            }
            rows = t.count
            skipped = t.skippedBlankNames
        } catch {
            // Still offer the columns so the person can say which one holds the name.
            if let d = try? FormatDetector.detect(header: header) { format = d.format.rawValue }
            problem =
                "The file cannot be imported as it is: \(error.description). Choose the columns below, or fix the file."
        }
        let model = ImportPreviewModel(
            chrome: s.chrome("Check the columns", .partnerships), uploadID: id, fileName: up.fileName, format: format,
            header: header, mapping: mapping, rows: rows, skipped: skipped, error: problem)
        return Pages.html(ImportViews.preview(model), status: problem == nil ? .ok : .unprocessableEntity)
    }

    static func confirm(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        let id = try req.id("upload_id", "upload")
        guard let up = try await req.store.pendingUpload(id, personID: s.person.id) else {
            throw Problem.notFound("upload")
        }
        var headers: [AccountField: String] = [:]
        for f in AccountField.allCases {
            if let h = req.formValue("column_\(f.rawValue)") { headers[f] = h }
        }
        // The columns as detected need no explicit mapping: the import keeps the detected format.
        let fileHeader = header(of: up.data)
        var detected: [AccountField: String] = [:]
        if let d = try? FormatDetector.detect(header: fileHeader) {
            for (f, i) in d.columns { detected[f] = fileHeader[i] }
        }
        let mapping = headers.isEmpty || headers == detected ? nil : ColumnMapping(headers)
        do {
            let job = try await MappingAPI.runImport(
                req, s.principal, organizationID: up.organizationID, data: up.data, fileName: up.fileName,
                mapping: mapping)
            try await req.store.deletePendingUpload(id)
            return Pages.seeOther(SiteRoute.importResult(job.id))
        } catch let p as Problem where p.status == 422 {
            // Back to the check page with the reason, keeping the upload.
            let model = ImportPreviewModel(
                chrome: s.chrome("Check the columns", .partnerships), uploadID: id, fileName: up.fileName,
                format: "custom", header: header(of: up.data),
                mapping: AccountField.allCases.map { ($0.rawValue, headers[$0]) }, rows: nil, skipped: nil,
                error: p.detail)
            return Pages.html(ImportViews.preview(model), status: .unprocessableEntity)
        }
    }

    static func result(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("import_id", "import")
        guard let job = try await req.store.accountImport(id), job.organizationID == s.person.organizationID else {
            throw Problem.notFound("import")
        }
        let percent = job.status == "running" ? Int((ImportProgress.shared.get(id) * 100).rounded()) : 100
        return Pages.html(
            ImportViews.result(ImportResultModel(chrome: s.chrome("Import", .partnerships), job: job, percent: percent))
        )
    }
}
