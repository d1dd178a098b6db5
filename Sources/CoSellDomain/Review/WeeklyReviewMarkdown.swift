import Foundation

extension WeeklyReview {
    /// The review as a Markdown agenda, sections in meeting order. Pure text: free text from people is
    /// written on one line with Markdown's special characters escaped.
    public func markdown() -> String {
        var out: [String] = []
        out.append("# Weekly co-sell deal review: \(Self.escape(partnershipName)), \(week)")
        out.append("")
        out.append(
            "Week \(week): Monday \(week.monday) to Sunday \(week.sunday) (UTC). Stalls as of \(Self.stamp(asOf)).")
        if let record {
            out.append("")
            out.append(
                "Attendees: "
                    + (record.attendees.isEmpty
                        ? "none recorded" : record.attendees.map(Self.escape).joined(separator: ", "))
                    + ".")
        }

        if !agenda.isEmpty {
            out.append("")
            out.append("## Agenda (\(agenda.reduce(0) { $0 + $1.minutes }) minutes)")
            out.append("")
            for (i, item) in agenda.enumerated() {
                let time = item.minutes == 0 ? "after the meeting" : "\(item.minutes) min"
                out.append(
                    "\(i + 1). \(time): \(Self.escape(item.title))"
                        + (item.question.map { ". " + Self.escape($0) } ?? ""))
            }
        }

        out.append("")
        out.append("## Last week's decisions")
        out.append("")
        if let previousWeek {
            if previousDecisions.isEmpty {
                out.append("The review of \(previousWeek) took no decisions.")
            } else {
                out.append("From the review of \(previousWeek):")
                out.append("")
                for d in previousDecisions { out.append(Self.checkbox(d)) }
            }
        } else {
            out.append("No earlier review is recorded.")
        }
        if !carriedDecisions.isEmpty {
            out.append("")
            out.append("Carried from earlier reviews:")
            out.append("")
            for wd in carriedDecisions { out.append(Self.checkbox(wd.decision) + " (from \(wd.week))") }
        }

        out.append("")
        out.append("## Named accounts")
        out.append("")
        if namedAccounts.isEmpty {
            out.append("No account executive has named accounts in this partnership.")
        } else {
            for seller in namedAccounts {
                let company = seller.companyName.map { " (\(Self.escape($0)))" } ?? ""
                out.append(
                    "- \(Self.escape(seller.personName))\(company): \(seller.moved) of \(seller.accounts.count) moved")
                for a in seller.accounts {
                    let deal =
                        a.dealTitle.map {
                            ", " + Self.escape($0) + (a.stageName.map { " in " + Self.escape($0) } ?? "")
                        } ?? ""
                    let moved = a.notes.isEmpty ? "no movement" : a.notes.map(Self.escape).joined(separator: "; ")
                    out.append(
                        "  - \(Self.escape(a.accountName)): \(a.state.replacingOccurrences(of: "_", with: " "))\(deal); \(moved)"
                    )
                }
            }
        }

        out.append("")
        out.append("## New target accounts")
        out.append("")
        if newTargetAccounts.isEmpty && total(.newTargetAccounts) > 0 {
            out.append(nonePaged(.newTargetAccounts))
        } else if newTargetAccounts.isEmpty {
            out.append("No joint account added since \(Self.stamp(accountsSince)).")
        } else {
            for a in newTargetAccounts {
                let origin = a.origin == .overlap ? "from the overlap" : "added by hand: " + Self.escape(a.reason ?? "")
                out.append("- \(Self.escape(a.name)) (\(origin)), \(LocalDate(a.createdAt))")
            }
        }

        pageNote(.newTargetAccounts, into: &out)
        out.append("")
        out.append("## Deals that advanced")
        out.append("")
        if advanced.isEmpty && total(.advanced) > 0 {
            out.append(nonePaged(.advanced))
        } else if advanced.isEmpty {
            out.append("No deal left a stage this week.")
        } else {
            for a in advanced {
                let to = a.toStageName.map { "to \(Self.escape($0))" } ?? "and completed the playbook"
                let how = a.overridden ? " (gate overridden)" : ""
                out.append(
                    "- \(Self.escape(a.title)) (\(Self.escape(a.accountName))): from \(Self.escape(a.fromStageName)) \(to)\(how), \(LocalDate(a.at)), by \(Self.escape(a.by))"
                )
            }
        }

        pageNote(.advanced, into: &out)
        out.append("")
        out.append("## Stalled deals")
        out.append("")
        if stalled.isEmpty && total(.stalled) > 0 {
            out.append(nonePaged(.stalled))
        } else if stalled.isEmpty {
            out.append("No deal is stalled.")
        } else {
            for s in stalled {
                out.append(
                    "### \(Self.escape(s.title)) (\(Self.escape(s.accountName))), \(Self.escape(s.stageName)), \(s.diagnosis.stall.daysInStage) days in stage"
                )
                out.append("")
                out.append(Self.escape(s.diagnosis.explanation))
                for signal in s.diagnosis.stall.signals { out.append("- " + Self.escape(signal.explanation)) }
                if !s.overdue.isEmpty {
                    out.append("")
                    out.append("Overdue moves:")
                    out.append("")
                    for g in s.overdue {
                        let owner = g.ownerName.map(Self.escape) ?? "no owner named"
                        out.append("- \(g.company.map(Self.escape) ?? Self.sideTitle(g.side)), \(owner):")
                        for m in g.moves {
                            out.append(
                                "  - \(Self.escape(m.description)), due \(m.dueOn), \(m.daysOverdue) day\(m.daysOverdue == 1 ? "" : "s") overdue"
                            )
                        }
                    }
                }
                out.append("")
            }
            out.removeLast()
        }

        pageNote(.stalled, into: &out)
        out.append("")
        out.append("## Deals in the room: gates and late moves")
        out.append("")
        if inTheRoom.isEmpty && total(.inTheRoom) > 0 {
            out.append(nonePaged(.inTheRoom))
        } else if inTheRoom.isEmpty {
            out.append("No deal to discuss this week.")
        } else {
            for d in inTheRoom {
                let gates =
                    d.gates.isEmpty
                    ? "no gate passed yet"
                    : d.gates.map { "\(Self.escape($0.stageName)) \($0.outcome.rawValue)" }.joined(separator: ", ")
                out.append("- \(Self.escape(d.title)) (\(Self.escape(d.accountName))): \(gates)")
                for m in d.lateMoves {
                    let owner = m.ownerName.map(Self.escape) ?? "no owner named"
                    let company = m.company.map { " (\(Self.escape($0)))" } ?? ""
                    out.append(
                        "  - Late: \(Self.escape(m.description)), \(owner)\(company), due \(m.dueOn), \(m.daysLate) day\(m.daysLate == 1 ? "" : "s") late"
                    )
                }
            }
        }

        pageNote(.inTheRoom, into: &out)
        out.append("")
        out.append("## Gates refused or overridden")
        out.append("")
        if gates.isEmpty && total(.gates) > 0 {
            out.append(nonePaged(.gates))
        } else if gates.isEmpty {
            out.append("No gate was refused or overridden this week.")
        } else {
            for g in gates {
                switch g.kind {
                case .refused:
                    let missing = g.unmet.isEmpty ? "" : ": " + g.unmet.map(Self.escape).joined(separator: " ")
                    out.append(
                        "- Refused: \(Self.escape(g.title)) at \(Self.escape(g.stageName)), \(LocalDate(g.at)), asked by \(Self.escape(g.by))\(missing)"
                    )
                case .overridden:
                    let reason = g.reason.map { ": " + Self.escape($0) } ?? ""
                    out.append(
                        "- Overridden: \(Self.escape(g.title)) at \(Self.escape(g.stageName)), \(LocalDate(g.at)), by \(Self.escape(g.by))\(reason)"
                    )
                }
            }
        }

        pageNote(.gates, into: &out)
        out.append("")
        out.append("## Closed deals waiting for their review")
        out.append("")
        if awaitingReview.isEmpty && total(.awaitingReview) > 0 {
            out.append(nonePaged(.awaitingReview))
        } else if awaitingReview.isEmpty {
            out.append("Every closed deal has its review.")
        } else {
            for a in awaitingReview {
                let reg = a.registered ? "registered" : "not registered"
                let late = a.overdue ? ", review overdue" : ""
                out.append(
                    "- \(Self.escape(a.title)): \(a.result.rawValue) on \(a.closeDate), \(reg), outcome logged \(a.daysSinceOutcome) days ago\(late)"
                )
            }
        }

        pageNote(.awaitingReview, into: &out)
        out.append("")
        out.append("## Deals abandoned this week")
        out.append("")
        if abandoned.isEmpty && total(.abandoned) > 0 {
            out.append(nonePaged(.abandoned))
        } else if abandoned.isEmpty {
            out.append("No deal was abandoned this week.")
        } else {
            for a in abandoned {
                out.append("- \(Self.escape(a.title)), at \(Self.escape(a.stageName)): \(Self.escape(a.summary))")
            }
        }

        pageNote(.abandoned, into: &out)
        out.append("")
        out.append("## Lessons captured this week")
        out.append("")
        if lessons.isEmpty && total(.lessons) > 0 {
            out.append(nonePaged(.lessons))
        } else if lessons.isEmpty {
            out.append("No lesson was captured this week.")
        } else {
            for l in lessons {
                out.append("- \(Self.escape(l.stageName)) (\(Self.escape(l.title))): \(Self.escape(l.text))")
            }
        }

        pageNote(.lessons, into: &out)
        out.append("")
        out.append("## Decisions")
        out.append("")
        if let record, !record.decisions.isEmpty {
            for d in record.decisions { out.append(Self.checkbox(d)) }
        } else {
            out.append("None recorded yet.")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A list's length before paging (0 when the review is not paged: the list is whole).
    func total(_ list: ReviewList) -> Int { page?.total(list) ?? 0 }

    func nonePaged(_ list: ReviewList) -> String {
        "None on this page (`offset` \(page?.offset ?? 0)): \(total(list)) in all."
    }

    /// Under a list cut by paging: which items it shows, of how many.
    func pageNote(_ list: ReviewList, into out: inout [String]) {
        guard let page, page.isPartial(list), let shown = page.shown(list) else { return }
        out.append("")
        out.append(
            "Items \(shown.lowerBound) to \(shown.upperBound) of \(page.total(list)) (`offset` \(page.offset), `limit` \(page.limit))."
        )
    }

    /// A decision as a task-list line: checked when done, marked when dropped.
    static func checkbox(_ d: ReviewDecision) -> String {
        switch d.status ?? .open {
        case .open: return "- [ ] " + decision(d)
        case .done: return "- [x] " + decision(d)
        case .dropped: return "- [ ] " + decision(d) + " (dropped)"
        }
    }

    static func decision(_ d: ReviewDecision) -> String {
        var s = escape(d.text)
        if let owner = d.ownerName {
            s += " (owner: \(escape(owner))" + (d.dueOn.map { ", due \($0))" } ?? ")")
        } else if let due = d.dueOn {
            s += " (due \(due))"
        }
        return s
    }

    static func sideTitle(_ side: MoveSide) -> String {
        switch side {
        case .host: return "Host side"
        case .partner: return "Partner side"
        case .doorOpener: return "Door-opener side"
        case .both: return "Both sides"
        }
    }

    static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// One line of text, with the characters Markdown would read as markup escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\n", "\r", "\r\n", "\t": out.append(" ")
            case "\\", "`", "*", "_", "[", "]", "#", "<", ">", "|", "!": out.append("\\"); out.append(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}
