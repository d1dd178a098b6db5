import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum PlaybookController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        var pb = try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), s.principal)
        let versions = try await req.store.playbookVersions(pb.id)
        if let raw = try? req.query.get(String.self, at: "version") {
            guard let v = Int(raw), let found = versions.first(where: { $0.version == v }) else {
                throw Problem.notFound("playbook version")
            }
            pb = found
        }
        let admin = s.person.role == .admin
        let model = PlaybookModel(
            chrome: s.chrome(pb.name, .playbooks, notice: Pages.notice(req)), playbook: pb,
            owner: pb.organizationID.map(data.name(of:)) ?? "Standard playbook", versions: versions.map(\.version),
            canEdit: admin && pb.organizationID == s.person.organizationID,
            canCopy: admin && pb.organizationID != s.person.organizationID)
        return Pages.html(PlaybookViews.show(model))
    }

    static func copy(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let source = try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), s.principal)
        let copy = try await req.workflows.playbooks.copy(by: s.principal) {
            PlaybookWorkflows.Copy(basedOn: source.id, name: req.formValue("name") ?? "\(source.name) (ours)")
        }
        return Pages.seeOther(SiteRoute.playbookEdit(copy.id), notice: "Your copy is made; edit it here.")
    }
}
