import Foundation

extension Diagnosis {
    /// The diagnosis in words a person reads: each side named by its company ("The account fits
    /// Halyard Security's ideal customer profile only partly", "A brief is approved by Quarry Data
    /// only"). The API keeps the side words.
    public func naming(_ names: SidePair<String>) -> Diagnosis {
        var d = self
        let name = { (s: String) in SideWording.name(s, names) }
        d.explanation = name(d.explanation)
        d.findings = d.findings.map { f in
            var f = f
            f.evidence = f.evidence.map(name)
            return f
        }
        if var cause = d.likelyCause {
            cause.evidence = cause.evidence.map(name)
            d.likelyCause = cause
        }
        return d
    }
}

/// Replaces "the host side", "the partner side" and their pairs with the companies' names.
public enum SideWording {
    public static func name(_ text: String, _ names: SidePair<String>) -> String {
        guard let h = names.host, !h.isEmpty, let p = names.partner, !p.isEmpty else { return text }
        var t = text
        for (from, to) in [
            ("the host and partner side", "\(h) and \(p)"), ("the partner and host side", "\(p) and \(h)"),
            ("the host and host side", h), ("the partner and partner side", p),
            ("The host side", h), ("the host side", h), ("The partner side", p), ("the partner side", p),
        ] {
            t = t.replacingOccurrences(of: from, with: to)
        }
        return t
    }
}
