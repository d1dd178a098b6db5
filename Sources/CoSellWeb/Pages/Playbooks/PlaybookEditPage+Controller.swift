import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension PlaybookController {
    static func editable(_ req: Request, _ s: PageSession) async throws -> Playbook {
        let pb = try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), s.principal)
        guard s.person.role == .admin else { throw Problem.forbidden("Only admins edit playbooks.") }
        guard pb.organizationID == s.person.organizationID else {
            throw Problem.forbidden("Only the organization that owns a playbook edits it; make your own copy first.")
        }
        return pb
    }

    static func editPage(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let pb = try await editable(req, s)
        return Pages.html(
            PlaybookViews.edit(
                PlaybookEditModel(
                    chrome: s.chrome("Edit \(pb.name)", .playbooks), playbook: pb, values: [:], errors: [:],
                    message: nil)))
    }

    static func save(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let current = try await editable(req, s)
        let values = req.formValues().filter { $0.key != PageSession.csrfField }
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
        var next = Playbook(
            id: current.id, version: current.version + 1, name: req.formValue("name") ?? "", stages: stages,
            inactivityLimitDays: inactivity, createdAt: Date(), createdBy: s.person.id)
        next.organizationID = current.organizationID
        if errors.isEmpty {
            do {
                try next.validate()
                try await req.store.insert(next)
                return Pages.seeOther(SiteRoute.playbook(next.id), notice: "Version \(next.version) saved.")
            } catch let e as PlaybookError {
                switch e {
                case .invalid(let field, let m):
                    // Field paths of the validator (stages[1].name) become the form's names (stage_1_name).
                    let key = field.replacingOccurrences(
                        of: #"stages\[(\d+)\]\."#, with: "stage_$1_", options: .regularExpression
                    )
                    .replacingOccurrences(of: "exit_criterion.wording", with: "criterion")
                    .replacingOccurrences(of: #"moves.*"#, with: "moves", options: .regularExpression)
                    errors[values[key] != nil ? key : "name"] = "\(field) \(m)"
                }
            }
        }
        let model = PlaybookEditModel(
            chrome: s.chrome("Edit \(current.name)", .playbooks), playbook: current, values: values, errors: errors,
            message: "Nothing was saved: fix the marked fields.")
        return Pages.html(PlaybookViews.edit(model), status: .unprocessableEntity)
    }
}
