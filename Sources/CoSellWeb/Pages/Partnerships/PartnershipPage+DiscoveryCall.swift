import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The partnership page's "Discovery call" section: the status in words naming who confirmed, the
/// latest call, a Confirm button for a partner manager whose company has not confirmed, and the
/// form to record a call or change the latest one.
public struct DiscoverySection: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var id: UUID
        public var label: String
    }

    public struct Company: Sendable, Equatable {
        public var id: UUID
        public var name: String
    }

    /// The latest call, in words.
    public struct Call: Sendable, Equatable {
        public var id: UUID
        public var version: Int
        public var heldOn: String
        public var attendees: String
        public var customer: String
        public var problem: String
        /// What each company brings: (company, text).
        public var brings: [String]
        public var accounts: String
        public var nextMove: String
        public var verdict: String
        public var reason: String?
        /// Each company's confirmation, or that it waits.
        public var confirmations: [String]
    }

    /// The status line, e.g. "Viable — confirmed by Daniel Reyes (Quarry Data) and Marcus Chen
    /// (Halyard Security) on 3 Dec 2026".
    public var status: String
    public var statusKey: String
    public var latest: Call?
    public var canWrite: Bool
    public var canConfirm: Bool
    public var companies: [Company]
    public var people: [Choice]
    public var accounts: [Choice]
    /// The form's values: the latest call's (to change it) or what was typed.
    public var values: [String: String]
    /// The field refused and why (the form then opens with what was typed).
    public var error: (field: String, message: String)?
    /// The refused form was the one changing the latest call.
    public var errorInEdit = false

    public static func == (a: DiscoverySection, b: DiscoverySection) -> Bool {
        a.status == b.status && a.latest == b.latest && a.canWrite == b.canWrite && a.canConfirm == b.canConfirm
            && a.values == b.values && a.error?.field == b.error?.field
    }
}

extension PartnershipController {
    static func discovery(
        _ data: PageData, _ ps: Partnership, typed: [String: String]? = nil, error: (String, String)? = nil,
        inEdit: Bool = false
    ) async throws -> DiscoverySection {
        let (_, calls) = try await data.req.workflows.partnerships.discoveryCalls(in: ps.id, by: data.session.principal)
        let people = try await data.people()
        let companies = ps.organizationIDs.map { DiscoverySection.Company(id: $0, name: data.name(of: $0)) }
        func who(_ id: UUID) -> String {
            guard let p = people[id] else { return "someone" }
            return "\(p.name) (\(data.name(of: p.organizationID)))"
        }
        let status: String
        switch DiscoveryCalls.status(of: calls, in: ps) {
        case .none: status = "No discovery call yet."
        case .draft: status = "A discovery call is recorded and waits for both companies' confirmation."
        case .confirmed(let verdict):
            let c = DiscoveryCalls.counting(calls, in: ps)!
            let names = c.confirmations.map { "\($0.personName) (\(data.name(of: $0.organizationID)))" }
            let day = c.confirmedAt(in: ps).map { data.format.format(LocalDate($0)) } ?? ""
            status = "\(verdict.words) — confirmed by \(names.joined(separator: " and ")) on \(day)."
        }
        var latestView: DiscoverySection.Call? = nil
        var values: [String: String] = [:]
        let latest = DiscoveryCalls.latest(calls)
        if let l = latest {
            let accounts = try await data.store.jointAccounts(ids: l.content.accountIDs)
            let c = l.content
            latestView = .init(
                id: l.id, version: l.version, heldOn: data.format.format(c.heldOn),
                attendees: c.attendeeIDs.map(who).joined(separator: ", "), customer: c.useCase.customer,
                problem: c.useCase.problem,
                brings: c.useCase.contributions.map { "\(data.name(of: $0.organizationID)): \($0.text)" },
                accounts: c.accountIDs.map { accounts[$0]?.name ?? "an account no longer listed" }.joined(
                    separator: ", "),
                nextMove: "\(c.nextMove.text) — \(who(c.nextMove.ownerID)), by \(data.format.format(c.nextMove.dueOn))",
                verdict: c.verdict.words, reason: c.reason,
                confirmations: ps.organizationIDs.map { org in
                    if let k = l.confirmations.first(where: { $0.organizationID == org }) {
                        return
                            "\(data.name(of: org)): confirmed by \(k.personName) on \(data.format.format(LocalDate(k.at)))"
                    }
                    return "\(data.name(of: org)): not confirmed yet"
                })
            values = [
                "held_on": c.heldOn.description, "customer": c.useCase.customer, "problem": c.useCase.problem,
                "next_move": c.nextMove.text, "next_move_owner": c.nextMove.ownerID.uuidString,
                "next_move_due": c.nextMove.dueOn.description, "verdict": c.verdict.rawValue, "reason": c.reason ?? "",
                "call_id": l.id.uuidString, "version": String(l.version),
            ]
            for a in c.attendeeIDs { values["attendee_\(a.uuidString)"] = "on" }
            for a in c.accountIDs { values["account_\(a.uuidString)"] = "on" }
            for b in c.useCase.contributions { values["brings_\(b.organizationID.uuidString)"] = b.text }
        }
        let me = data.me
        let active = ps.status == .active
        let joint = active ? try await data.store.jointAccounts(of: ps.id, limit: 200, offset: 0).items : []
        return DiscoverySection(
            status: status, statusKey: DiscoveryCalls.status(of: calls, in: ps).key, latest: latestView,
            canWrite: active && [.admin, .partnerManager, .seller].contains(me.role),
            canConfirm: active && latest.map { !$0.isConfirmed(by: data.org) } == true
                && [.admin, .partnerManager].contains(me.role),
            companies: companies,
            people: people.values.filter { ps.includes($0.organizationID) && $0.deactivatedAt == nil }
                .sorted {
                    ($0.organizationID == data.org ? 0 : 1, $0.name) < ($1.organizationID == data.org ? 0 : 1, $1.name)
                }
                .map { .init(id: $0.id, label: "\($0.name) (\(data.name(of: $0.organizationID)))") },
            accounts: joint.sorted { $0.name < $1.name }.map { .init(id: $0.id, label: $0.name) },
            values: typed ?? values, error: error.map { (field: $0.0, message: $0.1) }, errorInEdit: inEdit)
    }

    /// Records a call (no `call_id`) or changes the latest one (with its `call_id` and `version`).
    static func saveDiscoveryCall(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let typed = req.formValues()
        let callID = req.formValue("call_id").flatMap(UUID.init(uuidString:))
        // Read before the verb's transaction: the form's reading must not wait on another connection.
        let ps = try await req.workflows.access.visiblePartnership(id, s.principal)
        do {
            let content: @Sendable () async throws -> DiscoveryCall.Content = {
                try discoveryContent(typed, organizationIDs: ps.organizationIDs)
            }
            if let callID {
                _ = try await req.workflows.partnerships.editDiscoveryCall(callID, in: id, by: s.principal) {
                    guard let v = req.formValue("version").flatMap(Int.init) else {
                        throw WorkflowError.invalid(field: "version", "Reload the page: the form lost its version.")
                    }
                    return .init(version: v, content: try await content())
                }
                return Pages.seeOther(
                    SiteRoute.partnership(id), notice: "The discovery call is changed; each company confirms it again.")
            }
            _ = try await req.workflows.partnerships.recordDiscoveryCall(in: id, by: s.principal, content)
            return Pages.seeOther(
                SiteRoute.partnership(id),
                notice: "The discovery call is recorded; each company's partner manager confirms it.")
        } catch let e as WorkflowError {
            let field: String
            let message: String
            switch e {
            case .invalid(let f, let m):
                field = f
                message = m
            case .conflict(let m):
                field = "form"
                message = m
            default: throw e
            }
            let data = try await PageData.load(req, s)
            var model = try await model(data, ps, notice: nil)
            model.discovery = try await discovery(
                data, ps, typed: typed, error: (field, message), inEdit: callID != nil)
            return Pages.html(
                PartnershipViews.detail(model), status: field == "form" ? .conflict : .unprocessableEntity)
        }
    }

    /// The call's content from the form; each unreadable field refused by its API name.
    static func discoveryContent(_ values: [String: String], organizationIDs: [UUID]) throws -> DiscoveryCall.Content {
        func date(_ name: String, _ field: String) throws -> LocalDate {
            do {
                return try LocalDate(typed: values[name] ?? "")
            } catch {
                throw WorkflowError.invalid(field: field, error.message)
            }
        }
        let heldOn = try date("held_on", "held_on")
        let ids: (String) -> [UUID] = { prefix in
            values.filter { $0.key.hasPrefix(prefix) && $0.value == "on" }.compactMap {
                UUID(uuidString: String($0.key.dropFirst(prefix.count)))
            }.sorted { UUIDOrder($0) < UUIDOrder($1) }
        }
        guard let owner = values["next_move_owner"].flatMap(UUID.init(uuidString:)) else {
            throw WorkflowError.invalid(field: "next_move.owner_id", "Choose who owns the next move.")
        }
        guard let verdict = values["verdict"].flatMap(DiscoveryCall.Verdict.init(rawValue:)) else {
            throw WorkflowError.invalid(field: "verdict", "Choose the verdict: viable, not yet or not viable.")
        }
        return DiscoveryCall.Content(
            heldOn: heldOn, attendeeIDs: ids("attendee_"),
            useCase: .init(
                customer: values["customer"] ?? "", problem: values["problem"] ?? "",
                contributions: organizationIDs.map {
                    .init(organizationID: $0, text: values["brings_\($0.uuidString)"] ?? "")
                }), accountIDs: ids("account_"),
            nextMove: .init(
                text: values["next_move"] ?? "", ownerID: owner, dueOn: try date("next_move_due", "next_move.due_on")),
            verdict: verdict, reason: values["reason"])
    }

    static func confirmDiscoveryCall(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        guard let callID = req.formValue("call_id").flatMap(UUID.init(uuidString:)) else {
            throw Problem.invalid("call_id", "Reload the page: the form lost the call.")
        }
        let call = try await req.workflows.partnerships.confirmDiscoveryCall(callID, in: id, by: s.principal)
        let ps = try await req.workflows.access.visiblePartnership(id, s.principal)
        return Pages.seeOther(
            SiteRoute.partnership(id),
            notice: call.isConfirmed(in: ps)
                ? "Confirmed: both companies have confirmed the discovery call."
                : "Confirmed for your company; the other company's partner manager confirms it too.")
    }
}

extension PartnershipViews {
    static func discoverySection(_ m: PartnershipModel) -> Node {
        guard let d = m.discovery else { return group {} }
        return el("section", .cls("card"), .id("discovery-call"), .aria("labelledby", "discovery-h")) {
            el("h2", .id("discovery-h")) { "Discovery call" }
            el("p", .id("discovery-status"), .data("status", d.statusKey)) {
                Layout.badge(
                    d.statusKey == "none" || d.statusKey == "draft"
                        ? "to do" : d.statusKey.replacingOccurrences(of: "_", with: " "),
                    d.statusKey == "viable" ? "ok" : "warn")
                " "
                d.status
            }
            if let e = d.error, e.field == "form" {
                el("p", .cls("form-error"), Attr("role", "alert")) { "Nothing was saved: \(e.message)" }
            }
            if let c = d.latest {
                el("h3") { "The latest call, held on \(c.heldOn)" }
                el("dl", .cls("facts"), .id("discovery-latest")) {
                    el("dt") { "Attendees" }
                    el("dd") { c.attendees }
                    el("dt") { "Customer" }
                    el("dd") { c.customer }
                    el("dt") { "Problem" }
                    el("dd") { c.problem }
                    el("dt") { "What each brings" }
                    el("dd") {
                        el("ul", .cls("plain")) { for b in c.brings { el("li") { b } } }
                    }
                    el("dt") { "Accounts" }
                    el("dd") { c.accounts }
                    el("dt") { "Next move" }
                    el("dd") { c.nextMove }
                    el("dt") { "Verdict" }
                    el("dd") { c.verdict + (c.reason.map { ": \($0)" } ?? "") }
                    el("dt") { "Confirmations" }
                    el("dd", .id("discovery-confirmations")) {
                        el("ul", .cls("plain")) { for k in c.confirmations { el("li") { k } } }
                    }
                }
                if d.canConfirm {
                    Layout.postForm(SiteRoute.discoveryCallConfirmation(m.id), csrf: m.chrome.csrf) {
                        el("input", .type("hidden"), .name("call_id"), .value(c.id.uuidString))
                        el("button", .type("submit"), .id("confirm-discovery")) {
                            "Confirm the call for \(m.chrome.organizationName ?? "your company")"
                        }
                    }
                }
            }
            if d.canWrite {
                if d.latest != nil {
                    discoveryForm(
                        m, d, edit: true,
                        open: d.error != nil && d.errorInEdit)
                }
                discoveryForm(m, d, edit: false, open: d.latest == nil || (d.error != nil && !d.errorInEdit))
            }
        }
    }

    static func discoveryForm(_ m: PartnershipModel, _ d: DiscoverySection, edit: Bool, open: Bool) -> Node {
        let formID = edit ? "discovery-edit" : "discovery-new"
        // A refused form shows what was typed; the other form shows the latest call (edit) or nothing.
        let typedHere = d.error != nil && d.errorInEdit == edit
        let v: [String: String] = typedHere || edit ? d.values : [:]
        let latestValues = edit && !typedHere && d.error != nil ? [:] : v
        let values = latestValues
        func err(_ prefix: String) -> String? {
            guard typedHere, let e = d.error, e.field != "form", e.field.hasPrefix(prefix) else { return nil }
            return e.message
        }
        return el("details", attrs: [.id(formID + "-details")] + (open ? [.flag("open")] : [])) {
            el("summary") { edit ? "Change the latest call" : "Record a discovery call" }
            if edit {
                el("p", .cls("muted")) {
                    "A change clears both companies' confirmations: each company's partner manager confirms what was changed."
                }
            }
            Layout.postForm(SiteRoute.discoveryCall(m.id), csrf: m.chrome.csrf, attrs: [.id(formID), .cls("stacked")]) {
                if edit, let c = d.latest {
                    el("input", .type("hidden"), .name("call_id"), .value(c.id.uuidString))
                    el("input", .type("hidden"), .name("version"), .value(String(c.version)))
                }
                Layout.field(
                    "held_on", "Day of the call", value: values["held_on"], type: "date", required: true,
                    error: err("held_on"), formID: formID)
                el("fieldset", .cls(err("attendee_ids") == nil ? "field" : "field has-error")) {
                    el("legend") { "Who attended (at least one of each company to confirm)" }
                    for p in d.people {
                        let key = "attendee_\(p.id.uuidString)"
                        el("label", .cls("check")) {
                            el(
                                "input",
                                attrs: [.type("checkbox"), .name(key), .value("on"), .id("\(formID)-\(key)")]
                                    + (values[key] == "on" ? [.flag("checked")] : []))
                            " \(p.label)"
                        }
                    }
                    if let e = err("attendee_ids") { el("p", .cls("error")) { e } }
                }
                Layout.field(
                    "customer", "The joint customer (who)", value: values["customer"], required: true,
                    error: err("use_case.customer"), formID: formID)
                Layout.textArea(
                    "problem", "The customer's problem", value: values["problem"], required: true,
                    error: err("use_case.problem"), formID: formID)
                for c in d.companies {
                    Layout.textArea(
                        "brings_\(c.id.uuidString)", "What \(c.name) brings",
                        value: values["brings_\(c.id.uuidString)"],
                        required: true, error: err("use_case.contributions"), formID: formID)
                }
                el("fieldset", .cls(err("account_ids") == nil ? "field" : "field has-error")) {
                    el("legend") { "The overlap accounts it is about" }
                    if d.accounts.isEmpty {
                        el("p", .cls("muted")) { "The partnership has no joint accounts yet." }
                    }
                    for a in d.accounts {
                        let key = "account_\(a.id.uuidString)"
                        el("label", .cls("check")) {
                            el(
                                "input",
                                attrs: [.type("checkbox"), .name(key), .value("on"), .id("\(formID)-\(key)")]
                                    + (values[key] == "on" ? [.flag("checked")] : []))
                            " \(a.label)"
                        }
                    }
                    if let e = err("account_ids") { el("p", .cls("error")) { e } }
                }
                Layout.field(
                    "next_move", "The next move", value: values["next_move"], required: true,
                    error: err("next_move.text"), formID: formID)
                el("div", .cls(err("next_move.owner_id") == nil ? "field" : "field has-error")) {
                    el("label", .for("\(formID)-next_move_owner")) { "Who owns it" }
                    el("select", .id("\(formID)-next_move_owner"), .name("next_move_owner")) {
                        for p in d.people {
                            el(
                                "option",
                                attrs: [.value(p.id.uuidString)]
                                    + (values["next_move_owner"] == p.id.uuidString ? [.flag("selected")] : [])
                            ) { p.label }
                        }
                    }
                    if let e = err("next_move.owner_id") { el("p", .cls("error")) { e } }
                }
                Layout.field(
                    "next_move_due", "Due on", value: values["next_move_due"], type: "date", required: true,
                    error: err("next_move.due_on"), formID: formID)
                el("div", .cls(err("verdict") == nil ? "field" : "field has-error")) {
                    el("label", .for("\(formID)-verdict")) { "Verdict" }
                    el("select", .id("\(formID)-verdict"), .name("verdict")) {
                        for verdict in DiscoveryCall.Verdict.allCases {
                            el(
                                "option",
                                attrs: [.value(verdict.rawValue)]
                                    + (values["verdict"] == verdict.rawValue ? [.flag("selected")] : [])
                            ) { verdict.words }
                        }
                    }
                    if let e = err("verdict") { el("p", .cls("error")) { e } }
                }
                Layout.textArea(
                    "reason", "Why (required unless viable)", value: values["reason"], error: err("reason"),
                    formID: formID)
                el("button", .type("submit"), .id(formID + "-save")) {
                    edit ? "Save the change" : "Record the call"
                }
            }
        }
    }
}
