import Foundation

/// A lesson as the lesson library keeps it: with the deal it came from.
public struct CapturedLesson: Sendable, Equatable {
    public var dealID: UUID
    public var lesson: Lesson

    public init(dealID: UUID, lesson: Lesson) {
        self.dealID = dealID
        self.lesson = lesson
    }
}
