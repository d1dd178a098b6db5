import Foundation
import Testing

@testable import CoSellMatching

/// The typo index (`TableIndex.fuzzyNoDomain`) and its probe (`PairContext.fuzzyProbe`): a probe looks
/// up the three blocks of its own length only, so every key must be indexed under the blocks of the
/// lengths one letter away from it.
@Suite("Typo blocks")
struct TypoBlockTests {
    /// The records of `names` (no website, so all of them are in the typo index) that a probe of
    /// `probe` finds.
    func found(_ probe: String, among names: [String]) throws -> Set<String> {
        let rows = names.enumerated().map { "p\($0.offset),\($0.element),,,,,customer\n" }.joined()
        let partner = try load(header + rows, name: "p.csv")
        let host = try load(header + "h0,\(probe),,,,,customer\n")
        let options = MatchOptions()
        let index = TableIndex(partner, minLength: options.fuzzyMinimumLength)
        let pair = PairContext(host: host, partner: partner, options: options)
        let key = host.rows[0].literalKey
        #expect(spanLength(key) == probe.utf8.count, "the probe's literal key is the name as written")
        var out: Set<String> = []
        pair.fuzzyProbe(
            host.arena + spanOffset(key), spanLength(key), index: index.fuzzyNoDomain, rows: partner.rows,
            arena: partner.arena
        ) { q, similarity in
            out.insert(names[q])
            #expect(similarity == 1 - 1 / Double(max(probe.count, names[q].count)))
        }
        return out
    }

    /// Every name one edit away from the probe (a letter changed, added or dropped after the first, or
    /// two swapped at the end), at every length from the shortest the index holds, is found; the same
    /// name and names two edits away are not.
    @Test(arguments: ["zorvanteklix", "quembarolit", "vostrikan", "kelvorax", "plandorexumativ"])
    func everyNameOneEditAwayIsFound(_ word: String) throws {
        let letters = Array(word)
        let minimum = MatchOptions().fuzzyMinimumLength
        func other(_ c: Character) -> Character { c == "y" ? "w" : "y" }
        var oneEdit: Set<String> = []
        for i in 1..<letters.count {
            var changed = letters
            changed[i] = other(letters[i])
            oneEdit.insert(String(changed))
            var dropped = letters
            dropped.remove(at: i)
            oneEdit.insert(String(dropped))
        }
        for i in 1...letters.count {
            var added = letters
            added.insert(other(i < letters.count ? letters[i] : letters[i - 1]), at: i)
            oneEdit.insert(String(added))
        }
        var twoEdits: Set<String> = []
        for i in 1..<(letters.count - 2) {
            var changed = letters
            changed[i] = other(letters[i])
            changed[i + 2] = other(letters[i + 2])
            twoEdits.insert(String(changed))
            var droppedAndChanged = changed
            droppedAndChanged.remove(at: i)
            twoEdits.insert(String(droppedAndChanged))
        }
        twoEdits.subtract(oneEdit)
        // Two neighbours swapped inside the last third (a swap across a cut between thirds breaks all
        // three blocks, and is not looked for).
        var swapped = letters
        swapped.swapAt(letters.count - 3, letters.count - 2)
        oneEdit.insert(String(swapped))
        let names = Array(oneEdit) + Array(twoEdits) + [word]
        let got = try found(word, among: names)
        let expected = oneEdit.filter { $0.count >= minimum }
        #expect(
            got == expected,
            "missing: \(expected.subtracting(got).sorted()), extra: \(got.subtracting(expected).sorted())")
        #expect(expected.contains { $0.count == word.count - 1 } == (word.count - 1 >= minimum))
        #expect(expected.contains { $0.count == word.count + 1 })
    }
}
