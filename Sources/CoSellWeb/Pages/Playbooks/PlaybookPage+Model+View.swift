import CoSellDomain
import Foundation

public struct PlaybookModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var playbook: Playbook
    public var owner: String
    public var versions: [Int]
    public var canEdit: Bool
    public var canCopy: Bool
}

public enum PlaybookViews {
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
                        if s.exitCriterion.kind == .targetAccountSelection {
                            el("p", .cls("muted")) {
                                s.exitCriterion.needsStrongFit
                                    ? "Both companies need a strong fit: a partial fit does not pass."
                                    : "A partial fit from either company passes; a fit of none does not."
                            }
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
}
