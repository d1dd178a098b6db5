import Foundation

/// Bar charts drawn on the server: pure functions from numbers to markup. A chart is a figure whose
/// caption, bar labels and values are HTML text, so they keep the page's font size on a phone and wrap
/// instead of shrinking with the drawing; only the bars are SVG, one small drawing per row that
/// stretches to the width left for it. Colours are presentation attributes (the content security
/// policy allows no inline styles).
public enum Charts {
    public struct Segment: Sendable, Equatable {
        public var value: Double
        public var colour: String
        public var name: String
        /// The value as the page writes it ("$420,000.00"); the plain number when nil.
        public var display: String?

        public init(_ value: Double, _ colour: String, _ name: String, display: String? = nil) {
            self.value = value
            self.colour = colour
            self.name = name
            self.display = display
        }
    }

    public struct Bar: Sendable, Equatable {
        public var label: String
        public var segments: [Segment]
        public var display: String

        public init(label: String, segments: [Segment], display: String) {
            self.label = label
            self.segments = segments
            self.display = display
        }
    }

    public static let blue = "#0b5cad"
    public static let green = "#1d6b35"
    public static let amber = "#b06000"
    public static let red = "#a3141b"

    /// A horizontal bar chart; a bar of several segments is stacked. Bars scale to the largest total.
    /// Each row reads as its label, then its `display` value; a stacked bar also names its segments
    /// with their values, for screen readers and as each segment's tooltip.
    public static func bars(title: String, _ bars: [Bar], legend: [Segment] = []) -> Node {
        let plot = 1000.0
        let largest = bars.map { $0.segments.reduce(0) { $0 + max(0, $1.value) } }.max() ?? 0
        let scale = largest > 0 ? plot / largest : 0
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : f(v) }
        return el("figure", .cls("chart")) {
            el("figcaption") { title }
            if !legend.isEmpty {
                el("ul", .cls("legend")) {
                    for s in legend {
                        el("li") {
                            el(
                                "svg", Attr("xmlns", "http://www.w3.org/2000/svg"), Attr("viewBox", "0 0 14 14"),
                                Attr("width", "14"), Attr("height", "14"), .aria("hidden", "true"),
                                Attr("focusable", "false")
                            ) {
                                el("rect", Attr("width", "14"), Attr("height", "14"), Attr("fill", s.colour))
                            }
                            " "
                            s.name
                        }
                    }
                }
            }
            el("ul", .cls("bars")) {
                for b in bars {
                    let segments = b.segments.reduce(into: [(x: Double, w: Double, s: Segment)]()) { acc, s in
                        let x = (acc.last.map { $0.x + $0.w }) ?? 0
                        acc.append((x, max(0, s.value) * scale, s))
                    }
                    let parts = b.segments.map { "\($0.name) \($0.value == 0 ? "0" : $0.display ?? number($0.value))" }
                        .joined(
                            separator: ", ")
                    el("li") {
                        el("span", .cls("bar-label")) { b.label }
                        el(
                            "svg",
                            attrs: [
                                Attr("xmlns", "http://www.w3.org/2000/svg"), Attr("viewBox", "0 0 \(Int(plot)) 20"),
                                Attr("preserveAspectRatio", "none"), .cls("bar"), Attr("focusable", "false"),
                            ]
                                + (b.segments.count > 1
                                    ? [Attr("role", "img"), .aria("label", parts)] : [.aria("hidden", "true")])
                        ) {
                            for seg in segments where seg.w > 0 {
                                el(
                                    "rect", Attr("x", f(seg.x)), Attr("y", "0"), Attr("width", f(seg.w)),
                                    Attr("height", "20"), Attr("fill", seg.s.colour)
                                ) {
                                    el("title") { "\(b.label): \(seg.s.name) \(seg.s.display ?? number(seg.s.value))" }
                                }
                            }
                        }
                        el("span", .cls("bar-value")) { b.display }
                    }
                }
            }
        }
    }
}
