import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The JSON API under `/api/v1`, as a table of operations.
public enum API {
    public static let version = "0.1.0"
    /// Fixed id of the standard playbook, so every install names it the same way.
    public static let standardPlaybookID = Playbook.standardID

    /// Registers every operation, `/openapi.json` and `/health`.
    public static func register(on app: Application, databaseKind: String) {
        let ops = allOperations(databaseKind: databaseKind)
        for op in ops {
            app.on(op.method, op.pathComponents, body: .collect(maxSize: op.maxBody), use: op.handler)
        }
    }

    public static func document(databaseKind: String = "sqlite") -> JSONValue {
        OpenAPIDocument.make(
            operations: allOperations(databaseKind: databaseKind),
            components: APISchemas.components + MappingAPI.components + SecurityAPI.components
                + ReviewsAPI.components + RevenueAPI.components + WebhooksAPI.components + ExportsAPI.components,
            version: version)
    }

    /// Every operation of the API: the one list that both registers the routes and writes the document.
    public static func allOperations(databaseKind: String) -> [APIOperation] {
        operations(databaseKind: databaseKind) + MappingAPI.operations() + SecurityAPI.operations()
            + ReportsAPI.operations() + ReviewsAPI.operations() + RevenueAPI.operations()
            + WebhooksAPI.operations() + ExportsAPI.operations()
    }

    static let limitParam = QueryParameter(
        name: "limit", schema: .integer(min: 1, max: 200), description: "Page size (1-200, default 50).")
    static let offsetParam = QueryParameter(name: "offset", schema: .integer(min: 0), description: "Items to skip.")

    // swiftlint:disable:next function_body_length
    public static func operations(databaseKind: String) -> [APIOperation] {
        [
            APIOperation(
                .GET, "/health", id: "getHealth", summary: "The database in use and its schema version", tag: "system",
                response: .ref("Health"), authenticated: false
            ) { req in
                let applied = try await req.store.appliedMigrations()
                return try APIJSON.response(
                    Health(
                        status: applied == CoSellMigrations.schemaVersion ? "ok" : "schema_mismatch",
                        database: databaseKind,
                        schemaVersion: applied, expectedSchemaVersion: CoSellMigrations.schemaVersion, version: version)
                )
            },
            APIOperation(
                .GET, "/openapi.json", id: "getOpenAPI", summary: "This API, as an OpenAPI 3.1 document", tag: "system",
                response: .any, authenticated: false
            ) { _ in
                // The document's keys are OpenAPI's own (camelCase, `$ref`): no snake_case conversion.
                let r = Response(status: .ok)
                r.headers.contentType = .json
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                r.body = .init(data: try encoder.encode(document(databaseKind: databaseKind)))
                return r
            },
            APIOperation(
                .GET, "/api/v1/me", id: "getMe", summary: "The person behind the token", tag: "people",
                response: .ref("Me")
            ) { req in
                let p = try await req.principal()
                guard let org = try await req.store.organization(p.person.organizationID) else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(Me(person: p.person, organization: org, scope: p.scope.rawValue))
            },
            APIOperation(
                .GET, "/api/v1/organizations", id: "listOrganizations",
                summary: "Your organization and the organizations you partner with", tag: "organizations",
                response: .array(.ref("Organization"))
            ) { req in
                let p = try await req.principal()
                let ids = try await visibleOrganizationIDs(req, p)
                return try APIJSON.response(try await req.store.organizations(ids))
            },
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}", id: "getOrganization", summary: "One organization",
                tag: "organizations", response: .ref("Organization")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("organization_id", "organization")
                guard try await visibleOrganizationIDs(req, p).contains(id),
                    let org = try await req.store.organization(id)
                else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(org)
            },
            APIOperation(
                .GET, "/api/v1/organizations/{organization_id}/people", id: "listPeople",
                summary: "The people of an organization you work with (to name owners)", tag: "organizations",
                response: .array(.ref("Person"))
            ) { req in
                let p = try await req.principal()
                let id = try req.id("organization_id", "organization")
                guard try await visibleOrganizationIDs(req, p).contains(id) else {
                    throw Problem.notFound("organization")
                }
                return try APIJSON.response(try await req.store.people(inOrganizations: [id]))
            },
            APIOperation(
                .GET, "/api/v1/partnerships", id: "listPartnerships", summary: "Your organization's partnerships",
                tag: "partnerships", response: .array(.ref("Partnership"))
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await req.store.partnerships(of: p.person.organizationID))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}", id: "getPartnership",
                summary: "One partnership with its co-sell plan",
                tag: "partnerships", response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await visiblePartnership(req, p))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/plan", id: "putPlan",
                summary: "Set the co-sell plan: scope, an owner on each side, review weekday", tag: "partnerships",
                body: .ref("CoSellPlan"), response: .ref("Partnership")
            ) { req in
                let p = try await req.principal()
                var partnership = try await visiblePartnership(req, p)
                try p.requireWrite()
                guard p.person.role == .admin || p.person.role == .partnerManager else {
                    throw Problem.forbidden("Only admins and partner managers change the co-sell plan.")
                }
                let plan = try APIJSON.decode(CoSellPlan.self, from: req)
                try await validate(plan, of: partnership, req)
                try await req.store.updatePlan(plan, of: partnership.id)
                partnership.plan = plan
                return try APIJSON.response(partnership)
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/accounts", id: "listJointAccounts",
                summary: "The partnership's joint account list", tag: "accounts", query: [limitParam, offsetParam],
                response: APISchemas.list("JointAccount")
            ) { req in
                let p = try await req.principal()
                let partnership = try await visiblePartnership(req, p)
                let (limit, offset) = try paging(req)
                let page = try await req.store.jointAccounts(of: partnership.id, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items, total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/accounts", id: "addJointAccount",
                summary: "Add an account to the joint list by hand, with a reason", tag: "accounts",
                body: APISchemas.addAccount, status: 201, response: .ref("JointAccount")
            ) { req in
                let p = try await req.principal()
                let partnership = try await visiblePartnership(req, p)
                try p.requireWrite()
                guard partnership.status == .active else { throw Problem.conflict("The partnership has ended.") }
                let body = try APIJSON.decode(AddAccountRequest.self, from: req)
                let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !name.isEmpty, name.count <= 200 else {
                    throw Problem.invalid("name", "name must be 1 to 200 characters.")
                }
                let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
                guard reason.count >= 3, reason.count <= 10_000 else {
                    throw Problem.invalid("reason", "Say why the account is worth a joint deal (at least a few words).")
                }
                if let e = body.employees, !(0...10_000_000).contains(e) {
                    throw Problem.invalid("employees", "employees must be between 0 and 10,000,000.")
                }
                if let d = body.domain, d.count > 253 { throw Problem.invalid("domain", "domain is too long.") }
                if let c = body.country, c.count > 100 { throw Problem.invalid("country", "country is too long.") }
                if let i = body.industry, i.count > 200 { throw Problem.invalid("industry", "industry is too long.") }
                if let a = body.address {
                    for (key, value, limit) in [
                        ("line1", a.line1, 300), ("city", a.city, 200), ("state", a.state, 200),
                        ("postal_code", a.postalCode, 20),
                    ] where (value?.count ?? 0) > limit {
                        throw Problem.invalid("address.\(key)", "address.\(key) is longer than \(limit) characters.")
                    }
                }
                let account = JointAccount(
                    id: UUID(), partnershipID: partnership.id, name: name, domain: body.domain?.lowercased(),
                    country: body.country,
                    industry: body.industry, employees: body.employees, origin: .added, reason: reason, populations: [],
                    createdAt: Date(), address: body.address?.nonEmpty)
                try await req.store.insert(account)
                return try APIJSON.response(account, status: .created)
            },
            APIOperation(
                .GET, "/api/v1/accounts/{account_id}", id: "getJointAccount", summary: "One joint account",
                tag: "accounts",
                response: .ref("JointAccount")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("account_id", "account")
                guard let a = try await req.store.jointAccount(id),
                    let ps = try await req.store.partnership(a.partnershipID), ps.includes(p.person.organizationID)
                else { throw Problem.notFound("account") }
                return try APIJSON.response(a)
            },
            APIOperation(
                .GET, "/api/v1/playbooks", id: "listPlaybooks",
                summary: "The standard playbook, your organization's and your partners' (newest versions)",
                tag: "playbooks",
                response: .array(.ref("Playbook"))
            ) { req in
                let p = try await req.principal()
                let visible = try await visiblePlaybookOwners(req, p)
                return try APIJSON.response(
                    try await req.store.latestPlaybooks().filter { visible.contains($0.organizationID) })
            },
            APIOperation(
                .GET, "/api/v1/playbooks/{playbook_id}", id: "getPlaybook", summary: "A playbook's newest version",
                tag: "playbooks", response: .ref("Playbook")
            ) { req in
                let p = try await req.principal()
                return try APIJSON.response(try await visiblePlaybook(req, p))
            },
            APIOperation(
                .GET, "/api/v1/playbooks/{playbook_id}/versions", id: "listPlaybookVersions",
                summary: "Every version of a playbook", tag: "playbooks", response: .array(.ref("Playbook"))
            ) { req in
                let p = try await req.principal()
                let pb = try await visiblePlaybook(req, p)
                return try APIJSON.response(try await req.store.playbookVersions(pb.id))
            },
            APIOperation(
                .POST, "/api/v1/playbooks", id: "copyPlaybook",
                summary: "Make your organization's own playbook from a visible one (admins)", tag: "playbooks",
                body: .object([("based_on", .uuid), ("name", .name)], required: ["name"]), status: 201,
                response: .ref("Playbook")
            ) { req in
                let p = try await req.writer()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins make playbooks.") }
                struct Body: Decodable {
                    var basedOn: UUID?
                    var name: String
                }
                let b = try APIJSON.decode(Body.self, from: req)
                let visible = try await visiblePlaybookOwners(req, p)
                guard let source = try await req.store.playbook(b.basedOn ?? standardPlaybookID),
                    visible.contains(source.organizationID)
                else { throw Problem.notFound("playbook", field: "based_on") }
                var copy = source
                copy.id = UUID()
                copy.version = 1
                copy.name = b.name.trimmingCharacters(in: .whitespacesAndNewlines)
                copy.organizationID = p.person.organizationID
                copy.createdAt = Date()
                copy.createdBy = p.person.id
                try copy.validate()
                try await req.store.insert(copy)
                return try APIJSON.response(copy, status: .created)
            },
            APIOperation(
                .POST, "/api/v1/playbooks/{playbook_id}/versions", id: "createPlaybookVersion",
                summary:
                    "Edit your organization's playbook: makes a new version; deals keep the version they started on",
                tag: "playbooks", body: APISchemas.playbookVersion, status: 201, response: .ref("Playbook")
            ) { req in
                let p = try await req.principal()
                let current = try await visiblePlaybook(req, p)
                try p.requireWrite()
                guard p.person.role == .admin else { throw Problem.forbidden("Only admins edit playbooks.") }
                guard current.organizationID == p.person.organizationID else {
                    throw Problem.forbidden(
                        current.organizationID == nil
                            ? "The standard playbook is shared by every organization: make your own copy (POST /api/v1/playbooks) and edit that."
                            : "Only the organization that owns a playbook edits it.")
                }
                let body = try APIJSON.decode(PlaybookVersionRequest.self, from: req)
                var next = Playbook(
                    id: current.id, version: current.version + 1,
                    name: body.name.trimmingCharacters(in: .whitespacesAndNewlines),
                    stages: body.stages, inactivityLimitDays: body.inactivityLimitDays, createdAt: Date(),
                    createdBy: p.person.id)
                next.organizationID = current.organizationID
                try next.validate()
                try await req.store.insert(next)
                return try APIJSON.response(next, status: .created)
            },
            APIOperation(
                .GET, "/api/v1/deals", id: "listDeals", summary: "Joint deals of your partnerships, newest first",
                tag: "deals",
                query: [
                    QueryParameter(
                        name: "partnership_id", schema: .uuid, description: "Only this partnership's deals."),
                    QueryParameter(
                        name: "status", schema: .enumeration(DealStatus.allCases.map(\.rawValue)),
                        description: "Only deals with this status."),
                    QueryParameter(
                        name: "stage", schema: .enumeration(CriterionKind.allCases.map(\.rawValue)),
                        description: "Only deals at this stage."),
                    limitParam, offsetParam,
                ],
                response: APISchemas.list("DealView")
            ) { req in
                let p = try await req.principal()
                let (limit, offset) = try paging(req)
                var filter = DealFilter(limit: limit, offset: offset)
                if let raw = try? req.query.get(String.self, at: "partnership_id") {
                    guard let id = UUID(uuidString: raw) else {
                        throw Problem.invalid("partnership_id", "partnership_id must be a UUID.")
                    }
                    filter.partnershipID = id
                }
                if let raw = try? req.query.get(String.self, at: "status") {
                    guard let s = DealStatus(rawValue: raw) else {
                        throw Problem.invalid(
                            "status",
                            "status must be one of: \(DealStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    filter.status = s
                }
                if let raw = try? req.query.get(String.self, at: "stage") {
                    guard CriterionKind(rawValue: raw) != nil else {
                        throw Problem.invalid(
                            "stage",
                            "stage must be one of: \(CriterionKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    filter.stageKey = raw
                }
                var page = try await req.store.deals(visibleTo: p.person.organizationID, filter: filter)
                if p.person.role == .seller {
                    // Sellers see the deals they are on: filter the whole visible set, then page it.
                    var all = filter
                    all.limit = 100_000
                    all.offset = 0
                    var partnerships: [UUID: Partnership] = [:]
                    for ps in try await req.store.partnerships(of: p.person.organizationID) { partnerships[ps.id] = ps }
                    let mine = try await req.store.deals(visibleTo: p.person.organizationID, filter: all).items.filter {
                        d in
                        partnerships[d.partnershipID].map { Visibility.canSee(d, person: p.person, partnership: $0) }
                            ?? false
                    }
                    page = Page(items: Array(mine.dropFirst(offset).prefix(limit)), total: mine.count)
                }
                let now = Date()
                var cache: [PlaybookVersion: Playbook] = [:]
                var views: [DealView] = []
                for d in page.items {
                    let key = d.playbookVersionKey
                    if cache[key] == nil {
                        cache[key] = try await req.store.playbook(d.playbookID, version: d.playbookVersion)
                    }
                    guard let pb = cache[key] else { continue }
                    views.append(DealView(d, playbook: pb, now: now))
                }
                return try APIJSON.response(ListView(items: views, total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/deals", id: "createDeal", summary: "Open a joint deal on a joint account, at stage one",
                tag: "deals", body: APISchemas.createDeal, status: 201, response: .ref("DealView")
            ) { req in
                try await createDeal(req)
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}", id: "getDeal", summary: "A deal with its stage, gate and stall state",
                tag: "deals", response: .ref("DealView")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(DealView(deal, playbook: playbook, now: Date()), etag: deal.version)
            },
            mutation(
                .PATCH, "", id: "updateDeal", summary: "Change the title, amount or expected close date",
                body: APISchemas.updateDeal
            ) { req, _ in
                let b = try APIJSON.decode(UpdateDealRequest.self, from: req)
                return .updateDetails(title: b.title, amount: b.amount, expectedCloseDate: b.expectedCloseDate)
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/gate", id: "getGate",
                summary: "The current stage's exit criterion, part by part",
                tag: "deals", response: .ref("Gate")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(GateView(Gate.evaluateCurrent(deal, in: playbook)))
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/timeline", id: "getTimeline",
                summary: "Every change to the deal, oldest first",
                tag: "deals", response: .array(.ref("DealEvent"))
            ) { req in
                let p = try await req.principal()
                let (deal, _) = try await visibleDeal(req, p)
                return try APIJSON.response(try await req.store.timeline(of: deal.id))
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/diagnosis", id: "getDiagnosis",
                summary: "Stall signals and, for a stalled or lost deal, the pitfall that explains it", tag: "deals",
                response: .ref("Diagnosis")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(DealDiagnostics.diagnose(deal, playbook: playbook, now: Date()))
            },
            mutation(
                .POST, "/moves", id: "addMove", summary: "Add a move with an owner and a due date",
                body: APISchemas.addMove
            ) { req, _ in
                let b = try APIJSON.decode(AddMoveRequest.self, from: req)
                return .addMove(
                    stageKey: b.stageKey, description: b.description, side: b.side, ownerID: b.ownerID, dueOn: b.dueOn)
            },
            mutation(
                .PATCH, "/moves/{move_id}", id: "updateMove",
                summary: "Assign a move's owner, due date, or mark it done", body: APISchemas.updateMove
            ) { req, _ in
                let moveID = try req.id("move_id", "move")
                let b = try APIJSON.decode(UpdateMoveRequest.self, from: req)
                return .updateMove(moveID: moveID, ownerID: b.ownerID, dueOn: b.dueOn, done: b.done)
            },
            mutation(
                .PUT, "/icp-fit", id: "putIcpFit", summary: "Stage 1: record your side's ideal-customer-profile fit",
                body: APISchemas.icpFit
            ) { req, _ in
                let b = try APIJSON.decode(IcpFitRequest.self, from: req)
                return .recordIcpFit(fit: b.fit, note: b.note)
            },
            mutation(
                .POST, "/commitment", id: "commit", summary: "Stage 1: commit your side to working the account",
                body: nil
            ) { _, _ in
                .commit
            },
            mutation(
                .PUT, "/door-opener", id: "putDoorOpener",
                summary: "Stage 2: name the door-opener side, its move and owner", body: APISchemas.doorOpener
            ) { req, _ in
                let b = try APIJSON.decode(DoorOpenerRequest.self, from: req)
                return .nameDoorOpener(side: b.side, kind: b.kind, ownerID: b.ownerID)
            },
            mutation(
                .PUT, "/first-meeting", id: "putFirstMeeting", summary: "Stage 2: book the first joint conversation",
                body: APISchemas.firstMeeting
            ) { req, _ in
                let b = try APIJSON.decode(FirstMeetingRequest.self, from: req)
                return .bookFirstMeeting(scheduledFor: b.scheduledFor, attendees: b.attendees)
            },
            mutation(
                .POST, "/briefs", id: "writeBrief", summary: "Stage 3: write the shared account brief",
                body: APISchemas.brief
            ) { req, _ in
                let b = try APIJSON.decode(BriefRequest.self, from: req)
                return .writeBrief(
                    briefID: nil, customerNeed: b.customerNeed, buyingProcess: b.buyingProcess,
                    stakeholders: b.stakeholders)
            },
            mutation(
                .PUT, "/briefs/{brief_id}", id: "updateBrief",
                summary: "Stage 3: edit the brief (resets its approvals when the content changes)",
                body: APISchemas.brief
            ) { req, _ in
                let id = try req.id("brief_id", "brief")
                let b = try APIJSON.decode(BriefRequest.self, from: req)
                return .writeBrief(
                    briefID: id, customerNeed: b.customerNeed, buyingProcess: b.buyingProcess,
                    stakeholders: b.stakeholders)
            },
            mutation(
                .POST, "/briefs/{brief_id}/approval", id: "approveBrief",
                summary: "Stage 3: approve the brief for your side", body: nil
            ) { req, _ in
                .approveBrief(briefID: try req.id("brief_id", "brief"))
            },
            mutation(
                .POST, "/briefs/{brief_id}/withdrawal", id: "withdrawBrief",
                summary: "Stage 3: withdraw a brief that was merged into the shared one", body: APISchemas.reason
            ) { req, _ in
                let id = try req.id("brief_id", "brief")
                return .withdrawBrief(briefID: id, reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .PUT, "/proof", id: "putProof", summary: "Stage 4: record the proposal, proof of concept or pilot",
                body: APISchemas.proof
            ) { req, _ in
                let b = try APIJSON.decode(ProofRequest.self, from: req)
                return .recordProof(kind: b.kind, summary: b.summary)
            },
            mutation(
                .POST, "/close-plans", id: "writeClosePlan", summary: "Stage 4: write the shared close plan",
                body: APISchemas.closePlan
            ) { req, _ in
                let b = try APIJSON.decode(ClosePlanRequest.self, from: req)
                return .writeClosePlan(planID: nil, milestones: b.milestones, decisionDate: b.decisionDate)
            },
            mutation(
                .PUT, "/close-plans/{plan_id}", id: "updateClosePlan", summary: "Stage 4: edit the close plan",
                body: APISchemas.closePlan
            ) { req, _ in
                let id = try req.id("plan_id", "close plan")
                let b = try APIJSON.decode(ClosePlanRequest.self, from: req)
                return .writeClosePlan(planID: id, milestones: b.milestones, decisionDate: b.decisionDate)
            },
            mutation(
                .POST, "/close-plans/{plan_id}/withdrawal", id: "withdrawClosePlan",
                summary: "Stage 4: withdraw a competing close plan", body: APISchemas.reason
            ) { req, _ in
                let id = try req.id("plan_id", "close plan")
                return .withdrawClosePlan(planID: id, reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .PUT, "/customer-confirmation", id: "putCustomerConfirmation",
                summary: "Stage 4: record the customer's confirmation of the path to a decision",
                body: APISchemas.confirmation
            ) { req, _ in
                let b = try APIJSON.decode(ConfirmationRequest.self, from: req)
                return .recordCustomerConfirmation(
                    confirmedBy: b.confirmedBy, confirmedAt: b.confirmedAt, channel: b.channel, note: b.note)
            },
            mutation(
                .PUT, "/outcome", id: "putOutcome",
                summary: "Stage 5: log the outcome (a loss may be logged at any stage)", body: APISchemas.outcome
            ) { req, _ in
                let b = try APIJSON.decode(OutcomeRequest.self, from: req)
                return .recordOutcome(
                    result: b.result, finalAmount: b.finalAmount, closeDate: b.closeDate, lossReason: b.lossReason)
            },
            mutation(
                .POST, "/registration", id: "register",
                summary: "Stage 5: register the joint opportunity, sourced or influenced", body: APISchemas.registration
            ) { req, _ in
                let b = try APIJSON.decode(RegistrationRequest.self, from: req)
                return .register(registrationID: b.registrationID, attribution: b.attribution, sourcedBy: b.sourcedBy)
            },
            mutation(
                .PUT, "/review", id: "putReview",
                summary: "Stage 5: record the review and its lessons (lessons add up)", body: APISchemas.review
            ) { req, _ in
                let b = try APIJSON.decode(ReviewRequest.self, from: req)
                return .recordReview(heldOn: b.heldOn, attendees: b.attendees, lessons: b.lessons)
            },
            mutation(
                .POST, "/advance", id: "advance",
                summary: "Advance one stage when the exit criterion is met; an admin may override with a reason",
                body: APISchemas.advance, bodyOptional: true
            ) { req, _ in
                let reason: String? =
                    (req.body.data?.readableBytes ?? 0) > 0
                    ? try APIJSON.decode(AdvanceRequest.self, from: req).overrideReason : nil
                return .advance(overrideReason: reason)
            },
            mutation(
                .POST, "/move-back", id: "moveBack", summary: "Move the deal back one stage, with a reason",
                body: APISchemas.reason
            ) { req, _ in
                .moveBack(reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .POST, "/abandon", id: "abandon", summary: "Abandon the deal, with a reason", body: APISchemas.reason
            ) { req, _ in
                .abandon(reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
        ]
    }

    /// An operation that changes a deal: one call of `DealWorkflows.apply`, which checks visibility,
    /// write access and `If-Match`, builds the command from the body, applies it and saves it.
    static func mutation(
        _ method: HTTPMethod, _ suffix: String, id: String, summary: String, body: Schema?, bodyOptional: Bool = false,
        command: @escaping @Sendable (Request, Principal) async throws -> DealCommand
    ) -> APIOperation {
        APIOperation(
            method, "/api/v1/deals/{deal_id}" + suffix, id: id, summary: summary, tag: "deals",
            body: bodyOptional ? nil : body,
            response: .ref("DealView")
        ) { req in
            let p = try await req.principal()
            let dealID = try req.id("deal_id", "deal")
            let ifMatch = req.headers.first(name: .ifMatch).map(IfMatch.init(header:))
            let r = try await req.workflows.deals.apply(to: dealID, by: p, ifMatch: ifMatch) { _, _ in
                try await command(req, p)
            }
            return try APIJSON.response(DealView(r.deal, playbook: r.playbook, now: r.at), etag: r.deal.version)
        }
    }

    static func createDeal(_ req: Request) async throws -> Response {
        let p = try await req.writer()
        let b = try APIJSON.decode(CreateDealRequest.self, from: req)
        let r = try await req.workflows.deals.open(
            OpenDeal(
                partnershipID: b.partnershipID, jointAccountID: b.jointAccountID, title: b.title,
                playbookID: b.playbookID, hostOrganizationID: b.hostOrganizationID, reason: b.reason, amount: b.amount,
                expectedCloseDate: b.expectedCloseDate),
            by: p)
        let response = try APIJSON.response(
            DealView(r.deal, playbook: r.playbook, now: r.at), status: .created, etag: r.deal.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/deals/\(r.deal.id.uuidString)")
        return response
    }

    // MARK: visibility: `Access`, with the id from the request's path

    static func visiblePlaybookOwners(_ req: Request, _ p: Principal) async throws -> Set<UUID?> {
        try await req.workflows.access.visiblePlaybookOwners(p)
    }

    static func visiblePlaybook(_ req: Request, _ p: Principal) async throws -> Playbook {
        try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), p)
    }

    static func visibleOrganizationIDs(_ req: Request, _ p: Principal) async throws -> [UUID] {
        try await req.workflows.access.visibleOrganizationIDs(p)
    }

    static func visiblePartnership(_ req: Request, _ p: Principal) async throws -> Partnership {
        try await req.workflows.access.visiblePartnership(try req.id("partnership_id", "partnership"), p)
    }

    static func visibleDeal(_ req: Request, _ p: Principal) async throws -> (Deal, Playbook) {
        try await req.workflows.access.visibleDeal(try req.id("deal_id", "deal"), p)
    }

    static func paging(_ req: Request) throws -> (Int, Int) {
        var limit = 50
        var offset = 0
        if let raw = try? req.query.get(String.self, at: "limit") {
            guard let l = Int(raw), (1...200).contains(l) else {
                throw Problem.invalid("limit", "limit must be an integer from 1 to 200.")
            }
            limit = l
        }
        if let raw = try? req.query.get(String.self, at: "offset") {
            guard let o = Int(raw), o >= 0, o <= 10_000_000 else {
                throw Problem.invalid("offset", "offset must be a non-negative integer.")
            }
            offset = o
        }
        return (limit, offset)
    }

    static func validate(_ plan: CoSellPlan, of partnership: Partnership, _ req: Request) async throws {
        if plan.segments.count > 50 { throw Problem.invalid("segments", "At most 50 segments.") }
        for (i, s) in plan.segments.enumerated() where s.trimmingCharacters(in: .whitespaces).isEmpty || s.count > 200 {
            throw Problem.invalid("segments[\(i)]", "A segment must be 1 to 200 characters.")
        }
        if plan.namedAccountIDs.count > 1000 {
            throw Problem.invalid("named_account_ids", "At most 1000 named accounts.")
        }
        for (i, id) in plan.namedAccountIDs.enumerated() {
            guard let a = try await req.store.jointAccount(id), a.partnershipID == partnership.id else {
                throw Problem.invalid("named_account_ids[\(i)]", "No joint account of this partnership has that id.")
            }
        }
        guard plan.owners.count == 2, Set(plan.owners.map(\.organizationID)) == Set(partnership.organizationIDs) else {
            throw Problem.invalid("owners", "Name exactly one owner for each of the partnership's two organizations.")
        }
        for (i, o) in plan.owners.enumerated() {
            guard let person = try await req.store.person(o.personID), person.organizationID == o.organizationID else {
                throw Problem.invalid("owners[\(i)].person_id", "That person is not in that organization.")
            }
        }
    }
}
