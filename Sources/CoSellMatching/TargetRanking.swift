import Foundation

/// An overlap with what it is good for, ready for stage one of a deal.
public struct TargetAccount: Sendable, Codable, Hashable {
    public var host: AccountRecord
    public var partner: AccountRecord
    public var relation: OverlapRelation
    public var method: MatchMethod
    public var score: Double
    public var play: Play
    public var hostFit: Fit
    public var partnerFit: Fit
    /// Who can open the door (nil unless the play is a door-opener).
    public var doorOpener: Side?
    /// Ranking value: higher first.
    public var priority: Int
}

/// What the ranking reads of one side's account of an overlap.
public struct TargetSide: Sendable, Hashable {
    public var population: Population
    public var industry: String?
    public var employees: Int?
    public var country: String?

    public init(population: Population, industry: String? = nil, employees: Int? = nil, country: String? = nil) {
        self.population = population
        self.industry = industry
        self.employees = employees
        self.country = country
    }

    /// A side whose population is stored as text: a value that is no population ranks as a prospect.
    public init(populationNamed raw: String, industry: String?, employees: Int?, country: String?) {
        self.init(
            population: Population(rawValue: raw) ?? .prospect, industry: industry, employees: employees,
            country: country)
    }

    public init(_ r: AccountRecord) {
        self.init(population: r.population, industry: r.industry, employees: r.employees, country: r.country)
    }
}

/// How one overlap ranks as a target account.
public struct TargetAssessment: Sendable, Hashable {
    public var play: Play
    /// The host's account against the host's ideal customer profile; nil when the host has none.
    public var hostFit: Fit?
    /// The partner's account against the partner's ideal customer profile; nil when the partner has none.
    public var partnerFit: Fit?
    /// Ranking value: higher first.
    public var priority: Int

    /// Which side opens the door, if the play is a door-opener.
    public var doorOpener: Side? { play.doorOpener }
}

public enum TargetRanking {
    /// Door-openers first, then shared customers, then joint prospects.
    public static func playWeight(_ p: Play) -> Int {
        switch p {
        case .partner_opens_door, .host_opens_door: return 3
        case .shared_customer: return 2
        case .joint_prospect: return 1
        case .other: return 0
        }
    }

    /// The ranking value: both fits first (strong+strong best; any `none` counts nothing; a side without
    /// a profile counts as partial), then the play, then same_account before family.
    public static func priority(play: Play, hostFit: Fit?, partnerFit: Fit?, relation: OverlapRelation) -> Int {
        let bothFit =
            (hostFit == Fit.none || partnerFit == Fit.none) ? 0 : (hostFit?.weight ?? 1) + (partnerFit?.weight ?? 1)
        return bothFit * 100 + playWeight(play) * 10 + (relation == .same_account ? 5 : 0)
    }

    /// The play, each side's fit to its own profile (nil without one) and the priority of one overlap.
    public static func assess(
        host: TargetSide, partner: TargetSide, relation: OverlapRelation, hostProfile: IdealCustomerProfile?,
        partnerProfile: IdealCustomerProfile?
    ) -> TargetAssessment {
        let play = Play.of(host: host.population, partner: partner.population, relation: relation)
        let hf = hostProfile?.fit(industry: host.industry, employees: host.employees, country: host.country)
        let pf = partnerProfile?.fit(industry: partner.industry, employees: partner.employees, country: partner.country)
        return TargetAssessment(
            play: play, hostFit: hf, partnerFit: pf,
            priority: priority(play: play, hostFit: hf, partnerFit: pf, relation: relation))
    }

    /// Targets in rank order: higher priority first, then higher match score, then `before` (the caller's
    /// stable tie-break).
    public static func ordered<T>(
        _ items: [T], priority: (T) -> Int, score: (T) -> Double, then before: (T, T) -> Bool
    ) -> [T] {
        items.sorted {
            if priority($0) != priority($1) { return priority($0) > priority($1) }
            if score($0) != score($1) { return score($0) > score($1) }
            return before($0, $1)
        }
    }

    /// Ranks overlaps as target accounts: both fits first (strong+strong best, any `none` last), then the
    /// play (door-openers, shared customers, joint prospects), then same_account before family, then score.
    public static func rank(
        _ overlaps: [Overlap], host: AccountTable, partner: AccountTable, hostProfile: IdealCustomerProfile,
        partnerProfile: IdealCustomerProfile, includeFamilies: Bool = true
    ) -> [TargetAccount] {
        var out: [TargetAccount] = []
        for o in overlaps where includeFamilies || o.relation == .same_account {
            let h = host.record(at: o.hostIndex)
            let p = partner.record(at: o.partnerIndex)
            let a = assess(
                host: TargetSide(h), partner: TargetSide(p), relation: o.relation, hostProfile: hostProfile,
                partnerProfile: partnerProfile)
            out.append(
                TargetAccount(
                    host: h, partner: p, relation: o.relation, method: o.method, score: o.score, play: a.play,
                    hostFit: a.hostFit ?? .none, partnerFit: a.partnerFit ?? .none, doorOpener: a.doorOpener,
                    priority: a.priority))
        }
        return ordered(out, priority: \.priority, score: \.score) {
            ($0.host.id, $0.partner.id) < ($1.host.id, $1.partner.id)
        }
    }
}

extension PopulationMatrix {
    /// Counts pairs of populations, the host's first.
    public static func counting(_ pairs: [(host: Population, partner: Population)]) -> PopulationMatrix {
        var m = PopulationMatrix()
        for (h, p) in pairs { m[h, p] += 1 }
        return m
    }

    /// One row per host population, each with its counts by partner population (both in
    /// `Population.allCases` order); a partner population that is not `shown` has nil counts.
    public func rows(showingPartner shown: (Population) -> Bool) -> [(population: Population, counts: [Int?])] {
        Population.allCases.map { h in
            (h, Population.allCases.map { p in shown(p) ? self[h, p] : nil })
        }
    }
}
