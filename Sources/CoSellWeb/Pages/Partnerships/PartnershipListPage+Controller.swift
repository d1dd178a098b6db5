import CoSellDomain
import Foundation
import Vapor

extension PartnershipController {
    static func list(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let items = data.partnerships.values.sorted { $0.name < $1.name }.map { ps in
            PartnershipListModel.Item(
                id: ps.id, name: ps.name, partner: ps.counterpart(of: data.org).map(data.name(of:)) ?? "",
                status: ps.status.rawValue,
                plan: ps.plan.map {
                    "Reviews on \($0.reviewWeekday.rawValue.capitalized)s; \($0.segments.count) segment(s)."
                }
                    ?? "No co-sell plan yet.")
        }
        let canImport = s.person.role == .admin || s.person.role == .partnerManager
        return Pages.html(
            PartnershipViews.list(
                PartnershipListModel(
                    chrome: s.chrome("Partnerships", .partnerships, notice: Pages.notice(req)), items: items,
                    canImport: canImport)))
    }
}
