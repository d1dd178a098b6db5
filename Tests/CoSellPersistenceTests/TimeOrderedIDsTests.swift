import CoSellDomain
import Foundation
import Testing

@testable import CoSellPersistence

@Suite("Time-ordered account ids")
struct TimeOrderedIDsTests {
    @Test("every id sorts after the one before, as text and as bytes, and is a version 7 id")
    func ordered() {
        var ids = TimeOrderedIDs(at: Date(timeIntervalSince1970: 1_780_000_000))
        var previous = ids.next()
        for _ in 0..<100_000 {
            let id = ids.next()
            #expect(previous.uuidString < id.uuidString)
            #expect(previous.order < id.order)
            previous = id
        }
        let text = Array(previous.uuidString)
        #expect(text[14] == "7")  // version
        #expect("89AB".contains(text[19]))  // RFC 9562 variant
    }

    @Test("ids made at a later time sort after, and two generators at one time do not collide")
    func laterAndDistinct() {
        var early = TimeOrderedIDs(at: Date(timeIntervalSince1970: 1_780_000_000))
        var late = TimeOrderedIDs(at: Date(timeIntervalSince1970: 1_780_000_000.002))
        var again = TimeOrderedIDs(at: Date(timeIntervalSince1970: 1_780_000_000))
        let a = early.next()
        #expect(a.uuidString < late.next().uuidString)
        #expect(a != again.next())
    }
}
