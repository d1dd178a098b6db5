import CoSellDomain
import CoSellWorkflows
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
                struct Body: Decodable {
                    var basedOn: UUID?
                    var name: String
                }
                let copy = try await req.workflows.playbooks.copy(by: try await req.writer()) {
                    let b = try APIJSON.decode(Body.self, from: req)
                    return PlaybookWorkflows.Copy(basedOn: b.basedOn, name: b.name)
                }
                return try APIJSON.response(copy, status: .created)
            },
            APIOperation(
                .POST, "/api/v1/playbooks/{playbook_id}/versions", id: "createPlaybookVersion",
                summary:
                    "Edit your organization's playbook: makes a new version; deals keep the version they started on",
                tag: "playbooks", body: APISchemas.playbookVersion, status: 201, response: .ref("Playbook")
            ) { req in
                let p = try await req.principal()
                let next = try await req.workflows.playbooks.saveVersion(
                    of: try req.id("playbook_id", "playbook"), by: p
                ) { _ in
                    let body = try APIJSON.decode(PlaybookVersionRequest.self, from: req)
                    return PlaybookWorkflows.Draft(
                        name: body.name, stages: body.stages, inactivityLimitDays: body.inactivityLimitDays)
                }
                return try APIJSON.response(next, status: .created)
            },
        ]
    }
}
