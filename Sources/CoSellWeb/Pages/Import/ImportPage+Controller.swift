import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

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

    static func uploadModel(
        _ req: Request, _ s: PageSession, error: String?, restoreError: String? = nil
    ) async throws -> ImportUploadModel {
        let restorable = try await req.workflows.imports.restorable(by: s.principal)
        return ImportUploadModel(
            chrome: s.chrome("Import accounts", .imports), error: error, restorable: restorable,
            restorableWhen: restorable.map { req.displayFormat.format($0.importedAt) } ?? "", restoreError: restoreError
        )
    }

    /// Restores the accounts as they were before the latest import, once the box is ticked; back to
    /// the import page saying why when it is not, or when the import cannot be restored (409).
    static func restore(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        let id = try req.id("import_id", "import")
        guard req.formValue("confirm_restore") == "yes" else {
            let m = try await uploadModel(
                req, s, error: nil,
                restoreError: "Nothing was restored: tick the box to confirm that the accounts go back as they were.")
            return Pages.html(ImportViews.upload(m), status: .unprocessableEntity)
        }
        do {
            _ = try await req.workflows.imports.restore(id, by: s.principal)
        } catch let error as WorkflowError {
            guard case .conflict(let reason) = error else { throw error }
            let m = try await uploadModel(req, s, error: nil, restoreError: "Nothing was restored: \(reason)")
            return Pages.html(ImportViews.upload(m), status: .conflict)
        }
        return Pages.seeOther(SiteRoute.importResult(id))
    }

    static func upload(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        try requireImporter(s)
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            return Pages.html(
                ImportViews.upload(try await uploadModel(req, s, error: "Choose a CSV file to upload.")),
                status: .badRequest)
        }
        let name = String(file.filename.prefix(200))
        let upload = try await req.workflows.imports.keepUpload(
            fileName: name.isEmpty ? "upload.csv" : name, data: Data(buffer: file.data), by: s.principal)
        return Pages.seeOther(SiteRoute.importPreview(upload.id))
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
        var table: AccountTable? = nil
        do {
            let t = try AccountTable.load(
                data: up.data, fileName: up.fileName,
                options: ImportOptions(
                    populationRules: settings.populationRules, maxBytes: AccountImportWorkflows.maxUpload))
            format = t.detection.format.rawValue
            mapping = AccountField.allCases.map { f in
                (f.rawValue, t.detection.columns[f].map { t.detection.header[$0] })
            }
            rows = t.count
            skipped = t.skippedBlankNames
            table = t
        } catch {
            // Still offer the columns so the person can say which one holds the name.
            if let d = try? FormatDetector.detect(header: header) { format = d.format.rawValue }
            problem =
                "The file cannot be imported as it is: \(error.description). Choose the columns below, or fix the file."
        }
        var model = ImportPreviewModel(
            chrome: s.chrome("Check the columns", .imports), uploadID: id, fileName: up.fileName, format: format,
            header: header, mapping: mapping, rows: rows, skipped: skipped, error: problem)
        if let table {
            // The file as just read, not read again.
            model.impact = try await req.workflows.imports.impact(of: table, mode: .full, by: s.principal)
        }
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
        let mode = AccountImportWorkflows.Mode(rawValue: req.formValue("mode") ?? "full") ?? .full
        let confirmed = req.formValue("confirm_retirements") == "yes"
        do {
            let job = try await req.startImport {
                try await req.workflows.imports.start(
                    pendingUpload: id, mapping: mapping, mode: mode, confirmRetirements: confirmed, by: s.principal)
            }
            return Pages.seeOther(SiteRoute.importResult(job.id))
        } catch WorkflowError.invalid(field: "confirm_retirements", _) {
            // Back to the check page with what the file would retire and the box to tick.
            var model = ImportPreviewModel(
                chrome: s.chrome("Check the columns", .imports), uploadID: id, fileName: up.fileName,
                format: (try? FormatDetector.detect(header: fileHeader))?.format.rawValue ?? "custom",
                header: fileHeader,
                mapping: AccountField.allCases.map { ($0.rawValue, headers[$0]) }, rows: nil, skipped: nil,
                error: "Nothing was imported: confirm the retirements below, or choose a partial update.")
            model.impact = try await req.workflows.imports.impact(
                ofPendingUpload: id, mapping: mapping, mode: .full, by: s.principal)
            model.mode = mode
            return Pages.html(ImportViews.preview(model), status: .unprocessableEntity)
        } catch let p as Problem where p.status == 422 {
            // Back to the check page with the reason, keeping the upload.
            let model = ImportPreviewModel(
                chrome: s.chrome("Check the columns", .imports), uploadID: id, fileName: up.fileName,
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
            ImportViews.result(
                ImportResultModel(
                    chrome: s.chrome("Import", .imports), job: job, percent: percent,
                    restoredWhen: job.restoredAt.map { req.displayFormat.format($0) }))
        )
    }
}
