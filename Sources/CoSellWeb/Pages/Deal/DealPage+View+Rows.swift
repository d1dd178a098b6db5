import CoSellDomain
import Foundation

/// Repeated rows of fields (attendees, stakeholders, milestones): one row per item, each field
/// with its own label and error, companies named, and the people of both companies offered.
extension DealPageView.Renderer {
    enum Column {
        case text(String, String, list: String? = nil)
        case party(String, String)
        case date(String, String)

        var name: String {
            switch self {
            case .text(let n, _, _), .party(let n, _), .date(let n, _): return n
            }
        }
    }

    /// Time zones offered for a meeting: UTC, then the usual business zones.
    static let timeZones = [
        "UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
        "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Amsterdam", "Europe/Zurich",
        "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
    ]

    func rowsFieldset(
        _ action: String, legend: String, rows existing: [[String: String]], columns: [Column]
    ) -> Node {
        let maxRows = DealPageController.maxRows
        let sent = state(action)?.values ?? [:]
        let lastSent =
            (1...maxRows).last { n in columns.contains { !(sent["\($0.name)_\(n)"] ?? "").isEmpty } } ?? 0
        let count = min(maxRows, max(3, existing.count + 2, lastSent))
        return el("fieldset", .cls("rows")) {
            el("legend") { legend }
            for n in 1...count {
                el("div", .cls("row-fields"), Attr("role", "group"), .aria("label", "Row \(n)")) {
                    for c in columns {
                        let field = "\(c.name)_\(n)"
                        let shown =
                            state(action) != nil
                            ? sent[field]
                            : existing.indices.contains(n - 1)
                                ? existing[n - 1][c.name] : nil
                        switch c {
                        case .text(_, let label, let list):
                            Layout.field(
                                field, label, value: shown, error: error(action, field), formID: action,
                                extra: list.map { [Attr("list", $0), Attr("autocomplete", "off")] } ?? [])
                        case .date(_, let label):
                            Layout.field(
                                field, label, value: shown, type: "date", error: error(action, field), formID: action)
                        case .party(_, let label):
                            Layout.select(
                                field, label,
                                options: [Party.host, .partner, .customer].map { ($0.rawValue, partyName($0)) },
                                selected: shown, error: error(action, field), formID: action, includeBlank: true)
                        }
                    }
                }
            }
        }
    }

    /// The names a person may pick from: both companies' people, and the customer's people kept on
    /// the joint account (named on this deal or an earlier one), with their titles.
    func peopleList() -> Node {
        let customer =
            m.contacts.map { ($0.name, $0.title) }
            + CustomerContacts.named(in: d).map { ($0.name, $0.title) }
        let people = m.people.filter { $0.deactivatedAt == nil && d.side(of: $0.organizationID) != nil }
        var seen: Set<String> = []
        return el("datalist", .id("people-\(d.id.uuidString.prefix(8))")) {
            for p in people where seen.insert(CustomerContact.key(p.name)).inserted {
                el("option", .value(p.name)) { d.side(of: p.organizationID).map(company) ?? "" }
            }
            for (name, title) in customer where seen.insert(CustomerContact.key(name)).inserted {
                el("option", .value(name)) { (title.map { $0 + ", " } ?? "") + "\(d.accountName) (the customer)" }
            }
        }
    }
}
