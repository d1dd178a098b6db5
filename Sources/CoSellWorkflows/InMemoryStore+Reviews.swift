import CoSellDomain
import Foundation

extension InMemoryStore {
    /// The review built from the whole deals the viewer may see (the Fluent store reads narrower).
    public func weeklyReview(
        of partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date, page: (limit: Int, offset: Int)?
    ) async throws -> WeeklyReview {
        let input = read { s -> WeeklyReviewInput in
            let deals = s.deals.values.filter { d in
                d.partnershipID == partnership.id
                    && (viewer.map { Visibility.canSee(d, person: $0, partnership: partnership) } ?? true)
            }.sorted { $0.createdAt > $1.createdAt }
            let ids = Set(deals.map(\.id))
            let records = s.reviewRecords.filter { $0.partnershipID == partnership.id }
            let previous = records.filter { $0.week < week }.max { $0.week < $1.week }
            let since = min(previous.map { $0.week.end } ?? week.start, week.start)
            let playbookIDs = Set(deals.map(\.playbookID))
            var input = WeeklyReviewInput(
                partnership: partnership, week: week, now: now,
                accounts: s.accounts.values.filter {
                    $0.partnershipID == partnership.id && $0.createdAt >= since && $0.createdAt < week.end
                },
                deals: deals,
                events: deals.flatMap { s.timeline[$0.id] ?? [] }.filter {
                    WeeklyReview.timelineKinds.contains($0.kind)
                },
                refusals: s.refusals.filter { ids.contains($0.dealID) },
                playbooks: s.playbooks.filter { playbookIDs.contains($0.id) },
                record: records.first { $0.week == week }, previous: previous)
            input.companyNames = Dictionary(
                partnership.organizationIDs.compactMap { id in s.organizations[id].map { (id, $0.name) } },
                uniquingKeysWith: { a, _ in a })
            return input
        }
        return page.map { WeeklyReview.build(input, limit: $0.limit, offset: $0.offset) } ?? WeeklyReview.build(input)
    }

    public func reviewRecord(partnershipID: UUID, week: ISOWeek) async throws -> ReviewRecord? {
        read { s in s.reviewRecords.first { $0.partnershipID == partnershipID && $0.week == week } }
    }

    public func openReviewDecisions(
        ofPartnerships ids: [UUID], from week: ISOWeek
    ) async throws
        -> [UUID: [WeekDecision]]
    {
        var out: [UUID: [WeekDecision]] = [:]
        for id in Set(ids) {
            for r in try await reviewRecords(partnershipID: id, from: week) {
                for d in r.decisions where d.isOpen {
                    out[id, default: []].append(WeekDecision(week: r.week, decision: d))
                }
            }
        }
        return out
    }

    public func reviewRecords(partnershipID: UUID, from week: ISOWeek) async throws -> [ReviewRecord] {
        read { s in
            s.reviewRecords.filter { $0.partnershipID == partnershipID && $0.week >= week }.sorted { $0.week < $1.week }
        }
    }

    public func saveReviewRecord(_ record: ReviewRecord) async throws -> ReviewRecord {
        write { s in
            var saved = record
            if let i = s.reviewRecords.firstIndex(where: {
                $0.partnershipID == record.partnershipID && $0.week == record.week
            }) {
                saved.recordedAt = s.reviewRecords[i].recordedAt
                s.reviewRecords[i] = saved
            } else {
                s.reviewRecords.append(saved)
            }
            return saved
        }
    }
}
