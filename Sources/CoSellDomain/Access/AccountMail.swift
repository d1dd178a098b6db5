import Foundation

/// A mail about a person's own access, sent to an address rather than to a person of cosell (an
/// invitee is not one yet): an invitation's link, a password reset's link. It is queued in the same
/// transaction as the invitation or reset it carries and sent once, on its own (never gathered with
/// deal notes, never switched off: it is the person's way in). Its link holds a secret, so the store
/// forgets the link once the mail is sent or given up.
public struct AccountMail: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case invitation
        case passwordReset = "password_reset"
        case partnerInvitation = "partner_invitation"
    }

    public var kind: Kind
    public var toEmail: String
    public var toName: String
    public var subject: String
    /// The text before the link.
    public var body: String
    /// The page the link opens, as a path of the site (`/join/…`); the worker puts the server's
    /// public address in front.
    public var path: String
    /// The text after the link.
    public var footer: String

    public init(
        kind: Kind, toEmail: String, toName: String, subject: String, body: String, path: String, footer: String
    ) {
        self.kind = kind
        self.toEmail = toEmail
        self.toName = toName
        self.subject = subject
        self.body = body
        self.path = path
        self.footer = footer
    }

    /// The invitation's mail: who invited whom into which company with which role, the link, and
    /// until when it works.
    public static func invitation(
        _ invitation: Invitation, organizationName: String, invitedBy: String, path: String
    ) -> AccountMail {
        AccountMail(
            kind: .invitation, toEmail: invitation.email, toName: invitation.name,
            subject: "\(invitedBy) invited you to cosell for \(organizationName)",
            body: """
                Hello \(invitation.name),

                \(invitedBy) invited you to join \(organizationName) on cosell as \(invitation.role.title.lowercased()). \
                cosell is where \(organizationName) and its partners run their joint deals.

                Choose your password here to join:
                """,
            path: path,
            footer: """
                The link works once, until \(Self.stamp(invitation.expiresAt)) (UTC). If you did not expect this \
                invitation, ignore this mail: nothing happens unless the link is used.
                """)
    }

    /// A partnership invitation's mail: which company invites the reader's company to co-sell, the
    /// link, and until when it works.
    public static func partnerInvitation(
        _ invitation: PartnerInvitation, fromCompany: String, invitedBy: String, companyOnServer: String?, path: String
    ) -> AccountMail {
        let next =
            companyOnServer.map {
                "\($0) is on cosell already: sign in as one of its admins to accept or decline here:"
            }
            ?? "Open this link to set up your company on cosell (a minute), then accept or decline:"
        return AccountMail(
            kind: .partnerInvitation, toEmail: invitation.email, toName: invitation.email,
            subject: "\(invitedBy) of \(fromCompany) invites you to co-sell on cosell",
            body: """
                Hello,

                \(invitedBy) of \(fromCompany) invites your company (\(invitation.partnerDomain)) to the partnership \
                "\(invitation.partnershipName)" on cosell, where both companies find the accounts they share and run \
                joint deals. Nothing of your CRM is shared until you choose what to share.

                \(next)
                """,
            path: path,
            footer: """
                The link works until \(Self.stamp(invitation.expiresAt)) (UTC). If you did not expect this \
                invitation, ignore this mail: nothing happens unless someone of your company accepts.
                """)
    }

    /// The password reset's mail: the link and until when it works.
    public static func passwordReset(to person: Person, path: String, expiresAt: Date) -> AccountMail {
        AccountMail(
            kind: .passwordReset, toEmail: person.email, toName: person.name,
            subject: "Reset your cosell password",
            body: """
                Hello \(person.name),

                Someone (we hope you) asked to reset the password of \(person.email) on cosell. \
                Choose a new password here:
                """,
            path: path,
            footer: """
                The link works once, until \(Self.stamp(expiresAt)) (UTC). Using it signs you out everywhere. \
                If you did not ask for this, ignore this mail: your password stays as it is.
                """)
    }

    /// The whole text of the mail, with the link on its own line.
    public func text(baseURL: String) -> String {
        "\(body)\n\n\(baseURL)\(path)\n\n\(footer)\n"
    }

    public static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMMM yyyy, HH:mm"
        return f.string(from: date)
    }
}
