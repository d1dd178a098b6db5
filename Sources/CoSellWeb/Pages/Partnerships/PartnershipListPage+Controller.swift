import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

extension PartnershipController {
    static func list(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        return Pages.html(PartnershipViews.list(try await listModel(req, s, notice: Pages.notice(req))))
    }

    static func listModel(
        _ req: Request, _ s: PageSession, notice: String?, values: [String: String] = [:],
        errors: [String: String] = [:], handover: PartnershipListModel.Handover? = nil
    ) async throws -> PartnershipListModel {
        let data = try await PageData.load(req, s)
        let isAdmin = s.person.role == .admin
        let calls = try await req.store.discoveryCalls(ofPartnerships: Array(data.partnerships.keys))
        let items = data.partnerships.values.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
            .map { ps in
                let partner = ps.counterpart(of: data.org).map(data.name(of:)) ?? ""
                var waiting: String? = nil
                if ps.status == .pending {
                    waiting =
                        ps.invitedBy == data.org
                        ? "Waiting for \(partner) to accept."
                        : "\(partner) invites \(s.organization.name): accept or decline."
                }
                return PartnershipListModel.Item(
                    id: ps.id, name: ps.name, partner: partner, status: ps.status.rawValue,
                    plan: ps.plan.map {
                        "Reviews on \($0.reviewWeekday.rawValue.capitalized)s; \($0.segments.count) segment(s)."
                    } ?? "No co-sell plan yet.", waiting: waiting,
                    discovery: ps.status == .active
                        ? DiscoveryCalls.status(of: calls[ps.id] ?? [], in: ps).words : nil)
            }
        let waiting =
            isAdmin
            ? try await req.workflows.partnerships.invitationsWaiting(by: s.principal).map {
                PartnershipListModel.Waiting(
                    domain: $0.partnerDomain, email: $0.email, until: data.format.format($0.expiresAt))
            } : []
        let admins = try await data.people().values.filter {
            $0.organizationID == data.org && $0.role == .admin && $0.deactivatedAt == nil
        }.map(\.name).sorted().joined(separator: ", ")
        return PartnershipListModel(
            chrome: s.chrome("Partnerships", .partnerships, notice: notice), items: items,
            canImport: isAdmin || s.person.role == .partnerManager, canInvite: isAdmin,
            mailConfigured: req.application.mailStatus.configured, waiting: waiting, handover: handover,
            values: values, errors: errors, admins: admins)
    }
}
