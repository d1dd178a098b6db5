import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func reviewRecord(partnershipID: UUID, week: ISOWeek) async throws -> ReviewRecord? {
        try await ReviewRecordRow.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$week == week.description).first()?.domainValue()
    }

    /// The latest review recorded before `week` (week strings `YYYY-Www` sort in time order).
    public func reviewRecord(partnershipID: UUID, before week: ISOWeek) async throws -> ReviewRecord? {
        try await ReviewRecordRow.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$week < week.description).sort(\.$week, .descending).first()?.domainValue()
    }

    /// Recorded reviews, the latest week first.
    public func reviewRecords(partnershipID: UUID, limit: Int, offset: Int) async throws -> Page<ReviewRecord> {
        let q = ReviewRecordRow.query(on: db).filter(\.$partnershipID == partnershipID)
        let total = try await q.count()
        let items = try await q.sort(\.$week, .descending).range(offset..<(offset + limit)).all().map {
            try $0.domainValue()
        }
        return Page(items: items, total: total)
    }

    /// The reviews recorded from `week` on (that week included), the oldest first.
    public func reviewRecords(partnershipID: UUID, from week: ISOWeek) async throws -> [ReviewRecord] {
        try await ReviewRecordRow.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$week >= week.description).sort(\.$week, .ascending).all().map { try $0.domainValue() }
    }

    /// The decisions still open of the reviews recorded from `week` on, per partnership, oldest week
    /// first (the home page's and the mail sweep's next actions).
    public func openReviewDecisions(
        ofPartnerships ids: [UUID], from week: ISOWeek
    ) async throws -> [UUID: [WeekDecision]] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: [WeekDecision]] = [:]
        for r in try await ReviewRecordRow.query(on: db).filter(\.$partnershipID ~~ ids)
            .filter(\.$week >= week.description).sort(\.$week, .ascending).all()
        {
            let record = try r.domainValue()
            for d in record.decisions where d.isOpen {
                out[record.partnershipID, default: []].append(WeekDecision(week: record.week, decision: d))
            }
        }
        return out
    }

    /// Records a week's attendees and decisions, replacing what was recorded for that week before.
    /// Keeps the first recording time. Returns the stored record.
    public func saveReviewRecord(_ r: ReviewRecord) async throws -> ReviewRecord {
        do {
            return try await transaction { try await Self.write(r, on: $0) }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            // Someone recorded the same week at the same moment: write over theirs.
            return try await transaction { try await Self.write(r, on: $0) }
        }
    }

    static func write(_ r: ReviewRecord, on tx: any Database) async throws -> ReviewRecord {
        let row =
            try await ReviewRecordRow.query(on: tx).filter(\.$partnershipID == r.partnershipID)
            .filter(\.$week == r.week.description).first() ?? ReviewRecordRow()
        if row.id == nil {
            row.id = UUID()
            row.partnershipID = r.partnershipID
            row.week = r.week.description
            row.recordedAt = r.recordedAt
        }
        row.attendees = try JSONColumn.encode(r.attendees)
        row.decisions = try JSONColumn.encode(r.decisions)
        row.recordedBy = r.recordedBy
        row.recordedByName = r.recordedByName
        row.updatedAt = r.updatedAt
        try await row.save(on: tx)
        return try row.domainValue()
    }
}
