import Foundation

/// What an overlap is good for.
public enum Play: String, Sendable, Codable, Hashable, CaseIterable {
    /// Host prospect or open opportunity x partner customer: the partner makes the warm introduction.
    case partner_opens_door
    /// Partner prospect or open opportunity x host customer: the host makes the introduction.
    case host_opens_door
    case shared_customer
    /// Neither side has the account as a customer yet.
    case joint_prospect
    case other

    /// The play for a pair of populations.
    public static func of(host: Population, partner: Population) -> Play {
        switch (host, partner) {
        case (.customer, .customer): return .shared_customer
        case (.prospect, .customer), (.open_opportunity, .customer): return .partner_opens_door
        case (.customer, .prospect), (.customer, .open_opportunity): return .host_opens_door
        case (.prospect, .prospect), (.prospect, .open_opportunity), (.open_opportunity, .prospect),
            (.open_opportunity, .open_opportunity):
            return .joint_prospect
        }
    }

    /// The play for an overlap: families are only worth a door-opener or shared-customer note,
    /// so family pairs between non-customers are `other`.
    public static func of(host: Population, partner: Population, relation: OverlapRelation) -> Play {
        let p = of(host: host, partner: partner)
        if relation == .same_family && p == .joint_prospect { return .other }
        return p
    }

    var index: Int {
        switch self {
        case .partner_opens_door: return 0
        case .host_opens_door: return 1
        case .shared_customer: return 2
        case .joint_prospect: return 3
        case .other: return 4
        }
    }

    /// Which side opens the door, if any.
    public var doorOpener: Side? {
        switch self {
        case .partner_opens_door: return .partner
        case .host_opens_door: return .host
        default: return nil
        }
    }
}

public enum Side: String, Sendable, Codable, Hashable { case host, partner }

/// Host populations x partner populations with counts.
public struct PopulationMatrix: Sendable, Codable, Hashable {
    /// counts[hostPopulation.order][partnerPopulation.order]
    public var counts: [[Int]]
    public init() { counts = Array(repeating: Array(repeating: 0, count: 3), count: 3) }

    public subscript(host: Population, partner: Population) -> Int {
        get { counts[host.order][partner.order] }
        set { counts[host.order][partner.order] = newValue }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Counts overlaps (optionally only one relation).
    public static func from(
        _ overlaps: [Overlap], host: AccountTable, partner: AccountTable, relation: OverlapRelation? = nil
    ) -> PopulationMatrix {
        var m = PopulationMatrix()
        for o in overlaps where relation == nil || o.relation == relation {
            m.counts[Int(host.rows[o.hostIndex].population)][Int(partner.rows[o.partnerIndex].population)] += 1
        }
        return m
    }

    /// A plain text table, e.g.
    /// ```
    /// host \ partner     customer  open_opportunity  prospect    total
    /// customer                 12                 3        40       55
    /// ```
    public func renderText(title: String? = nil) -> String {
        let pops = Population.allCases
        let rowHeader = "host \\ partner"
        let colNames = pops.map(\.rawValue) + ["total"]
        var rows: [[String]] = []
        for h in pops {
            let cells = pops.map { self[h, $0] }
            rows.append([h.rawValue] + cells.map(String.init) + [String(cells.reduce(0, +))])
        }
        let colTotals = pops.map { p in pops.reduce(0) { $0 + self[$1, p] } }
        rows.append(["total"] + colTotals.map(String.init) + [String(total)])
        let firstWidth = max(rowHeader.count, rows.map { $0[0].count }.max() ?? 0)
        var widths = colNames.map(\.count)
        for r in rows { for (i, c) in r.dropFirst().enumerated() { widths[i] = max(widths[i], c.count) } }
        func pad(_ s: String, _ w: Int, left: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return left ? s + fill : fill + s
        }
        var lines: [String] = []
        if let title { lines.append(title) }
        lines.append(
            ([pad(rowHeader, firstWidth, left: true)] + colNames.enumerated().map { pad($1, widths[$0], left: false) })
                .joined(separator: "  "))
        for r in rows {
            lines.append(
                ([pad(r[0], firstWidth, left: true)]
                    + r.dropFirst().enumerated().map { pad($1, widths[$0], left: false) })
                    .joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Fit of an account to an ideal customer profile.
public enum Fit: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case strong, partial, none
    public static func < (a: Fit, b: Fit) -> Bool { a.weight > b.weight }
    public var weight: Int {
        switch self {
        case .strong: return 2
        case .partial: return 1
        case .none: return 0
        }
    }
}

/// An organization's ideal customer profile. Empty criteria are not checked.
public struct IdealCustomerProfile: Sendable, Codable, Hashable {
    /// Industries (matched case-insensitively, trimmed).
    public var industries: Set<String>
    public var employeeRange: ClosedRange<Int>?
    /// Countries as written or as ISO codes; normalized like account countries.
    public var countries: Set<String>

    public init(industries: Set<String> = [], employeeRange: ClosedRange<Int>? = nil, countries: Set<String> = []) {
        self.industries = industries
        self.employeeRange = employeeRange
        self.countries = countries
    }

    /// strong: every stated criterion holds; partial: some do; none: none do.
    /// A record with an unknown value fails that criterion.
    public func fit(industry: String?, employees: Int?, country: String?) -> Fit {
        var total = 0
        var met = 0
        if !industries.isEmpty {
            total += 1
            let wanted = Set(industries.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            if let i = industry?.trimmingCharacters(in: .whitespaces).lowercased(), wanted.contains(i) { met += 1 }
        }
        if let r = employeeRange {
            total += 1
            if let e = employees, r.contains(e) { met += 1 }
        }
        if !countries.isEmpty {
            total += 1
            let wanted = Set(countries.compactMap { CountryNormalizer.normalize($0) })
            if let c = country.flatMap({ CountryNormalizer.normalize($0) }), wanted.contains(c) { met += 1 }
        }
        if met == total { return .strong }
        return met > 0 ? .partial : .none
    }

    public func fit(_ r: AccountRecord) -> Fit { fit(industry: r.industry, employees: r.employees, country: r.country) }
}
