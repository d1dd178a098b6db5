import Foundation

/// How the engine keeps a deal's moves in step with its evidence and its stage:
///
/// - A move made from a template completes itself once every gate part it produces is met
///   (`MoveTemplate.producedParts`, checked against the gate of the move's own stage), so recording
///   the evidence is enough; moves added by hand and moves already done are left as they are.
/// - A move whose due date counts from another move (`Stage.dueAnchor(of:)`) has none until that
///   move is done; then it is due that day plus its `dueAfterDays`.
/// - A stage entered again (moving back, or advancing into a stage the deal had left) has its moves
///   not yet done due again, counted from the day it is entered.
extension DealEngine {
    /// The day `days` whole days after `date`.
    static func dueDay(_ date: Date, plus days: Int) -> LocalDate {
        LocalDate(date.addingTimeInterval(Double(days) * 86_400))
    }

    /// Whether the command records evidence (after which moves complete themselves).
    static func recordsEvidence(_ command: DealCommand) -> Bool {
        switch command {
        case .recordIcpFit, .commit, .nameDoorOpener, .bookFirstMeeting, .writeBrief, .approveBrief, .withdrawBrief,
            .recordProof, .writeClosePlan, .withdrawClosePlan, .recordCustomerConfirmation, .recordOutcome, .register,
            .acceptRegistration, .rejectRegistration, .recordReview:
            return true
        case .updateDetails, .addMove, .updateMove, .advance, .moveBack, .abandon, .reopen, .endByPartnership,
            .amendOutcome,
            .renewRegistration, .proposeRegistrationAmendment, .decideRegistrationAmendment:
            return false
        }
    }

    /// Completes every move not yet done, made from a template, whose produced gate parts are all met in
    /// the gate of its own stage (only moves of `stageKeys`, when given); then gives the moves that count
    /// from a completed move their due dates. One timeline entry per completed move, worded by `summary`.
    /// Returns the completed moves' ids.
    @discardableResult
    static func completeMovesByEvidence(
        _ d: inout Deal, playbook: Playbook, now: Date, stageKeys: Set<String>? = nil,
        summary: (DealMove) -> String, change: inout DealChangeLog
    ) -> [UUID] {
        var reports: [String: Set<String>] = [:]
        var completed: [UUID] = []
        for i in d.moves.indices {
            let move = d.moves[i]
            guard move.doneAt == nil, let key = move.templateKey, stageKeys?.contains(move.stageKey) ?? true else {
                continue
            }
            let produced = MoveTemplate.producedParts[key] ?? []
            guard !produced.isEmpty, let stage = playbook.stage(forKey: move.stageKey) else { continue }
            if reports[stage.key] == nil {
                reports[stage.key] = Set(Gate.evaluate(d, stage: stage, in: playbook).parts.filter(\.met).map(\.key))
            }
            guard produced.allSatisfy({ reports[stage.key]!.contains($0) }) else { continue }
            d.moves[i].doneAt = now
            completed.append(move.id)
            change("move_completed", summary(move), move, d.moves[i])
        }
        scheduleMovesAfter(completed, in: &d, playbook: playbook, change: &change)
        return completed
    }

    /// After the moves `doneIDs` were done: every move not yet done of the same stage whose due date
    /// counts from one of them is due on the day it was done plus its `dueAfterDays`. A due date already
    /// set on or after that day (set by hand) is kept; one before it, or none, is replaced.
    static func scheduleMovesAfter(
        _ doneIDs: [UUID], in d: inout Deal, playbook: Playbook, change: inout DealChangeLog
    ) {
        for id in doneIDs {
            guard let anchor = d.moves.first(where: { $0.id == id }), let anchorKey = anchor.templateKey,
                let doneAt = anchor.doneAt, let stage = playbook.stage(forKey: anchor.stageKey)
            else { continue }
            let doneOn = LocalDate(doneAt)
            for template in stage.moves where stage.dueAnchor(of: template) == anchorKey {
                for i in d.moves.indices
                where d.moves[i].stageKey == stage.key && d.moves[i].templateKey == template.key
                    && d.moves[i].doneAt == nil
                {
                    if let due = d.moves[i].dueOn, due >= doneOn { continue }
                    let before = d.moves[i]
                    d.moves[i].dueOn = dueDay(doneAt, plus: template.dueAfterDays)
                    change(
                        "move_scheduled",
                        "\"\(before.description)\" is now due on \(d.moves[i].dueOn!): \(template.dueAfterDays) day\(template.dueAfterDays == 1 ? "" : "s") after \"\(anchor.description)\" was done.",
                        before, d.moves[i])
                }
            }
        }
    }

    /// When the deal enters the stage at `index` again: its moves not yet done are due again, counted
    /// from `now`. A move made from a template is due `dueAfterDays` from now (one that counts from
    /// another move: from now when that move is done, else it has no due date). A move added by hand
    /// keeps its due date unless that day has passed; then it gets back the time it had left when the
    /// deal last left the stage, counted from now, and is due today at the earliest. One timeline entry
    /// lists the moves whose due date changed.
    static func redateOpenMoves(
        ofStageAt index: Int, in d: inout Deal, playbook: Playbook, now: Date, change: inout DealChangeLog
    ) {
        let stage = playbook.stages[index]
        let today = LocalDate(now)
        let lastExit = d.passages.last { $0.stageKey == stage.key }?.exitedAt
        let daysAway = lastExit.map { max(0, wholeDays(from: $0, to: now)) } ?? 0
        var before: [DealMove] = []
        var after: [DealMove] = []
        for i in d.moves.indices where d.moves[i].stageKey == stage.key && d.moves[i].doneAt == nil {
            let move = d.moves[i]
            let due: LocalDate?
            if let key = move.templateKey, let template = stage.moves.first(where: { $0.key == key }) {
                if let anchor = stage.dueAnchor(of: template) {
                    let anchorDone = d.moves.contains {
                        $0.stageKey == stage.key && $0.templateKey == anchor && $0.doneAt != nil
                    }
                    due = anchorDone ? dueDay(now, plus: template.dueAfterDays) : nil
                } else {
                    due = dueDay(now, plus: template.dueAfterDays)
                }
            } else if let old = move.dueOn, old < today {
                due = max(today, dueDay(old.startOfDay, plus: daysAway))
            } else {
                continue
            }
            guard due != move.dueOn else { continue }
            d.moves[i].dueOn = due
            before.append(move)
            after.append(d.moves[i])
        }
        guard !after.isEmpty else { return }
        let list = after.map { "\"\($0.description)\" " + ($0.dueOn.map { "on \($0)" } ?? "once its move is done") }
        change(
            "moves_rescheduled",
            "The moves of \(stage.name) not yet done are due again, counted from \(today): "
                + list.joined(separator: ", ") + ".",
            before, after)
    }

    /// A deal lost before the last stage goes straight to its review: it takes on the last stage's moves
    /// it does not have yet (due as on entering that stage now), so that its review is due counted from
    /// the outcome like any other deal's. The moves the outcome completes are completed afterwards, with
    /// the other moves the evidence completes.
    static func addClosingMovesForLoss(
        _ d: inout Deal, actor: Actor, context: DealContext, change: inout DealChangeLog
    ) {
        let playbook = context.playbook
        let lastIndex = playbook.stages.count - 1
        guard d.status == .lost, d.stageIndex < lastIndex else { return }
        let last = playbook.stages[lastIndex]
        let existing = Set(d.moves.filter { $0.stageKey == last.key }.compactMap(\.templateKey))
        let added = movesForStage(lastIndex, of: playbook, entering: context.now, makeID: context.makeID).filter {
            !existing.contains($0.templateKey ?? "")
        }
        guard !added.isEmpty else { return }
        d.moves += added
        ownEnteredMoves(&d, stageKey: last.key, actor: actor)
        change(
            "moves_added",
            "The deal was lost at \(playbook.stages[d.stageIndex].name) and goes straight to its review: it takes on the moves of \(last.name).",
            nil as [DealMove]?, added)
    }
}
