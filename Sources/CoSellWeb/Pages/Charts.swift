import Foundation

/// Charts drawn as SVG on the server: pure functions from numbers to markup. Colours are
/// presentation attributes (the content security policy allows no inline styles), and every chart
/// has a title and sits next to a table with the same numbers.
public enum Charts {
    public struct Segment: Sendable, Equatable {
        public var value: Double
        public var colour: String
        public var name: String

        public init(_ value: Double, _ colour: String, _ name: String) {
            self.value = value
            self.colour = colour
            self.name = name
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
    public static func bars(title: String, _ bars: [Bar], width: Int = 860, legend: [Segment] = []) -> Node {
        let labelWidth = 210
        let valueWidth = 280
        let rowHeight = 30
        let top = legend.isEmpty ? 8 : 32
        let height = top + max(1, bars.count) * rowHeight + 8
        let plot = Double(width - labelWidth - valueWidth)
        let largest = bars.map { $0.segments.reduce(0) { $0 + max(0, $1.value) } }.max() ?? 0
        let scale = largest > 0 ? plot / largest : 0
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        return el(
            "svg", Attr("xmlns", "http://www.w3.org/2000/svg"), Attr("viewBox", "0 0 \(width) \(height)"),
            Attr("width", "100%"), Attr("role", "img"), .aria("label", title), .cls("chart")
        ) {
            el("title") { title }
            for (i, s) in legend.enumerated() {
                el(
                    "rect", Attr("x", String(labelWidth + i * 130)), Attr("y", "6"), Attr("width", "14"),
                    Attr("height", "14"), Attr("fill", s.colour))
                el(
                    "text", Attr("x", String(labelWidth + i * 130 + 20)), Attr("y", "18"), Attr("font-size", "13"),
                    Attr("fill", "#1b1f24")
                ) { s.name }
            }
            for (i, b) in bars.enumerated() {
                let y = top + i * rowHeight
                el(
                    "text", Attr("x", String(labelWidth - 8)), Attr("y", String(y + 19)), Attr("text-anchor", "end"),
                    Attr("font-size", "13"), Attr("fill", "#1b1f24")
                ) {
                    b.label.count > 30 ? String(b.label.prefix(29)) + "…" : b.label
                }
                let segments = b.segments.reduce(into: [(x: Double, w: Double, s: Segment)]()) { acc, s in
                    let x = (acc.last.map { $0.x + $0.w }) ?? Double(labelWidth)
                    acc.append((x, max(0, s.value) * scale, s))
                }
                for seg in segments where seg.w > 0 {
                    el(
                        "rect", Attr("x", f(seg.x)), Attr("y", String(y + 5)), Attr("width", f(seg.w)),
                        Attr("height", "20"), Attr("fill", seg.s.colour)
                    ) {
                        el("title") {
                            "\(b.label): \(seg.s.name) \(seg.s.value == seg.s.value.rounded() ? String(Int(seg.s.value)) : f(seg.s.value))"
                        }
                    }
                }
                let end = (segments.last.map { $0.x + $0.w }) ?? Double(labelWidth)
                el(
                    "text", Attr("x", f(end + 6)), Attr("y", String(y + 19)), Attr("font-size", "13"),
                    Attr("fill", "#1b1f24")
                ) { b.display }
            }
        }
    }
}
