import CoSellPersistence
import Vapor

enum AuditController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard s.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
        let limit = 100
        let offset = max(0, min(10_000_000, (try? req.query.get(Int.self, at: "offset")) ?? 0))
        let page = try await req.store.auditEvents(of: s.person.organizationID, limit: limit, offset: offset)
        let f = req.displayFormat
        let rows = page.items.map {
            AuditModel.Row(
                at: f.format($0.at), kind: TimelineWording.label($0.kind), actor: $0.actorName ?? "—",
                detail: $0.detail,
                address: $0.address ?? "")
        }
        return Pages.html(
            AuditView.render(
                AuditModel(
                    chrome: s.chrome("Audit log", .audit), rows: rows, total: page.total, offset: offset, limit: limit))
        )
    }
}
