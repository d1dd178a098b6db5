import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The partner discovery call of a partnership: list and record, read and change, confirm.
enum DiscoveryCallAPI {
    struct Attendee: Encodable {
        var personId: UUID
        var name: String
        var organizationId: UUID
        var company: String
    }

    struct Contribution: Encodable {
        var organizationId: UUID
        var company: String
        var text: String
    }

    struct UseCase: Encodable {
        var customer: String
        var problem: String
        var contributions: [Contribution]
    }

    struct Account: Encodable {
        var id: UUID
        var name: String
    }

    struct NextMove: Encodable {
        var text: String
        var ownerId: UUID
        var ownerName: String
        var dueOn: LocalDate
    }

    struct Confirmation: Encodable {
        var organizationId: UUID
        var company: String
        var personId: UUID
        var personName: String
        var at: Date
    }

    /// A call as the API shows it: ids with the names of people, companies and accounts.
    struct CallView: Encodable {
        var id: UUID
        var partnershipId: UUID
        var heldOn: LocalDate
        var attendees: [Attendee]
        var useCase: UseCase
        var accounts: [Account]
        var nextMove: NextMove
        var verdict: String
        var reason: String?
        var confirmations: [Confirmation]
        /// Both companies confirmed it.
        var confirmed: Bool
        var version: Int
        var recordedBy: UUID
        var createdAt: Date
        var updatedAt: Date
    }

    struct ListView: Encodable {
        /// none, draft, viable, not_yet or not_viable: the latest call both companies confirmed counts.
        var discoveryStatus: String
        var calls: [CallView]
    }

    struct VersionBody: Decodable {
        var version: Int
    }

    /// Names for a partnership's calls, read once per answer.
    struct Names {
        var people: [UUID: Person]
        var companies: [UUID: String]
        var accounts: [UUID: JointAccount]

        static func load(_ req: Request, _ ps: Partnership, _ calls: [DiscoveryCall]) async throws -> Names {
            let people = try await req.store.people(inOrganizations: ps.organizationIDs)
            let orgs = try await req.store.organizations(ps.organizationIDs)
            let accounts = try await req.store.jointAccounts(ids: Array(Set(calls.flatMap(\.content.accountIDs))))
            return Names(
                people: Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                companies: Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                accounts: accounts)
        }

        func view(_ c: DiscoveryCall, in ps: Partnership) -> CallView {
            func company(_ org: UUID) -> String { companies[org] ?? "" }
            let content = c.content
            return CallView(
                id: c.id, partnershipId: c.partnershipID, heldOn: content.heldOn,
                attendees: content.attendeeIDs.map { id in
                    let p = people[id]
                    return Attendee(
                        personId: id, name: p?.name ?? "", organizationId: p?.organizationID ?? id,
                        company: p.map { company($0.organizationID) } ?? "")
                },
                useCase: UseCase(
                    customer: content.useCase.customer, problem: content.useCase.problem,
                    contributions: content.useCase.contributions.map {
                        Contribution(
                            organizationId: $0.organizationID, company: company($0.organizationID), text: $0.text)
                    }),
                accounts: content.accountIDs.map { Account(id: $0, name: accounts[$0]?.name ?? "") },
                nextMove: NextMove(
                    text: content.nextMove.text, ownerId: content.nextMove.ownerID,
                    ownerName: people[content.nextMove.ownerID]?.name ?? "", dueOn: content.nextMove.dueOn),
                verdict: content.verdict.rawValue, reason: content.reason,
                confirmations: c.confirmations.map {
                    Confirmation(
                        organizationId: $0.organizationID, company: company($0.organizationID), personId: $0.personID,
                        personName: $0.personName, at: $0.at)
                }, confirmed: c.isConfirmed(in: ps), version: c.version, recordedBy: c.recordedBy,
                createdAt: c.createdAt, updatedAt: c.updatedAt)
        }
    }

    static func respond(
        _ req: Request, _ ps: Partnership, _ call: DiscoveryCall, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let names = try await Names.load(req, ps, [call])
        return try APIJSON.response(names.view(call, in: ps), status: status, etag: call.version)
    }

    static func operations() -> [APIOperation] {
        let base = "/api/v1/partnerships/{partnership_id}/discovery-calls"
        return [
            APIOperation(
                .GET, base, id: "listDiscoveryCalls",
                summary:
                    "The partnership's discovery calls and its discovery status (the latest confirmed call counts)",
                tag: "partnerships", response: .ref("DiscoveryCallList")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let (ps, calls) = try await req.workflows.partnerships.discoveryCalls(in: id, by: p)
                let names = try await Names.load(req, ps, calls)
                return try APIJSON.response(
                    ListView(
                        discoveryStatus: DiscoveryCalls.status(of: calls, in: ps).key,
                        calls: calls.map { names.view($0, in: ps) }))
            },
            APIOperation(
                .POST, base, id: "recordDiscoveryCall",
                summary:
                    "Record a discovery call (sellers, partner managers and admins of either company): the use case, the overlap accounts, the next move and the verdict",
                tag: "partnerships", body: .ref("DiscoveryCallContent"), status: 201, response: .ref("DiscoveryCall")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let call = try await req.workflows.partnerships.recordDiscoveryCall(in: id, by: p) {
                    try APIJSON.decode(DiscoveryCall.Content.self, from: req)
                }
                let ps = try await req.workflows.access.visiblePartnership(id, p)
                return try await respond(req, ps, call, status: .created)
            },
            APIOperation(
                .GET, base + "/{call_id}", id: "getDiscoveryCall", summary: "One discovery call",
                tag: "partnerships", response: .ref("DiscoveryCall")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let callID = try req.id("call_id", "discovery call")
                let (ps, call) = try await req.workflows.partnerships.discoveryCall(callID, in: id, by: p)
                return try await respond(req, ps, call)
            },
            APIOperation(
                .PUT, base + "/{call_id}", id: "updateDiscoveryCall",
                summary:
                    "Change a discovery call, naming the version you read (409 when it moved on); a change clears both companies' confirmations",
                tag: "partnerships", body: .ref("DiscoveryCallEdit"), response: .ref("DiscoveryCall")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let callID = try req.id("call_id", "discovery call")
                let call = try await req.workflows.partnerships.editDiscoveryCall(callID, in: id, by: p) {
                    let version = try APIJSON.decode(VersionBody.self, from: req).version
                    return .init(version: version, content: try APIJSON.decode(DiscoveryCall.Content.self, from: req))
                }
                let ps = try await req.workflows.access.visiblePartnership(id, p)
                return try await respond(req, ps, call)
            },
            APIOperation(
                .POST, base + "/{call_id}/confirmation", id: "confirmDiscoveryCall",
                summary:
                    "Confirm the discovery call for your company (partner managers and admins, once per company); confirmed when both companies did",
                tag: "partnerships", response: .ref("DiscoveryCall")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let callID = try req.id("call_id", "discovery call")
                let call = try await req.workflows.partnerships.confirmDiscoveryCall(callID, in: id, by: p)
                let ps = try await req.workflows.access.visiblePartnership(id, p)
                return try await respond(req, ps, call)
            },
        ]
    }

    static let content: [(String, Schema)] = [
        ("held_on", .date), ("attendee_ids", .array(.uuid, maxItems: DiscoveryCalls.maxAttendees)),
        (
            "use_case",
            .object(
                [
                    ("customer", .string(minLength: 1, maxLength: DiscoveryCalls.maxShortText)),
                    ("problem", .string(minLength: 1, maxLength: DiscoveryCalls.maxLongText)),
                    (
                        "contributions",
                        .array(
                            .object(
                                [
                                    ("organization_id", .uuid),
                                    ("text", .string(minLength: 1, maxLength: DiscoveryCalls.maxLongText)),
                                ], required: ["organization_id", "text"]), maxItems: 2)
                    ),
                ], required: ["customer", "problem", "contributions"])
        ),
        ("account_ids", .array(.uuid, maxItems: DiscoveryCalls.maxAccounts)),
        (
            "next_move",
            .object(
                [
                    ("text", .string(minLength: 1, maxLength: DiscoveryCalls.maxShortText)), ("owner_id", .uuid),
                    ("due_on", .date),
                ], required: ["text", "owner_id", "due_on"])
        ),
        ("verdict", .enumeration(DiscoveryCall.Verdict.allCases.map(\.rawValue))),
        ("reason", .nullable(.string(maxLength: DiscoveryCalls.maxLongText))),
    ]
    static let contentRequired = ["held_on", "attendee_ids", "use_case", "account_ids", "next_move", "verdict"]

    static let components: [(String, Schema)] = [
        ("DiscoveryCallContent", .object(content, required: contentRequired)),
        (
            "DiscoveryCallEdit",
            .object([("version", .integer(min: 1))] + content, required: ["version"] + contentRequired)
        ),
        (
            "DiscoveryCall",
            .object(
                [
                    ("id", .uuid), ("partnership_id", .uuid), ("held_on", .date),
                    (
                        "attendees",
                        .array(
                            .object(
                                [
                                    ("person_id", .uuid), ("name", .string()), ("organization_id", .uuid),
                                    ("company", .string()),
                                ], required: ["person_id", "name", "organization_id", "company"]))
                    ),
                    (
                        "use_case",
                        .object(
                            [
                                ("customer", .string()), ("problem", .string()),
                                (
                                    "contributions",
                                    .array(
                                        .object(
                                            [("organization_id", .uuid), ("company", .string()), ("text", .string())],
                                            required: ["organization_id", "company", "text"]))
                                ),
                            ], required: ["customer", "problem", "contributions"])
                    ),
                    (
                        "accounts",
                        .array(.object([("id", .uuid), ("name", .string())], required: ["id", "name"]))
                    ),
                    (
                        "next_move",
                        .object(
                            [("text", .string()), ("owner_id", .uuid), ("owner_name", .string()), ("due_on", .date)],
                            required: ["text", "owner_id", "owner_name", "due_on"])
                    ),
                    ("verdict", .enumeration(DiscoveryCall.Verdict.allCases.map(\.rawValue))),
                    ("reason", .nullable(.string())),
                    (
                        "confirmations",
                        .array(
                            .object(
                                [
                                    ("organization_id", .uuid), ("company", .string()), ("person_id", .uuid),
                                    ("person_name", .string()), ("at", .dateTime),
                                ], required: ["organization_id", "company", "person_id", "person_name", "at"]))
                    ),
                    ("confirmed", .boolean), ("version", .integer(min: 1)), ("recorded_by", .uuid),
                    ("created_at", .dateTime), ("updated_at", .dateTime),
                ],
                required: [
                    "id", "partnership_id", "held_on", "attendees", "use_case", "accounts", "next_move", "verdict",
                    "confirmations", "confirmed", "version", "recorded_by", "created_at", "updated_at",
                ])
        ),
        (
            "DiscoveryCallList",
            .object(
                [
                    ("discovery_status", .enumeration(["none", "draft", "viable", "not_yet", "not_viable"])),
                    ("calls", .array(.ref("DiscoveryCall"))),
                ], required: ["discovery_status", "calls"])
        ),
    ]
}
