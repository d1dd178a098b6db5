import CoSellMatching
import CoSellWorkflows
import Foundation

/// What the targets page is asked: a search, the filters and the page's offset. Written into links by
/// `SiteRoute.targets` (`queryString`) and read from the request by `parse`; a value the page does not
/// know is refused with 422 naming the parameter, never ignored.
public struct TargetQuery: Sendable, Equatable {
    /// Part of an account's name or domain, in either company's record.
    public var q: String?
    /// Your account's population.
    public var population: Population?
    /// The partner's account's population.
    public var partnerPopulation: Population?
    public var play: Play?
    public var fit: TargetWorkflows.FitFilter?
    public var relation: OverlapRelation?
    public var offset: Int?

    public static let maxSearchLength = 200

    public init(
        q: String? = nil, population: Population? = nil, partnerPopulation: Population? = nil, play: Play? = nil,
        fit: TargetWorkflows.FitFilter? = nil, relation: OverlapRelation? = nil, offset: Int? = nil
    ) {
        self.q = q
        self.population = population
        self.partnerPopulation = partnerPopulation
        self.play = play
        self.fit = fit
        self.relation = relation
        self.offset = offset
    }

    public var filter: TargetWorkflows.TargetFilter {
        .init(
            text: q, population: population, partnerPopulation: partnerPopulation, play: play, fit: fit,
            relation: relation)
    }

    /// The same search and filters at another offset (nil or 0: the first page).
    public func at(offset: Int?) -> TargetQuery {
        var q = self
        q.offset = offset == 0 ? nil : offset
        return q
    }

    /// The query string, without `?`: only the parameters that are set, in a fixed order.
    var queryString: String {
        var parts: [String] = []
        if let q, !q.isEmpty { parts.append("q=" + queryValue(q)) }
        if let population { parts.append("population=" + population.rawValue) }
        if let partnerPopulation { parts.append("partner_population=" + partnerPopulation.rawValue) }
        if let play { parts.append("play=" + play.rawValue) }
        if let fit { parts.append("fit=" + fit.rawValue) }
        if let relation { parts.append("relation=" + relation.rawValue) }
        if let offset, offset > 0 { parts.append("offset=\(offset)") }
        return parts.joined(separator: "&")
    }

    /// Reads the query from its parameters (`value(name)`: the decoded value, nil when absent); a blank
    /// value is no filter (the form's "Any").
    static func parse(_ value: (String) -> String?) throws -> TargetQuery {
        func text(_ name: String) -> String? {
            guard let v = value(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ what: String, _: T.Type) throws -> T?
        where T.RawValue == String {
            guard let raw = text(name) else { return nil }
            guard let v = T(rawValue: raw) else {
                let known = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem.invalid(name, "The \(what) \"\(raw.prefix(60))\" is not one of: \(known).")
            }
            return v
        }
        var query = TargetQuery()
        if let q = text("q") {
            guard q.count <= maxSearchLength else {
                throw Problem.invalid("q", "Search for at most \(maxSearchLength) characters.")
            }
            query.q = q
        }
        query.population = try choice("population", "population", Population.self)
        query.partnerPopulation = try choice("partner_population", "partner population", Population.self)
        query.play = try choice("play", "play", Play.self)
        query.fit = try choice("fit", "fit filter", TargetWorkflows.FitFilter.self)
        query.relation = try choice("relation", "relation", OverlapRelation.self)
        if let raw = text("offset") {
            guard let n = Int(raw), n >= 0, n <= 10_000_000 else {
                throw Problem.invalid("offset", "The offset \"\(raw.prefix(20))\" is not a whole number of 0 or more.")
            }
            query.offset = n == 0 ? nil : n
        }
        return query
    }
}
