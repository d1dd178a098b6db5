// cosell-mapbench: generates N x N synthetic account exports with ground truth, runs the account
// mapping the way `cosell map` does, and reports time, peak memory, precision and recall.
//
//   cosell-mapbench [N ...]            generate, map (in a fresh child process) and evaluate, per N
//   cosell-mapbench gen N DIR          only write DIR/host.csv, DIR/partner.csv, DIR/truth.csv
//   cosell-mapbench map DIR            only map DIR/host.csv x DIR/partner.csv -> DIR/overlaps.csv
//   cosell-mapbench eval DIR           only compare DIR/overlaps.csv with DIR/truth.csv
//   cosell-mapbench private DIR        private mapping's exact keys (DIR/partner.csv run against DIR/host.csv)
//                                      beside DIR/overlaps.csv, per partner account; writes DIR/private-ids.txt
//                                      (PM_DEBUG=1: which keys matched, right and wrong, and some wrong ones)
//   cosell-mapbench passes DIR [RUNS]  read both files once, then match RUNS times (default 10), phase times
//                                      on standard error
// Options (all modes): --print-summary, --seed S, --threads T, --polars-script PATH, --typos (typo-tolerant name-only matching), --polars PYTHON (also time scripts/bench_polars_domain_join.py)
import CoSellMatching
import Foundation

func peakRSSMegabytes() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kb / 1024
    }
    return -1
}

func write(_ bytes: [UInt8], _ path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    let v = args[i + 1]
    args.removeSubrange(i...(i + 1))
    return v
}
let seed = UInt64(option("--seed") ?? "42") ?? 42
let threads = option("--threads").flatMap(Int.init)
let polarsPython = option("--polars")
let polarsScript = option("--polars-script")
let typos = args.contains("--typos")
let printSummary = args.contains("--print-summary")
args.removeAll { $0 == "--typos" || $0 == "--print-summary" }

@MainActor func gen(_ n: Int, _ dir: String) {
    let t0 = Date()
    let ds = SyntheticAccounts.generate(SyntheticConfig(count: n, seed: seed))
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    write(ds.hostCSV, dir + "/host.csv")
    write(ds.partnerCSV, dir + "/partner.csv")
    write(ds.truth.csv(), dir + "/truth.csv")
    print(
        String(
            format: "generated %d x %d in %.1f s (%.1f MB + %.1f MB)", n, n, Date().timeIntervalSince(t0),
            Double(ds.hostCSV.count) / 1e6, Double(ds.partnerCSV.count) / 1e6))
}

@MainActor func map(_ dir: String) {
    var options = MapOptions()
    if let threads { options.match.threads = threads }
    if typos { options.match.typoTolerance = true }
    let t0 = Date()
    do {
        let summary = try AccountMapping.run(
            hostPath: dir + "/host.csv", partnerPath: dir + "/partner.csv", outputPath: dir + "/overlaps.csv",
            options: options)
        let elapsed = Date().timeIntervalSince(t0)
        let s = summary.seconds
        print(
            String(
                format:
                    "map: %.3f s total (read %.3f, match %.3f, write %.3f), peak RSS %.0f MB, %d overlaps (%d same_account, %d same_family), duplicates host %d / partner %d",
                elapsed, s["read"] ?? 0, s["match"] ?? 0, s["write"] ?? 0, peakRSSMegabytes(), summary.overlaps,
                summary.sameAccount, summary.sameFamily, summary.hostDuplicatePairs, summary.partnerDuplicatePairs))
        if printSummary { print(summary.renderText()) }
        print("RESULT seconds=\(String(format: "%.3f", elapsed)) peak_mb=\(String(format: "%.0f", peakRSSMegabytes()))")
    } catch {
        print("map failed: \(error)")
        exit(1)
    }
}

@MainActor func eval(_ dir: String) {
    do {
        let truth = try GroundTruth.parse(csv: try Data(contentsOf: URL(fileURLWithPath: dir + "/truth.csv")))
        let report = try QualityReport.evaluate(
            overlapsCSV: try Data(contentsOf: URL(fileURLWithPath: dir + "/overlaps.csv")), truth: truth)
        print("quality: \(report)")
    } catch {
        print("eval failed: \(error)")
        exit(1)
    }
}

/// Private mapping's overlap is the exact-key overlap (`PrivateMatchKeys.directOverlap`, which the
/// protocol reproduces exactly: PrivateSetTests): the partner file plays the command's list, the host
/// file the list on the server. Scored per partner account against the truth (an account is in the
/// overlap when its company is in the host file), beside the partner accounts that `cosell map`'s
/// same_account overlaps name.
func privateEval(_ dir: String) {
    do {
        let truth = try GroundTruth.parse(csv: try Data(contentsOf: URL(fileURLWithPath: dir + "/truth.csv")))
        let host = try AccountTable.load(path: dir + "/host.csv").records
        let partner = try AccountTable.load(path: dir + "/partner.csv").records
        let t0 = Date()
        let found = PrivateMatchKeys.directOverlap(query: partner, set: host).map { partner[$0].id }
        let took = Date().timeIntervalSince(t0)
        let hostEntities = Set(truth.hostEntity.values)
        let truly = Set(partner.map(\.id).filter { truth.partnerEntity[$0].map(hostEntities.contains) ?? false })
        let rows = try CSV.parse(try Data(contentsOf: URL(fileURLWithPath: dir + "/overlaps.csv")))
        let mapped = Set(rows.dropFirst().filter { $0.count >= 3 && $0[2] == "same_account" }.map { $0[1] })
        func score(_ name: String, _ ids: Set<String>) {
            let right = ids.intersection(truly).count
            print(
                String(
                    format:
                        "%@: %d partner accounts predicted, %d right, %d truly in the overlap: precision %.4f, recall %.4f",
                    name, ids.count, right, truly.count, Double(right) / Double(max(1, ids.count)),
                    Double(right) / Double(max(1, truly.count))))
        }
        score("private (exact keys)", Set(found))
        if ProcessInfo.processInfo.environment["PM_DEBUG"] != nil {
            var held = [String: Int]()
            for r in host { for k in PrivateMatchKeys.keys(of: r, role: .set) { held[k, default: 0] += 1 } }
            var byKind = [String: (Int, Int)]()
            var shown = 0
            for r in partner {
                let ks = PrivateMatchKeys.keys(of: r, role: .query).filter { held[$0] != nil }
                guard !ks.isEmpty else { continue }
                let kind = ks.map {
                    // d, or n with the country part (C, - or *) and the reach (a or o).
                    $0.hasPrefix("d:")
                        ? "d"
                        : "n" + ($0.contains("|*|") ? "*" : ($0.contains("|-|") ? "-" : "C")) + String($0.suffix(1))
                }
                .joined(separator: "+")
                var c = byKind[kind] ?? (0, 0)
                if truly.contains(r.id) {
                    c.0 += 1
                } else {
                    c.1 += 1
                    if shown < 12 { print("FP", r.id, r.name, r.country ?? "", ks); shown += 1 }
                }
                byKind[kind] = c
            }
            for (k, v) in byKind.sorted(by: { $0.key < $1.key }) { print("keys \(k): right \(v.0), wrong \(v.1)") }
        }
        score("cosell map (same_account)", mapped)
        print(String(format: "keys and overlap computed in %.3f s", took))
        try found.sorted().joined(separator: "\n").write(
            toFile: dir + "/private-ids.txt", atomically: true, encoding: .utf8)
    } catch {
        print("private eval failed: \(error)")
        exit(1)
    }
}

func runChild(_ arguments: [String]) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try? p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@MainActor func runPolars(_ dir: String, python: String) {
    // scripts/ next to Sources/ (following the benchmark package's symlinks), else ./scripts.
    let besideSources = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "scripts/bench_polars_domain_join.py"
        ).path
    let script =
        polarsScript
        ?? (FileManager.default.fileExists(atPath: besideSources)
            ? besideSources : "scripts/bench_polars_domain_join.py")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = [script, dir + "/host.csv", dir + "/partner.csv"]
    let pipe = Pipe()
    p.standardOutput = pipe
    try? p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    print("polars: " + String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
}

let extra = (threads.map { ["--threads", String($0)] } ?? []) + (typos ? ["--typos"] : [])
switch args.first {
case "gen":
    gen(Int(args[1]) ?? 10000, args[2])
case "map":
    map(args[1])
case "eval":
    eval(args[1])
case "private":
    privateEval(args[1])
case "csv":
    for _ in 0..<2 {
        let t0 = Date()
        let n = try CSV.countRows(path: args[1] + "/host.csv")
        print(String(format: "csv host.csv: %d rows in %.3f s", n, Date().timeIntervalSince(t0)))
    }
case "passes":
    // Both files read once, then matched (with duplicates) RUNS times in this one process: each phase's
    // time on standard error after a "run N" line. Changes to the matching passes were compared so,
    // alternating the two variants run by run (see BENCHMARKS.md).
    let host = try AccountTable.load(path: args[1] + "/host.csv")
    let partner = try AccountTable.load(path: args[1] + "/partner.csv")
    MatchingSwitches.phaseTimes = true
    for r in 0..<(args.count > 2 ? Int(args[2]) ?? 10 : 10) {
        FileHandle.standardError.write(Data("run \(r)\n".utf8))
        let t0 = Date()
        _ = AccountMatcher.match(host: host, partner: partner)
        FileHandle.standardError.write(
            Data(String(format: "phase match and duplicates: %.3f s\n", Date().timeIntervalSince(t0)).utf8))
    }
case "load":
    for _ in 0..<2 {
        let t0 = Date()
        let t = try AccountTable.load(path: args[1] + "/host.csv")
        print(String(format: "load host.csv: %d records in %.3f s", t.count, Date().timeIntervalSince(t0)))
    }
default:
    let sizes = args.compactMap(Int.init)
    for n in sizes.isEmpty ? [100_000] : sizes {
        let dir = NSTemporaryDirectory() + "cosell-mapbench-\(n)-\(seed)"
        print("== N = \(n) (\(ProcessInfo.processInfo.activeProcessorCount) cores) ==")
        if !FileManager.default.fileExists(atPath: dir + "/truth.csv") {
            print(runChild(["gen", String(n), dir, "--seed", String(seed)]), terminator: "")
        }
        print(runChild(["map", dir] + extra), terminator: "")
        eval(dir)
        if let polarsPython { runPolars(dir, python: polarsPython) }
    }
}
