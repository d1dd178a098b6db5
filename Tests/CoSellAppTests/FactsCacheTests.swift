import CoSellApp
import Testing

@Suite("Facts cache")
struct FactsCacheTests {
    @Test("COSELL_FACTS_CACHE: a count of deals, 0 for none, 300,000 when unset; anything else is refused by name")
    func capacityFromTheEnvironment() throws {
        #expect(try CoSellApp.factsCacheCapacity([:]) == 300_000)
        #expect(try CoSellApp.factsCacheCapacity(["COSELL_FACTS_CACHE": ""]) == 300_000)
        #expect(try CoSellApp.factsCacheCapacity(["COSELL_FACTS_CACHE": "0"]) == 0)
        #expect(try CoSellApp.factsCacheCapacity(["COSELL_FACTS_CACHE": "50000"]) == 50_000)
        for bad in ["-1", "lots", "1e5", " 10"] {
            let error = #expect(throws: CoSellSetupError.self) {
                try CoSellApp.factsCacheCapacity(["COSELL_FACTS_CACHE": bad])
            }
            #expect(error?.description.contains("COSELL_FACTS_CACHE") == true, "\(bad)")
            #expect(error?.description.contains("\"\(bad)\"") == true, "\(bad)")
        }
    }
}
