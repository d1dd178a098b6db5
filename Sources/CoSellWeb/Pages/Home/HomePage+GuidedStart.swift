import CoSellDomain
import Foundation

/// The three first steps of an organization, shown on the home page until all are done: import its
/// accounts, invite a company to a partnership, share something in an active one.
public struct GuidedStart: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var title: String
        public var done: Bool
        /// Where the step stands, in words.
        public var state: String
        /// Where to do it (or to see it), and the link's words; nil when there is nowhere to go yet.
        public var href: String?
        public var linkText: String?
        /// For a reader whose role cannot do it: whom to ask.
        public var ask: String?
    }

    public var steps: [Step]

    /// What the steps are worked out from.
    struct Facts {
        var companyName: String
        var readerRole: Role
        /// Active admins and partner managers of the reader's company, by name.
        var admins: [String]
        var partnerManagers: [String]
        var importedAccounts: Int
        /// The company's partnerships still pending or active, oldest first, with the other company's
        /// name, and whether the reader's company shares anything above hidden in it.
        var partnerships: [(partnership: Partnership, otherName: String, sharing: Bool)]
        var myOrganization: UUID
    }

    /// The steps, or nil once all three are done.
    static func make(_ f: Facts) -> GuidedStart? {
        let company = f.companyName
        func names(_ list: [String]) -> String { list.isEmpty ? "" : " (\(list.prefix(3).joined(separator: ", ")))" }
        let adminsOnly = f.readerRole == .admin ? nil : "Ask an admin of \(company)\(names(f.admins)) to"

        // 1. Import.
        let canImport = f.readerRole == .admin || f.readerRole == .partnerManager
        let imported = f.importedAccounts > 0
        let importStep = Step(
            title: "Import your accounts", done: imported,
            state: imported
                ? "Done: \(f.importedAccounts) account\(f.importedAccounts == 1 ? "" : "s") of \(company) imported."
                : "Not yet: upload a CSV export of \(company)'s CRM accounts (Salesforce, HubSpot or any CSV with a name column).",
            href: canImport ? SiteRoute.importUpload.href : nil,
            linkText: canImport ? (imported ? "Import a newer export" : "Import your accounts") : nil,
            ask: canImport || imported
                ? nil
                : "Ask an admin or a partner manager of \(company)\(names(f.admins + f.partnerManagers)) to import the accounts."
        )

        // 2. Invite.
        let active = f.partnerships.filter { $0.partnership.status == .active }
        let pending = f.partnerships.filter { $0.partnership.status == .pending }
        let sent = pending.filter { $0.partnership.invitedBy == f.myOrganization }
        let received = pending.filter { $0.partnership.invitedBy != f.myOrganization }
        let invited = !active.isEmpty || !sent.isEmpty
        var inviteState: String
        if let a = active.first {
            inviteState = "Done: the partnership with \(a.otherName) is active."
        } else if let p = sent.first {
            inviteState = "Invited, waiting for \(p.otherName) to accept."
        } else if let p = received.first {
            inviteState = "\(p.otherName) invited \(company): accept on the Partnerships page."
        } else {
            inviteState = "Not yet: invite the company you co-sell with, by its web domain."
        }
        let inviteStep = Step(
            title: "Invite your partner", done: invited, state: inviteState, href: SiteRoute.partnerships.href,
            linkText: invited
                ? "See the partnerships" : (received.isEmpty ? "Invite a company" : "Accept the invitation"),
            ask: invited || adminsOnly == nil
                ? nil : "\(adminsOnly!) \(received.isEmpty ? "invite the company you co-sell with" : "accept it")."
        )

        // 3. Sharing.
        let sharing = active.first { $0.sharing }
        let shareIn = sharing ?? active.first
        let shareState: String
        if let s = sharing {
            shareState = "Done: \(company) shares accounts with \(s.otherName)."
        } else if let a = active.first {
            shareState =
                "Not yet: \(company) shares nothing with \(a.otherName), so neither company sees target accounts. Share at least the overlapping accounts of a population; \(a.otherName) does the same on its side."
        } else if let p = sent.first {
            shareState = "Once \(p.otherName) accepts, choose what \(company) shares with it."
        } else if let p = received.first {
            shareState = "Once \(company) accepts \(p.otherName)'s invitation, choose what \(company) shares with it."
        } else {
            shareState = "Once a partnership is accepted, choose what \(company) shares with the other company."
        }
        let shareStep = Step(
            title: "Set sharing", done: sharing != nil, state: shareState,
            href: shareIn.map { SiteRoute.partnership($0.partnership.id).href + "#sharing-h" },
            linkText: shareIn == nil ? nil : (sharing == nil && adminsOnly == nil ? "Set sharing" : "See the sharing"),
            ask: sharing != nil || shareIn == nil || adminsOnly == nil
                ? nil : "\(adminsOnly!) set what \(company) shares."
        )

        let steps = [importStep, inviteStep, shareStep]
        return steps.allSatisfy(\.done) ? nil : GuidedStart(steps: steps)
    }
}
