import Foundation

extension DealEngine {
    static func advance(
        _ d: inout Deal, overrideReason: String?, actor: Actor, context: DealContext, changes: inout [DealChange]
    ) throws(DealError) {
        let playbook = context.playbook
        let isLast = d.stageIndex == playbook.stages.count - 1
        guard d.completedAt == nil else { throw .conflict("The deal has completed the playbook.") }
        if d.status == .lost && !isLast {
            // A deal lost early skips the rest of the pursuit: it completes once its review holds a lesson.
            let last = playbook.stages[playbook.stages.count - 1]
            let report = Gate.evaluate(d, stage: last, in: playbook, names: context.companyNames)
            guard report.isOpen else { throw .gateClosed(report) }
            d.completedAt = context.now
            d.changes(
                &changes, kind: "completed",
                summary:
                    "\(actor.name) completed the lost deal at \(playbook.stages[d.stageIndex].name): outcome logged and reviewed.",
                before: StagePosition(stage: playbook.stages[d.stageIndex].key, enteredAt: d.stageEnteredAt),
                after: d.completedAt)
            return
        }
        if isLast {
            guard d.status == .won || d.status == .lost else {
                // Without an override the refusal lists every unmet part, the missing outcome among them.
                let report = Gate.evaluate(
                    d, stage: playbook.stages[d.stageIndex], in: playbook, names: context.companyNames)
                if d.status == .open && overrideReason == nil && !report.isOpen { throw .gateClosed(report) }
                throw .conflict("The deal is at the last stage: log the outcome (won or lost) before completing it.")
            }
        } else {
            guard d.status == .open else {
                throw .conflict("Only an open deal advances; this one is \(d.status.rawValue).")
            }
        }
        let stage = playbook.stages[d.stageIndex]
        let report = Gate.evaluate(d, stage: stage, in: playbook, names: context.companyNames)
        var reason: String? = nil
        if !report.isOpen {
            guard let o = overrideReason else { throw .gateClosed(report) }
            reason = try requireReason(o, field: "override_reason")
            guard actor.role == .admin else {
                throw .forbidden("Only an admin can override a closed gate.")
            }
        } else if let o = overrideReason, !o.trimmingCharacters(in: .whitespaces).isEmpty {
            // An override on an open gate is not needed; the stage passes with evidence.
            _ = o
        }
        let passage = StagePassage(
            stageKey: stage.key, enteredAt: d.stageEnteredAt, exitedAt: context.now,
            exit: reason == nil ? .passed : .skipped,
            by: actor.personID, reason: reason, unmetAtExit: report.unmet.compactMap(\.missing))
        d.passages.append(passage)
        let now = context.now
        if isLast {
            d.completedAt = now
            d.changes(
                &changes, kind: reason == nil ? "completed" : "gate_overridden",
                summary: reason == nil
                    ? "\(actor.name) completed the playbook: outcome logged, registered and reviewed."
                    : "\(actor.name) overrode the \(stage.name) gate and completed the deal (stage skipped): \(reason!)",
                before: StagePosition(stage: stage.key, enteredAt: d.stageEnteredAt), after: passage)
            return
        }
        let next = playbook.stages[d.stageIndex + 1]
        let before = StagePosition(stage: stage.key, enteredAt: d.stageEnteredAt)
        d.stageIndex += 1
        d.stageEnteredAt = now
        let existing = Set(d.moves.filter { $0.stageKey == next.key }.compactMap(\.templateKey))
        d.moves += movesForStage(d.stageIndex, of: playbook, entering: now, makeID: context.makeID).filter {
            !existing.contains($0.templateKey ?? "")
        }
        ownEnteredMoves(&d, stageKey: next.key, actor: actor)
        d.changes(
            &changes, kind: reason == nil ? "stage_advanced" : "gate_overridden",
            summary: reason == nil
                ? "\(actor.name) advanced the deal from \(stage.name) to \(next.name): the exit criterion is met."
                : "\(actor.name) overrode the \(stage.name) gate and advanced to \(next.name) (stage skipped): \(reason!)",
            before: before, after: StagePosition(stage: next.key, enteredAt: now))
    }
}

extension Deal {
    fileprivate func changes<B: Encodable, A: Encodable>(
        _ list: inout [DealChange], kind: String, summary: String, before: B, after: A
    ) {
        list.append(DealChange(kind: kind, summary: summary, before: timelineJSON(before), after: timelineJSON(after)))
    }
}
