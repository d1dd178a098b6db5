import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The customer's people named on a deal are kept on its joint account, in the change's unit of
/// work, and offered on the account's next deal.
@Suite("Customer contacts")
struct CustomerContactWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "booking a meeting keeps its customer attendees on the account; a later deal finds them, once per name",
        arguments: StoreKind.all)
    func keptOnTheAccount(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let deal = try await f.openDeal(w)
            for person in [f.daniel, f.marcus] {
                _ = try await w.deals.apply(
                    .recordIcpFit(fit: .strong, note: nil), to: deal.id, by: f.principal(person))
                _ = try await w.deals.apply(.commit, to: deal.id, by: f.principal(person))
            }
            _ = try await w.deals.apply(.advance(overrideReason: nil), to: deal.id, by: f.principal(f.daniel))
            _ = try await w.deals.apply(
                .nameDoorOpener(side: .partner, kind: .warmIntroduction, ownerID: f.marcus.id), to: deal.id,
                by: f.principal(f.marcus))
            _ = try await w.deals.apply(
                .bookFirstMeeting(
                    scheduledFor: f.now.addingTimeInterval(3 * 86_400),
                    attendees: [
                        Attendee(name: "Lena Park", party: .customer, title: "VP Operations"),
                        Attendee(name: "Daniel Reyes", party: .host),
                        Attendee(name: "Marcus Chen", party: .partner),
                    ]), to: deal.id, by: f.principal(f.marcus))
            var contacts = try await w.store.customerContacts(of: f.account.id)
            #expect(contacts.map(\.name) == ["Lena Park"])
            #expect(contacts.first?.title == "VP Operations")
            // The same person named again, in other spacing and case, with an e-mail: one contact,
            // which gains the e-mail and keeps its title.
            try await w.store.keepCustomerContacts(
                [.init(name: "lena  PARK", title: "Head of Ops", email: "lena@northwind.example")], on: f.account.id,
                at: f.now)
            contacts = try await w.store.customerContacts(of: f.account.id)
            #expect(contacts.count == 1)
            #expect(contacts.first?.title == "VP Operations")
            #expect(contacts.first?.email == "lena@northwind.example")
        }
    }
}
