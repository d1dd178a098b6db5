import CoSellDomain
import Foundation
import Vapor

extension API {
    /// Playbooks: the standard one, copies and their versions.
    static func playbookOperations() -> [APIOperation] {
        [
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
        ]
    }
}
