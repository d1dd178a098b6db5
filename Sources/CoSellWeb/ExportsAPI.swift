import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// CSV exports of the deals a person may see: plain deals and registrations, and the AWS ACE and
/// Microsoft Partner Center co-sell formats, each validated before it is written.
enum ExportsAPI {
    static let components: [(String, Schema)] = [
        ("MissingField", .object([("field", .string()), ("reason", .string())], required: ["field", "reason"])),
        (
            "ExportValidation",
            .object(
                [
                    ("target", .enumeration(["aws_ace", "partner_center"])), ("checked", .integer(min: 0)),
                    ("valid", .integer(min: 0)),
                    (
                        "invalid",
                        .array(
                            .object(
                                [("deal_id", .uuid), ("title", .string()), ("missing", .array(.ref("MissingField")))],
                                required: ["deal_id", "title", "missing"]))
                    ),
                    (
                        "excluded",
                        .array(
                            .object(
                                [("deal_id", .uuid), ("title", .string()), ("reason", .string())],
                                required: ["deal_id", "title", "reason"]))
                    ),
                    ("settings_problems", .array(.ref("MissingField"))),
                ], required: ["target", "checked", "valid", "invalid", "excluded", "settings_problems"])
        ),
    ]

    static let partnershipParam = QueryParameter(
        name: "partnership_id", schema: .uuid, description: "Only deals of this partnership.")
    static let skipParam = QueryParameter(
        name: "skip_invalid", schema: .boolean,
        description: "true: write only the valid deals; otherwise any invalid deal refuses the export (422).")
    static let aceParams: [QueryParameter] = [
        partnershipParam,
        QueryParameter(
            name: "solution_offered", schema: .string(maxLength: 40),
            description: "Your ACE solution id, S-0001234 (required)."),
        QueryParameter(
            name: "delivery_model", schema: .string(maxLength: 200),
            description: "ACE delivery models joined by ';' (required), e.g. SaaS or PaaS."),
        QueryParameter(
            name: "use_case", schema: .string(maxLength: 200), description: "The customer use case (required)."),
        QueryParameter(
            name: "primary_need_from_aws", schema: .string(maxLength: 500),
            description: "ACE primary needs joined by ';' (default: Do Not Need Support from AWS Sales Rep)."),
        QueryParameter(
            name: "marketing_activity", schema: .boolean,
            description: "Whether the opportunities come from marketing activity (default false)."),
        QueryParameter(
            name: "naming", schema: .enumeration(AceExport.Naming.allCases.map(\.rawValue)),
            description: "Column names: legacy CRM-integration names (default) or Selling API paths."),
    ]
    static let partnerCenterParams: [QueryParameter] = [
        partnershipParam,
        QueryParameter(
            name: "solution_id", schema: .string(maxLength: 100),
            description: "Your co-sell solution, SOL-… (required)."),
        QueryParameter(
            name: "marketplace_intent", schema: .enumeration(PartnerCenterExport.marketplaceIntents),
            description: "Marketplace purchase intent (default: Have not decided)."),
        QueryParameter(
            name: "consent_to_share", schema: .boolean,
            description: "The customers consented to share contacts with Microsoft (default false)."),
    ]

    static func operations() -> [APIOperation] {
        [
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/exports/deals.csv", id: "exportDeals",
                    summary: "The deals you may see, one row each", tag: "exports", query: [partnershipParam],
                    response: .string()
                ) { req in
                    APIOperation.csvResponse(DealExports.deals(try await visibleDeals(req)), name: "deals")
                }),
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/exports/registrations.csv", id: "exportRegistrations",
                    summary: "The registrations of the deals you may see, one row each", tag: "exports",
                    query: [partnershipParam], response: .string()
                ) { req in
                    APIOperation.csvResponse(
                        DealExports.registrations(try await visibleDeals(req)), name: "registrations")
                }),
            APIOperation(
                .GET, "/api/v1/exports/aws-ace/validation", id: "validateAceExport",
                summary: "What the AWS ACE export would refuse: every deal with the missing fields named",
                tag: "exports", query: aceParams, response: .ref("ExportValidation")
            ) { req in
                _ = try await req.principal()  // who asks comes before what is asked
                let settings = try aceSettings(req)
                let result = AceExport.export(try await visibleDeals(req), settings: settings, today: LocalDate(Date()))
                return try APIJSON.response(ValidationView(result.validation, settings: settings.problems()))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/exports/aws-ace.csv", id: "exportAce",
                    summary: "AWS ACE opportunities (CSV), validated: 422 naming what is missing unless skip_invalid",
                    tag: "exports", query: aceParams + [skipParam], response: .string()
                ) { req in
                    _ = try await req.principal()  // who asks comes before what is asked
                    let settings = try aceSettings(req)
                    try refuse(settings.problems())
                    let result = AceExport.export(
                        try await visibleDeals(req), settings: settings, today: LocalDate(Date()))
                    return try csvOrRefusal(req, result, name: "aws-ace")
                }),
            APIOperation(
                .GET, "/api/v1/exports/partner-center/validation", id: "validatePartnerCenterExport",
                summary: "What the Microsoft Partner Center export would refuse: every deal with the missing fields",
                tag: "exports", query: partnerCenterParams, response: .ref("ExportValidation")
            ) { req in
                let settings = try await partnerCenterSettings(req)
                let result = PartnerCenterExport.export(try await visibleDeals(req), settings: settings, now: Date())
                return try APIJSON.response(ValidationView(result.validation, settings: settings.problems()))
            },
            APIOperation.csv(
                APIOperation(
                    .GET, "/api/v1/exports/partner-center.csv", id: "exportPartnerCenter",
                    summary:
                        "Microsoft Partner Center co-sell referrals (CSV), validated: 422 naming what is missing unless skip_invalid",
                    tag: "exports", query: partnerCenterParams + [skipParam], response: .string()
                ) { req in
                    let settings = try await partnerCenterSettings(req)
                    try refuse(settings.problems())
                    let result = PartnerCenterExport.export(
                        try await visibleDeals(req), settings: settings, now: Date())
                    return try csvOrRefusal(req, result, name: "partner-center")
                }),
        ]
    }

    struct ValidationView: Encodable {
        var target: String
        var checked: Int
        var valid: Int
        var invalid: [InvalidDeal]
        var excluded: [ExcludedDeal]
        var settingsProblems: [MissingField]

        init(_ v: ExportValidation, settings: [MissingField]) {
            target = v.target
            checked = v.checked
            valid = v.valid
            invalid = v.invalid
            excluded = v.excluded
            settingsProblems = settings
        }
    }

    /// A 422 problem listing every invalid deal, so that nothing is silently left out.
    struct InvalidExportProblem: Encodable {
        var type = "https://cosell.dev/problems/export-invalid"
        var title = "Some deals lack fields the target requires"
        var status = 422
        var detail: String
        var field = "skip_invalid"
        var invalidDeals: [InvalidDeal]
    }

    static func csvOrRefusal(_ req: Request, _ result: ExportResult, name: String) throws -> Response {
        let skip = try bool(req, "skip_invalid") ?? false
        if !result.validation.invalid.isEmpty && !skip {
            let v = result.validation
            let r = Response(status: .unprocessableEntity)
            r.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
            r.body = .init(
                data: try APIJSON.encoder.encode(
                    InvalidExportProblem(
                        detail:
                            "\(v.invalid.count) of \(v.checked) deals lack required fields: "
                            + v.invalid.prefix(5).map { d in
                                "\(d.title) (\(d.missing.map(\.field).joined(separator: ", ")))"
                            }.joined(separator: "; ")
                            + (v.invalid.count > 5 ? "; …" : "")
                            + ". Complete them, or export only the valid deals with skip_invalid=true.",
                        invalidDeals: v.invalid)))
            return r
        }
        return APIOperation.csvResponse(result.csv, name: name)
    }

    static func refuse(_ problems: [MissingField]) throws {
        guard let first = problems.first else { return }
        throw Problem.invalid(first.field, problems.map { "\($0.field): \($0.reason)" }.joined(separator: " "))
    }

    static func string(_ req: Request, _ name: String, max: Int) throws -> String? {
        guard let raw = try? req.query.get(String.self, at: name) else { return nil }
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.count > max { throw Problem.invalid(name, "\(name) must be at most \(max) characters.") }
        return t.isEmpty ? nil : t
    }

    static func bool(_ req: Request, _ name: String) throws -> Bool? {
        guard let raw = try? req.query.get(String.self, at: name) else { return nil }
        switch raw.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Problem.invalid(name, "\(name) must be true or false.")
        }
    }

    static func list(_ raw: String?) -> [String]? {
        raw.map { $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    static func aceSettings(_ req: Request) throws -> AceExport.Settings {
        var naming = AceExport.Naming.legacy
        if let raw = try string(req, "naming", max: 20) {
            guard let n = AceExport.Naming(rawValue: raw) else {
                throw Problem.invalid("naming", "naming must be legacy or api.")
            }
            naming = n
        }
        var s = AceExport.Settings(
            solutionOffered: try string(req, "solution_offered", max: 40),
            deliveryModel: list(try string(req, "delivery_model", max: 200)) ?? [],
            useCase: try string(req, "use_case", max: 200),
            fromMarketingActivity: try bool(req, "marketing_activity") ?? false, naming: naming)
        if let needs = list(try string(req, "primary_need_from_aws", max: 500)) { s.primaryNeedFromAws = needs }
        return s
    }

    static func partnerCenterSettings(_ req: Request) async throws -> PartnerCenterExport.Settings {
        let p = try await req.principal()
        return PartnerCenterExport.Settings(
            solutionID: try string(req, "solution_id", max: 100),
            marketplaceIntent: try string(req, "marketplace_intent", max: 40) ?? "Have not decided",
            consentToShare: try bool(req, "consent_to_share") ?? false,
            teamMember: .init(name: p.person.name, email: p.person.email))
    }

    /// The deals this person may see (sellers only theirs), optionally of one partnership, with their
    /// current stage, partnership name and joint account.
    static func visibleDeals(_ req: Request) async throws -> [ExportDeal] {
        let p = try await req.principal()
        var filter = DealFilter(limit: 1_000_000, offset: 0)
        if let raw = try? req.query.get(String.self, at: "partnership_id") {
            guard let id = UUID(uuidString: raw) else {
                throw Problem.invalid("partnership_id", "partnership_id must be a UUID.")
            }
            guard let ps = try await req.store.partnership(id), ps.includes(p.person.organizationID) else {
                throw Problem.notFound("partnership", field: "partnership_id")
            }
            filter.partnershipID = id
        }
        let deals = try await req.store.deals(visibleTo: p.person.organizationID, filter: filter).items
        var partnerships: [UUID: Partnership] = [:]
        var playbooks: [PlaybookVersion: Playbook] = [:]
        var out: [ExportDeal] = []
        let accounts = try await req.store.jointAccounts(ids: Array(Set(deals.map(\.jointAccountID))))
        for d in deals.sorted(by: { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }) {
            if partnerships[d.partnershipID] == nil {
                partnerships[d.partnershipID] = try await req.store.partnership(d.partnershipID)
            }
            guard let ps = partnerships[d.partnershipID], Visibility.canSee(d, person: p.person, partnership: ps)
            else { continue }
            let key = d.playbookVersionKey
            if playbooks[key] == nil {
                playbooks[key] = try await req.store.playbook(d.playbookID, version: d.playbookVersion)
            }
            guard let pb = playbooks[key], pb.stages.indices.contains(d.stageIndex) else { continue }
            out.append(
                ExportDeal(
                    deal: d, stage: pb.stages[d.stageIndex], partnershipName: ps.name,
                    account: accounts[d.jointAccountID]
                ))
        }
        return out
    }
}
