import Foundation

/// The words the deal page's timeline shows for an entry's kind: a short label people read
/// ("Outcome logged") in place of the stored kind (`outcome_logged`).
enum TimelineWording {
    /// A label for every kind the deal engine writes to a deal's timeline (`DealEngine.apply` and
    /// `DealEngine.open`; the workflows' `gate_refused` and the stall check's `stalled` go to the
    /// webhooks only).
    static let labels: [String: String] = [
        // Opening and the deal's details.
        "deal_opened": "Deal opened",
        "details_updated": "Details updated",
        "icp_fit_computed": "Fit computed by account mapping",
        "door_opener_suggested": "Door-opener suggested",
        // Target account selection.
        "icp_fit_recorded": "Fit recorded",
        "committed": "Committed to the account",
        // The door-opener move.
        "door_opener_named": "Door-opener named",
        "first_meeting_booked": "First meeting booked",
        // Joint discovery.
        "brief_written": "Account brief written",
        "brief_updated": "Account brief updated",
        "brief_approved": "Account brief approved",
        "brief_withdrawn": "Account brief withdrawn",
        // Joint pursuit.
        "proof_recorded": "Proof recorded",
        "close_plan_written": "Close plan written",
        "close_plan_updated": "Close plan updated",
        "close_plan_withdrawn": "Close plan withdrawn",
        "customer_confirmed": "Customer confirmed",
        // Close, register and review.
        "outcome_logged": "Outcome logged",
        "outcome_amended": "Outcome amended",
        "registered": "Registration submitted",
        "registration_resubmitted": "Registration resubmitted",
        "registration_accepted": "Registration accepted",
        "registration_rejected": "Registration rejected",
        "registration_renewed": "Registration renewed",
        "review_recorded": "Review recorded",
        // Moves.
        "move_added": "Move added",
        "move_updated": "Move updated",
        "move_completed": "Move completed",
        "move_scheduled": "Move scheduled",
        "moves_rescheduled": "Moves rescheduled",
        "moves_added": "Review moves added",
        // Gates and stages.
        "stage_advanced": "Stage advanced",
        "gate_overridden": "Gate overridden",
        "override_requested": "Override requested",
        "moved_back": "Moved back a stage",
        "completed": "Deal completed",
        // The deal's status.
        "abandoned": "Deal abandoned",
        "reopened": "Deal reopened",
        "registration_amendment_proposed": "Registration amendment proposed",
        "registration_amended": "Registration amended",
        "registration_amendment_rejected": "Registration amendment rejected",
        "ended_by_partnership": "Ended with the partnership",
    ]

    /// The label of `kind`; a kind without one (written by an older version) reads as its words:
    /// underscores become spaces and the first letter a capital ("lead_scored" → "Lead scored").
    static func label(_ kind: String) -> String {
        if let label = labels[kind] { return label }
        let words = kind.replacingOccurrences(of: "_", with: " ").trimmingCharacters(in: .whitespaces)
        guard let first = words.first else { return "Change" }
        return first.uppercased() + words.dropFirst()
    }

    /// The moment as a `<time datetime>` value: ISO 8601 in UTC, e.g. `2026-11-18T09:00:00Z`.
    static func machineTime(_ at: Date) -> String { at.formatted(.iso8601) }
}
