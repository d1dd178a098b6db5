import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// Each person's mail: which kinds they are told, digest only, or none; and the unsubscribe link
/// every mail carries, which works without signing in.
enum NotificationSettingsController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let prefs = try await req.workflows.notifications.preferences(of: s.principal)
        return Pages.html(
            page(
                s.chrome("Mail", .none, notice: Pages.notice(req)), prefs: prefs, email: s.person.email,
                mail: req.application.mailStatus))
    }

    static func save(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        var prefs = NotificationPreferences()
        for kind in NotificationKind.allCases where req.formValue("kind_\(kind.rawValue)") == nil {
            prefs.off.insert(kind)
        }
        prefs.digestOnly = req.formValue("digest_only") != nil
        prefs.unsubscribed = req.formValue("no_mail") != nil
        try await req.workflows.notifications.setPreferences(prefs, by: s.principal)
        return Pages.seeOther(SiteRoute.notificationSettings, notice: "Your mail settings are saved.")
    }

    static func page(_ chrome: PageChrome, prefs: NotificationPreferences, email: String, mail: MailStatus) -> Node {
        Layout.page(chrome) {
            el("h1") { "What cosell tells you by mail" }
            if mail.configured {
                el("p", .cls("muted")) {
                    "Mail goes to \(email) from \(mail.sender ?? "cosell"); what comes together within a few minutes is gathered into one mail."
                }
            } else {
                el("p", .cls("form-error")) {
                    "This server does not send mail yet (an admin sets COSELL_SMTP_URL and COSELL_MAIL_FROM). Your choices are kept for when it does."
                }
            }
            Layout.postForm(SiteRoute.notificationSettings, csrf: chrome.csrf) {
                el("fieldset") {
                    el("legend") { "Tell me when" }
                    for kind in NotificationKind.allCases {
                        checkbox("kind_\(kind.rawValue)", kind.title, checked: !prefs.off.contains(kind))
                    }
                }
                checkbox(
                    "digest_only", "Only the weekly digest on the review day (nothing else)", checked: prefs.digestOnly)
                checkbox("no_mail", "No mail at all", checked: prefs.unsubscribed)
                el("button", .type("submit")) { "Save" }
            }
        }
    }

    static func checkbox(_ name: String, _ label: String, checked: Bool) -> Node {
        el("div", .cls("check")) {
            el(
                "input",
                attrs: [.type("checkbox"), .id("mail-\(name)"), .name(name), .value("on")]
                    + (checked ? [.flag("checked")] : []))
            " "
            el("label", .for("mail-\(name)")) { label }
        }
    }

    // MARK: the unsubscribe link

    static func unsubscribePage(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let person = try await req.workflows.notifications.person(unsubscribeToken: token) else {
            throw Problem.notFound("unsubscribe link")
        }
        return Pages.html(
            Layout.page(PageChrome(title: "Stop mail", section: .none)) {
                el("h1") { "Stop all mail from cosell" }
                el("p") { "Mail to \(person.email) will stop. You can switch it on again in your mail settings." }
                el("form", Attr("method", "post"), Attr("action", SiteRoute.unsubscribe(token))) {
                    el("button", .type("submit")) { "Stop all mail" }
                }
            })
    }

    /// Also the one-click unsubscribe of mail programs (RFC 8058): a POST with no session.
    static func unsubscribe(_ req: Request) async throws -> Response {
        let person = try await req.workflows.notifications.unsubscribe(token: req.parameters.get("token") ?? "")
        return Pages.html(
            Layout.page(PageChrome(title: "Mail stopped", section: .none)) {
                el("h1") { "Mail stopped" }
                el("p") { "cosell will send no more mail to \(person.email)." }
            })
    }
}
