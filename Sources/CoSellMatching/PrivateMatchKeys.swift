import Foundation

/// The exact keys that private mapping compares, for one account. Private mapping cannot score two
/// names against each other (neither side sees the other's names), so it compares keys that are equal
/// when `cosell map` would most often call two records one company: the registrable domain with the
/// normalized name (legal form, qualifiers and punctuation removed, words brought to one form: a
/// domain alone would also match the other companies of a group), and the normalized name with the
/// country when at most one of the two records has a domain (two different domains are two companies
/// of one name).
///
/// The two roles ask for different name keys so that a name matches across a missing country but
/// never across two different countries (the rule of `cosell map`: name-only matches need the same
/// country when both sides have one):
///
/// | | the set's record has country C | the set's record has none |
/// |---|---|---|
/// | the query's record has country C | `n:name|C|…` | `n:name|-|…` |
/// | the query's record has none | `n:name|*|…` | `n:name|*|…` |
///
/// The set's record holds `n:name|C|r` (or `n:name|-|r`) and `n:name|*|r`, where `r` is `a` when it
/// has no domain and `o` when it has one; the query's record asks for `n:name|C|…` and `n:name|-|…`
/// (or only `n:name|*|…`), each with `a`, and also with `o` when it has no domain. A query with
/// country DE and a set record with FR share no key; nor do two records with domains by name alone.
public enum PrivateMatchKeys {
    /// Who holds the keys: the organization that runs `cosell private-map` (the query) or the list the
    /// server holds (the set).
    public enum Role: Sendable {
        case query
        case set
    }

    /// At most this many keys per account in either role: what bounds a run's evaluations.
    public static let maxPerAccount = 4

    /// The keys of one account. `domain` is the registrable domain that `cosell map` matches on (nil
    /// when blank or free-mail), `nameKey` the name normalizer's key, `country` an ISO code or nil.
    public static func keys(domain: String?, nameKey: String, country: String?, role: Role) -> [String] {
        guard !nameKey.isEmpty else { return [] }
        let d = (domain?.isEmpty ?? true) ? nil : domain
        let c = (country?.isEmpty ?? true) ? nil : country
        var out: [String] = []
        if let d { out.append("d:\(d)|\(nameKey)") }
        switch role {
        case .set:
            // `a`: any query may match it; `o`: only a query without a domain (two domains that differ
            // are two companies of one name).
            let reach = d == nil ? "a" : "o"
            out.append("n:\(nameKey)|\(c ?? "-")|\(reach)")
            out.append("n:\(nameKey)|*|\(reach)")
        case .query:
            let countries = c.map { [$0, "-"] } ?? ["*"]
            let reaches = d == nil ? ["a", "o"] : ["a"]
            for country in countries {
                for reach in reaches { out.append("n:\(nameKey)|\(country)|\(reach)") }
            }
        }
        return out
    }

    /// The keys of a record read from a CRM export.
    public static func keys(of record: AccountRecord, role: Role) -> [String] {
        keys(domain: record.domain.matchable, nameKey: record.nameKey, country: record.country, role: role)
    }

    /// The keys of an account stored on the server (its name normalized here, as the import did).
    public static func keys(name: String, domain: String?, country: String?, role: Role) -> [String] {
        keys(domain: domain, nameKey: NameNormalizer.shared.key(name), country: country, role: role)
    }

    /// The accounts of `query` that share a key with an account of `set`, computed directly on the two
    /// lists: what a private run must find, no more and no less.
    public static func directOverlap(query: [AccountRecord], set: [AccountRecord]) -> [Int] {
        var held = Set<String>()
        for r in set { held.formUnion(keys(of: r, role: .set)) }
        return query.indices.filter { i in keys(of: query[i], role: .query).contains(where: held.contains) }
    }
}
