import CoSellDomain
import Foundation

/// The verbs of a partnership's joint account list.
public struct JointAccountWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// An account to put on the joint list by hand, with the reason it is worth a joint deal.
    public struct NewAccount: Sendable {
        public var name: String
        public var domain: String?
        public var country: String?
        public var industry: String?
        public var employees: Int?
        public var reason: String
        public var address: CustomerAddress?

        public init(
            name: String, domain: String? = nil, country: String? = nil, industry: String? = nil,
            employees: Int? = nil, reason: String, address: CustomerAddress? = nil
        ) {
            self.name = name
            self.domain = domain
            self.country = country
            self.industry = industry
            self.employees = employees
            self.reason = reason
            self.address = address
        }
    }

    /// Adds an account to an active partnership's joint list by hand. `account` (a request's body) is
    /// read after the visibility, write and status checks; a field out of range is refused naming it.
    public func add(
        to partnershipID: UUID, by p: Principal, _ account: @escaping @Sendable () async throws -> NewAccount
    ) async throws -> JointAccount {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            guard ps.status == .active else { throw WorkflowError.conflict("The partnership has ended.") }
            let wanted = try await account()
            let name = wanted.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 200 else {
                throw WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")
            }
            let reason = wanted.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard reason.count >= 3, reason.count <= 10_000 else {
                throw WorkflowError.invalid(
                    field: "reason", "Say why the account is worth a joint deal (at least a few words).")
            }
            if let e = wanted.employees, !(0...10_000_000).contains(e) {
                throw WorkflowError.invalid(field: "employees", "employees must be between 0 and 10,000,000.")
            }
            if let d = wanted.domain, d.count > 253 {
                throw WorkflowError.invalid(field: "domain", "domain is too long.")
            }
            if let c = wanted.country, c.count > 100 {
                throw WorkflowError.invalid(field: "country", "country is too long.")
            }
            if let i = wanted.industry, i.count > 200 {
                throw WorkflowError.invalid(field: "industry", "industry is too long.")
            }
            if let a = wanted.address {
                for (key, value, limit) in [
                    ("line1", a.line1, 300), ("city", a.city, 200), ("state", a.state, 200),
                    ("postal_code", a.postalCode, 20),
                ] where (value?.count ?? 0) > limit {
                    throw WorkflowError.invalid(
                        field: "address.\(key)", "address.\(key) is longer than \(limit) characters.")
                }
            }
            let added = JointAccount(
                id: UUID(), partnershipID: ps.id, name: name, domain: wanted.domain?.lowercased(),
                country: wanted.country, industry: wanted.industry, employees: wanted.employees, origin: .added,
                reason: reason, populations: [], createdAt: now, address: wanted.address?.nonEmpty)
            try await s.insertJointAccount(added)
            return added
        }
    }
}
