import Foundation

/// A small typed HTML tree: elements with attributes and children, text that is always escaped,
/// and nothing else. Pages are pure functions from view models to a `Node`.
public enum Node: Sendable, Equatable {
    case element(String, [Attr], [Node])
    case text(String)
    /// Markup that is already safe (only built by this file and by constant assets).
    case trusted(String)
    case group([Node])

    static let voidElements: Set<String> = ["area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"]

    /// The document as a string.
    public func render() -> String {
        var out = ""
        out.reserveCapacity(16_384)
        render(into: &out)
        return out
    }

    func render(into out: inout String) {
        switch self {
        case .text(let s): Node.escape(s, into: &out)
        case .trusted(let s): out += s
        case .group(let children): for c in children { c.render(into: &out) }
        case .element(let tag, let attrs, let children):
            out += "<"
            out += tag
            for a in attrs {
                out += " "
                out += a.name
                if let v = a.value {
                    out += "=\""
                    Node.escape(v, into: &out)
                    out += "\""
                }
            }
            out += ">"
            if Node.voidElements.contains(tag) { return }
            for c in children { c.render(into: &out) }
            out += "</"
            out += tag
            out += ">"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        var needs = false
        for u in s.utf8 where u == 38 || u == 60 || u == 62 || u == 34 || u == 39 {
            needs = true
            break
        }
        if !needs {
            out += s
            return
        }
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
    }
}

/// One attribute; a nil value is a boolean attribute (`required`, `selected`).
public struct Attr: Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }

    public static func cls(_ v: String) -> Attr { Attr("class", v) }
    public static func id(_ v: String) -> Attr { Attr("id", v) }
    public static func href(_ v: String) -> Attr { Attr("href", v) }
    public static func name(_ v: String) -> Attr { Attr("name", v) }
    public static func value(_ v: String) -> Attr { Attr("value", v) }
    public static func type(_ v: String) -> Attr { Attr("type", v) }
    public static func `for`(_ v: String) -> Attr { Attr("for", v) }
    public static func flag(_ name: String) -> Attr { Attr(name, nil) }
    public static func aria(_ name: String, _ v: String) -> Attr { Attr("aria-\(name)", v) }
    public static func data(_ name: String, _ v: String) -> Attr { Attr("data-\(name)", v) }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildExpression(_ n: Node) -> [Node] { [n] }
    public static func buildExpression(_ s: String) -> [Node] { [.text(s)] }
    public static func buildExpression(_ ns: [Node]) -> [Node] { ns }
    public static func buildBlock(_ parts: [Node]...) -> [Node] { parts.flatMap { $0 } }
    public static func buildOptional(_ n: [Node]?) -> [Node] { n ?? [] }
    public static func buildEither(first n: [Node]) -> [Node] { n }
    public static func buildEither(second n: [Node]) -> [Node] { n }
    public static func buildArray(_ ns: [[Node]]) -> [Node] { ns.flatMap { $0 } }
    public static func buildLimitedAvailability(_ n: [Node]) -> [Node] { n }
}

/// An element: `el("p", .cls("note")) { "text" }`.
public func el(_ tag: String, _ attrs: Attr..., @HTMLBuilder content: () -> [Node] = { [] }) -> Node {
    .element(tag, attrs, content())
}

/// An element whose attributes are computed as a list.
public func el(_ tag: String, attrs: [Attr], @HTMLBuilder _ content: () -> [Node] = { [] }) -> Node {
    .element(tag, attrs, content())
}

public func group(@HTMLBuilder _ content: () -> [Node]) -> Node { .group(content()) }

/// A link.
func link(_ route: SiteRoute, _ text: String, _ attrs: Attr...) -> Node {
    .element("a", [.href(route.href)] + attrs, [.text(text)])
}

/// Percent-encodes one query value.
public func queryValue(_ s: String) -> String {
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+?#/")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}
