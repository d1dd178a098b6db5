import CoSellDomain
import CoSellWorkflows
import Foundation

/// What a partnership's targets wait for, in words that name the companies and say who can act.
enum PartnershipReadiness {
    struct Names {
        /// The reader's company and the other, and the people who may act on each side.
        var mine: String
        var theirs: String
        var myAdmins: String
        var theirAdmins: String
        var readerIsAdmin: Bool
        var readerCanImport: Bool
        var readerCanWrite: Bool
    }

    static func levelWords(_ l: SharingLevel) -> String {
        switch l {
        case .hidden: return "nothing"
        case .counts: return "counts only"
        case .overlappingAccounts: return "overlapping accounts"
        case .allAccounts: return "all accounts"
        }
    }

    /// A population in the plural, as a person says it.
    static func plural(_ population: String) -> String {
        switch population {
        case "open_opportunity": return "open opportunities"
        default: return PartnershipViews.label(population) + "s"
        }
    }

    static func shared(_ levels: [String: SharingLevel]) -> String {
        let order = ["customer", "open_opportunity", "prospect"]
        let parts = order.compactMap { pop -> String? in
            guard let l = levels[pop], l != .hidden else { return nil }
            return "\(plural(pop)) as \(levelWords(l))"
        }
        return parts.joined(separator: ", ")
    }

    static func steps(
        _ r: TargetWorkflows.Readiness, _ n: Names, matching: MatchingRuns.State?, format f: DisplayFormat
    ) -> [PartnershipModel.Step] {
        var out: [PartnershipModel.Step] = []
        if r.yourAccounts > 0 {
            out.append(.init(done: true, text: "\(n.mine) imported \(f.format(r.yourAccounts)) accounts."))
        } else {
            out.append(
                .init(
                    done: false,
                    text: "\(n.mine) has not imported its accounts yet."
                        + (n.readerCanImport ? "" : " Its admins or partner managers do that (\(n.myAdmins))."),
                    action: n.readerCanImport
                        ? .link(href: SiteRoute.importUpload.href, text: "Import your accounts") : nil))
        }
        if r.partnerAccounts > 0 {
            out.append(.init(done: true, text: "\(n.theirs) imported \(f.format(r.partnerAccounts)) accounts."))
        } else {
            out.append(
                .init(
                    done: false,
                    text:
                        "\(n.theirs) has not imported its accounts yet: its admins or partner managers do that on their side (\(n.theirAdmins))."
                ))
        }
        switch matching {
        case .running(let since):
            out.append(
                .init(
                    done: false,
                    text:
                        "Matching both companies' accounts (started \(f.format(since))); this page refreshes itself."))
        case .failed(let why, _):
            out.append(
                .init(
                    done: false, text: "Matching failed: \(why).", action: n.readerCanWrite ? .matchAgain : nil))
        default:
            if r.yourAccounts > 0 && r.partnerAccounts > 0 {
                let found = r.sameAccount + r.sameFamily
                out.append(
                    .init(
                        done: found > 0,
                        text: found > 0
                            ? "\(f.format(found)) accounts are in both CRMs: \(f.format(r.sameAccount)) the same company, \(f.format(r.sameFamily)) a different company of the same group."
                            : "No account is in both CRMs yet.",
                        action: n.readerCanWrite ? .matchAgain : nil))
            }
        }
        if r.youShareNothing {
            out.append(
                .init(
                    done: false,
                    text: "\(n.mine) shares nothing yet, so \(n.theirs) sees no targets."
                        + (n.readerIsAdmin ? "" : " Its admins choose what to share (\(n.myAdmins))."),
                    action: n.readerIsAdmin ? .sharingPreset : nil))
        } else {
            out.append(.init(done: !r.yourSharesAccounts.isEmpty, text: "\(n.mine) shares \(shared(r.yourSharing))."))
        }
        if r.partnerSharesAccounts.isEmpty {
            let now = shared(r.partnerSharing)
            out.append(
                .init(
                    done: false,
                    text:
                        "\(n.theirs) "
                        + (now.isEmpty ? "has not shared anything yet" : "shares \(now) only")
                        + ": your targets appear once it shares at least overlapping accounts. Its admins choose that (\(n.theirAdmins))."
                ))
        } else {
            out.append(.init(done: true, text: "\(n.theirs) shares \(shared(r.partnerSharing))."))
        }
        return out
    }
}
