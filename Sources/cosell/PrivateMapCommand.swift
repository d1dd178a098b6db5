import ArgumentParser
import AsyncHTTPClient
import CoSellApp
import CoSellMatching
import CoSellPrivateSet
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// `cosell private-map`: the organization's side of private account mapping. The export stays on
/// this machine; only blinded keys go to the server, and at the end only the accounts in the overlap
/// (as a partial import of the organization's accounts).
struct PrivateMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "private-map",
        abstract:
            "Find the overlap of your CRM export with the other company's list on a cosell server without sending your list (private set intersection), then import only the accounts in the overlap.",
        discussion: "See docs/private-mapping.md for what each side learns."
    )

    @Argument(help: "Your account export (Salesforce, HubSpot or generic CSV); it is read here and not sent.")
    var file: String

    @ArgumentParser.Option(name: .long, help: "The cosell server's address, e.g. https://cosell.example.com.")
    var server: String

    @ArgumentParser.Option(name: .long, help: "The partnership's id.")
    var partnership: String

    @ArgumentParser.Option(name: .long, help: "An API token of an admin of your company (read-write).")
    var token: String

    @ArgumentParser.Option(
        name: .customLong("column"),
        help: "Override the detected column of a field, e.g. --column name=Company (as for cosell import).")
    var columns: [String] = []

    @ArgumentParser.Flag(
        name: .long, help: "Find and print the overlap, but import nothing (the run is still completed and audited).")
    var dryRun = false

    func validate() throws {
        guard UUID(uuidString: partnership) != nil else { throw ValidationError("--partnership must be a UUID.") }
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--server must be an http or https address, e.g. https://cosell.example.com.")
        }
        _ = try columnMapping(columns)
    }

    func run() async throws {
        try CoSellConfig.applyMatchingSwitches()
        let readStart = Date()
        let table: AccountTable
        do {
            table = try AccountTable.load(path: file, options: ImportOptions(mapping: try columnMapping(columns)))
        } catch let e as AccountImportError {
            FileHandle.standardError.write(Data("cosell private-map: \(e.description)\n".utf8))
            throw ExitCode(1)
        }
        let records = table.records
        let readSeconds = Date().timeIntervalSince(readStart)
        guard !records.isEmpty else {
            FileHandle.standardError.write(Data("cosell private-map: \(file) has no accounts.\n".utf8))
            throw ExitCode(1)
        }
        let client = PrivateMapClient(server: server, partnership: partnership, token: token)
        do {
            let result = try await client.run(records: records)
            print(
                "Private mapping: \(result.overlap.count) of your \(records.count) accounts are in the overlap with the other company's \(result.setAccounts) accounts (\(result.evaluated) keys evaluated in \(result.batches) batches; run \(result.runID))."
            )
            print(
                "Time: "
                    + result.timings.map { String(format: "%@ %.2f s", $0.0, $0.1) }.joined(separator: ", ")
                    + String(format: " (reading the file: %.2f s)", readSeconds))
            if dryRun {
                print("--dry-run: nothing imported.")
                return
            }
            if result.overlap.isEmpty {
                print("No account to import.")
                return
            }
            let csv = PrivateMapClient.csv(result.overlap.map { records[$0] })
            let job = try await client.importOverlap(csv, organizationID: result.organizationID)
            print(
                "Imported the \(result.overlap.count) accounts in the overlap as a partial update (import \(job.id): \(job.added ?? 0) added, \(job.updated ?? 0) updated, \(job.unchanged ?? 0) unchanged); no other account of \(file) left this machine."
            )
        } catch let e as PrivateMapClient.Failure {
            FileHandle.standardError.write(Data("cosell private-map: \(e.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The HTTP side of `cosell private-map`, on the API (`/api/v1/partnerships/{id}/private-mapping/…`).
struct PrivateMapClient {
    let server: String
    let partnership: String
    let token: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Result {
        var runID: String
        var organizationID: String
        var overlap: [Int]
        var setAccounts: Int
        var evaluated: Int
        var batches: Int
        /// Seconds: keys derived and blinded here, the server's answer to the start (its list
        /// encrypted), the evaluations, the overlap worked out here.
        var timings: [(String, Double)] = []
    }

    struct RunView: Decodable {
        var id: String
        var organizationId: String
        var setAccounts: Int
    }
    struct Started: Decodable {
        var run: RunView
        var maxBatch: Int
        var set: Data
    }
    struct ProblemBody: Decodable {
        var detail: String?
        var field: String?
    }
    struct Batch: Codable {
        var batch: Int
        var elements: Data
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    /// Runs the protocol: start, evaluate the blinded keys in batches, work out the overlap, complete.
    func run(records: [AccountRecord]) async throws -> Result {
        var clock = Date()
        var timings: [(String, Double)] = []
        func lap(_ what: String) {
            timings.append((what, Date().timeIntervalSince(clock)))
            clock = Date()
        }
        let base = "/api/v1/partnerships/\(partnership)/private-mapping/runs"
        // The server encrypts its list while this machine blinds its own keys.
        async let starting: Started = call(
            "POST", base, json: try Self.encoder.encode(["declared_accounts": records.count]))
        let query = PrivateSet.Query(keysPerAccount: records.map { PrivateMatchKeys.keys(of: $0, role: .query) })
        let blinded = try query.blinded()
        lap("keys blinded here")
        let started = try await starting
        lap("then the server's list")
        let step = max(1, started.maxBatch) * PrivateSet.elementBytes
        var evaluated = Data(capacity: blinded.count)
        var batch = 0
        var offset = 0
        while offset < blinded.count {
            let chunk = blinded.subdata(in: offset..<min(offset + step, blinded.count))
            let answer: Batch = try await call(
                "POST", "\(base)/\(started.run.id)/evaluations",
                json: try Self.encoder.encode(Batch(batch: batch, elements: chunk)))
            guard answer.batch == batch, answer.elements.count == chunk.count else {
                throw Failure(
                    description: "The server answered batch \(batch) with something else; nothing was imported.")
            }
            evaluated.append(answer.elements)
            offset += chunk.count
            batch += 1
        }
        lap("evaluations by the server")
        let overlap: [Int]
        do {
            overlap = try query.overlap(evaluated: evaluated, set: started.set)
            lap("overlap worked out here")
        } catch {
            throw Failure(description: "The server's encrypted list is malformed (\(error)); nothing was imported.")
        }
        let _: RunView = try await call(
            "POST", "\(base)/\(started.run.id)/completion",
            json: try Self.encoder.encode(["overlap_accounts": overlap.count]))
        return Result(
            runID: started.run.id, organizationID: started.run.organizationId, overlap: overlap,
            setAccounts: started.run.setAccounts, evaluated: query.keys.count, batches: batch, timings: timings)
    }

    /// What the import of the overlap did, once its job ended.
    struct ImportJob: Decodable {
        var id: String
        var status: String
        var added: Int?
        var updated: Int?
        var unchanged: Int?
        var message: String?
    }

    /// Imports the overlap's accounts into the organization as a partial update (retiring nothing),
    /// and waits for the import job to end (the server matches the partnerships again after it).
    func importOverlap(_ csv: Data, organizationID: String) async throws -> ImportJob {
        struct Started: Decodable { var job: ImportJob }
        let first: Started = try await call(
            "POST",
            "/api/v1/organizations/\(organizationID)/account-imports?mode=partial&file_name=private-mapping-overlap.csv",
            body: csv, contentType: "text/csv")
        var job = first.job
        let deadline = Date().addingTimeInterval(1800)
        while job.status == "running" && Date() < deadline {
            try await Task.sleep(nanoseconds: 300_000_000)
            job = (try await call("GET", "/api/v1/account-imports/\(job.id)") as Started).job
        }
        guard job.status == "succeeded" else {
            throw Failure(
                description:
                    "The import of the overlap (job \(job.id)) ended \(job.status): \(job.message ?? "no message")."
            )
        }
        return job
    }

    /// The accounts as a generic CSV export, the columns `cosell import` reads.
    static func csv(_ records: [AccountRecord]) -> Data {
        func field(_ s: String?) -> String {
            guard let s, !s.isEmpty else { return "" }
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        var out = "id,name,website,country,industry,employees,population,street,city,state,postal_code\n"
        for r in records {
            let row: [String?] = [
                r.id, r.name, r.website, r.country, r.industry, r.employees.map(String.init), r.population.rawValue,
                r.street, r.city, r.state, r.postalCode,
            ]
            out += row.map(field).joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }

    func call<T: Decodable>(
        _ method: String, _ path: String, json: Data? = nil, body: Data? = nil, contentType: String? = nil
    ) async throws -> T {
        guard let url = URL(string: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw Failure(description: "\(server)\(path) is not an address.")
        }
        var req = HTTPClientRequest(url: url.absoluteString)
        req.method = HTTPMethod(rawValue: method)
        req.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            req.body = .bytes(ByteBuffer(data: json))
            req.headers.add(name: "Content-Type", value: "application/json")
        } else if let body {
            req.body = .bytes(ByteBuffer(data: body))
            req.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
        }
        let data: Data
        let status: Int
        do {
            let response = try await HTTPClient.shared.execute(req, timeout: .seconds(600))
            status = Int(response.status.code)
            data = Data(buffer: try await response.body.collect(upTo: 512 * 1024 * 1024))
        } catch {
            throw Failure(description: "\(method) \(path): the server did not answer (\(error)).")
        }
        guard (200..<300).contains(status) else {
            let p = try? Self.decoder.decode(ProblemBody.self, from: data)
            let field = p?.field.map { " (\($0))" } ?? ""
            throw Failure(
                description:
                    "\(method) \(path) was refused with \(status)\(field): \(p?.detail ?? String(decoding: data.prefix(300), as: UTF8.self))"
            )
        }
        do {
            return try Self.decoder.decode(T.self, from: data)
        } catch {
            throw Failure(description: "\(method) \(path): the server's answer could not be read (\(error)).")
        }
    }
}
