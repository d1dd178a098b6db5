import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension PlaybookController {
    static func editPage(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let pb = try await req.workflows.playbooks.editable(try req.id("playbook_id", "playbook"), by: s.principal)
        return Pages.html(
            PlaybookViews.edit(
                PlaybookEditModel(
                    chrome: s.chrome("Edit \(pb.name)", .playbooks), playbook: pb, values: [:], errors: [:],
                    message: nil)))
    }

    /// The form's refusals, by field (`stage_1_name`, `inactivity_limit_days`, …).
    struct FormRefused: Error {
        var errors: [String: String]
    }

    /// The new version the form describes, over the stages of `current` (the form edits their
    /// names, summaries, criteria, stall limits and moves).
    static func draft(_ req: Request, over current: Playbook) throws(FormRefused) -> PlaybookWorkflows.Draft {
        var errors: [String: String] = [:]
        func int(_ key: String) -> Int? {
            guard let raw = req.formValue(key), let n = Int(raw), n >= 1, n <= 365 else {
                errors[key] = "Enter a whole number of days from 1 to 365."
                return nil
            }
            return n
        }
        var stages: [Stage] = []
        for (i, old) in current.stages.enumerated() {
            var st = old
            st.name = req.formValue("stage_\(i)_name") ?? ""
            st.summary = req.formValue("stage_\(i)_summary") ?? ""
            st.exitCriterion.wording = req.formValue("stage_\(i)_criterion") ?? ""
            if st.exitCriterion.kind == .targetAccountSelection {
                st.exitCriterion.requiresStrongFit = req.formValue("stage_\(i)_strong_fit") != nil
            }
            if let n = int("stage_\(i)_stall_limit_days") { st.stallLimitDays = n }
            var moves: [MoveTemplate] = []
            for (j, line) in (req.formValue("stage_\(i)_moves") ?? "").split(whereSeparator: \.isNewline).enumerated() {
                let c = line.split(separator: "|", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard c.count == 5, let side = MoveSide(rawValue: c[2]), let role = Role(rawValue: c[3]),
                    let due = Int(c[4]),
                    !c[0].isEmpty, !c[1].isEmpty
                else {
                    errors["stage_\(i)_moves"] =
                        "Line \(j + 1): write key | description | side (host, partner, door_opener, both) | role (admin, partner_manager, seller, viewer) | days."
                    break
                }
                moves.append(
                    MoveTemplate(key: c[0], description: c[1], side: side, defaultOwnerRole: role, dueAfterDays: due))
            }
            st.moves = moves
            stages.append(st)
        }
        let inactivity = int("inactivity_limit_days") ?? current.inactivityLimitDays
        guard errors.isEmpty else { throw FormRefused(errors: errors) }
        return PlaybookWorkflows.Draft(
            name: req.formValue("name") ?? "", stages: stages, inactivityLimitDays: inactivity)
    }

    static func save(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("playbook_id", "playbook")
        let values = req.formValues().filter { $0.key != PageSession.csrfField }
        var errors: [String: String] = [:]
        do {
            let next = try await req.workflows.playbooks.saveVersion(of: id, by: s.principal) { current in
                try draft(req, over: current)
            }
            return Pages.seeOther(SiteRoute.playbook(next.id), notice: "Version \(next.version) saved.")
        } catch let refused as FormRefused {
            errors = refused.errors
        } catch WorkflowError.invalid(let field, let m) {
            // Field paths of the validator (stages[1].name) become the form's names (stage_1_name).
            let key = field.replacingOccurrences(
                of: #"stages\[(\d+)\]\."#, with: "stage_$1_", options: .regularExpression
            )
            .replacingOccurrences(of: "exit_criterion.wording", with: "criterion")
            .replacingOccurrences(of: #"moves.*"#, with: "moves", options: .regularExpression)
            errors[values[key] != nil ? key : "name"] = m
        }
        let current = try await req.workflows.playbooks.editable(id, by: s.principal)
        let model = PlaybookEditModel(
            chrome: s.chrome("Edit \(current.name)", .playbooks), playbook: current, values: values, errors: errors,
            message: "Nothing was saved: fix the marked fields.")
        return Pages.html(PlaybookViews.edit(model), status: .unprocessableEntity)
    }
}
