import Foundation

extension DealEngine {
    /// The door-opener commands: naming the side that opens the door, booking the first joint meeting.
    static func applyDoorOpener(
        _ command: DealCommand, to d: inout Deal, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .nameDoorOpener(let side, let kind, let ownerID):
            try requireOpen(d)
            let owner = try person(ownerID, of: d, side: side, field: "owner_id", context: context)
            let before = d.evidence.doorOpener.doorOpener
            let move = DoorOpenerMove(side: side, kind: kind, ownerID: owner.id, ownerName: owner.name, namedAt: now)
            d.evidence.doorOpener.doorOpener = move
            ownDoorOpenerMoves(&d, owner: owner.id, name: owner.name)
            change(
                "door_opener_named",
                "\(actor.name) named \(context.company(side)) as door-opener (\(kind.title)), owned by \(owner.name).",
                before, move)

        case .bookFirstMeeting(let scheduledFor, let attendees, let zone):
            try requireOpen(d)
            if let zone, TimeZone(identifier: zone) == nil {
                throw .invalid(field: "time_zone", "\"\(zone)\" is not a time zone name such as Europe/Berlin.")
            }
            // The first joint conversation is after the deal was opened, and within a year of it.
            if LocalDate(scheduledFor) < LocalDate(d.createdAt) {
                throw .invalid(
                    field: "scheduled_for",
                    "The first joint conversation comes after the deal was opened (\(LocalDate(d.createdAt))).")
            }
            if scheduledFor > d.createdAt.addingTimeInterval(366 * 86_400) {
                throw .invalid(
                    field: "scheduled_for",
                    "The first joint conversation is within a year of opening the deal; book the date the customer agreed to."
                )
            }
            if attendees.isEmpty { throw .invalid(field: "attendees", "List who attends the meeting.") }
            if attendees.count > 100 { throw .invalid(field: "attendees", "At most 100 attendees.") }
            for (i, a) in attendees.enumerated() {
                try checkText(a.name.trimmingCharacters(in: .whitespaces), field: "attendees[\(i)].name", max: maxName)
            }
            let before = d.evidence.doorOpener.firstMeeting
            let meeting = JointMeeting(
                scheduledFor: scheduledFor, attendees: attendees, bookedBy: actor.personID, bookedAt: now,
                timeZone: zone)
            d.evidence.doorOpener.firstMeeting = meeting
            change("first_meeting_booked", "\(actor.name) booked the first joint conversation.", before, meeting)

        default: preconditionFailure("not a door-opener command: \(command)")
        }
    }
}
