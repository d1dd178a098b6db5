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
        var confirmedBy: UUID? = nil
        var by = actor.personID
        if !report.isOpen {
            guard let o = overrideReason else { throw .gateClosed(report) }
            let why = try requireReason(o, field: "override_reason")
            guard actor.role == .admin else {
                throw .forbidden("Only an admin can override a closed gate.")
            }
            try checkOverrideLimits(d, report: report, isLast: isLast, context: context)
            switch try overrideKeys(&d, report: report, reason: why, actor: actor, context: context, changes: &changes)
            {
            case .requested: return
            case .single: reason = why
            case .confirmed(let first):
                reason =
                    "\(first.reason) (asked by \(first.requestedByName) of \(context.company(first.side)); confirmed by \(actor.name) of \(context.company(first.side.other)): \(why))"
                confirmedBy = actor.personID
                by = first.requestedBy
            }
        } else if let o = overrideReason, !o.trimmingCharacters(in: .whitespaces).isEmpty {
            // An override on an open gate is not needed; the stage passes with evidence.
            _ = o
        }
        d.pendingOverride = nil
        var passage = StagePassage(
            stageKey: stage.key, enteredAt: d.stageEnteredAt, exitedAt: context.now,
            exit: reason == nil ? .passed : .skipped,
            by: by, reason: reason, unmetAtExit: report.unmet.compactMap(\.missing))
        passage.confirmedBy = confirmedBy
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

/// What an override needs: one admin (the gate's unmet parts are the overriding company's own or
/// shared), or two (some belong to the other company).
enum OverrideKeys {
    case single
    /// The first key: the request is recorded and waits for the other company's admin.
    case requested
    /// The second key: the other company's admin confirmed this request in time.
    case confirmed(OverrideRequest)
}

extension DealEngine {
    /// How long the other company's admin has to confirm an override of its parts.
    public static let overrideConfirmationWindow: TimeInterval = 48 * 3_600

    /// The last stage of a won deal is not overridden past its registration or its review: the
    /// revenue is proven and the lesson captured, or the deal is not complete.
    static func checkOverrideLimits(
        _ d: Deal, report: GateReport, isLast: Bool, context: DealContext
    ) throws(DealError) {
        guard isLast, d.status == .won else { return }
        let blocking = report.unmet.filter { $0.key == "registration" || $0.key == "review_lesson" }
        if !blocking.isEmpty {
            throw .conflict(
                "A won deal is not completed by an override while its registration or its review is missing: "
                    + blocking.compactMap(\.missing).joined(separator: " "))
        }
    }

    /// Which keys the override needs, recording the first one when it is the other company's part.
    static func overrideKeys(
        _ d: inout Deal, report: GateReport, reason: String, actor: Actor, context: DealContext,
        changes: inout [DealChange]
    ) throws(DealError) -> OverrideKeys {
        guard let side = d.side(of: actor.organizationID) else { return .single }
        let stageKey = report.stageKey
        let theirs = report.unmet.filter { $0.key.hasPrefix(side.other.rawValue + "_") }
        let live = d.pendingOverride.flatMap { $0.stageKey == stageKey && context.now <= $0.expiresAt ? $0 : nil }
        if let p = live, p.side == side.other {
            // The second key: this admin's company owns the parts the first admin asked to skip.
            return .confirmed(p)
        }
        guard !theirs.isEmpty else { return .single }
        if let p = live, p.side == side {
            throw .conflict(
                "\(p.requestedByName) already asked to override this gate; it waits for an admin of \(context.company(side.other)) until \(p.expiresAt)."
            )
        }
        let request = OverrideRequest(
            stageKey: stageKey, reason: reason, requestedBy: actor.personID, requestedByName: actor.name, side: side,
            requestedAt: context.now, expiresAt: context.now.addingTimeInterval(overrideConfirmationWindow),
            parts: theirs.compactMap(\.missing))
        let before = d.pendingOverride
        d.pendingOverride = request
        d.changes(
            &changes, kind: "override_requested",
            summary:
                "\(actor.name) of \(context.company(side)) asked to override the \(report.stageName) gate: \(reason)\(reason.hasSuffix(".") ? "" : ".") It skips \(context.companys(side.other)) part (\(request.parts.joined(separator: " "))); an admin of \(context.company(side.other)) confirms it within 48 hours, or it lapses.",
            before: before, after: request)
        return .requested
    }
}

extension Deal {
    fileprivate func changes<B: Encodable, A: Encodable>(
        _ list: inout [DealChange], kind: String, summary: String, before: B, after: A
    ) {
        list.append(DealChange(kind: kind, summary: summary, before: timelineJSON(before), after: timelineJSON(after)))
    }
}
