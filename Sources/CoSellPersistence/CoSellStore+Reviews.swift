import CoSellDomain
import CoSellMatching
import FluentKit
import FluentSQL
import Foundation

// MARK: records

final class ReviewRecordRow: Model, @unchecked Sendable {
    static let schema = "partnership_reviews"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "week") var week: String
    @Field(key: "attendees") var attendees: String
    @Field(key: "decisions") var decisions: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "recorded_by_name") var recordedByName: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func domainValue() throws -> ReviewRecord {
        guard let w = ISOWeek(week) else {
            throw StoreError.invalid(field: "week", "Stored week \(week) is unreadable.")
        }
        return ReviewRecord(
            partnershipID: partnershipID, week: w, attendees: try JSONColumn.decode([String].self, from: attendees),
            decisions: try JSONColumn.decode([ReviewDecision].self, from: decisions), recordedBy: recordedBy,
            recordedByName: recordedByName, recordedAt: recordedAt, updatedAt: updatedAt)
    }
}

final class LessonRecord: Model, @unchecked Sendable {
    static let schema = "lessons"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "stage_key") var stageKey: String
    @OptionalField(key: "play") var play: String?
    @Field(key: "text") var text: String
    /// Lower-cased text, for case-insensitive search on every database.
    @Field(key: "search_text") var searchText: String
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "applied_count") var appliedCount: Int

    init() {}

    init(_ l: Lesson, deal: Deal, play: String?) {
        id = l.id
        dealID = deal.id
        partnershipID = deal.partnershipID
        stageKey = l.stageKey
        self.play = play
        text = l.text
        searchText = l.text.lowercased()
        authorID = l.authorID
        createdAt = l.createdAt
        appliedCount = 0
    }

    var domainValue: LibraryLesson {
        LibraryLesson(
            id: id!, dealID: dealID, partnershipID: partnershipID, stageKey: stageKey, play: play, text: text,
            authorID: authorID, createdAt: createdAt, appliedCount: appliedCount)
    }
}

final class LessonApplicationRecord: Model, @unchecked Sendable {
    static let schema = "lesson_applications"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "lesson_id") var lessonID: UUID
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "applied_by") var appliedBy: UUID
    @Field(key: "applied_at") var appliedAt: Date

    init() {}
}

final class ExchangeRateRecord: Model, @unchecked Sendable {
    static let schema = "exchange_rates"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "reporting_currency") var reportingCurrency: String
    @Field(key: "date") var date: String
    @Field(key: "currency") var currency: String
    @Field(key: "rate") var rate: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

final class GateRefusalRecord: Model, @unchecked Sendable {
    static let schema = "gate_refusals"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "stage_key") var stageKey: String
    @Field(key: "unmet") var unmet: String
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @Field(key: "at") var at: Date

    init() {}

    func domainValue() throws -> GateRefusal {
        GateRefusal(
            dealID: dealID, stageKey: stageKey, unmet: try JSONColumn.decode([String].self, from: unmet),
            actorID: actorID, actorName: actorName, at: at)
    }
}

// MARK: migration

struct CreateReviewsLessonsAndRates: AsyncMigration {
    var name: String { "0009_create_reviews_lessons_and_rates" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partnership_reviews")
            .field("id", .uuid, .identifier(auto: false))
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("week", .string, .required)
            .field("attendees", .string, .required)
            .field("decisions", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_by_name", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "partnership_id", "week")
            .create()
        try await db.schema("lessons")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("stage_key", .string, .required)
            .field("play", .string)
            .field("text", .string, .required)
            .field("search_text", .string, .required)
            .field("author_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("applied_count", .int, .required)
            .create()
        try await db.schema("lesson_applications")
            .field("id", .uuid, .identifier(auto: false))
            .field("lesson_id", .uuid, .required, .references("lessons", "id", onDelete: .cascade))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("applied_by", .uuid, .required)
            .field("applied_at", .datetime, .required)
            .unique(on: "lesson_id", "deal_id")
            .create()
        try await db.schema("exchange_rates")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_id", .uuid, .required, .references("organizations", "id", onDelete: .cascade))
            .field("reporting_currency", .string, .required)
            .field("date", .string, .required)
            .field("currency", .string, .required)
            .field("rate", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "organization_id", "reporting_currency", "currency", "date")
            .create()
        try await db.schema("gate_refusals")
            .field("id", .uuid, .identifier(auto: false))
            .field("deal_id", .uuid, .required, .references("deals", "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required)
            .field("stage_key", .string, .required)
            .field("unmet", .string, .required)
            .field("actor_id", .uuid, .required)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "lessons_partnership_stage").on("lessons").column("partnership_id")
                .column("stage_key").run()
            try await sql.create(index: "lessons_play_stage").on("lessons").column("play").column("stage_key").run()
            try await sql.create(index: "lessons_deal").on("lessons").column("deal_id").run()
            try await sql.create(index: "lesson_applications_deal").on("lesson_applications").column("deal_id").run()
            try await sql.create(index: "gate_refusals_partnership_at").on("gate_refusals").column("partnership_id")
                .column("at").run()
            // The weekly review reads one week of timeline entries.
            try await sql.create(index: "deal_events_at").on("deal_events").column("at").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "deal_events_at").run()
        }
        try await db.schema("gate_refusals").delete()
        try await db.schema("exchange_rates").delete()
        try await db.schema("lesson_applications").delete()
        try await db.schema("lessons").delete()
        try await db.schema("partnership_reviews").delete()
    }
}

// MARK: the lesson library

/// Keeps the searchable lesson library in step with deals' reviews. Lessons only add up (the engine
/// never edits or removes one), so a sync inserts the ones the library does not hold yet.
public enum LessonLibrary {
    public static func sync(_ deal: Deal, on db: any Database) async throws {
        let lessons = deal.evidence.close.review?.lessons ?? []
        guard !lessons.isEmpty else { return }
        let known = Set(try await LessonRecord.query(on: db).filter(\.$dealID == deal.id).all(\.$id))
        let missing = lessons.filter { !known.contains($0.id) }
        guard !missing.isEmpty else { return }
        let play = try await Self.play(of: deal, on: db)
        for l in missing { try await LessonRecord(l, deal: deal, play: play).create(on: db) }
    }

    /// The play of the deal's joint account, from each side's population of it (nil when a side's
    /// population is unknown).
    public static func play(of deal: Deal, on db: any Database) async throws -> String? {
        guard let account = try await JointAccountRecord.find(deal.jointAccountID, on: db)?.domainValue() else {
            return nil
        }
        return play(
            of: account, hostOrganizationID: deal.hostOrganizationID,
            partnerOrganizationID: deal.partnerOrganizationID)
    }

    public static func play(
        of account: JointAccount, hostOrganizationID: UUID, partnerOrganizationID: UUID
    )
        -> String?
    {
        func population(_ org: UUID) -> Population? {
            account.populations.first { $0.organizationID == org }.flatMap { Population(rawValue: $0.population) }
        }
        guard let host = population(hostOrganizationID), let partner = population(partnerOrganizationID) else {
            return nil
        }
        return Play.of(host: host, partner: partner).rawValue
    }
}

/// What to look for in the lesson library.
public struct LessonQuery: Sendable {
    /// Only lessons of these partnerships (the caller's).
    public var partnershipIDs: [UUID]
    public var text: String?
    public var stageKey: String?
    public var play: String?
    public var limit: Int
    public var offset: Int

    public init(
        partnershipIDs: [UUID], text: String? = nil, stageKey: String? = nil, play: String? = nil, limit: Int = 50,
        offset: Int = 0
    ) {
        self.partnershipIDs = partnershipIDs
        self.text = text
        self.stageKey = stageKey
        self.play = play
        self.limit = limit
        self.offset = offset
    }
}

/// An exchange-rate table as stored: the table and when it was uploaded.
public struct StoredExchangeRates: Sendable {
    public var table: ExchangeRateTable
    public var uploadedAt: Date

    public init(table: ExchangeRateTable, uploadedAt: Date) {
        self.table = table
        self.uploadedAt = uploadedAt
    }
}

extension CoSellStore {
    // MARK: weekly reviews

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

    /// Timeline entries of a partnership's deals within [from, to), of the given kinds when named.
    public func events(
        ofPartnership partnershipID: UUID, from: Date, to: Date, kinds: [String]? = nil
    )
        async throws -> [DealEvent]
    {
        // The event columns only, by the (partnership, time) index: no join, no deal read.
        let columns = [
            "id", "deal_id", "sequence", "at", "actor_id", "actor_name", "kind", "summary", "before", "after",
        ]
        var q = try sql.select()
        for c in columns { q = q.column(SQLColumn(c)) }
        q = q.from(DealEventRecord.schema).where("partnership_id", .equal, partnershipID)
            .where("at", .greaterThanOrEqual, from).where("at", .lessThan, to)
        if let kinds { q = q.where("kind", .in, kinds) }
        let rows = try await q.orderBy("at").orderBy("sequence").all()
        return try rows.map {
            DealEvent(
                id: try $0.decode(column: "id", as: UUID.self), dealID: try $0.decode(column: "deal_id", as: UUID.self),
                sequence: try $0.decode(column: "sequence", as: Int.self),
                at: try $0.decode(column: "at", as: Date.self),
                actorID: try $0.decode(column: "actor_id", as: UUID.self),
                actorName: try $0.decode(column: "actor_name", as: String.self),
                kind: try $0.decode(column: "kind", as: String.self),
                summary: try $0.decode(column: "summary", as: String.self),
                before: try $0.decode(column: "before", as: String?.self),
                after: try $0.decode(column: "after", as: String?.self))
        }
    }

    // MARK: gate refusals

    /// The play of the deal's joint account (the two companies' populations), for lesson ranking.
    public func lessonPlay(of deal: Deal) async throws -> String? {
        try await LessonLibrary.play(of: deal, on: db)
    }

    public func recordGateRefusal(_ r: GateRefusal, partnershipID: UUID) async throws {
        let row = GateRefusalRecord()
        row.id = UUID()
        row.dealID = r.dealID
        row.partnershipID = partnershipID
        row.stageKey = r.stageKey
        row.unmet = try JSONColumn.encode(r.unmet)
        row.actorID = r.actorID
        row.actorName = r.actorName
        row.at = r.at
        try await row.create(on: db)
    }

    public func gateRefusals(partnershipID: UUID, from: Date, to: Date) async throws -> [GateRefusal] {
        try await GateRefusalRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$at >= from).filter(\.$at < to).sort(\.$at).all().map { try $0.domainValue() }
    }

    // MARK: lessons

    public func libraryLesson(_ id: UUID) async throws -> LibraryLesson? {
        try await LessonRecord.find(id, on: db)?.domainValue
    }

    /// Searches the library: case-insensitive substring of the text, stage, play; ranked like the
    /// suggestions (most applied, then newest).
    public func libraryLessons(_ query: LessonQuery) async throws -> Page<LibraryLesson> {
        guard !query.partnershipIDs.isEmpty else { return Page(items: [], total: 0) }
        var q = LessonRecord.query(on: db).filter(\.$partnershipID ~~ query.partnershipIDs)
        if let s = query.stageKey { q = q.filter(\.$stageKey == s) }
        if let p = query.play { q = q.filter(\.$play == p) }
        if let t = query.text?.lowercased(), !t.isEmpty {
            q = q.filter(\.$searchText, .contains(inverse: false, .anywhere), t)
        }
        let total = try await q.count()
        let items = try await q.sort(\.$appliedCount, .descending).sort(\.$createdAt, .descending).sort(\.$id)
            .range(query.offset..<(query.offset + query.limit)).all().map(\.domainValue)
        return Page(items: items, total: total)
    }

    /// Lessons about `stageKey` from `partnershipID`, or with `play` from any of `partnershipIDs`.
    public func lessonCandidates(
        stageKey: String, partnershipID: UUID, play: String?, partnershipIDs: [UUID], limit: Int? = nil
    ) async throws -> [LibraryLesson] {
        var q = LessonRecord.query(on: db).filter(\.$stageKey == stageKey)
        if let play, !partnershipIDs.isEmpty {
            q = q.group(.or) { or in
                or.filter(\.$partnershipID == partnershipID)
                or.group(.and) { $0.filter(\.$play == play).filter(\.$partnershipID ~~ partnershipIDs) }
            }
        } else {
            q = q.filter(\.$partnershipID == partnershipID)
        }
        if let limit {
            // The ranking's own order (most applied, newest), so that the first `limit` are its top.
            q = q.sort(\.$appliedCount, .descending).sort(\.$createdAt, .descending).limit(limit)
        }
        return try await q.all().map(\.domainValue)
    }

    public func appliedLessonIDs(dealID: UUID) async throws -> Set<UUID> {
        Set(try await LessonApplicationRecord.query(on: db).filter(\.$dealID == dealID).all(\.$lessonID))
    }

    /// Marks a lesson applied on a deal, once; counts the application on the lesson.
    public func applyLesson(
        _ lessonID: UUID, on dealID: UUID, by personID: UUID, at: Date
    ) async throws
        -> LibraryLesson
    {
        do {
            return try await transaction { tx in
                if try await LessonApplicationRecord.query(on: tx).filter(\.$lessonID == lessonID)
                    .filter(\.$dealID == dealID).count() > 0
                {
                    throw StoreError.conflict("The lesson is already marked applied on this deal.")
                }
                let a = LessonApplicationRecord()
                a.id = UUID()
                a.lessonID = lessonID
                a.dealID = dealID
                a.appliedBy = personID
                a.appliedAt = at
                try await a.create(on: tx)
                guard let lesson = try await LessonRecord.find(lessonID, on: tx) else {
                    throw StoreError.notFound("lesson")
                }
                lesson.appliedCount += 1
                try await lesson.update(on: tx)
                return lesson.domainValue
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict("The lesson is already marked applied on this deal.")
        }
    }

    // MARK: exchange rates

    /// Replaces an organization's table for one reporting currency, in one transaction: a failure
    /// leaves the previous table intact.
    public func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws {
        let code = table.reportingCurrency.code
        try await transaction { tx in
            try await ExchangeRateRecord.query(on: tx).filter(\.$organizationID == organizationID)
                .filter(\.$reportingCurrency == code).delete()
            let rows = table.entries.map { e -> ExchangeRateRecord in
                let r = ExchangeRateRecord()
                r.id = UUID()
                r.organizationID = organizationID
                r.reportingCurrency = code
                r.date = e.date.description
                r.currency = e.currency.code
                r.rate = e.rate.description
                r.uploadedAt = at
                return r
            }
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + 500)
                try await Array(rows[start..<end]).create(on: tx)
                start = end
            }
        }
    }

    /// The organization's table into `reportingCurrency`, or nil when none was uploaded.
    public func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates? {
        let rows = try await ExchangeRateRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$reportingCurrency == reportingCurrency.code).all()
        return try Self.tables(rows).first
    }

    /// Every table of the organization, by reporting currency code.
    public func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates] {
        try Self.tables(try await ExchangeRateRecord.query(on: db).filter(\.$organizationID == organizationID).all())
    }

    static func tables(_ rows: [ExchangeRateRecord]) throws -> [StoredExchangeRates] {
        var grouped: [String: [ExchangeRateRecord]] = [:]
        for r in rows { grouped[r.reportingCurrency, default: []].append(r) }
        return try grouped.keys.sorted().map { code in
            let list = grouped[code]!
            guard let reporting = Currency(code: code) else {
                throw StoreError.invalid(field: "reporting_currency", "Stored currency \(code) is unknown.")
            }
            let entries = try list.map { r -> ExchangeRateEntry in
                guard let d = LocalDate(r.date), let c = Currency(code: r.currency), let rate = ExchangeRate(r.rate)
                else { throw StoreError.invalid(field: "rate", "A stored exchange rate is unreadable.") }
                return ExchangeRateEntry(date: d, currency: c, rate: rate)
            }
            return StoredExchangeRates(
                table: ExchangeRateTable(reportingCurrency: reporting, entries: entries),
                uploadedAt: list.map(\.uploadedAt).max() ?? Date(timeIntervalSince1970: 0))
        }
    }
}

extension CoSellStore {
    /// The partnership's joint accounts created within [from, to), oldest first. Read with SQL, not
    /// the model: a week of a busy partnership holds thousands, and the model's reflection and a JSON
    /// decoder per row cost more than the query.
    public func jointAccounts(of partnershipID: UUID, createdFrom from: Date, to: Date) async throws -> [JointAccount] {
        let columns = [
            "id", "name", "domain", "country", "industry", "employees", "origin", "reason", "populations",
            "created_at", "street", "city", "state", "postal_code",
        ]
        var q = try sql.select()
        for c in columns { q = q.column(c) }
        let rows = try await q.from(JointAccountRecord.schema).where("partnership_id", .equal, partnershipID)
            .where("created_at", .greaterThanOrEqual, from).where("created_at", .lessThan, to)
            .orderBy("created_at").orderBy("id").all()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try rows.map { r in
            func text(_ c: String) throws -> String? { try r.decode(column: c, as: String?.self) }
            return JointAccount(
                id: try r.decode(column: "id", as: UUID.self), partnershipID: partnershipID,
                name: try r.decode(column: "name", as: String.self), domain: try text("domain"),
                country: try text("country"), industry: try text("industry"),
                employees: try r.decode(column: "employees", as: Int?.self),
                origin: JointAccount.Origin(rawValue: try r.decode(column: "origin", as: String.self)) ?? .added,
                reason: try text("reason"),
                populations: try decoder.decode(
                    [AccountPopulation].self, from: Data(try r.decode(column: "populations", as: String.self).utf8)),
                createdAt: try r.decode(column: "created_at", as: Date.self),
                address: CustomerAddress(
                    line1: try text("street"), city: try text("city"), state: try text("state"),
                    postalCode: try text("postal_code")
                ).nonEmpty)
        }
    }
}
