import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

public struct PlaybookListModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var owner: String
        public var version: Int
    }

    public var chrome: PageChrome
    public var items: [Item]
}

public struct PlaybookModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var playbook: Playbook
    public var owner: String
    public var versions: [Int]
    public var canEdit: Bool
    public var canCopy: Bool
}

public struct PlaybookEditModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var playbook: Playbook
    public var values: [String: String]
    public var errors: [String: String]
    public var message: String?
}

public enum PlaybookViews {
    public static func list(_ m: PlaybookListModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Playbooks" }
            el("ul", .cls("plain")) {
                for i in m.items {
                    el("li", .cls("card")) {
                        el("h2") { link(SiteRoute.playbook(i.id), i.name) }
                        el("p", .cls("muted")) { "\(i.owner) · version \(i.version)" }
                    }
                }
            }
        }
    }

    public static func show(_ m: PlaybookModel) -> Node {
        let pb = m.playbook
        return Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.playbooks, "Playbooks"); " › \(pb.name)"
            }
            el("h1") { pb.name }
            el("p", .cls("muted")) {
                "\(m.owner) · version \(pb.version) · a deal with no activity for \(pb.inactivityLimitDays) days counts as stalled."
                if m.versions.count > 1 {
                    " Versions: "
                    for v in m.versions {
                        link(SiteRoute.playbook(pb.id, version: v), String(v))
                        " "
                    }
                }
            }
            if m.canEdit {
                el("p") {
                    link(
                        SiteRoute.playbookEdit(pb.id), "Edit (makes version \(pb.version + 1))", .cls("button"))
                }
            }
            if m.canCopy {
                Layout.postForm(SiteRoute.playbookCopy(pb.id), csrf: m.chrome.csrf) {
                    Layout.field(
                        "name", "Name of your copy", value: "\(pb.name) (ours)", required: true, formID: "copy")
                    el("button", .type("submit"), .cls("secondary")) { "Make our own copy to edit" }
                }
            }
            el("ol", .cls("stages")) {
                for s in pb.stages {
                    el("li", .cls("card")) {
                        el("h2") { s.name }
                        el("p", .cls("muted")) { s.summary }
                        el("p") {
                            "Exit criterion: "; el("strong") { s.exitCriterion.wording }
                        }
                        el("p", .cls("muted")) { "Stalled after \(s.stallLimitDays) days in the stage." }
                        el("ul") {
                            for mv in s.moves {
                                el("li") {
                                    "\(mv.description) — \(mv.side.rawValue.replacingOccurrences(of: "_", with: "-")) side, usually a \(mv.defaultOwnerRole.rawValue.replacingOccurrences(of: "_", with: " ")), due after \(mv.dueAfterDays) days"
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func movesText(_ s: Stage) -> String {
        s.moves.map {
            "\($0.key) | \($0.description) | \($0.side.rawValue) | \($0.defaultOwnerRole.rawValue) | \($0.dueAfterDays)"
        }
        .joined(separator: "\n")
    }

    public static func edit(_ m: PlaybookEditModel) -> Node {
        let pb = m.playbook
        func v(_ k: String, _ d: String) -> String { m.values[k] ?? d }
        return Layout.page(m.chrome) {
            el("h1") { "Edit \(pb.name)" }
            el("p") { "Saving makes version \(pb.version + 1). Deals keep the version they started on." }
            Layout.formError(m.message)
            Layout.postForm(SiteRoute.playbookEdit(pb.id), csrf: m.chrome.csrf) {
                Layout.field(
                    "name", "Name", value: v("name", pb.name), required: true, error: m.errors["name"], formID: "pb")
                Layout.field(
                    "inactivity_limit_days", "Days without activity before a deal counts as stalled",
                    value: v("inactivity_limit_days", String(pb.inactivityLimitDays)), type: "number", required: true,
                    error: m.errors["inactivity_limit_days"], formID: "pb")
                for (i, s) in pb.stages.enumerated() {
                    el("fieldset", .cls("card")) {
                        el("legend") {
                            "Stage \(i + 1): \(s.exitCriterion.kind.rawValue.replacingOccurrences(of: "_", with: " "))"
                        }
                        Layout.field(
                            "stage_\(i)_name", "Name", value: v("stage_\(i)_name", s.name), required: true,
                            error: m.errors["stage_\(i)_name"], formID: "pb")
                        Layout.textArea(
                            "stage_\(i)_summary", "Summary", value: v("stage_\(i)_summary", s.summary),
                            error: m.errors["stage_\(i)_summary"], formID: "pb")
                        Layout.field(
                            "stage_\(i)_criterion", "Exit criterion wording",
                            value: v("stage_\(i)_criterion", s.exitCriterion.wording),
                            required: true, error: m.errors["stage_\(i)_criterion"], formID: "pb")
                        Layout.field(
                            "stage_\(i)_stall_limit_days", "Stall limit (days in the stage)",
                            value: v("stage_\(i)_stall_limit_days", String(s.stallLimitDays)), type: "number",
                            required: true,
                            error: m.errors["stage_\(i)_stall_limit_days"], formID: "pb")
                        Layout.textArea(
                            "stage_\(i)_moves",
                            "Moves, one per line: key | description | side (host, partner, door_opener, both) | role | due after days",
                            value: v("stage_\(i)_moves", movesText(s)), rows: 4, error: m.errors["stage_\(i)_moves"],
                            formID: "pb")
                    }
                }
                el("button", .type("submit")) { "Save version \(pb.version + 1)" }
            }
        }
    }
}

public struct AuditModel: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var at: String
        public var kind: String
        public var actor: String
        public var detail: String
        public var address: String
    }

    public var chrome: PageChrome
    public var rows: [Row]
    public var total: Int
    public var offset: Int
    public var limit: Int
}

public enum AuditView {
    public static func render(_ m: AuditModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Audit log" }
            el("p") {
                "\(m.total) events, newest first. "
                link(SiteRoute.apiAuditCSV, "Download as CSV")
            }
            el("div", .cls("table-wrap")) {
                el("table") {
                    el("thead") {
                        el("tr") {
                            for h in ["When", "What", "Who", "Detail", "From"] { el("th", Attr("scope", "col")) { h } }
                        }
                    }
                    el("tbody") {
                        for r in m.rows {
                            el("tr") {
                                el("td") { r.at }; el("td") { r.kind }; el("td") { r.actor }; el("td") { r.detail };
                                el("td") { r.address }
                            }
                        }
                    }
                }
            }
            el("p") {
                if m.offset > 0 { link(SiteRoute.audit(offset: max(0, m.offset - m.limit)), "Newer"); " " }
                if m.offset + m.rows.count < m.total { link(SiteRoute.audit(offset: m.offset + m.limit), "Older") }
            }
        }
    }
}

enum PlaybookController {
    static func list(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let owners = try await req.workflows.access.visiblePlaybookOwners(s.principal)
        let items = try await req.store.latestPlaybooks().filter { owners.contains($0.organizationID) }.map {
            PlaybookListModel.Item(
                id: $0.id, name: $0.name, owner: $0.organizationID.map(data.name(of:)) ?? "Standard",
                version: $0.version)
        }
        return Pages.html(
            PlaybookViews.list(
                PlaybookListModel(chrome: s.chrome("Playbooks", .playbooks, notice: Pages.notice(req)), items: items)))
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        var pb = try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), s.principal)
        let versions = try await req.store.playbookVersions(pb.id)
        if let raw = try? req.query.get(String.self, at: "version") {
            guard let v = Int(raw), let found = versions.first(where: { $0.version == v }) else {
                throw Problem.notFound("playbook version")
            }
            pb = found
        }
        let admin = s.person.role == .admin
        let model = PlaybookModel(
            chrome: s.chrome(pb.name, .playbooks, notice: Pages.notice(req)), playbook: pb,
            owner: pb.organizationID.map(data.name(of:)) ?? "Standard playbook", versions: versions.map(\.version),
            canEdit: admin && pb.organizationID == s.person.organizationID,
            canCopy: admin && pb.organizationID != s.person.organizationID)
        return Pages.html(PlaybookViews.show(model))
    }

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

    static func copy(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let source = try await req.workflows.access.visiblePlaybook(try req.id("playbook_id", "playbook"), s.principal)
        guard s.person.role == .admin else { throw Problem.forbidden("Only admins make playbooks.") }
        var copy = source
        copy.id = UUID()
        copy.version = 1
        copy.name = req.formValue("name") ?? "\(source.name) (ours)"
        copy.organizationID = s.person.organizationID
        copy.createdAt = Date()
        copy.createdBy = s.person.id
        try copy.validate()
        try await req.store.insert(copy)
        return Pages.seeOther(SiteRoute.playbookEdit(copy.id), notice: "Your copy is made; edit it here.")
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

enum AuditController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard s.person.role == .admin else { throw Problem.forbidden("Only admins read the audit log.") }
        let limit = 100
        let offset = max(0, min(10_000_000, (try? req.query.get(Int.self, at: "offset")) ?? 0))
        let page = try await req.store.auditEvents(of: s.person.organizationID, limit: limit, offset: offset)
        let f = req.displayFormat
        let rows = page.items.map {
            AuditModel.Row(
                at: f.format($0.at), kind: $0.kind, actor: $0.actorName ?? "—", detail: $0.detail,
                address: $0.address ?? "")
        }
        return Pages.html(
            AuditView.render(
                AuditModel(
                    chrome: s.chrome("Audit log", .audit), rows: rows, total: page.total, offset: offset, limit: limit))
        )
    }
}
