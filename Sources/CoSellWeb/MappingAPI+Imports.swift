import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension MappingAPI {
    struct ImportView: Encodable {
        var job: AccountImport
        var percent: Int
    }

    /// Uploading a CRM account export (a background job) and following it.
    static func importOperations() -> [APIOperation] {
        var upload = APIOperation(
            .POST, "/api/v1/organizations/{organization_id}/account-imports", id: "importAccounts",
            summary: "Upload a CRM account export (Salesforce, HubSpot or generic CSV); runs as a job", tag: "accounts",
            query: [
                QueryParameter(
                    name: "file_name", schema: .string(maxLength: 200), description: "The file's name, for the record."),
                QueryParameter(
                    name: "columns", schema: .string(maxLength: 2000),
                    description:
                        "Override the detected columns: field=Header pairs separated by semicolons, e.g. name=Company;website=Web (fields: id, name, website, country, industry, employees, population, street, city, state, postal_code)."
                ),
            ],
            body: .string(format: "binary"), status: 202, response: .ref("AccountImport")
        ) { req in try await startImport(req) }
        upload.bodyContentType = "text/csv"
        upload.maxBody = ByteCount(value: maxUpload)
        return [
            upload,
            APIOperation(
                .GET, "/api/v1/account-imports/{import_id}", id: "getAccountImport",
                summary: "An import's status, percentage and result", tag: "accounts", response: .ref("AccountImport")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("import_id", "import")
                guard let job = try await req.store.accountImport(id), job.organizationID == p.person.organizationID
                else {
                    throw Problem.notFound("import")
                }
                let percent = job.status == "running" ? Int((ImportProgress.shared.get(id) * 100).rounded(.down)) : 100
                return try APIJSON.response(ImportView(job: job, percent: percent))
            },
        ]
    }

    static func startImport(_ req: Request) async throws -> Response {
        let p = try await req.principal()
        let org = try ownOrganization(req, p)
        try p.requireWrite()
        guard p.person.role == .admin || p.person.role == .partnerManager else {
            throw Problem.forbidden("Only admins and partner managers import the CRM export.")
        }
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw Problem.badRequest("body", "Send the CSV file as the request body.")
        }
        if buffer.readableBytes > maxUpload {
            throw Problem(
                .payloadTooLarge, type: "too-large", title: "The file is too large",
                detail: "An upload may be at most 100 MB.", field: "body")
        }
        let data = Data(buffer: buffer)
        let fileName = (try? req.query.get(String.self, at: "file_name")).map { String($0.prefix(200)) } ?? "upload.csv"
        var mapping: ColumnMapping? = nil
        if let raw = try? req.query.get(String.self, at: "columns"), !raw.isEmpty {
            var headers: [AccountField: String] = [:]
            for pair in raw.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let field = AccountField(rawValue: parts[0].lowercased()), !parts[1].isEmpty
                else {
                    throw Problem.invalid(
                        "columns",
                        "\"\(pair)\" is not field=Header with a field among \(AccountField.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
                headers[field] = parts[1]
            }
            mapping = ColumnMapping(headers)
        }
        let job = try await runImport(req, p, organizationID: org, data: data, fileName: fileName, mapping: mapping)
        let r = try APIJSON.response(ImportView(job: job, percent: 0), status: .accepted)
        r.headers.replaceOrAdd(name: .location, value: "/api/v1/account-imports/\(job.id.uuidString)")
        return r
    }

    /// Reads the file at once (refusing one that cannot be read, naming the line), then imports it
    /// and matches it with the partners in the background. The one way for the API and the pages.
    static func runImport(
        _ req: Request, _ p: Principal, organizationID org: UUID, data: Data, fileName: String,
        mapping: ColumnMapping?
    ) async throws -> AccountImport {
        let settings = try await req.store.settings(of: org)
        let options = ImportOptions(mapping: mapping, populationRules: settings.populationRules, maxBytes: maxUpload)
        // A file that cannot be read at all is refused at once, naming the line; nothing is stored.
        let table: AccountTable
        do {
            table = try AccountTable.load(data: data, fileName: fileName, options: options)
        } catch {
            throw Problem(
                .unprocessableEntity, type: "invalid-file", title: "The file cannot be imported",
                detail: error.description, field: "body")
        }
        let id = UUID()
        let now = Date()
        try await req.store.startImport(
            id: id, organizationID: org, fileName: fileName, createdBy: p.person.id, at: now)
        let app = req.application
        // The job outlives the request; the store's connection comes from the application's pool.
        let store = req.store
        ImportProgress.shared.set(id, 0)
        app.backgroundJobs.run {
            do {
                _ = try await store.importAccounts(table, organizationID: org, importID: id, at: now, complete: false) {
                    ImportProgress.shared.set(id, $0 * 0.8)
                }
            } catch {
                app.logger.error("Account import \(id) failed: \(String(reflecting: error))")
                try? await store.failImport(
                    id: id, message: "The import failed and nothing was changed: \(error)", at: Date())
                ImportProgress.shared.remove(id)
                return
            }
            do {
                // The job finishes once the organization's partnerships are matched against the new list.
                for ps in try await store.partnerships(of: org) where ps.status == .active {
                    try await store.refreshOverlaps(of: ps, at: Date())
                }
                ImportProgress.shared.set(id, 1)
                _ = try await store.completeImport(id: id, at: Date())
            } catch {
                app.logger.error("Matching after import \(id) failed: \(String(reflecting: error))")
                try? await store.failImport(
                    id: id,
                    message:
                        "The accounts were imported, but matching them with partners failed (\(error)); run the overlap refresh again.",
                    at: Date())
            }
            ImportProgress.shared.remove(id)
        }
        guard let job = try await req.store.accountImport(id) else { throw Problem.notFound("import") }
        return job
    }
}
