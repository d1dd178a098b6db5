import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

enum HomeController {
    static let shown = 20
    /// What waits on others is shown shorter: the page is read on a phone too.
    static let shownOfOthers = 10

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        return Pages.html(HomeView.render(try await model(data, notice: Pages.notice(req))))
    }

    static func model(_ data: PageData, notice: String?) async throws -> HomeModel {
        let me = data.me
        let today = LocalDate(data.now)
        let people = try await data.people()

        // The next actions of every deal I see, from the gates (kept with the deals' facts).
        var list = try await ActionList.load(
            store: data.store, person: me, companyNames: data.organizationNames, today: today,
            canSee: { data.canSee($0) }, organizationOfPerson: { people[$0]?.organizationID })
        func items(_ entries: [ActionList.Entry], _ limit: Int = shown) async throws -> HomeModel.Actions {
            var out: [HomeModel.ActionItem] = []
            for e in entries.prefix(limit) {
                let (a, stageName) = try await list.action(e, store: data.store)
                var waitsFor: [String] = []
                for b in a.blockedBy {
                    if let blocker = list.entries.first(where: { $0.dealIndex == e.dealIndex && $0.pending.part == b })
                    {
                        waitsFor.append(try await list.action(blocker, store: data.store).0.title)
                    }
                }
                out.append(
                    HomeModel.ActionItem(
                        dealID: a.dealID, dealTitle: list.deal(e).title, stageName: stageName, title: a.title,
                        company: a.organizationIDs.map(data.name(of:)).joined(separator: " or "),
                        owner: a.ownerID.flatMap { people[$0]?.name }, due: a.dueOn.map(data.format.format),
                        overdue: a.overdue, waitsFor: waitsFor.isEmpty ? nil : waitsFor.joined(separator: "; ")))
            }
            return HomeModel.Actions(out, total: entries.count)
        }
        var awaitingReview: [HomeModel.DealItem] = []
        for e in list.awaitingReview.prefix(shown) {
            let deal = list.deal(e)
            guard let o = deal.outcome else { continue }
            let (_, stageName) = try await list.action(e, store: data.store)
            awaitingReview.append(
                HomeModel.DealItem(
                    dealID: deal.id, title: deal.title, stageName: stageName,
                    detail:
                        "\(o.result == .won ? "Won" : "Lost") on \(data.format.format(o.closeDate)). Hold the thirty-minute review and capture a lesson."
                ))
        }
        let partnerNames = Set(
            data.partnerships.values.filter { $0.status == .active }.compactMap { $0.counterpart(of: data.org) }
        )
        .map(data.name(of:)).sorted()

        // Stalled: narrowed in SQL, then the exact stall rules and the diagnosis, longest idle first.
        var stalled: [HomeModel.StalledItem] = []
        let stalledQuery = DealQuery(
            organizationID: data.org, inPlayOnly: true, mentioning: me.role == .seller ? me.id : nil,
            possiblyStalled: try await data.stallQuery(), order: .lastActivityAscending, limit: 20)
        try await scan(stalledQuery, data) { deal in
            guard let pb = try await data.playbook(of: deal) else { return false }
            guard DealDiagnostics.stall(of: deal, playbook: pb, now: data.now).stalled else { return false }
            let d = DealDiagnostics.diagnose(deal, playbook: pb, now: data.now).naming(
                SidePair(
                    host: data.name(of: deal.hostOrganizationID), partner: data.name(of: deal.partnerOrganizationID)))
            stalled.append(
                .init(
                    dealID: deal.id, title: deal.title, stageName: pb.stages[deal.stageIndex].name,
                    cause: d.likelyCause?.pitfall.title, explanation: d.explanation))
            return stalled.count == shown
        }
        var model = HomeModel(
            chrome: data.session.chrome("Home", .home, notice: notice),
            firstName: String(me.name.split(separator: " ").first ?? Substring(me.name)),
            companyName: data.session.organization.name, mine: try await items(list.mine),
            myCompany: try await items(list.myCompanys, shownOfOthers),
            partnerNames: partnerNames.isEmpty ? "your partners" : partnerNames.joined(separator: " and "),
            partners: try await items(list.partners, shownOfOthers), awaitingReview: awaitingReview, stalled: stalled)
        model.mailOff = me.role == .admin && !data.req.application.mailStatus.configured
        model.guide = try await guidedStart(data)
        model.noActivePartnership = !data.partnerships.values.contains { $0.status == .active }
        model.partnershipActions = try await partnershipActions(data)
        model.namedAccounts = try await namedAccounts(data)
        return model
    }

    /// The first steps of the reader's company, or nil once it has imported, invited and shared.
    static func guidedStart(_ data: PageData) async throws -> GuidedStart? {
        let open = data.partnerships.values.filter { $0.status == .pending || $0.status == .active }
            .sorted { $0.createdAt < $1.createdAt }
        var partnerships: [(partnership: Partnership, otherName: String, sharing: Bool)] = []
        for ps in open {
            var shares = false
            if ps.status == .active {
                shares = try await data.store.sharing(of: ps).contains {
                    $0.organizationID == data.org && $0.level > .hidden
                }
            }
            partnerships.append((ps, ps.counterpart(of: data.org).map(data.name(of:)) ?? "the other company", shares))
        }
        let imported = try await data.store.accountCount(of: data.org)
        if imported > 0 && partnerships.contains(where: \.sharing) { return nil }
        let mine = try await data.people().values.filter { $0.organizationID == data.org && $0.deactivatedAt == nil }
            .sorted { $0.name < $1.name }
        return GuidedStart.make(
            .init(
                companyName: data.session.organization.name, readerRole: data.me.role,
                admins: mine.filter { $0.role == .admin }.map(\.name),
                partnerManagers: mine.filter { $0.role == .partnerManager }.map(\.name), importedAccounts: imported,
                partnerships: partnerships, myOrganization: data.org))
    }

    /// Reads the deals a query selects, a page at a time and at most `maxPages` pages, handing each
    /// visible one to `visit` until it returns true.
    static func scan(
        _ query: DealQuery, _ data: PageData, maxPages: Int = 3, _ visit: (DealFacts) async throws -> Bool
    ) async throws {
        var q = query
        for page in 0..<maxPages {
            q.offset = query.limit * page
            let deals = try await data.store.dealFacts(q)
            for deal in deals where data.canSee(deal) {
                if try await visit(deal) { return }
            }
            if deals.count < q.limit { return }
        }
    }
}
