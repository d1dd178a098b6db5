import Foundation

/// What every page shows around its content: who is signed in, the navigation, a notice.
public struct PageChrome: Sendable, Equatable {
    public enum Section: String, Sendable {
        case home, deals, partnerships, reviews, revenue, imports, playbooks, lessons, audit, people, none
    }

    public var title: String
    public var section: Section
    public var personName: String?
    public var organizationName: String?
    public var isAdmin: Bool
    public var csrf: String?
    public var notice: String?

    public init(
        title: String, section: Section, personName: String? = nil, organizationName: String? = nil,
        isAdmin: Bool = false, csrf: String? = nil, notice: String? = nil
    ) {
        self.title = title
        self.section = section
        self.personName = personName
        self.organizationName = organizationName
        self.isAdmin = isAdmin
        self.csrf = csrf
        self.notice = notice
    }
}

enum Layout {
    static func page(_ c: PageChrome, refreshSeconds: Int? = nil, @HTMLBuilder _ content: () -> [Node]) -> Node {
        let body = content()
        return group {
            Node.trusted("<!doctype html>")
            el("html", Attr("lang", "en")) {
                el("head") {
                    el("meta", Attr("charset", "utf-8"))
                    el("meta", .name("viewport"), Attr("content", "width=device-width, initial-scale=1"))
                    if let s = refreshSeconds {
                        el("meta", Attr("http-equiv", "refresh"), Attr("content", String(s)))
                    }
                    el("title") { c.title + " · cosell" }
                    el("link", Attr("rel", "stylesheet"), .href(Assets.cssPath))
                    el("script", Attr("src", Assets.jsPath), Attr("defer", nil))
                }
                el("body") {
                    el("a", .cls("skip"), .href("#main")) { "Skip to content" }
                    header(c)
                    el("main", .id("main")) {
                        if let n = c.notice {
                            el("p", .cls("notice"), Attr("role", "status")) { n }
                        }
                        body
                    }
                }
            }
        }
    }

    static func header(_ c: PageChrome) -> Node {
        el("header", .cls("top")) {
            el("a", .cls("brand"), .href(SiteRoute.home)) { "cosell" }
            if let name = c.personName {
                el("nav", .aria("label", "Main")) {
                    el("ul") {
                        navItem(SiteRoute.home, "Home", c.section == .home)
                        navItem(SiteRoute.board, "Deals", c.section == .deals)
                        navItem(SiteRoute.partnerships, "Partnerships", c.section == .partnerships)
                        navItem(SiteRoute.reviews, "Weekly review", c.section == .reviews)
                        navItem(SiteRoute.revenue(), "Revenue", c.section == .revenue)
                        navItem(SiteRoute.importUpload, "Import", c.section == .imports)
                        navItem(SiteRoute.playbooks, "Playbooks", c.section == .playbooks)
                        navItem(SiteRoute.lessons, "Lessons", c.section == .lessons)
                        if c.isAdmin {
                            navItem(SiteRoute.people, "People", c.section == .people)
                            navItem(SiteRoute.audit(), "Audit log", c.section == .audit)
                        }
                    }
                }
                el("div", .cls("who")) {
                    el("span") { name + (c.organizationName.map { " · " + $0 } ?? "") }
                    el("a", .href(SiteRoute.profile)) { "Ideal customer profile" }
                    el("a", .href(SiteRoute.notificationSettings)) { "Mail settings" }
                    el("a", .href(SiteRoute.passwordSettings)) { "Password" }
                    el("form", Attr("method", "post"), Attr("action", SiteRoute.signOut), .cls("inline")) {
                        csrfField(c.csrf)
                        el("button", .type("submit"), .cls("link")) { "Sign out" }
                    }
                }
            }
        }
    }

    static func navItem(_ route: SiteRoute, _ text: String, _ current: Bool) -> Node {
        let href = route.href
        return el("li") {
            if current {
                el("a", .href(href), Attr("aria-current", "page")) { text }
            } else {
                el("a", .href(href)) { text }
            }
        }
    }

    static func csrfField(_ csrf: String?) -> Node {
        guard let csrf else { return .group([]) }
        return el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
    }

    /// A form that posts, with the session's CSRF token.
    static func postForm(
        _ route: SiteRoute, csrf: String?, attrs: [Attr] = [], @HTMLBuilder _ content: () -> [Node]
    ) -> Node {
        let action = route.href
        let inner = content()
        return el("form", attrs: [Attr("method", "post"), Attr("action", action)] + attrs) {
            csrfField(csrf)
            inner
        }
    }

    /// A labelled field with its error beside it, keeping what was typed.
    static func field(
        _ name: String, _ label: String, value: String? = nil, type: String = "text", required: Bool = false,
        hint: String? = nil, error: String? = nil, formID: String, extra: [Attr] = []
    ) -> Node {
        let id = "\(formID)-\(name)"
        var attrs: [Attr] = [.id(id), .name(name), .type(type)]
        if let value { attrs.append(.value(value)) }
        if required { attrs.append(.flag("required")) }
        if error != nil {
            attrs.append(Attr("aria-invalid", "true"))
            attrs.append(.aria("describedby", id + "-error"))
        } else if hint != nil {
            attrs.append(.aria("describedby", id + "-hint"))
        }
        return el("div", .cls(error == nil ? "field" : "field has-error")) {
            el("label", .for(id)) { label }
            el("input", attrs: attrs + extra)
            fieldNotes(id: id, hint: hint, error: error)
        }
    }

    static func textArea(
        _ name: String, _ label: String, value: String? = nil, required: Bool = false, rows: Int = 3,
        hint: String? = nil, error: String? = nil, formID: String
    ) -> Node {
        let id = "\(formID)-\(name)"
        var attrs: [Attr] = [.id(id), .name(name), Attr("rows", String(rows))]
        if required { attrs.append(.flag("required")) }
        if error != nil {
            attrs.append(Attr("aria-invalid", "true"))
            attrs.append(.aria("describedby", id + "-error"))
        } else if hint != nil {
            attrs.append(.aria("describedby", id + "-hint"))
        }
        return el("div", .cls(error == nil ? "field" : "field has-error")) {
            el("label", .for(id)) { label }
            el("textarea", attrs: attrs) { value ?? "" }
            fieldNotes(id: id, hint: hint, error: error)
        }
    }

    static func select(
        _ name: String, _ label: String, options: [(value: String, label: String)], selected: String?,
        error: String? = nil, formID: String, includeBlank: Bool = false
    ) -> Node {
        let id = "\(formID)-\(name)"
        var attrs: [Attr] = [.id(id), .name(name)]
        if error != nil {
            attrs.append(Attr("aria-invalid", "true"))
            attrs.append(.aria("describedby", id + "-error"))
        }
        return el("div", .cls(error == nil ? "field" : "field has-error")) {
            el("label", .for(id)) { label }
            el("select", attrs: attrs) {
                if includeBlank { el("option", .value("")) { "—" } }
                for o in options {
                    el("option", attrs: [.value(o.value)] + (o.value == selected ? [.flag("selected")] : [])) {
                        o.label
                    }
                }
            }
            fieldNotes(id: id, hint: nil, error: error)
        }
    }

    static func fieldNotes(id: String, hint: String?, error: String?) -> Node {
        group {
            if let error {
                el("p", .cls("error"), .id(id + "-error")) { error }
            } else if let hint {
                el("p", .cls("hint"), .id(id + "-hint")) { hint }
            }
        }
    }

    /// A problem that no single field explains, at the top of a form.
    static func formError(_ message: String?) -> Node {
        guard let message else { return .group([]) }
        return el("p", .cls("error form-error"), Attr("role", "alert")) { message }
    }

    static func badge(_ text: String, _ kind: String) -> Node {
        el("span", .cls("badge badge-\(kind)")) { text }
    }
}
