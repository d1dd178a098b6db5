import CoSellDomain
import Foundation

// Response bodies of the JSON API that add to the domain values.

struct GateView: Encodable {
    var stageKey: String
    var stageName: String
    var criterion: String
    var open: Bool
    var met: Int
    var total: Int
    var parts: [GatePart]

    init(_ r: GateReport) {
        stageKey = r.stageKey
        stageName = r.stageName
        criterion = r.criterion
        open = r.isOpen
        met = r.metCount
        total = r.parts.count
        parts = r.parts
    }
}

/// A deal with where it stands: its stage, its gate and whether it is stalled.
struct DealView: Encodable {
    var deal: Deal
    var stageKey: String
    var stageName: String
    var gate: GateView
    var stalled: Bool

    init(_ deal: Deal, playbook: Playbook, now: Date) {
        self.deal = deal
        let stage = playbook.stages[deal.stageIndex]
        stageKey = stage.key
        stageName = stage.name
        gate = GateView(Gate.evaluate(deal, stage: stage, in: playbook))
        stalled = DealDiagnostics.stall(of: deal, playbook: playbook, now: now).stalled
    }
}

struct ListView<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
}

struct Health: Encodable {
    var status: String
    var database: String
    var schemaVersion: Int
    var expectedSchemaVersion: Int
    var version: String
}

struct Me: Encodable {
    var person: Person
    var organization: Organization
    var scope: String
}
