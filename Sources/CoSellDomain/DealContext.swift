import Foundation

/// What the engine needs besides the deal: its playbook version, the people it may name, the time.
public struct DealContext: Sendable {
    public var playbook: Playbook
    public var people: [UUID: Person]
    public var now: Date
    public var makeID: @Sendable () -> UUID

    public init(
        playbook: Playbook, people: [UUID: Person], now: Date, makeID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.playbook = playbook
        self.people = people
        self.now = now
        self.makeID = makeID
    }
}
