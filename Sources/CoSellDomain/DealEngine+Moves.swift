import Foundation

extension DealEngine {
    /// The commands on a deal's moves: adding one, changing its owner, due day or done state.
    static func applyMoves(
        _ command: DealCommand, to d: inout Deal, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        let now = context.now
        switch command {
        case .addMove(let stageKey, let description, let side, let ownerID, let dueOn):
            try requireInPlay(d)
            guard context.playbook.stageIndex(forKey: stageKey) != nil else {
                throw .invalid(field: "stage", "\"\(stageKey)\" is not a stage of this playbook.")
            }
            let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
            try checkText(text, field: "description", max: maxName)
            var move = DealMove(
                id: context.makeID(), stageKey: stageKey, templateKey: nil, description: text, side: side, dueOn: dueOn)
            if let ownerID {
                let owner = try moveOwner(ownerID, for: move, deal: d, context: context)
                move.ownerID = owner.id
                move.ownerName = owner.name
            }
            d.moves.append(move)
            change("move_added", "\(actor.name) added a move: \(text).", nil as DealMove?, move)

        case .updateMove(let moveID, let ownerID, let dueOn, let done):
            try requireInPlay(d)
            guard let i = d.moves.firstIndex(where: { $0.id == moveID }) else {
                throw .notFound(field: "move_id", "This deal has no move with that id.")
            }
            let before = d.moves[i]
            if let ownerID {
                let owner = try moveOwner(ownerID, for: before, deal: d, context: context)
                d.moves[i].ownerID = owner.id
                d.moves[i].ownerName = owner.name
            }
            if let dueOn { d.moves[i].dueOn = dueOn }
            if let done { d.moves[i].doneAt = done ? (before.doneAt ?? now) : nil }
            change("move_updated", "\(actor.name) updated the move \"\(before.description)\".", before, d.moves[i])
            if before.doneAt == nil, d.moves[i].doneAt != nil {
                scheduleMovesAfter([moveID], in: &d, playbook: context.playbook, change: &change)
            }

        default: preconditionFailure("not a move command: \(command)")
        }
    }
}
