import Foundation

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

extension PlaybookViews {
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
}
