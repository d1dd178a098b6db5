import Foundation

/// What the engine needs besides the deal: its playbook version, the people it may name, the time.
public struct DealContext: Sendable {
    public var playbook: Playbook
    public var people: [UUID: Person]
    public var now: Date
    public var makeID: @Sendable () -> UUID
    /// The names of the deal's two companies, host and partner. With them the engine's sentences (timeline
    /// summaries, refusals, gate reports) name the company; without them they say "the host side".
    public var companyNames: SidePair<String>?
    /// How long an accepted registration protects the deal, in days (the partnership's plan says; 90 else).
    public var registrationValidityDays: Int
    /// The deal's partnership has ended: a deal closed before it can still be reviewed and completed;
    /// nothing else changes.
    public var partnershipEnded = false
    /// The host company's CRM population of the deal's account (`customer`, `open_opportunity`,
    /// `prospect`), when the caller read it: a partner-sourced registration on a customer or an open
    /// opportunity is flagged.
    public var hostPopulation: String? = nil

    public init(
        playbook: Playbook, people: [UUID: Person], now: Date, makeID: @escaping @Sendable () -> UUID = { UUID() },
        companyNames: SidePair<String>? = nil,
        registrationValidityDays: Int = CoSellPlan.defaultRegistrationValidityDays
    ) {
        self.playbook = playbook
        self.people = people
        self.now = now
        self.makeID = makeID
        self.companyNames = companyNames
        self.registrationValidityDays = registrationValidityDays
    }

    /// The company on `side` by name, when known and not blank.
    func companyName(_ side: Side) -> String? {
        guard let n = companyNames?[side]?.trimmingCharacters(in: .whitespacesAndNewlines), !n.isEmpty else {
            return nil
        }
        return n
    }

    /// The company's name, else "the host side" / "the partner side".
    func company(_ side: Side) -> String { companyName(side) ?? "the \(side.rawValue) side" }

    /// The company's name as an owner ("Halyard Security's"), else "the host side's".
    func companys(_ side: Side) -> String { company(side) + "'s" }
}

extension DealContext {
    /// A playbook move's words with the companies named ("Record Halyard Security's … fit" rather
    /// than "the partner's"), when the context knows the names.
    func wording(of move: DealMove) -> String { Self.wording(of: move, names: companyNames) }

    public static func wording(of move: DealMove, names: SidePair<String>?) -> String {
        guard move.templateKey != nil, let names else { return move.description }
        var text = move.description
        if let host = names.host, !host.isEmpty {
            text = text.replacingOccurrences(of: "the host's", with: host + "'s")
        }
        if let partner = names.partner, !partner.isEmpty {
            text = text.replacingOccurrences(of: "the partner's", with: partner + "'s")
        }
        return text
    }
}
