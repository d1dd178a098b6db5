import Foundation

/// The issue-6 reports: pure functions from deals (and the tables they need) to report values.
/// No I/O, no clock: the caller passes `now` where a report needs it.
///
/// Conventions shared by every report:
/// - Stages are identified by their position (0...4): every valid playbook has the five exit criteria
///   in order. A passage's `stageKey` is looked up in the deal's own playbook version when the caller
///   passes it, else in the reference playbook, else read as a criterion kind's raw value.
/// - Days are whole days (`wholeDays`, rounded down), as in the stall report.
/// - Percentiles interpolate linearly between the closest ranks (h = (n − 1)·p, the method of
///   Excel's PERCENTILE.INC and NumPy's default): the median of an even count is the mean of the two
///   middle values. Results are exact to the hundredth of a day.
/// - Money stays in minor units (Int64); conversions round half-even to the reporting currency's
///   minor units, deal by deal, before summing.
public enum Reports {}

/// A stage of the reference playbook, as reports name it.
public struct ReportStage: Codable, Sendable, Equatable, Hashable {
    public var index: Int
    public var key: String
    public var name: String

    public init(index: Int, key: String, name: String) {
        self.index = index
        self.key = key
        self.name = name
    }
}

/// Median and 90th percentile of a set of day counts.
public struct DayStatistics: Codable, Sendable, Equatable {
    /// How many values the statistics are over.
    public var count: Int
    public var median: Double?
    public var p90: Double?

    public init(count: Int, median: Double?, p90: Double?) {
        self.count = count
        self.median = median
        self.p90 = p90
    }

    /// The statistics of `days`, in any order.
    public init(days: [Int]) {
        let sorted = days.sorted()
        self.init(
            count: sorted.count, median: Reports.percentile(sorted: sorted, percent: 50),
            p90: Reports.percentile(sorted: sorted, percent: 90))
    }
}

extension Reports {
    /// The `percent`-th percentile (0...100) of ascending `sorted`, interpolating linearly between the
    /// closest ranks; nil when empty. Exact to 1/100 (computed in integers).
    public static func percentile(sorted: [Int], percent: Int) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let p = min(100, max(0, percent))
        let h = (sorted.count - 1) * p
        let lo = h / 100
        let fraction = h % 100
        let hi = min(lo + 1, sorted.count - 1)
        let hundredths = sorted[lo] * 100 + fraction * (sorted[hi] - sorted[lo])
        return Double(hundredths) / 100
    }

    /// Days since 1970-01-01 of a calendar day (proleptic Gregorian), without a `Calendar`.
    public static func dayNumber(_ date: LocalDate) -> Int {
        let y = date.month <= 2 ? date.year - 1 : date.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = date.month
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Days since 1970-01-01 of the UTC day on which `date` falls.
    public static func dayNumber(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// The calendar quarter of a day, e.g. "2026-Q4".
    public static func quarter(of date: LocalDate) -> String {
        padded(date.year, 4) + "-Q" + String((date.month - 1) / 3 + 1)
    }

    /// `YYYY-MM-DD`, as `LocalDate.description`, without `String(format:)` (slow on Linux).
    static func text(of date: LocalDate) -> String {
        padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The share `part / whole`, nil when `whole` is zero.
    static func share(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}

/// Maps a deal's passages and position to the reference playbook's stage indexes.
struct StageResolver {
    let reference: Playbook
    let stageCount: Int
    private let referenceKeys: [String: Int]
    private let keysByVersion: [PlaybookVersion: [String: Int]]
    private let playbooksByVersion: [PlaybookVersion: Playbook]

    init(reference: Playbook, others: [Playbook]) {
        self.reference = reference
        self.stageCount = reference.stages.count
        func keys(_ p: Playbook) -> [String: Int] {
            var k: [String: Int] = [:]
            for (i, s) in p.stages.enumerated() where k[s.key] == nil { k[s.key] = i }
            return k
        }
        referenceKeys = keys(reference)
        var byVersion: [PlaybookVersion: [String: Int]] = [:]
        var playbooks: [PlaybookVersion: Playbook] = [:]
        for p in [reference] + others {
            let v = p.versionKey
            byVersion[v] = keys(p)
            playbooks[v] = p
        }
        keysByVersion = byVersion
        playbooksByVersion = playbooks
    }

    var stages: [ReportStage] {
        reference.stages.enumerated().map { ReportStage(index: $0.offset, key: $0.element.key, name: $0.element.name) }
    }

    /// The playbook version the deal runs on when known, else the reference.
    func playbook(for deal: DealFacts) -> Playbook {
        playbooksByVersion[deal.playbookVersionKey] ?? reference
    }

    func index(ofStageKey key: String, in deal: DealFacts) -> Int? {
        if let i = keysByVersion[deal.playbookVersionKey]?[key] { return i }
        if let i = referenceKeys[key] { return i }
        if let kind = CriterionKind(rawValue: key), let i = CriterionKind.allCases.firstIndex(of: kind),
            i < stageCount
        {
            return i
        }
        return nil
    }

    /// The furthest stage the deal has been in: its current stage, or the one after the last stage it
    /// left (a deal moved back keeps credit for the stage it reached).
    func furthestStage(of deal: DealFacts) -> Int {
        var furthest = deal.stageIndex
        for p in deal.passages {
            guard let i = index(ofStageKey: p.stageKey, in: deal) else { continue }
            // Left forward: the next stage was reached; moved back: this one was.
            furthest = max(furthest, p.exit == .movedBack ? i : min(i + 1, stageCount - 1))
        }
        return min(max(furthest, 0), stageCount - 1)
    }
}

/// A running sum of minor units in one currency that notices overflow instead of trapping.
struct MinorUnitsSum {
    var value: Int64 = 0
    var overflowed = false

    mutating func add(_ units: Int64) {
        guard !overflowed else { return }
        let (sum, o) = value.addingReportingOverflow(units)
        if o { overflowed = true } else { value = sum }
    }
}

/// Sums of money per currency, in currency-code order.
struct CurrencySums {
    var sums: [Currency: MinorUnitsSum] = [:]

    mutating func add(_ money: Money) { sums[money.currency, default: MinorUnitsSum()].add(money.minorUnits) }

    /// The sums that fit, sorted by currency code, and the currencies whose sum overflowed.
    var result: (amounts: [Money], overflowed: [Currency]) {
        var amounts: [Money] = []
        var overflowed: [Currency] = []
        for (c, s) in sums.sorted(by: { $0.key.code < $1.key.code }) {
            if s.overflowed { overflowed.append(c) } else { amounts.append(Money(minorUnits: s.value, currency: c)) }
        }
        return (amounts, overflowed)
    }
}

/// CSV text: fields separated by commas, lines by "\n", a header row first; fields holding a comma,
/// a quote or a line break are quoted. Every cell a spreadsheet would read as a formula (starting
/// with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, whatever column it
/// is in: names, stage names, addresses and ids come from people of both companies. A plain number
/// (`-12.50`) is left as it is. Every CSV the server answers is written here.
public enum CSV {
    public static func render(header: [String], rows: [[String]]) -> String {
        var out = line(header)
        for r in rows { out += line(r) }
        return out
    }

    /// One row, with its line break.
    public static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\n"
    }

    public static func field(_ raw: String) -> String {
        let s = neutralized(raw)
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The cell with an apostrophe in front when a spreadsheet would run it as a formula.
    public static func neutralized(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return s }
        if isPlainNumber(s) { return s }
        return "'" + s
    }

    /// `-12`, `-12.50`, `+3`: a number and nothing else.
    static func isPlainNumber(_ s: String) -> Bool {
        var digits = 0
        var dots = 0
        for (i, c) in s.unicodeScalars.enumerated() {
            if i == 0, c == "-" || c == "+" { continue }
            if c == "." {
                dots += 1
                continue
            }
            guard ("0"..."9").contains(c) else { return false }
            digits += 1
        }
        return digits > 0 && dots <= 1
    }

    static func number(_ d: Double?) -> String {
        guard let d else { return "" }
        let hundredths = Int((d * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let m = abs(hundredths)
        let frac = m % 100
        if frac == 0 { return sign + String(m / 100) }
        if frac % 10 == 0 { return sign + "\(m / 100).\(frac / 10)" }
        return sign + "\(m / 100)." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// A share as a decimal with four places, e.g. 0.6667; empty when nil.
    static func ratio(_ d: Double?) -> String {
        guard let d else { return "" }
        let tenThousandths = Int((d * 10_000).rounded())
        let m = abs(tenThousandths)
        return (tenThousandths < 0 ? "-" : "") + String(m / 10_000) + "." + Reports.padded(m % 10_000, 4)
    }

    static func money(_ m: Money?) -> String { m?.amountString ?? "" }

    /// Amounts as "EUR 1000.00; USD 20.00".
    static func amounts(_ list: [Money]) -> String {
        list.map { "\($0.currency.code) \($0.amountString)" }.joined(separator: "; ")
    }
}
