import CoSellDomain
import Foundation

extension ValuePropositionPage {
    static func view(_ m: ValuePropositionModel) -> Node {
        Layout.page(m.chrome) {
            el("p", .cls("muted no-print")) {
                link(SiteRoute.partnerships, "Partnerships"); " › "
                link(SiteRoute.partnership(m.id), m.name); " › Joint value proposition"
            }
            if let p = m.published {
                sheet(p, m, id: "vp-published", draft: false)
                el("p", .cls("no-print")) {
                    el("button", .type("button"), .cls("secondary"), Attr("onclick", "window.print()")) {
                        "Print (one page)"
                    }
                }
            } else {
                el("h1") { "Joint value proposition" }
                el("p", .id("vp-none")) {
                    Layout.badge("to do", "warn")
                    " No value proposition published yet for \(m.name). "
                    if m.canWrite {
                        m.draft == nil
                            ? "Write the first draft below; a partner manager of each company approves it before account executives read it."
                            : "The draft below is published once a partner manager of each company has approved it."
                    } else {
                        "Ask \(m.writers) to write and approve one."
                    }
                }
            }
            if m.canWrite || m.canApprove { draftSection(m) }
        }
    }

    /// The page an account executive reads: one sheet, two minutes.
    static func sheet(_ s: ValuePropositionSheet, _ m: ValuePropositionModel, id: String, draft: Bool) -> Node {
        el("article", .cls("vp"), .id(id), .aria("labelledby", id + "-h")) {
            el("header", .cls("vp-head")) {
                el(draft ? "h3" : "h1", .id(id + "-h")) { draft ? "Draft version \(s.number)" : m.name }
                el("p", .cls("vp-meta")) {
                    draft
                        ? s.written
                        : "Joint value proposition · version \(s.number) · \(s.published ?? s.written)"
                }
            }
            el("section", .cls("vp-for")) {
                el("h2") { "For whom" }
                el("p", .cls("vp-lead")) { s.segment }
                el("ul", .cls("vp-roles"), .aria("label", "Buyer roles")) { for r in s.roles { el("li") { r } } }
            }
            el("section") {
                el("h2") { "The problem" }
                el("p") { s.problem }
            }
            el("section") {
                el("h2") { "The joint solution" }
                el("p") { s.jointSolution }
            }
            el("section") {
                el("h2") { "Proof" }
                el("ul", .cls("vp-proof")) {
                    for p in s.proofPoints {
                        el("li") {
                            el("strong", .cls("vp-figure")) { p.figure }
                            el("span", .cls("vp-customer")) { p.customer }
                            el("span", .cls("vp-outcome")) { p.outcome }
                        }
                    }
                }
            }
            el("section") {
                el("h2") { "Why together" }
                el("p") { s.whyTogether }
            }
            el("section", .cls("vp-engage")) {
                el("h2") { "How to engage" }
                el("ul", .cls("plain vp-contacts")) {
                    for c in s.contacts {
                        el("li") {
                            "Call at \(c.company): "
                            el("strong") { c.name }
                            if let t = c.title { ", \(t)" }
                            if let e = c.email {
                                " · "
                                el("a", .href("mailto:" + e)) { e }
                            }
                        }
                    }
                }
                el("h3") { "Door-opener plays that work" }
                el("ul", .cls("vp-plays")) {
                    for p in s.plays {
                        el("li") {
                            el("strong") { "\(p.kind.prefix(1).uppercased() + p.kind.dropFirst()) by \(p.company):" }
                            " \(p.text)"
                        }
                    }
                }
            }
            el("section", .cls("vp-avoid")) {
                el("h2") { "What not to say" }
                el("ul") { for l in s.doNotSay { el("li") { l } } }
            }
            if draft {
                el("p", .cls("vp-meta")) { "\(s.wordCount) words." }
            }
        }
    }

    static func draftSection(_ m: ValuePropositionModel) -> Node {
        el("section", .cls("card vp-draft no-print"), .id("vp-draft"), .aria("labelledby", "vp-draft-h")) {
            el("h2", .id("vp-draft-h")) { "Draft and approval" }
            if let e = m.error, e.field == "form" || !formFields.contains(e.field) {
                el("p", .cls("form-error"), Attr("role", "alert")) { "Nothing was saved: \(e.message)" }
            }
            if let d = m.draft {
                el("p", .id("vp-draft-status")) {
                    Layout.badge("waiting", "warn")
                    " Version \(d.number) waits for approval"
                    m.published.map { " (version \($0.number) stays published until then)" } ?? ""
                    "."
                }
                el("ul", .cls("plain"), .id("vp-approvals")) { for a in d.approvals { el("li") { a } } }
                if m.canApprove {
                    Layout.postForm(.valuePropositionApproval(m.id), csrf: m.chrome.csrf) {
                        el("input", .type("hidden"), .name("version"), .value(String(d.number)))
                        el("button", .type("submit"), .id("vp-approve")) {
                            "Approve version \(d.number) for \(m.chrome.organizationName ?? "your company")"
                        }
                    }
                }
                el("details", .cls("form"), .id("vp-draft-read")) {
                    el("summary") { "Read draft version \(d.number)" }
                    sheet(d, m, id: "vp-draft-sheet", draft: true)
                }
            } else if m.published != nil {
                el("p", .cls("muted")) {
                    "No draft: the published version is the newest. A change is a new version, which both companies approve before it replaces the published one."
                }
            }
            if m.canWrite { form(m) }
        }
    }

    /// The fields the form shows an error beside; any other refusal shows above the form.
    static let formFields: Set<String> = {
        var names: Set<String> = [
            "segment", "roles", "problem", "joint_solution", "why_together", "do_not_say", "door_openers",
            "contacts[0].person_id", "contacts[1].person_id",
        ]
        for i in 0..<ValuePropositions.proofPointCount {
            for part in ["customer", "outcome", "figure"] { names.insert("proof_points[\(i)].\(part)") }
        }
        for r in 0..<doorOpenerRows {
            for part in ["kind", "organization_id", "text"] { names.insert("door_openers[\(r)].\(part)") }
        }
        return names
    }()

    static func form(_ m: ValuePropositionModel) -> Node {
        let formID = "vp-form"
        let v = m.values
        func err(_ name: String) -> String? {
            guard let e = m.error, e.field != "form" else { return nil }
            return e.field == name ? e.message : nil
        }
        let open = m.error != nil || m.latestVersion == 0
        return el("details", attrs: [.cls("form"), .id("vp-form-details")] + (open ? [.flag("open")] : [])) {
            el("summary") { m.latestVersion == 0 ? "Write the value proposition" : "Change the value proposition" }
            el("p", .cls("hint")) {
                "One page an account executive reads in two minutes: at most \(ValuePropositions.maxWords) words in all. A saved change is a new version; a partner manager of each company approves it before it is published."
            }
            Layout.postForm(.valueProposition(m.id), csrf: m.chrome.csrf, attrs: [.id(formID), .cls("stacked")]) {
                el("input", .type("hidden"), .name("version"), .value(v["version"] ?? String(m.latestVersion)))
                Layout.field(
                    "segment", "For whom: the segment", value: v["segment"], required: true, error: err("segment"),
                    formID: formID)
                Layout.textArea(
                    "roles", "For whom: the buyer roles, one a line (1 to \(ValuePropositions.maxRoles))",
                    value: v["roles"], required: true, error: err("roles"), formID: formID)
                Layout.textArea(
                    "problem", "The problem", value: v["problem"], required: true, error: err("problem"), formID: formID
                )
                Layout.textArea(
                    "joint_solution", "The joint solution, in one paragraph", value: v["joint_solution"],
                    required: true, rows: 5, error: err("joint_solution"), formID: formID)
                for i in 0..<ValuePropositions.proofPointCount {
                    el("fieldset", .cls("rows")) {
                        el("legend") { "Proof point \(i + 1)" }
                        el("div", .cls("row-fields")) {
                            for (part, label) in [
                                ("customer", "Customer"), ("outcome", "Outcome"), ("figure", "Figure"),
                            ] {
                                let name = "proof_points[\(i)].\(part)"
                                Layout.field(
                                    key(name), label, value: v[key(name)], required: true, error: err(name),
                                    formID: formID)
                            }
                        }
                    }
                }
                Layout.textArea(
                    "why_together", "Why together beats either alone", value: v["why_together"], required: true,
                    error: err("why_together"), formID: formID)
                el("fieldset") {
                    el("legend") { "How to engage: who to call at each company" }
                    for (i, c) in m.companies.enumerated() {
                        let name = "contacts[\(i)].person_id"
                        Layout.select(
                            key(name), "At \(c.name)", options: c.people.map { ($0.id.uuidString, $0.label) },
                            selected: v[key(name)], error: err(name), formID: formID, includeBlank: true)
                    }
                }
                el("fieldset", .cls("rows")) {
                    el("legend") {
                        "Door-opener plays that work (1 to \(doorOpenerRows); leave a row blank to skip it)"
                    }
                    if let e = err("door_openers") { el("p", .cls("error")) { e } }
                    for r in 0..<doorOpenerRows {
                        el("div", .cls("row-fields")) {
                            let kind = "door_openers[\(r)].kind"
                            let org = "door_openers[\(r)].organization_id"
                            let text = "door_openers[\(r)].text"
                            Layout.select(
                                key(kind), "Play \(r + 1): kind",
                                options: DoorOpenerKind.allCases.map {
                                    ($0.rawValue, $0.title.prefix(1).uppercased() + $0.title.dropFirst())
                                }, selected: v[key(kind)], error: err(kind), formID: formID, includeBlank: true)
                            Layout.select(
                                key(org), "Who opens the door",
                                options: m.companies.map { ($0.id.uuidString, $0.name) }, selected: v[key(org)],
                                error: err(org), formID: formID, includeBlank: true)
                            Layout.field(
                                key(text), "How it works", value: v[key(text)], error: err(text), formID: formID)
                        }
                    }
                }
                Layout.textArea(
                    "do_not_say", "What not to say, one a line (1 to \(ValuePropositions.maxDoNotSay))",
                    value: v["do_not_say"], required: true, error: err("do_not_say"), formID: formID)
                el("button", .type("submit"), .id("vp-save")) { "Save as a new draft version" }
            }
        }
    }
}
