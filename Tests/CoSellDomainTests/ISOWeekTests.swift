import CoSellDomain
import Foundation
import Testing

@Suite("ISO weeks")
struct ISOWeekTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("2026-W48 runs from Monday 23 November 00:00 UTC to Monday 30 November")
    func boundaries() throws {
        let w = try #require(ISOWeek("2026-W48"))
        #expect(w.start == Self.at("2026-11-23T00:00:00Z"))
        #expect(w.end == Self.at("2026-11-30T00:00:00Z"))
        #expect(w.monday == LocalDate("2026-11-23"))
        #expect(w.sunday == LocalDate("2026-11-29"))
        #expect(w.contains(Self.at("2026-11-23T00:00:00Z")))
        #expect(w.contains(Self.at("2026-11-29T23:59:59Z")))
        #expect(!w.contains(Self.at("2026-11-30T00:00:00Z")))
        #expect(!w.contains(Self.at("2026-11-22T23:59:59Z")))
        #expect(ISOWeek(containing: Self.at("2026-11-26T12:00:00Z")) == w)
        #expect(ISOWeek(containing: Self.at("2026-11-22T23:59:59Z")).description == "2026-W47")
        #expect(w.previous.description == "2026-W47")
        #expect(w.next.description == "2026-W49")
    }

    @Test("2026 has 53 weeks: 2026-W53 ends on 4 January 2027, where 2027-W01 starts")
    func weekYearEdge() throws {
        #expect(ISOWeek.weeks(in: 2026) == 53)  // 1 January 2026 is a Thursday
        #expect(ISOWeek.weeks(in: 2027) == 52)
        #expect(ISOWeek.weeks(in: 2020) == 53)  // a leap year starting on a Wednesday
        #expect(ISOWeek.weeks(in: 2025) == 52)  // starts on a Wednesday, not a leap year
        let w53 = try #require(ISOWeek("2026-W53"))
        #expect(w53.start == Self.at("2026-12-28T00:00:00Z"))
        #expect(w53.end == Self.at("2027-01-04T00:00:00Z"))
        #expect(ISOWeek(containing: Self.at("2027-01-01T09:00:00Z")) == w53)
        #expect(ISOWeek(containing: Self.at("2027-01-03T23:59:59Z")) == w53)
        let w1 = try #require(ISOWeek("2027-W01"))
        #expect(ISOWeek(containing: Self.at("2027-01-04T00:00:00Z")) == w1)
        #expect(w53.next == w1)
        #expect(w1.previous == w53)
        // 31 December 2025 (a Wednesday) is in week 1 of 2026.
        #expect(ISOWeek(containing: Self.at("2025-12-31T12:00:00Z")).description == "2026-W01")
        #expect(try #require(ISOWeek("2026-W01")).start == Self.at("2025-12-29T00:00:00Z"))
        #expect(ISOWeek("2027-W53") == nil)
    }

    @Test("parsing is strict and says what is wrong")
    func parsing() {
        for bad in ["2026-48", "2026-W4", "2026W48", "2026-w48", "2026-W00", "", "2026-W488", " 2026-W48", "０２６-W48"] {
            #expect(ISOWeek(bad) == nil, "\(bad)")
        }
        #expect(
            throws: ISOWeekError(
                message: "2027 has 52 ISO weeks (2027-W01 to 2027-W52); \"2027-W53\" is not one of them.")
        ) {
            try ISOWeek.parse("2027-W53")
        }
        #expect(throws: ISOWeekError(message: "\"last week\" is not an ISO week such as 2026-W48 (YYYY-Www).")) {
            try ISOWeek.parse("last week")
        }
        #expect(throws: ISOWeekError.self) { try ISOWeek.parse("0000-W01") }
    }

    @Test("weeks encode as their text and sort in time order")
    func coding() throws {
        let w = try #require(ISOWeek("2026-W09"))
        let data = try JSONEncoder().encode([w])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-W09\"]")
        #expect(try JSONDecoder().decode([ISOWeek].self, from: data) == [w])
        let w53 = try #require(ISOWeek("2026-W53"))
        let w1 = try #require(ISOWeek("2027-W01"))
        #expect(w53 < w1)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ISOWeek].self, from: Data("[\"2026-53\"]".utf8))
        }
    }
}
