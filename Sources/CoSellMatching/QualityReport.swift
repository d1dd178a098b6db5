import Foundation

/// Precision and recall of a run against the truth: per record pair and per host account.
public struct QualityReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// True same_account pairs (host record x partner record of one company).
    public var truePairs = 0
    public var predictedSameAccount = 0
    public var correctSameAccount = 0
    public var predictedFamily = 0
    /// Family pairs whose records really are in one family (or one company).
    public var correctFamily = 0
    /// Host accounts with at least one true counterpart in the partner file.
    public var hostAccountsWithTrueMatch = 0
    /// Host accounts with at least one predicted same_account partner.
    public var hostAccountsPredicted = 0
    /// Host accounts whose predicted same_account partners are all right.
    public var hostAccountsAllCorrect = 0
    /// Host accounts with a true counterpart that got at least one right partner.
    public var hostAccountsFound = 0

    public init() {}

    /// Pair level: predicted same_account pairs that are right.
    public var precision: Double {
        predictedSameAccount == 0 ? 1 : Double(correctSameAccount) / Double(predictedSameAccount)
    }
    /// Pair level: true pairs that were predicted.
    public var recall: Double { truePairs == 0 ? 1 : Double(correctSameAccount) / Double(truePairs) }
    /// Account level: matched host accounts whose matches are all right.
    public var accountPrecision: Double {
        hostAccountsPredicted == 0 ? 1 : Double(hostAccountsAllCorrect) / Double(hostAccountsPredicted)
    }
    /// Account level: host accounts with a counterpart that were matched to it.
    public var accountRecall: Double {
        hostAccountsWithTrueMatch == 0 ? 1 : Double(hostAccountsFound) / Double(hostAccountsWithTrueMatch)
    }
    public var familyPrecision: Double { predictedFamily == 0 ? 1 : Double(correctFamily) / Double(predictedFamily) }

    public var description: String {
        String(
            format:
                "same_account pairs: precision %.4f, recall %.4f (%d predicted, %d correct, %d true); host accounts: precision %.4f, recall %.4f; same_family: %d predicted, precision %.4f",
            precision, recall, predictedSameAccount, correctSameAccount, truePairs, accountPrecision, accountRecall,
            predictedFamily, familyPrecision)
    }

    public static func evaluate(
        _ overlaps: [(hostId: String, partnerId: String, relation: OverlapRelation)], truth: GroundTruth
    ) -> QualityReport {
        var r = QualityReport()
        r.truePairs = truth.trueSameAccountPairs
        var partnerEntities = Set<Int32>()
        for (_, e) in truth.partnerEntity { partnerEntities.insert(e) }
        for (_, e) in truth.hostEntity where partnerEntities.contains(e) { r.hostAccountsWithTrueMatch += 1 }
        var perHost: [String: (right: Int, wrong: Int)] = [:]
        for o in overlaps {
            let he = truth.hostEntity[o.hostId]
            let pe = truth.partnerEntity[o.partnerId]
            switch o.relation {
            case .same_account:
                r.predictedSameAccount += 1
                let right = he != nil && he == pe
                if right { r.correctSameAccount += 1 }
                var c = perHost[o.hostId] ?? (0, 0)
                if right { c.right += 1 } else { c.wrong += 1 }
                perHost[o.hostId] = c
            case .same_family:
                r.predictedFamily += 1
                let hf = truth.hostFamily[o.hostId]
                let pf = truth.partnerFamily[o.partnerId]
                if hf != nil && hf == pf { r.correctFamily += 1 }
            }
        }
        r.hostAccountsPredicted = perHost.count
        r.hostAccountsAllCorrect = perHost.values.filter { $0.wrong == 0 }.count
        r.hostAccountsFound = perHost.values.filter { $0.right > 0 }.count
        return r
    }

    /// Evaluates an overlaps CSV file as written by `AccountMapping`.
    public static func evaluate(overlapsCSV: Data, truth: GroundTruth) throws(AccountImportError) -> QualityReport {
        let rows = try CSV.parse(overlapsCSV)
        let list = rows.dropFirst().compactMap { r -> (String, String, OverlapRelation)? in
            guard r.count >= 3, let rel = OverlapRelation(rawValue: r[2]) else { return nil }
            return (r[0], r[1], rel)
        }
        return evaluate(list.map { (hostId: $0.0, partnerId: $0.1, relation: $0.2) }, truth: truth)
    }
}
