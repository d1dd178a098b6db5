import Foundation

public struct LessonsPageModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var text: String
        public var stage: String
        public var play: String?
        public var dealID: UUID
        public var appliedCount: Int
        public var captured: String
    }

    public var chrome: PageChrome
    public var query: String
    public var stage: String?
    public var stages: [(key: String, name: String)]
    public var items: [Item]
    public var total: Int

    public static func == (a: LessonsPageModel, b: LessonsPageModel) -> Bool {
        a.chrome == b.chrome && a.query == b.query && a.stage == b.stage && a.items == b.items && a.total == b.total
    }
}

public enum LessonsView {
    public static func render(_ m: LessonsPageModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Lesson library" }
            el(
                "form", Attr("method", "get"), Attr("action", SiteRoute.lessons), .cls("filters"),
                Attr("role", "search")
            ) {
                Layout.field("q", "Words", value: m.query, type: "search", formID: "lessons")
                Layout.select(
                    "stage", "Stage", options: m.stages.map { ($0.key, $0.name) }, selected: m.stage,
                    formID: "lessons", includeBlank: true)
                el("div", .cls("field")) { el("button", .type("submit")) { "Search" } }
            }
            el("p", .cls("muted")) { "\(m.total) lesson\(m.total == 1 ? "" : "s"), most applied first, then newest." }
            el("ul", .cls("plain")) {
                for l in m.items {
                    el("li", .cls("card")) {
                        el("p") { l.text }
                        el("p", .cls("muted")) {
                            "\(l.stage)"
                                + (l.play.map { " · play: \($0.replacingOccurrences(of: "_", with: " "))" } ?? "")
                                + " · applied on \(l.appliedCount) deal\(l.appliedCount == 1 ? "" : "s") · \(l.captured) · "
                            link(SiteRoute.deal(l.dealID), "its deal")
                        }
                    }
                }
            }
        }
    }
}
