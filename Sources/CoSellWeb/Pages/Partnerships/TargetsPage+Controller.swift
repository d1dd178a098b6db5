import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// `GET /partnerships/{id}/targets`: every ranked target, searched, filtered and paged by
/// `TargetWorkflows.page` over the same ranking as the partnership page and the API.
enum TargetsPageController {
    static let pageSize = 50

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let p = s.principal
        let ps = try await req.workflows.access.visiblePartnership(try req.id("partnership_id", "partnership"), p)
        // After the visibility check: an outsider learns nothing, not even that a filter is wrong.
        let query = try TargetQuery.parse { try? req.query.get(String.self, at: $0) }
        let partner = data.name(of: ps.counterpart(of: data.org) ?? data.org)
        let all = ps.status == .active ? try await req.workflows.targets.ranked(in: ps.id, by: p) : []
        let page = TargetWorkflows.page(all, filter: query.filter, offset: query.offset ?? 0, limit: pageSize)
        let has =
            ps.status == .active
            ? try await req.workflows.targets.profiles(in: ps.id, by: p) : (yours: true, partners: true)
        let model = TargetsPageModel(
            chrome: s.chrome("Targets · \(ps.name)", .partnerships, notice: Pages.notice(req)), partnershipID: ps.id,
            partnershipName: ps.name, partner: partner, query: query.at(offset: page.offset),
            targets: try await PartnershipController.rows(page.items, data, partner: partner, in: ps.id),
            matched: page.matched, offset: page.offset, limit: page.limit,
            counts: TargetCounts(
                sameAccount: page.sameAccount, sameFamily: page.sameFamily,
                localeIdentifier: req.displayFormat.locale.identifier),
            profiles: ProfileState(yours: has.yours, partners: has.partners),
            canStartDeals: data.me.role.canWrite, active: ps.status == .active)
        return Pages.html(TargetViews.render(model))
    }
}
