import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The link to a partnership's value proposition that the deal pages, the named-account list and
/// the partnership page show: to the published version, or saying that none is published yet.
public struct ValuePropositionLink: Sendable, Equatable {
    public var href: String
    public var text: String
    public var published: Bool

    static func make(_ partnershipID: UUID, _ vp: ValueProposition?) -> Self {
        let href = SiteRoute.valueProposition(partnershipID).href
        guard let p = vp?.published else {
            return .init(href: href, text: "No value proposition published yet", published: false)
        }
        return .init(
            href: href, text: "Read the joint value proposition (version \(p.number), two minutes)", published: true)
    }

    var node: Node {
        el(
            "a", .href(href), .cls(published ? "vp-link" : "vp-link muted"),
            .data("published", published ? "yes" : "no")
        ) { text }
    }
}

/// A version of the value proposition in words, as the page shows it.
struct ValuePropositionSheet: Sendable, Equatable {
    struct Contact: Sendable, Equatable {
        var company: String
        var name: String
        var title: String?
        var email: String?
    }

    struct Play: Sendable, Equatable {
        var kind: String
        var company: String
        var text: String
    }

    var number: Int
    var segment: String
    var roles: [String]
    var problem: String
    var jointSolution: String
    var proofPoints: [ValueProposition.ProofPoint]
    var whyTogether: String
    var contacts: [Contact]
    var plays: [Play]
    var doNotSay: [String]
    var wordCount: Int
    /// "Written by Daniel Reyes (Quarry Data) on 13 Nov 2026".
    var written: String
    /// One line per company: approved by whom and when, or waiting.
    var approvals: [String]
    /// "Approved by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data); published 14 Nov 2026".
    var published: String?
}

struct ValuePropositionModel: Sendable {
    struct Choice: Sendable, Equatable {
        var id: UUID
        var label: String
    }

    struct Company: Sendable, Equatable {
        var id: UUID
        var name: String
        /// The company's active people, to choose its contact from.
        var people: [Choice]
    }

    var chrome: PageChrome
    var id: UUID
    var name: String
    var companies: [Company]
    var published: ValuePropositionSheet?
    var draft: ValuePropositionSheet?
    var latestVersion: Int
    var canWrite: Bool
    var canApprove: Bool
    /// The partner managers of both companies, named for a reader who cannot write.
    var writers: String
    var values: [String: String]
    var error: (field: String, message: String)? = nil
}

/// The one-page joint value proposition of a partnership: the published version, clean to read on
/// a phone and to print on one page; for partner managers the draft, its approvals, the form and
/// the Approve button.
enum ValuePropositionPage {
    static let doorOpenerRows = ValuePropositions.maxDoorOpeners

    /// The form's name for a field the API names `proof_points[1].figure`: `proof_points_1_figure`
    /// (a url-encoded form reads brackets as nesting).
    static func key(_ field: String) -> String {
        field.replacingOccurrences(of: "].", with: "_").replacingOccurrences(of: "[", with: "_")
            .replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ".", with: "_")
    }

    static func register(_ app: Application) {
        let id = UUID.placeholder
        app.page(.GET, .valueProposition(id), show)
        app.page(.POST, .valueProposition(id), save)
        app.page(.POST, .valuePropositionApproval(id), approve)
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let (ps, vp) = try await req.workflows.partnerships.valueProposition(
            in: try req.id("partnership_id", "partnership"), by: s.principal)
        return Pages.html(view(try await model(data, ps, vp, notice: Pages.notice(req))))
    }

    static func save(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let typed = req.formValues()
        let rows = (0..<doorOpenerRows).filter {
            !(typed[key("door_openers[\($0)].text")] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                || !(typed[key("door_openers[\($0)].kind")] ?? "").isEmpty
        }
        // Read before the verb's transaction: the form's reading must not wait on another connection.
        let ps = try await req.workflows.access.visiblePartnership(id, s.principal)
        do {
            let vp = try await req.workflows.partnerships.writeValueProposition(in: id, by: s.principal) {
                guard let v = typed["version"].flatMap(Int.init) else {
                    throw WorkflowError.invalid(field: "version", "Reload the page: the form lost its version.")
                }
                return .init(version: v, content: try content(typed, rows: rows, organizationIDs: ps.organizationIDs))
            }
            let notice =
                vp.latestVersion == typed["version"].flatMap(Int.init)
                ? "Nothing changed: the draft is as it was."
                : "Version \(vp.latestVersion) is saved as a draft; a partner manager of each company approves it before it is published."
            return Pages.seeOther(.valueProposition(id), notice: notice)
        } catch let e as WorkflowError {
            let field: String
            let message: String
            switch e {
            case .invalid(let f, let m):
                field = formField(f, rows: rows)
                message = m
            case .conflict(let m):
                field = "form"
                message = m
            default: throw e
            }
            let data = try await PageData.load(req, s)
            let (_, vp) = try await req.workflows.partnerships.valueProposition(in: id, by: s.principal)
            var m = try await model(data, ps, vp, notice: nil)
            m.values = typed
            m.error = (field, message)
            return Pages.html(view(m), status: field == "form" ? .conflict : .unprocessableEntity)
        }
    }

    static func approve(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let vp = try await req.workflows.partnerships.approveValueProposition(in: id, by: s.principal) {
            guard let v = req.formValue("version").flatMap(Int.init) else {
                throw WorkflowError.invalid(field: "version", "Reload the page: the form lost the version.")
            }
            return v
        }
        let notice: String
        if vp.draft == nil, let p = vp.published {
            notice =
                "Published: both companies approved version \(p.number). Every deal page of the partnership links to it."
        } else {
            let ps = try await req.workflows.access.visiblePartnership(id, s.principal)
            let other = try await req.store.organizations(ps.organizationIDs.filter { $0 != s.organization.id })
            notice =
                "Approved for \(s.organization.name); a partner manager of \(other.first?.name ?? "the other company") approves it too before it is published."
        }
        return Pages.seeOther(.valueProposition(id), notice: notice)
    }

    /// A refused field as the form names it: door-opener plays by the form's row (blank rows are
    /// left out of the content), lines of a list by the list's text area.
    static func formField(_ field: String, rows: [Int]) -> String {
        if let m = field.wholeMatch(of: #/door_openers\[(\d+)\](.*)/#), let k = Int(m.output.1), k < rows.count {
            return "door_openers[\(rows[k])]\(m.output.2)"
        }
        for list in ["roles", "do_not_say"] where field.hasPrefix(list + "[") { return list }
        return field
    }

    /// The content from the form; each unreadable field refused by its API name.
    static func content(
        _ v: [String: String], rows: [Int], organizationIDs: [UUID]
    ) throws -> ValueProposition.Content {
        func lines(_ name: String) -> [String] {
            (v[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        let contacts = try organizationIDs.enumerated().map { i, org in
            guard let p = v[key("contacts[\(i)].person_id")].flatMap(UUID.init(uuidString:)) else {
                throw WorkflowError.invalid(field: "contacts[\(i)].person_id", "Choose who to call at this company.")
            }
            return ValueProposition.Contact(organizationID: org, personID: p)
        }
        let plays = try rows.map { r in
            guard let kind = v[key("door_openers[\(r)].kind")].flatMap(DoorOpenerKind.init(rawValue:)) else {
                throw WorkflowError.invalid(field: "door_openers[\(r)].kind", "Choose the kind of door-opener play.")
            }
            guard let org = v[key("door_openers[\(r)].organization_id")].flatMap(UUID.init(uuidString:)) else {
                throw WorkflowError.invalid(
                    field: "door_openers[\(r)].organization_id", "Choose the company that opens the door.")
            }
            return ValueProposition.DoorOpenerPlay(
                kind: kind, organizationID: org, text: v[key("door_openers[\(r)].text")] ?? "")
        }
        return ValueProposition.Content(
            segment: v["segment"] ?? "", roles: lines("roles"), problem: v["problem"] ?? "",
            jointSolution: v["joint_solution"] ?? "",
            proofPoints: (0..<ValuePropositions.proofPointCount).map {
                .init(
                    customer: v[key("proof_points[\($0)].customer")] ?? "",
                    outcome: v[key("proof_points[\($0)].outcome")] ?? "",
                    figure: v[key("proof_points[\($0)].figure")] ?? "")
            }, whyTogether: v["why_together"] ?? "", contacts: contacts, doorOpeners: plays,
            doNotSay: lines("do_not_say"))
    }

    /// The form's values for a content (the newest version's, to change it).
    static func values(_ c: ValueProposition.Content?, version: Int, organizationIDs: [UUID]) -> [String: String] {
        var v: [String: String] = ["version": String(version)]
        guard let c else { return v }
        v["segment"] = c.segment
        v["roles"] = c.roles.joined(separator: "\n")
        v["problem"] = c.problem
        v["joint_solution"] = c.jointSolution
        for (i, p) in c.proofPoints.enumerated() {
            v[key("proof_points[\(i)].customer")] = p.customer
            v[key("proof_points[\(i)].outcome")] = p.outcome
            v[key("proof_points[\(i)].figure")] = p.figure
        }
        v["why_together"] = c.whyTogether
        for (i, org) in organizationIDs.enumerated() {
            v[key("contacts[\(i)].person_id")] = c.contact(of: org)?.uuidString
        }
        for (i, play) in c.doorOpeners.enumerated() {
            v[key("door_openers[\(i)].kind")] = play.kind.rawValue
            v[key("door_openers[\(i)].organization_id")] = play.organizationID.uuidString
            v[key("door_openers[\(i)].text")] = play.text
        }
        v["do_not_say"] = c.doNotSay.joined(separator: "\n")
        return v
    }

    static func model(
        _ data: PageData, _ ps: Partnership, _ vp: ValueProposition?, notice: String?
    ) async throws -> ValuePropositionModel {
        let people = try await data.people()
        func company(_ org: UUID) -> String { data.name(of: org) }
        func sheet(_ v: ValueProposition.Version) -> ValuePropositionSheet {
            let c = v.content
            let approvals = ps.organizationIDs.map { org in
                if let a = v.approval(of: org) {
                    return "\(company(org)): approved by \(a.personName) on \(data.format.format(LocalDate(a.at)))"
                }
                return "\(company(org)): waiting for a partner manager's approval"
            }
            return ValuePropositionSheet(
                number: v.number, segment: c.segment, roles: c.roles, problem: c.problem,
                jointSolution: c.jointSolution, proofPoints: c.proofPoints, whyTogether: c.whyTogether,
                contacts: c.contacts.map {
                    let p = people[$0.personID]
                    return .init(
                        company: company($0.organizationID), name: p?.name ?? "someone no longer listed",
                        title: p?.title, email: p?.deactivatedAt == nil ? p?.email : nil)
                },
                plays: c.doorOpeners.map {
                    .init(kind: $0.kind.title, company: company($0.organizationID), text: $0.text)
                }, doNotSay: c.doNotSay, wordCount: c.wordCount,
                written:
                    "Written by \(v.writtenByName) (\(company(v.writtenByOrganizationID))) on \(data.format.format(LocalDate(v.writtenAt)))",
                approvals: approvals,
                published: v.publishedAt.map { at in
                    let names = v.approvals.map { "\($0.personName) (\(company($0.organizationID)))" }
                    return
                        "Approved by \(names.joined(separator: " and ")); published \(data.format.format(LocalDate(at)))"
                })
        }
        let me = data.me
        let active = ps.status == .active
        let writerRole = me.role == .admin || me.role == .partnerManager
        let managers = people.values.filter {
            ps.includes($0.organizationID) && $0.role == .partnerManager && $0.deactivatedAt == nil
        }.sorted { ($0.organizationID == data.org ? 0 : 1, $0.name) < ($1.organizationID == data.org ? 0 : 1, $1.name) }
        return ValuePropositionModel(
            chrome: data.session.chrome("Joint value proposition · \(ps.name)", .partnerships, notice: notice),
            id: ps.id, name: ps.name,
            companies: ps.organizationIDs.map { org in
                .init(
                    id: org, name: company(org),
                    people: people.values.filter { $0.organizationID == org && $0.deactivatedAt == nil }
                        .sorted { $0.name < $1.name }
                        .map { p in .init(id: p.id, label: p.title.map { "\(p.name), \($0)" } ?? p.name) })
            }, published: vp?.published.map(sheet), draft: vp?.draft.map(sheet), latestVersion: vp?.latestVersion ?? 0,
            canWrite: active && writerRole && me.role.canWrite,
            canApprove: active && writerRole && vp?.draft.map { $0.approval(of: data.org) == nil } == true,
            writers: managers.isEmpty
                ? "your partner managers"
                : managers.map { "\($0.name) (\(company($0.organizationID)))" }.joined(separator: " or "),
            values: values(vp?.latestContent, version: vp?.latestVersion ?? 0, organizationIDs: ps.organizationIDs))
    }
}
