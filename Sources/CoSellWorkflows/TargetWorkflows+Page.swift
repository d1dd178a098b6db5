import CoSellDomain
import CoSellMatching
import Foundation

extension TargetWorkflows {
    /// Which fits a target must have, from each side's `Fit` to its own ideal customer profile
    /// (strong, partial, none, or unknown when that company has no profile).
    public enum FitFilter: String, Sendable, CaseIterable {
        /// Both accounts fit their company's profile strongly.
        case both_strong
        /// Both accounts fit their company's profile, strongly or partly.
        case both_fit
        /// Your account fits your profile, strongly or partly.
        case you_fit
        /// The partner's account fits the partner's profile, strongly or partly.
        case they_fit
        /// At least one account does not fit its company's profile at all.
        case no_fit
        /// At least one company has no profile yet, so its fit is unknown.
        case unknown

        public func matches(yours: CoSellMatching.Fit?, theirs: CoSellMatching.Fit?) -> Bool {
            func fits(_ f: CoSellMatching.Fit?) -> Bool { f == .strong || f == .partial }
            switch self {
            case .both_strong: return yours == .strong && theirs == .strong
            case .both_fit: return fits(yours) && fits(theirs)
            case .you_fit: return fits(yours)
            case .they_fit: return fits(theirs)
            case .no_fit: return yours == CoSellMatching.Fit.none || theirs == CoSellMatching.Fit.none
            case .unknown: return yours == nil || theirs == nil
            }
        }
    }

    /// What the targets page asks of the ranked list; nil fields do not filter.
    public struct TargetFilter: Sendable, Equatable {
        /// Part of an account's name or domain, in either company's record, compared without case or accents.
        public var text: String?
        /// Your account's population.
        public var population: Population?
        /// The partner's account's population.
        public var partnerPopulation: Population?
        public var play: Play?
        public var fit: FitFilter?
        public var relation: OverlapRelation?

        public init(
            text: String? = nil, population: Population? = nil, partnerPopulation: Population? = nil,
            play: Play? = nil, fit: FitFilter? = nil, relation: OverlapRelation? = nil
        ) {
            self.text = text
            self.population = population
            self.partnerPopulation = partnerPopulation
            self.play = play
            self.fit = fit
            self.relation = relation
        }

        public var isEmpty: Bool { self == TargetFilter() }
    }

    /// One page of the ranked targets that pass a filter, with the counts that explain the whole list.
    public struct TargetPage: Sendable {
        /// The targets of this page, in rank order.
        public var items: [RankedTarget]
        /// How many targets pass the filter.
        public var matched: Int
        /// The first item's index among the matched targets (0-based), after clamping.
        public var offset: Int
        public var limit: Int
        /// Every target, unfiltered: the same company in both CRMs (what the population matrix counts)…
        public var sameAccount: Int
        /// …and a different company of the same group (same registrable domain).
        public var sameFamily: Int

        public var total: Int { sameAccount + sameFamily }
        public var hasPrevious: Bool { offset > 0 }
        public var hasNext: Bool { offset + items.count < matched }
        public var previousOffset: Int { max(0, offset - limit) }
        public var nextOffset: Int { offset + limit }
    }

    /// Text as search compares it: without case, accents or surrounding blanks.
    public static func searchKey(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Filters the ranked targets (keeping their order) and cuts one page of `limit` from `offset`; an
    /// offset past the end shows the last page, a negative one the first. Pure: the page's whole work.
    public static func page(_ ranked: [RankedTarget], filter: TargetFilter, offset: Int, limit: Int) -> TargetPage {
        let limit = max(1, limit)
        let needle = filter.text.map(searchKey).flatMap { $0.isEmpty ? nil : $0 }
        var sameFamily = 0
        var matched: [RankedTarget] = []
        for t in ranked {
            if t.relation == OverlapRelation.same_family.rawValue { sameFamily += 1 }
            if let r = filter.relation, t.relation != r.rawValue { continue }
            if let p = filter.population, t.yours.population != p.rawValue { continue }
            if let p = filter.partnerPopulation, t.partners.population != p.rawValue { continue }
            if let p = filter.play, t.play != p { continue }
            if let f = filter.fit, !f.matches(yours: t.yourFit, theirs: t.partnerFit) { continue }
            if let needle {
                let fields = [t.yours.name, t.yours.domain, t.partners.name, t.partners.domain]
                guard fields.contains(where: { $0.map { searchKey($0).contains(needle) } ?? false }) else { continue }
            }
            matched.append(t)
        }
        let lastStart = matched.isEmpty ? 0 : (matched.count - 1) / limit * limit
        let start = min(max(0, offset), lastStart)
        return TargetPage(
            items: Array(matched[start..<min(matched.count, start + limit)]), matched: matched.count, offset: start,
            limit: limit, sameAccount: ranked.count - sameFamily, sameFamily: sameFamily)
    }
}
