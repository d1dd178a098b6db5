import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The one-page joint value proposition of a partnership: read it, write the draft, approve a
/// version for your company.
enum ValuePropositionAPI {
    struct Contact: Encodable {
        var organizationId: UUID
        var company: String
        var personId: UUID
        var name: String
        var title: String?
        var email: String
    }

    struct DoorOpener: Encodable {
        var kind: String
        /// The kind in words ("warm introduction").
        var kindTitle: String
        var organizationId: UUID
        var company: String
        var text: String
    }

    struct Approval: Encodable {
        var organizationId: UUID
        var company: String
        var personId: UUID
        var personName: String
        var at: Date
    }

    struct Company: Encodable {
        var organizationId: UUID
        var company: String
    }

    /// One version as the API shows it: the content with the names of people and companies.
    struct VersionView: Encodable {
        var version: Int
        var segment: String
        var roles: [String]
        var problem: String
        var jointSolution: String
        var proofPoints: [ValueProposition.ProofPoint]
        var whyTogether: String
        var contacts: [Contact]
        var doorOpeners: [DoorOpener]
        var doNotSay: [String]
        var wordCount: Int
        var writtenBy: UUID
        var writtenByName: String
        var writtenByCompany: String
        var writtenAt: Date
        var approvals: [Approval]
        /// The companies whose approval it waits for (empty once published).
        var waitingOn: [Company]
        var publishedAt: Date?
    }

    struct View: Encodable {
        var partnershipId: UUID
        /// The newest version's number (0 before the first): a write names it.
        var version: Int
        /// The version both companies approved last: what account executives read.
        var published: VersionView?
        /// A newer version waiting for approval.
        var draft: VersionView?
    }

    struct WriteBody: Decodable {
        var version: Int
    }

    static func view(_ req: Request, _ ps: Partnership, _ vp: ValueProposition?) async throws -> View {
        let people = Dictionary(
            try await req.store.people(inOrganizations: ps.organizationIDs).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        let companies = Dictionary(
            try await req.store.organizations(ps.organizationIDs).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        func company(_ org: UUID) -> String { companies[org] ?? "" }
        func version(_ v: ValueProposition.Version) -> VersionView {
            let c = v.content
            return VersionView(
                version: v.number, segment: c.segment, roles: c.roles, problem: c.problem,
                jointSolution: c.jointSolution, proofPoints: c.proofPoints, whyTogether: c.whyTogether,
                contacts: c.contacts.map {
                    let p = people[$0.personID]
                    return Contact(
                        organizationId: $0.organizationID, company: company($0.organizationID), personId: $0.personID,
                        name: p?.name ?? "", title: p?.title, email: p?.email ?? "")
                },
                doorOpeners: c.doorOpeners.map {
                    DoorOpener(
                        kind: $0.kind.rawValue, kindTitle: $0.kind.title, organizationId: $0.organizationID,
                        company: company($0.organizationID), text: $0.text)
                }, doNotSay: c.doNotSay, wordCount: c.wordCount, writtenBy: v.writtenBy,
                writtenByName: v.writtenByName, writtenByCompany: company(v.writtenByOrganizationID),
                writtenAt: v.writtenAt,
                approvals: v.approvals.map {
                    Approval(
                        organizationId: $0.organizationID, company: company($0.organizationID), personId: $0.personID,
                        personName: $0.personName, at: $0.at)
                },
                waitingOn: v.publishedAt != nil
                    ? []
                    : ps.organizationIDs.filter { v.approval(of: $0) == nil }.map {
                        Company(organizationId: $0, company: company($0))
                    }, publishedAt: v.publishedAt)
        }
        return View(
            partnershipId: ps.id, version: vp?.latestVersion ?? 0, published: vp?.published.map(version),
            draft: vp?.draft.map(version))
    }

    static func respond(_ req: Request, _ ps: Partnership, _ vp: ValueProposition?) async throws -> Response {
        try APIJSON.response(try await view(req, ps, vp), etag: vp?.latestVersion ?? 0)
    }

    static func operations() -> [APIOperation] {
        let base = "/api/v1/partnerships/{partnership_id}/value-proposition"
        return [
            APIOperation(
                .GET, base, id: "getValueProposition",
                summary:
                    "The partnership's one-page joint value proposition: the published version and the draft waiting for approval",
                tag: "partnerships", response: .ref("ValueProposition")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let (ps, vp) = try await req.workflows.partnerships.valueProposition(in: id, by: p)
                return try await respond(req, ps, vp)
            },
            APIOperation(
                .PUT, base, id: "putValueProposition",
                summary:
                    "Write the draft (partner managers and admins of either company), naming the newest version you read (0 before the first; 409 when it moved on); a new content is the next version, the published one stays until both companies approve",
                tag: "partnerships", body: .ref("ValuePropositionEdit"), response: .ref("ValueProposition")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let vp = try await req.workflows.partnerships.writeValueProposition(in: id, by: p) {
                    let version = try APIJSON.decode(WriteBody.self, from: req).version
                    return .init(
                        version: version, content: try APIJSON.decode(ValueProposition.Content.self, from: req))
                }
                let ps = try await req.workflows.access.visiblePartnership(id, p)
                return try await respond(req, ps, vp)
            },
            APIOperation(
                .POST, base + "/approval", id: "approveValueProposition",
                summary:
                    "Approve the draft's version for your company (partner managers and admins, once per company); published when both companies approved it",
                tag: "partnerships", body: .ref("ValuePropositionApproval"), response: .ref("ValueProposition")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let vp = try await req.workflows.partnerships.approveValueProposition(in: id, by: p) {
                    try APIJSON.decode(WriteBody.self, from: req).version
                }
                let ps = try await req.workflows.access.visiblePartnership(id, p)
                return try await respond(req, ps, vp)
            },
        ]
    }

    typealias VP = ValuePropositions

    static let content: [(String, Schema)] = [
        ("segment", .string(minLength: 1, maxLength: VP.maxSegment)),
        ("roles", .array(.string(minLength: 1, maxLength: VP.maxRole), maxItems: VP.maxRoles)),
        ("problem", .string(minLength: 1, maxLength: VP.maxProblem)),
        ("joint_solution", .string(minLength: 1, maxLength: VP.maxJointSolution)),
        (
            "proof_points",
            .array(
                .object(
                    [
                        ("customer", .string(minLength: 1, maxLength: VP.maxProofCustomer)),
                        ("outcome", .string(minLength: 1, maxLength: VP.maxProofOutcome)),
                        ("figure", .string(minLength: 1, maxLength: VP.maxProofFigure)),
                    ], required: ["customer", "outcome", "figure"]), maxItems: VP.proofPointCount)
        ),
        ("why_together", .string(minLength: 1, maxLength: VP.maxWhyTogether)),
        (
            "contacts",
            .array(
                .object(
                    [("organization_id", .uuid), ("person_id", .uuid)], required: ["organization_id", "person_id"]),
                maxItems: 2)
        ),
        (
            "door_openers",
            .array(
                .object(
                    [
                        ("kind", .enumeration(DoorOpenerKind.allCases.map(\.rawValue))), ("organization_id", .uuid),
                        ("text", .string(minLength: 1, maxLength: VP.maxDoorOpenerText)),
                    ], required: ["kind", "organization_id", "text"]), maxItems: VP.maxDoorOpeners)
        ),
        ("do_not_say", .array(.string(minLength: 1, maxLength: VP.maxDoNotSayLine), maxItems: VP.maxDoNotSay)),
    ]
    static let contentRequired = [
        "segment", "roles", "problem", "joint_solution", "proof_points", "why_together", "contacts", "door_openers",
        "do_not_say",
    ]

    static let versionView: Schema = .object(
        [
            ("version", .integer(min: 1)), ("segment", .string()), ("roles", .array(.string())),
            ("problem", .string()), ("joint_solution", .string()),
            (
                "proof_points",
                .array(
                    .object(
                        [("customer", .string()), ("outcome", .string()), ("figure", .string())],
                        required: ["customer", "outcome", "figure"]))
            ),
            ("why_together", .string()),
            (
                "contacts",
                .array(
                    .object(
                        [
                            ("organization_id", .uuid), ("company", .string()), ("person_id", .uuid),
                            ("name", .string()), ("title", .nullable(.string())), ("email", .string()),
                        ], required: ["organization_id", "company", "person_id", "name", "email"]))
            ),
            (
                "door_openers",
                .array(
                    .object(
                        [
                            ("kind", .enumeration(DoorOpenerKind.allCases.map(\.rawValue))), ("kind_title", .string()),
                            ("organization_id", .uuid), ("company", .string()), ("text", .string()),
                        ], required: ["kind", "kind_title", "organization_id", "company", "text"]))
            ),
            ("do_not_say", .array(.string())), ("word_count", .integer(min: 0)), ("written_by", .uuid),
            ("written_by_name", .string()), ("written_by_company", .string()), ("written_at", .dateTime),
            (
                "approvals",
                .array(
                    .object(
                        [
                            ("organization_id", .uuid), ("company", .string()), ("person_id", .uuid),
                            ("person_name", .string()), ("at", .dateTime),
                        ], required: ["organization_id", "company", "person_id", "person_name", "at"]))
            ),
            (
                "waiting_on",
                .array(
                    .object(
                        [("organization_id", .uuid), ("company", .string())], required: ["organization_id", "company"]))
            ),
            ("published_at", .nullable(.dateTime)),
        ],
        required: [
            "version", "segment", "roles", "problem", "joint_solution", "proof_points", "why_together", "contacts",
            "door_openers", "do_not_say", "word_count", "written_by", "written_by_name", "written_by_company",
            "written_at", "approvals", "waiting_on",
        ])

    static let components: [(String, Schema)] = [
        (
            "ValuePropositionEdit",
            .object([("version", .integer(min: 0))] + content, required: ["version"] + contentRequired)
        ),
        ("ValuePropositionApproval", .object([("version", .integer(min: 1))], required: ["version"])),
        ("ValuePropositionVersion", versionView),
        (
            "ValueProposition",
            .object(
                [
                    ("partnership_id", .uuid), ("version", .integer(min: 0)),
                    ("published", .nullable(.ref("ValuePropositionVersion"))),
                    ("draft", .nullable(.ref("ValuePropositionVersion"))),
                ], required: ["partnership_id", "version"])
        ),
    ]
}
