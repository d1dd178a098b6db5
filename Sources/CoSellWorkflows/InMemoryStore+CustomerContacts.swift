import CoSellDomain
import Foundation

extension InMemoryStore {
    public func keepCustomerContacts(_ named: [CustomerContacts.Named], on jointAccountID: UUID, at: Date) async throws
    {
        write { s in
            for n in named {
                let key = CustomerContact.key(n.name)
                if let i = s.customerContacts.firstIndex(where: {
                    $0.jointAccountID == jointAccountID && CustomerContact.key($0.name) == key
                }) {
                    if s.customerContacts[i].title == nil, let t = n.title {
                        s.customerContacts[i].title = t
                        s.customerContacts[i].updatedAt = at
                    }
                    if s.customerContacts[i].email == nil, let e = n.email {
                        s.customerContacts[i].email = e
                        s.customerContacts[i].updatedAt = at
                    }
                } else {
                    s.customerContacts.append(
                        CustomerContact(
                            id: UUID(), jointAccountID: jointAccountID, name: n.name, title: n.title, email: n.email,
                            createdAt: at, updatedAt: at))
                }
            }
        }
    }

    public func customerContacts(of jointAccountID: UUID) async throws -> [CustomerContact] {
        read { s in
            s.customerContacts.filter { $0.jointAccountID == jointAccountID }.sorted { $0.name < $1.name }
        }
    }
}
