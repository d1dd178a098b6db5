import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// Account mapping over the API: imports of CRM exports, ideal customer profiles, sharing, the
/// population matrix, ranked target accounts, and starting a deal from one.
enum MappingAPI {
    static let maxUpload = 100 * 1024 * 1024

    struct ProfileBody: Codable {
        var industries: [String]
        var employeesMin: Int?
        var employeesMax: Int?
        var countries: [String]
    }

    struct SettingsBody: Codable {
        var idealCustomerProfile: ProfileBody?
        /// How this organization's CRM values map to populations; nil uses the detected format's defaults.
        var populationRules: PopulationRules?
    }

    struct SharingBody: Decodable {
        var population: String
        var level: SharingLevel
    }

    struct ImportView: Encodable {
        var job: AccountImport
        var percent: Int
    }

    struct MatrixView: Encodable {
        /// Rows: your populations; columns: the partner's. A nil count is a population the partner hides.
        var populations: [String]
        var rows: [MatrixRow]
        var partnerSharing: [SharingSetting]
    }

    struct MatrixRow: Encodable {
        var population: String
        var counts: [Int?]
    }

    struct AccountSummary: Encodable {
        var crmID: String
        var name: String
        var domain: String?
        var country: String?
        var industry: String?
        var employees: Int?
        var population: String
    }

    struct TargetView: Encodable {
        var overlapID: UUID
        var yours: AccountSummary
        var partners: AccountSummary
        var relation: String
        var method: String
        var score: Double
        var play: String
        var yourFit: String?
        var partnerFit: String?
        var doorOpener: String?
        var priority: Int
        var jointAccountID: UUID?
    }

    struct StartDealBody: Decodable {
        var title: String?
        var amount: Money?
        var expectedCloseDate: LocalDate?
    }

    static let accountSummary = Schema.object(
        [
            ("crm_id", .string()), ("name", .string()), ("domain", .string()), ("country", .string()),
            ("industry", .string()), ("employees", .integer()), ("population", .string()),
        ], required: ["crm_id", "name", "population"])

    static let components: [(String, Schema)] = [
        (
            "AccountImport",
            .object(
                [
                    (
                        "job",
                        .object(
                            [
                                ("id", .uuid), ("organization_id", .uuid), ("file_name", .string()),
                                ("format", .string()),
                                ("status", .enumeration(["running", "succeeded", "failed"])),
                                ("total_rows", .integer()),
                                ("added", .integer()), ("updated", .integer()), ("unchanged", .integer()),
                                ("retired", .integer()), ("skipped", .integer()), ("duplicate_pairs", .integer()),
                                ("message", .string()), ("started_at", .dateTime), ("finished_at", .dateTime),
                            ], required: ["id", "organization_id", "file_name", "status", "started_at"])
                    ),
                    ("percent", .integer(min: 0, max: 100)),
                ], required: ["job", "percent"])
        ),
        (
            "OrganizationSettings",
            .object(
                [
                    (
                        "ideal_customer_profile",
                        .object(
                            [
                                ("industries", .array(.name, maxItems: 100)), ("employees_min", .integer(min: 0)),
                                ("employees_max", .integer(min: 0)), ("countries", .array(.name, maxItems: 300)),
                            ], required: ["industries", "countries"])
                    ),
                    (
                        "population_rules",
                        .object(
                            [
                                (
                                    "rules",
                                    .array(
                                        .object(
                                            [
                                                ("match", .enumeration(["equals", "prefix", "contains"])),
                                                ("value", .name),
                                                ("population", .enumeration(Population.allCases.map(\.rawValue))),
                                            ], required: ["match", "value", "population"]), maxItems: 50)
                                ),
                                ("default_population", .enumeration(Population.allCases.map(\.rawValue))),
                            ], required: ["rules", "default_population"])
                    ),
                ], required: [])
        ),
        (
            "Sharing",
            .array(
                .object(
                    [
                        ("organization_id", .uuid), ("population", .string()),
                        ("level", .enumeration(SharingLevel.allCases.map(\.rawValue))),
                    ], required: ["organization_id", "population", "level"]))
        ),
        (
            "Target",
            .object(
                [
                    ("overlap_id", .uuid), ("yours", accountSummary), ("partners", accountSummary),
                    ("relation", .string()),
                    ("method", .string()), ("score", .any), ("play", .enumeration(Play.allCases.map(\.rawValue))),
                    ("your_fit", .string()), ("partner_fit", .string()), ("door_opener", .string()),
                    ("priority", .integer()),
                    ("joint_account_id", .uuid),
                ], required: ["overlap_id", "yours", "partners", "relation", "method", "score", "play", "priority"])
        ),
    ]

    static func operations() -> [APIOperation] {
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
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}/settings", id: "getOrganizationSettings",
                summary: "Your organization's ideal customer profile", tag: "accounts",
                response: .ref("OrganizationSettings")
            ) { req in
                let p = try await req.principal()
                let org = try ownOrganization(req, p)
                let s = try await req.store.settings(of: org)
                return try APIJSON.response(
                    SettingsBody(
                        idealCustomerProfile: s.idealCustomerProfile.map(profileBody),
                        populationRules: s.populationRules))
            },
            APIOperation(
                .PUT, "/api/v1/organizations/{organization_id}/settings", id: "putOrganizationSettings",
                summary: "Set your organization's ideal customer profile (admins)", tag: "accounts",
                body: .ref("OrganizationSettings"), response: .ref("OrganizationSettings")
            ) { req in
                let p = try await req.principal()
                let org = try ownOrganization(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else {
                    throw Problem.forbidden("Only admins change the ideal customer profile.")
                }
                let body = try APIJSON.decode(SettingsBody.self, from: req)
                var settings = try await req.store.settings(of: org)
                settings.idealCustomerProfile = try body.idealCustomerProfile.map(profile)
                if let rules = body.populationRules {
                    if rules.rules.count > 50 { throw Problem.invalid("population_rules.rules", "At most 50 rules.") }
                    for (i, r) in rules.rules.enumerated() where r.value.isEmpty || r.value.count > 200 {
                        throw Problem.invalid(
                            "population_rules.rules[\(i)].value", "Each value must be 1 to 200 characters.")
                    }
                }
                settings.populationRules = body.populationRules
                try await req.store.saveSettings(settings, of: org, at: Date())
                return try APIJSON.response(body)
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/sharing", id: "getSharing",
                summary: "What each side shares with the other, per population", tag: "partnerships",
                response: .ref("Sharing")
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                return try APIJSON.response(try await req.store.sharing(of: ps))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/sharing", id: "putSharing",
                summary: "Set what your organization shares of one population (admins)", tag: "partnerships",
                body: .object(
                    [
                        ("population", .enumeration(Population.allCases.map(\.rawValue))),
                        ("level", .enumeration(SharingLevel.allCases.map(\.rawValue))),
                    ],
                    required: ["population", "level"]),
                response: .ref("Sharing")
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins change sharing.") }
                let body = try APIJSON.decode(SharingBody.self, from: req)
                guard Population(rawValue: body.population) != nil else {
                    throw Problem.invalid(
                        "population", "population must be one of: customer, open_opportunity, prospect.")
                }
                try await req.store.setSharing(
                    body.level, population: body.population, organizationID: p.person.organizationID,
                    partnershipID: ps.id, at: Date())
                for org in ps.organizationIDs {
                    await req.audit(
                        "sharing_changed",
                        "\(p.person.name) set \(body.population) to \(body.level.rawValue) in \"\(ps.name)\".",
                        organizationID: org, actor: p.person)
                }
                return try APIJSON.response(try await req.store.sharing(of: ps))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/overlaps/refresh", id: "refreshOverlaps",
                summary: "Match the two organizations' imported accounts again", tag: "partnerships",
                response: .object([("overlaps", .integer(min: 0))], required: ["overlaps"])
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                try p.requireWrite()
                let n = try await req.store.refreshOverlaps(of: ps, at: Date())
                struct Count: Encodable { var overlaps: Int }
                return try APIJSON.response(Count(overlaps: n))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/matrix", id: "getPopulationMatrix",
                summary: "Your populations x the partner's, with overlap counts (as far as the partner shares)",
                tag: "partnerships",
                response: .object(
                    [
                        ("populations", .array(.string())),
                        (
                            "rows",
                            .array(
                                .object(
                                    [("population", .string()), ("counts", .array(.nullable(.integer())))],
                                    required: ["population", "counts"]))
                        ),
                        ("partner_sharing", .ref("Sharing")),
                    ], required: ["populations", "rows", "partner_sharing"])
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                return try APIJSON.response(try await matrix(req, p, ps))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/targets", id: "listTargets",
                summary: "Target accounts from the overlap, ranked by both sides' fit and the play",
                tag: "partnerships",
                query: [API.limitParam, API.offsetParam], response: APISchemas.list("Target")
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                let (limit, offset) = try API.paging(req)
                let all = try await targets(req, p, ps)
                let page = Array(all.dropFirst(offset).prefix(limit))
                return try APIJSON.response(ListView(items: page, total: all.count, limit: limit, offset: offset))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/partner-accounts", id: "listPartnerAccounts",
                summary: "The partner's accounts of the populations it shares as all_accounts (greenfield)",
                tag: "partnerships", query: [API.limitParam, API.offsetParam],
                response: .object(
                    [
                        ("items", .array(accountSummary)), ("total", .integer(min: 0)), ("limit", .integer()),
                        ("offset", .integer()),
                    ], required: ["items", "total", "limit", "offset"])
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                let (limit, offset) = try API.paging(req)
                guard let partner = ps.counterpart(of: p.person.organizationID), ps.status == .active else {
                    throw Problem.notFound("partnership")
                }
                let shared = Set(
                    try await req.store.sharing(of: ps).filter {
                        $0.organizationID == partner && $0.level == .allAccounts
                    }
                    .map(\.population))
                let all = try await req.store.accounts(of: partner).filter { shared.contains($0.population) }.map(
                    summary)
                return try APIJSON.response(
                    ListView(
                        items: Array(all.dropFirst(offset).prefix(limit)), total: all.count, limit: limit,
                        offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/targets/{overlap_id}/deal", id: "startDealFromTarget",
                summary: "Start a deal from a target account, with both fits and the door-opener side filled in",
                tag: "deals",
                body: .object(
                    [("title", .name), ("amount", APISchemas.money), ("expected_close_date", .date)], required: []),
                status: 201, response: .ref("DealView")
            ) { req in try await startDeal(req) },
        ]
    }

    // MARK: handlers

    /// Account-mapping data exists only while the partnership is active: a pending one shares nothing
    /// yet, and when either side ends it both lose access to what was shared.
    static func activePartnership(_ req: Request, _ p: Principal) async throws -> Partnership {
        let ps = try await API.visiblePartnership(req, p)
        guard ps.status == .active else {
            throw Problem.conflict("The partnership is \(ps.status.rawValue): nothing is shared in it.")
        }
        return ps
    }

    static func ownOrganization(_ req: Request, _ p: Principal) throws -> UUID {
        let id = try req.id("organization_id", "organization")
        guard id == p.person.organizationID else { throw Problem.notFound("organization") }
        return id
    }

    static func profileBody(_ p: IdealCustomerProfile) -> ProfileBody {
        ProfileBody(
            industries: p.industries.sorted(), employeesMin: p.employeeRange?.lowerBound,
            employeesMax: p.employeeRange?.upperBound,
            countries: p.countries.sorted())
    }

    static func profile(_ b: ProfileBody) throws -> IdealCustomerProfile {
        if b.industries.count > 100 {
            throw Problem.invalid("ideal_customer_profile.industries", "At most 100 industries.")
        }
        if b.countries.count > 300 {
            throw Problem.invalid("ideal_customer_profile.countries", "At most 300 countries.")
        }
        for (field, list) in [("industries", b.industries), ("countries", b.countries)] {
            for (i, v) in list.enumerated() where v.trimmingCharacters(in: .whitespaces).isEmpty || v.count > 200 {
                throw Problem.invalid(
                    "ideal_customer_profile.\(field)[\(i)]", "Each entry must be 1 to 200 characters.")
            }
        }
        var range: ClosedRange<Int>? = nil
        if b.employeesMin != nil || b.employeesMax != nil {
            let lo = b.employeesMin ?? 0
            let hi = b.employeesMax ?? Int(Int32.max)
            guard lo >= 0 else {
                throw Problem.invalid("ideal_customer_profile.employees_min", "employees_min must not be negative.")
            }
            guard hi >= lo else {
                throw Problem.invalid(
                    "ideal_customer_profile.employees_max", "employees_max must be at least employees_min.")
            }
            range = lo...hi
        }
        return IdealCustomerProfile(industries: Set(b.industries), employeeRange: range, countries: Set(b.countries))
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

    /// The viewer's side is "yours"; the partner's side is shown as far as the partner shares it.
    static func matrix(_ req: Request, _ p: Principal, _ ps: Partnership) async throws -> MatrixView {
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let sharing = try await req.store.sharing(of: ps)
        let partner = ps.organizationIDs[1 - mineIndex]
        let partnerSharing = sharing.filter { $0.organizationID == partner }
        let overlaps = try await req.store.overlaps(of: ps).filter {
            $0.relation == OverlapRelation.same_account.rawValue
        }
        let pops = Population.allCases.map(\.rawValue)
        var rows: [MatrixRow] = []
        for mine in pops {
            var counts: [Int?] = []
            for theirs in pops {
                let level = partnerSharing.first { $0.population == theirs }?.level ?? .hidden
                if level == .hidden {
                    counts.append(nil)
                } else {
                    counts.append(
                        overlaps.filter {
                            $0.accounts[mineIndex].population == mine && $0.accounts[1 - mineIndex].population == theirs
                        }.count)
                }
            }
            rows.append(MatrixRow(population: mine, counts: counts))
        }
        return MatrixView(populations: pops, rows: rows, partnerSharing: partnerSharing)
    }

    static func targets(_ req: Request, _ p: Principal, _ ps: Partnership) async throws -> [TargetView] {
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let partner = ps.organizationIDs[1 - mineIndex]
        let sharing = try await req.store.sharing(of: ps).filter { $0.organizationID == partner }
        let myProfile = try await req.store.settings(of: me).idealCustomerProfile
        let partnerProfile = try await req.store.settings(of: partner).idealCustomerProfile
        var out: [TargetView] = []
        for o in try await req.store.overlaps(of: ps) {
            let mine = o.accounts[mineIndex]
            let theirs = o.accounts[1 - mineIndex]
            let level = sharing.first { $0.population == theirs.population }?.level ?? .hidden
            guard level >= .overlappingAccounts else { continue }
            let hp = Population(rawValue: mine.population) ?? .prospect
            let pp = Population(rawValue: theirs.population) ?? .prospect
            let relation = OverlapRelation(rawValue: o.relation) ?? .same_account
            let play = Play.of(host: hp, partner: pp, relation: relation)
            let myFit = myProfile?.fit(industry: mine.industry, employees: mine.employees, country: mine.country)
            let theirFit = partnerProfile?.fit(
                industry: theirs.industry, employees: theirs.employees, country: theirs.country)
            let fitScore =
                (myFit == CoSellMatching.Fit.none || theirFit == CoSellMatching.Fit.none)
                ? 0 : (myFit?.weight ?? 1) + (theirFit?.weight ?? 1)
            let playWeight =
                [Play.partner_opens_door: 3, .host_opens_door: 3, .shared_customer: 2, .joint_prospect: 1][play] ?? 0
            out.append(
                TargetView(
                    overlapID: o.id, yours: summary(mine), partners: summary(theirs), relation: o.relation,
                    method: o.method,
                    score: o.score, play: play.rawValue, yourFit: myFit?.rawValue, partnerFit: theirFit?.rawValue,
                    doorOpener: play.doorOpener.map { $0 == .host ? "you" : "partner" },
                    priority: fitScore * 100 + playWeight * 10 + (relation == .same_account ? 5 : 0),
                    jointAccountID: o.jointAccountID))
        }
        out.sort {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.score != $1.score { return $0.score > $1.score }
            return $0.yours.name < $1.yours.name
        }
        return out
    }

    static func summary(_ a: CRMAccount) -> AccountSummary {
        AccountSummary(
            crmID: a.crmID, name: a.name, domain: a.domain, country: a.country, industry: a.industry,
            employees: a.employees,
            population: a.population)
    }

    static func startDeal(_ req: Request) async throws -> Response {
        let p = try await req.principal()
        let ps = try await activePartnership(req, p)
        try p.requireWrite()
        let overlapID = try req.id("overlap_id", "target account")
        let body: StartDealBody =
            (req.body.data?.readableBytes ?? 0) > 0
            ? try APIJSON.decode(StartDealBody.self, from: req) : StartDealBody()
        let (final, playbook, now) = try await startDeal(req, p, ps, overlapID: overlapID, body: body)
        let r = try APIJSON.response(
            DealView(final, playbook: playbook, now: now), status: .created, etag: final.version)
        r.headers.replaceOrAdd(name: .location, value: "/api/v1/deals/\(final.id.uuidString)")
        return r
    }

    /// Opens a deal on a ranked target account (creating its joint account on first use): the one
    /// way for the API and the partnership page.
    static func startDeal(
        _ req: Request, _ p: Principal, _ ps: Partnership, overlapID: UUID, body: StartDealBody
    ) async throws -> (Deal, Playbook, Date) {
        guard let target = try await targets(req, p, ps).first(where: { $0.overlapID == overlapID }),
            let overlap = try await req.store.overlaps(of: ps).first(where: { $0.id == overlapID })
        else { throw Problem.notFound("target account") }
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let mine = overlap.accounts[mineIndex]
        let theirs = overlap.accounts[1 - mineIndex]
        // The host's (the person starting the deal) CRM first; the partner's where the host has none.
        let fromPartner = mine.address == nil && theirs.address != nil
        let proposed = JointAccount(
            id: UUID(), partnershipID: ps.id, name: mine.name,
            domain: mine.domain ?? theirs.domain,
            country: fromPartner ? (theirs.country ?? mine.country) : (mine.country ?? theirs.country),
            industry: mine.industry, employees: mine.employees, origin: .overlap,
            reason: nil,
            populations: overlap.accounts.map {
                AccountPopulation(organizationID: $0.organizationID, population: $0.population)
            },
            createdAt: Date(), address: fromPartner ? theirs.address : mine.address)
        var linked: JointAccount? = nil
        if let id = overlap.jointAccountID { linked = try await req.store.jointAccount(id) }
        let pick = TargetPick(
            overlapID: overlapID, linkedAccount: linked, proposedAccount: proposed,
            fits: SidePair<CoSellDomain.Fit>(
                host: target.yourFit.flatMap(CoSellDomain.Fit.init(rawValue:)),
                partner: target.partnerFit.flatMap(CoSellDomain.Fit.init(rawValue:))),
            doorOpener: target.doorOpener.map { $0 == "you" ? .host : .partner },
            title: body.title, amount: body.amount, expectedCloseDate: body.expectedCloseDate)
        let r = try await req.workflows.deals.open(on: pick, in: ps.id, by: p)
        return (r.deal, r.playbook, r.at)
    }
}

/// Progress of running imports in this process, 0...1 by import id.
final class ImportProgress: @unchecked Sendable {
    static let shared = ImportProgress()
    private var values: [UUID: Double] = [:]
    private let lock = NSLock()

    func set(_ id: UUID, _ value: Double) {
        lock.lock()
        values[id] = value
        lock.unlock()
    }

    func get(_ id: UUID) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return values[id] ?? 0
    }

    func remove(_ id: UUID) {
        lock.lock()
        values[id] = nil
        lock.unlock()
    }
}

/// Work the server started for a request and finishes in the background (imports). The application
/// waits for it when it shuts down, so nothing runs against a closed database.
public final class BackgroundJobs: @unchecked Sendable {
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private let lock = NSLock()

    public init() {}

    func run(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = Task.detached { [weak self] in
            await work()
            self?.finished(id)
        }
    }

    private func finished(_ id: UUID) {
        lock.lock()
        tasks[id] = nil
        lock.unlock()
    }

    private func snapshot() -> [Task<Void, Never>] {
        lock.lock()
        defer { lock.unlock() }
        return Array(tasks.values)
    }

    /// Waits for every job still running.
    public func drain() async {
        while true {
            let running = snapshot()
            if running.isEmpty { return }
            for t in running { await t.value }
        }
    }
}

struct BackgroundJobsKey: StorageKey { typealias Value = BackgroundJobs }

struct BackgroundJobsLifecycle: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        await app.backgroundJobs.drain()
    }
}

extension Application {
    public var backgroundJobs: BackgroundJobs {
        if let j = storage[BackgroundJobsKey.self] { return j }
        let j = BackgroundJobs()
        storage[BackgroundJobsKey.self] = j
        return j
    }
}
