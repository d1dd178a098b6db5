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
                QueryParameter(
                    name: "mode", schema: .enumeration(AccountImportWorkflows.Mode.allCases.map(\.rawValue)),
                    description:
                        "full (default): the file is the whole export, accounts missing from it are retired; partial: add and update only, retire nothing."
                ),
                QueryParameter(
                    name: "confirm_retirements", schema: .enumeration(["true", "false"]),
                    description:
                        "true to apply a full export that retires more than a tenth of the accounts or an account with an open deal; without it such an import is refused (422 naming confirm_retirements, saying what it would retire)."
                ),
            ],
            body: .string(format: "binary"), status: 202, response: .ref("AccountImport")
        ) { req in try await startImport(req) }
        upload.bodyContentType = "text/csv"
        upload.maxBody = ByteCount(value: AccountImportWorkflows.maxUpload)
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
            APIOperation(
                .POST, "/api/v1/account-imports/{import_id}/restoration", id: "restoreAccountImport",
                summary:
                    "Put the accounts back as they were before the organization's latest import (admins and partner managers): the accounts it changed or retired get their previous values, those it added are retired; then every active partnership is matched again. 409 for an import that is not the latest succeeded one, or was restored already.",
                tag: "accounts", response: .ref("AccountImport")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("import_id", "import")
                _ = try await req.workflows.imports.restore(id, by: p)
                guard let job = try await req.store.accountImport(id) else { throw Problem.notFound("import") }
                return try APIJSON.response(ImportView(job: job, percent: 100))
            },
        ]
    }

    static func startImport(_ req: Request) async throws -> Response {
        let p = try await req.principal()
        let org = try req.id("organization_id", "organization")
        let started = try await req.startImport {
            try await req.workflows.imports.start(into: org, by: p) {
                guard let buffer = req.body.data, buffer.readableBytes > 0 else {
                    throw Problem.badRequest("body", "Send the CSV file as the request body.")
                }
                if buffer.readableBytes > AccountImportWorkflows.maxUpload {
                    throw Problem(
                        .payloadTooLarge, type: "too-large", title: "The file is too large",
                        detail: "An upload may be at most 100 MB.", field: "body")
                }
                let fileName =
                    (try? req.query.get(String.self, at: "file_name")).map { String($0.prefix(200)) } ?? "upload.csv"
                let columns = (try? req.query.get(String.self, at: "columns")) ?? ""
                let rawMode = (try? req.query.get(String.self, at: "mode")) ?? "full"
                guard let mode = AccountImportWorkflows.Mode(rawValue: rawMode) else {
                    throw Problem.invalid("mode", "mode is full or partial.")
                }
                let rawConfirm = (try? req.query.get(String.self, at: "confirm_retirements")) ?? "false"
                guard rawConfirm == "true" || rawConfirm == "false" else {
                    throw Problem.invalid("confirm_retirements", "confirm_retirements is true or false.")
                }
                // The body's bytes as they are, not copied (a 100 MB file was held twice while parsed).
                let data =
                    buffer.getData(at: buffer.readerIndex, length: buffer.readableBytes, byteTransferStrategy: .noCopy)
                    ?? Data(buffer: buffer)
                return AccountImportWorkflows.Upload(
                    .data(data, fileName: fileName),
                    mapping: try AccountImportWorkflows.columnMapping(columns), mode: mode,
                    confirmRetirements: rawConfirm == "true")
            }
        }
        guard let job = try await req.store.accountImport(started.id) else { throw Problem.notFound("import") }
        let r = try APIJSON.response(ImportView(job: job, percent: 0), status: .accepted)
        r.headers.replaceOrAdd(name: .location, value: "/api/v1/account-imports/\(job.id.uuidString)")
        return r
    }
}
