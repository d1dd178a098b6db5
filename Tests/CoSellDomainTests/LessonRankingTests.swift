import CoSellDomain
import Foundation
import Testing

@Suite("Lesson ranking")
struct LessonRankingTests {
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let partnershipA = id(100)
    static let partnershipB = id(101)

    static func lesson(
        _ n: Int, stage: String = "door_opener", partnership: UUID = partnershipA, play: String? = "partner_opens_door",
        day: Double, applied: Int = 0, deal: Int = 50
    ) -> LibraryLesson {
        LibraryLesson(
            id: id(n), dealID: id(deal), partnershipID: partnership, stageKey: stage, play: play, text: "Lesson \(n)",
            authorID: id(900), createdAt: t0.addingTimeInterval(day * 86_400), appliedCount: applied)
    }

    @Test("most applied first, then newest, then by id")
    func rank() {
        let lessons = [
            Self.lesson(1, day: 10, applied: 0),
            Self.lesson(2, day: 5, applied: 3),
            Self.lesson(3, day: 20, applied: 1),
            Self.lesson(4, day: 30, applied: 1),
            Self.lesson(5, day: 30, applied: 1),
            Self.lesson(6, day: 40, applied: 0),
        ]
        // 2 (3 uses); then the 1-use lessons newest first: 4 and 5 (same day, by id), 3; then 6 (day 40), 1.
        #expect(LessonRanking.rank(lessons).map(\.id) == [2, 4, 5, 3, 6, 1].map(Self.id))
        #expect(LessonRanking.rank(lessons.reversed()).map(\.id) == [2, 4, 5, 3, 6, 1].map(Self.id))
    }

    @Test("suggestions: the current stage, same partnership or same play, never the deal's own")
    func suggestions() {
        let dealID = Self.id(60)
        let library = [
            Self.lesson(1, partnership: Self.partnershipA, play: nil, day: 1),  // same partnership
            // Same play, another partnership.
            Self.lesson(2, partnership: Self.partnershipB, play: "partner_opens_door", day: 2, applied: 2),
            Self.lesson(3, partnership: Self.partnershipB, play: "shared_customer", day: 3),  // other play: out
            Self.lesson(4, stage: "joint_discovery", day: 4),  // other stage: out
            Self.lesson(5, day: 5, deal: 60),  // the deal's own: out
            Self.lesson(6, partnership: Self.partnershipB, play: nil, day: 6),  // other partnership, no play: out
        ]
        let s = LessonRanking.suggestions(
            dealID: dealID, partnershipID: Self.partnershipA, play: "partner_opens_door", stageKey: "door_opener",
            library: library, applied: [Self.id(1)])
        #expect(s.map(\.lesson.id) == [Self.id(2), Self.id(1)])
        #expect(s.map(\.match) == [.play, .partnership])
        #expect(s.map(\.appliedOnThisDeal) == [false, true])

        // A deal whose account has no play gets its partnership's lessons only.
        let noPlay = LessonRanking.suggestions(
            dealID: dealID, partnershipID: Self.partnershipA, play: nil, stageKey: "door_opener", library: library,
            applied: [])
        #expect(noPlay.map(\.lesson.id) == [Self.id(1)])
    }
}
