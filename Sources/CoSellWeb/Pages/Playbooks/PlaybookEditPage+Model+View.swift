import CoSellDomain
import Foundation

public struct PlaybookEditModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var playbook: Playbook
    public var values: [String: String]
    public var errors: [String: String]
    public var message: String?
}

extension PlaybookViews {
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
                        if s.exitCriterion.kind == .targetAccountSelection {
                            // A sent form shows what was sent; else the version's setting.
                            let strong =
                                m.values.isEmpty
                                ? s.exitCriterion.requiresStrongFit == true : m.values["stage_\(i)_strong_fit"] != nil
                            el("div", .cls("check")) {
                                el(
                                    "input",
                                    attrs: [
                                        .type("checkbox"), .id("pb-stage_\(i)_strong_fit"),
                                        .name("stage_\(i)_strong_fit"),
                                        .value("on"),
                                    ] + (strong ? [.flag("checked")] : []))
                                " "
                                el("label", .for("pb-stage_\(i)_strong_fit")) {
                                    "Both companies need a strong fit (a partial fit does not pass this gate)"
                                }
                            }
                        }
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
