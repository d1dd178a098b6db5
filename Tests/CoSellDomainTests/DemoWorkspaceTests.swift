import Foundation
import Testing

@testable import CoSellDomain

/// Times of day that put the demo's back-dated clocks at different distances from the stall limits.
private let nows: [Date] = [
    Date(timeIntervalSince1970: 1_779_148_830),  // 2026-05-19 00:00:30 UTC
    Date(timeIntervalSince1970: 1_779_192_000),  // 2026-05-19 12:00:00 UTC
    Date(timeIntervalSince1970: 1_779_235_140),  // 2026-05-19 23:59:00 UTC
    Date(timeIntervalSince1970: 1_830_297_600),  // 2028-01-01 00:00:00 UTC, leap year ahead
]
private let now = nows[1]

private func diagnose(_ demo: DemoDeal, in workspace: DemoWorkspace, at now: Date) -> Diagnosis {
    DealDiagnostics.diagnose(demo.deal, playbook: workspace.playbook, now: now)
}

@Suite("Demo workspace")
struct DemoWorkspaceTests {
    @Test(
        "each pitfall has a deal built to show it, and the diagnosis names it",
        arguments: Pitfall.allCases)
    func pitfallDeals(pitfall: Pitfall) {
        for now in nows {
            let ws = DemoWorkspace.make(now: now)
            let shown = ws.deals.filter { $0.illustrates == pitfall }
            #expect(!shown.isEmpty, "no deal illustrates \(pitfall)")
            for demo in shown {
                let d = diagnose(demo, in: ws, at: now)
                #expect(d.needsDiagnosis, "\(demo.deal.accountName) is neither stalled nor lost")
                #expect(
                    d.likelyCause?.pitfall == pitfall,
                    "\(demo.deal.accountName): expected \(pitfall), got \(String(describing: d.likelyCause?.pitfall)): \(d.explanation)"
                )
                #expect(d.likelyCause?.evidence.isEmpty == false)
            }
            // At least one of them is an open deal that is stalled, not only lost.
            #expect(
                shown.contains { $0.deal.status != .lost && diagnose($0, in: ws, at: now).stall.stalled },
                "no stalled deal shows \(pitfall)")
        }
    }

    @Test("the five pitfall deals are five different deals, each on a different stage's weakness")
    func oneStalledDealPerPitfall() {
        let ws = DemoWorkspace.make(now: now)
        var accounts: [Pitfall: String] = [:]
        for demo in ws.deals where demo.deal.status == .open {
            if let cause = diagnose(demo, in: ws, at: now).likelyCause?.pitfall {
                #expect(
                    demo.illustrates == cause,
                    "\(demo.deal.accountName) is diagnosed \(cause) but not built to show it")
                accounts[cause] = demo.deal.accountName
            }
        }
        for pitfall in Pitfall.allCases where pitfall != .noReview {
            #expect(accounts[pitfall] != nil, "no open deal stalled by \(pitfall)")
        }
        // No review shows on a won deal: open in play at the last stage, outcome logged.
        let noReview = ws.deals.first { $0.illustrates == .noReview }!
        #expect(noReview.deal.status == .won && noReview.deal.completedAt == nil)
    }

    @Test("the healthy deals are not stalled")
    func healthyDeals() {
        for now in nows {
            let ws = DemoWorkspace.make(now: now)
            let healthy = ws.deals.filter { $0.illustrates == nil && $0.deal.completedAt == nil }
            #expect(healthy.count >= 6)
            for demo in healthy {
                let d = diagnose(demo, in: ws, at: now)
                #expect(!d.stall.stalled, "\(demo.deal.accountName): \(d.stall.signals.map(\.explanation))")
                #expect(d.likelyCause == nil)
            }
        }
    }

    @Test("open deals sit in every stage, with a won, a completed and a lost deal besides")
    func dealsInEveryStage() {
        let ws = DemoWorkspace.make(now: now)
        for (i, stage) in ws.playbook.stages.enumerated() {
            let here = ws.deals.filter { $0.deal.stageIndex == i && $0.deal.isInPlay }
            #expect(here.count >= 2, "only \(here.count) deal(s) in \(stage.name)")
            #expect(here.contains { $0.illustrates == nil }, "no healthy deal in \(stage.name)")
        }
        #expect(ws.deals.contains { $0.deal.status == .won && $0.deal.completedAt == nil })
        #expect(ws.deals.contains { $0.deal.status == .won && $0.deal.completedAt != nil })
        #expect(ws.deals.contains { $0.deal.status == .lost })
        #expect((12...20).contains(ws.deals.count))
        // Both companies host deals.
        for org in ws.organizations {
            #expect(
                ws.deals.filter { $0.deal.hostOrganizationID == org.id }.count >= 4,
                "\(org.name) hosts too few deals")
        }
    }

    @Test(
        "the completed deal ran the whole playbook: registered partner-sourced, reviewed with lessons")
    func completedDeal() throws {
        let ws = DemoWorkspace.make(now: now)
        let completed = ws.deals.filter { $0.deal.completedAt != nil }
        #expect(completed.count == 1)
        let deal = try #require(completed.first).deal
        let last = try #require(ws.playbook.stages.last)
        #expect(deal.stageIndex == ws.playbook.stages.count - 1)
        #expect(Gate.evaluate(deal, stage: last, in: ws.playbook).isOpen)
        #expect(deal.status == .won)
        #expect(deal.passages.count == ws.playbook.stages.count)
        #expect(deal.passages.allSatisfy { $0.exit == .passed })
        for (stage, passage) in zip(ws.playbook.stages, deal.passages) {
            #expect(passage.stageKey == stage.key)
        }
        let registration = try #require(deal.evidence.close.registration)
        #expect(registration.attribution == .partnerSourced && registration.sourcedBy == .partner)
        let lessons = deal.evidence.close.review?.lessons ?? []
        #expect(lessons.count >= 2)
        #expect(lessons.allSatisfy { ws.playbook.stageIndex(forKey: $0.stageKey) != nil })
        #expect(deal.moves.allSatisfy { $0.doneAt != nil })
    }

    @Test(
        "the lost deal skipped the door-opener by an admin override and says so; discovery, unapprovable without a meeting, by both admins"
    )
    func lostDeal() throws {
        let ws = DemoWorkspace.make(now: now)
        let lost = try #require(ws.deals.first { $0.deal.status == .lost })
        let skipped = lost.deal.passages.filter { $0.exit == .skipped }
        #expect(skipped.map(\.stageKey) == [CriterionKind.doorOpener.rawValue, CriterionKind.jointDiscovery.rawValue])
        // Discovery's brief approvals are both companies' parts: the second override took both admins.
        #expect(skipped.last?.confirmedBy != nil && skipped.last?.confirmedBy != skipped.last?.by)
        #expect(skipped.first?.reason?.isEmpty == false)
        #expect(skipped.first?.unmetAtExit.isEmpty == false)
        let overrider = ws.people.first { $0.id == skipped.first?.by }
        #expect(overrider?.role == .admin)
        #expect(lost.changes.contains { $0.change.kind == "gate_overridden" })
        #expect(lost.deal.evidence.close.outcome?.lossReason?.isEmpty == false)
        let d = diagnose(lost, in: ws, at: now)
        #expect(d.likelyCause?.pitfall == .noDoorOpener)
    }

    @Test("every owner, commitment, approval and actor belongs to the right company")
    func ownership() {
        let ws = DemoWorkspace.make(now: now)
        let people = Dictionary(uniqueKeysWithValues: ws.people.map { ($0.id, $0) })
        func org(_ id: UUID?) -> UUID? { id.flatMap { people[$0]?.organizationID } }
        for demo in ws.deals {
            let deal = demo.deal
            let name = deal.accountName
            #expect(
                ws.partnership.includes(deal.hostOrganizationID)
                    && ws.partnership.includes(deal.partnerOrganizationID))
            #expect(deal.hostOrganizationID != deal.partnerOrganizationID)
            for move in deal.moves {
                guard let ownerID = move.ownerID else { continue }
                let owner = org(ownerID)
                #expect(move.ownerName == people[ownerID]?.name)
                switch move.side {
                case .host: #expect(owner == deal.hostOrganizationID, "\(name): \(move.description)")
                case .partner: #expect(owner == deal.partnerOrganizationID, "\(name): \(move.description)")
                case .doorOpener:
                    let side = deal.evidence.doorOpener.doorOpener?.side
                    #expect(
                        side != nil && owner == side.map(deal.organizationID(of:)),
                        "\(name): \(move.description)")
                case .both: #expect(owner.map(deal.side(of:)) != nil, "\(name): \(move.description)")
                }
            }
            let evidence = deal.evidence
            for side in Side.allCases {
                let company = deal.organizationID(of: side)
                if let c = evidence.targetSelection.commitments[side] {
                    #expect(org(c.personID) == company, "\(name): \(side) commitment")
                }
                if let fit = evidence.targetSelection.icpFit[side] {
                    #expect(org(fit.recordedBy) == company, "\(name): \(side) fit")
                }
                for brief in evidence.jointDiscovery.briefs {
                    if let a = brief.approvals[side] {
                        #expect(org(a.personID) == company, "\(name): \(side) approval")
                    }
                }
            }
            if let opener = evidence.doorOpener.doorOpener {
                #expect(org(opener.ownerID) == deal.organizationID(of: opener.side))
            }
            for plan in evidence.jointPursuit.closePlans {
                for m in plan.milestones where m.ownerParty != .customer {
                    let side: Side = m.ownerParty == .host ? .host : .partner
                    let owner = ws.people.first { $0.name == m.ownerName }
                    #expect(
                        owner?.organizationID == deal.organizationID(of: side), "\(name): milestone \(m.title)")
                }
            }
            if let reg = evidence.close.registration {
                // Submitted by one company, decided by the other.
                #expect(reg.submittedBy != nil, "\(name): a registration without its submitter")
                let submitter = reg.submittedBy ?? .host
                #expect(org(reg.registeredBy) == deal.organizationID(of: submitter))
                if let decider = reg.decidedBy {
                    #expect(org(decider) == deal.organizationID(of: submitter.other))
                }
            }
            for change in demo.changes {
                #expect(deal.side(of: change.actor.organizationID) != nil)
                #expect(people[change.actor.personID]?.organizationID == change.actor.organizationID)
                #expect(change.actor.role.canWrite)
            }
        }
        for owner in ws.partnership.plan?.owners ?? [] {
            #expect(org(owner.personID) == owner.organizationID)
        }
    }

    @Test("every timeline is in order, in the past, and matches the deal", arguments: nows)
    func timelines(now: Date) {
        let ws = DemoWorkspace.make(now: now)
        for demo in ws.deals {
            let deal = demo.deal
            let times = demo.changes.map(\.at)
            #expect(times == times.sorted(), "\(deal.accountName): changes out of order")
            #expect(times.allSatisfy { $0 <= now })
            #expect(demo.changes.first?.change.kind == "deal_opened")
            #expect(demo.changes.first?.at == deal.createdAt)
            #expect(deal.version == demo.changes.count)
            #expect(deal.lastActivityAt == times.last)
            let advances = demo.changes.filter {
                ["stage_advanced", "gate_overridden", "completed"].contains($0.change.kind)
            }
            #expect(advances.count == deal.passages.count, "\(deal.accountName)")
            // The stage was entered when the previous one was passed (completing passes the last stage too).
            let entries = deal.completedAt == nil ? deal.passages : deal.passages.dropLast()
            if deal.stageIndex > 0 {
                #expect(deal.stageEnteredAt == entries.last?.exitedAt, "\(deal.accountName)")
            }
            #expect(demo.changes.allSatisfy { !$0.change.summary.isEmpty })
        }
    }

    @Test("make(now:) is deterministic, and its ids do not depend on the time")
    func deterministic() {
        let a = DemoWorkspace.make(now: now)
        #expect(a == DemoWorkspace.make(now: now))
        let later = DemoWorkspace.make(now: now.addingTimeInterval(86_400 * 30 + 3_600))
        #expect(a.deals.map(\.deal.id) == later.deals.map(\.deal.id))
        #expect(a.people.map(\.id) == later.people.map(\.id))
        #expect(a.jointAccounts.map(\.id) == later.jointAccounts.map(\.id))
        #expect(a.deals.map(\.changes.count) == later.deals.map(\.changes.count))
        // Shifting `now` shifts every date by the same amount of whole days.
        let shift = later.deals[0].deal.createdAt.timeIntervalSince(a.deals[0].deal.createdAt)
        #expect(shift == 86_400 * 30)
    }

    @Test("every id in the workspace is unique")
    func uniqueIDs() {
        let ws = DemoWorkspace.make(now: now)
        var ids: [UUID] = ws.organizations.map(\.id) + ws.people.map(\.id) + ws.jointAccounts.map(\.id)
        ids += [ws.partnership.id, ws.playbook.id]
        for demo in ws.deals {
            let e = demo.deal.evidence
            ids.append(demo.deal.id)
            ids +=
                demo.deal.moves.map(\.id) + e.jointDiscovery.briefs.map(\.id)
                + e.jointPursuit.closePlans.map(\.id)
            ids += e.close.review?.lessons.map(\.id) ?? []
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("two companies, every role in each, a partnership with a plan, about twenty joint accounts")
    func companiesPeopleAndAccounts() throws {
        let ws = DemoWorkspace.make(now: now)
        #expect(ws.organizations.count == 2)
        for org in ws.organizations {
            let domain = try #require(org.domain)
            #expect(domain.hasSuffix(".example"))
            let staff = ws.people.filter { $0.organizationID == org.id }
            #expect(Set(staff.map(\.role)) == Set(Role.allCases), "\(org.name) lacks a role")
            #expect(staff.allSatisfy { $0.email.hasSuffix("@" + domain) && !$0.name.isEmpty })
        }
        #expect(Set(ws.people.map(\.email)).count == ws.people.count)
        #expect(Set(ws.partnership.organizationIDs) == Set(ws.organizations.map(\.id)))
        #expect(ws.partnership.status == .active)
        let plan = try #require(ws.partnership.plan)
        #expect(!plan.segments.isEmpty)
        #expect(Set(plan.owners.map(\.organizationID)) == Set(ws.organizations.map(\.id)))
        #expect(plan.namedAccountIDs.allSatisfy { id in ws.jointAccounts.contains { $0.id == id } })

        #expect((18...22).contains(ws.jointAccounts.count))
        #expect(ws.jointAccounts.allSatisfy { $0.partnershipID == ws.partnership.id })
        #expect(ws.jointAccounts.allSatisfy { $0.domain?.hasSuffix(".example") == true })
        let added = ws.jointAccounts.filter { $0.origin == .added }
        #expect((1...2).contains(added.count))
        #expect(added.allSatisfy { ($0.reason ?? "").count > 20 })
        let populations: Set<String> = ["customer", "open_opportunity", "prospect"]
        for account in ws.jointAccounts where account.origin == .overlap {
            #expect(Set(account.populations.map(\.organizationID)) == Set(ws.organizations.map(\.id)))
            #expect(account.populations.allSatisfy { populations.contains($0.population) })
        }
        #expect(ws.deals.contains { !$0.deal.accountOnOverlap && $0.deal.accountReason != nil })
        #expect(Set(ws.deals.map(\.deal.jointAccountID)).count == ws.deals.count)
        #expect(ws.playbook == Playbook.standard(id: ws.playbook.id, createdAt: ws.playbook.createdAt))
        #expect(
            ws.deals.allSatisfy {
                $0.deal.playbookID == ws.playbook.id && $0.deal.partnershipID == ws.partnership.id
            })
    }
}
