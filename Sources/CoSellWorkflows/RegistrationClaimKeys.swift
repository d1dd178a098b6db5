import CoSellMatching
import Foundation

/// How a registration's claim is keyed, the same in every store: the host's account behind a joint
/// account (its registrable web domain, as account mapping reads domains; else what the store knows,
/// else the joint account itself) and the CRM opportunity id.
public enum RegistrationClaimKeys {
    /// "domain:example.co.uk" for a usable domain (`https://www.Example.co.uk/x` included); nil for
    /// none, a malformed one or a free-mail domain.
    public static func domain(_ domain: String?) -> String? {
        guard let domain, let d = DomainNormalizer.shared.normalize(domain).matchable else { return nil }
        return "domain:" + d
    }

    public static func crmAccount(_ crmID: String) -> String { "crm:" + crmID }

    public static func jointAccount(_ id: UUID) -> String { "joint:" + id.uuidString.lowercased() }

    /// An opportunity id as compared: trimmed, case-insensitive; "" when none was given.
    public static func opportunity(_ id: String?) -> String {
        id?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    }
}
