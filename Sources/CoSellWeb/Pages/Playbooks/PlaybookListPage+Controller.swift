import CoSellPersistence
import CoSellWorkflows
import Vapor

extension PlaybookController {
    static func list(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let owners = try await req.workflows.access.visiblePlaybookOwners(s.principal)
        let items = try await req.store.latestPlaybooks().filter { owners.contains($0.organizationID) }.map {
            PlaybookListModel.Item(
                id: $0.id, name: $0.name, owner: $0.organizationID.map(data.name(of:)) ?? "Standard",
                version: $0.version)
        }
        return Pages.html(
            PlaybookViews.list(
                PlaybookListModel(chrome: s.chrome("Playbooks", .playbooks, notice: Pages.notice(req)), items: items)))
    }
}
