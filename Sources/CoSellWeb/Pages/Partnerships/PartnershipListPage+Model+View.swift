import Foundation

public struct PartnershipListModel: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var partner: String
        public var status: String
        public var plan: String
        /// What waits, in words ("Waiting for Beacon Cloud to accept", "Beacon Cloud invites you: answer").
        public var waiting: String? = nil
        /// The discovery status in words, for an active partnership.
        public var discovery: String? = nil
    }

    /// An invitation to a company not on the server yet.
    public struct Waiting: Sendable, Equatable {
        public var domain: String
        public var email: String
        public var until: String
    }

    /// The link of an invitation made without mail, shown once.
    public struct Handover: Sendable, Equatable {
        public var email: String
        public var link: String
    }

    public var chrome: PageChrome
    public var items: [Item]
    public var canImport: Bool
    public var canInvite: Bool
    public var mailConfigured: Bool
    public var waiting: [Waiting] = []
    public var handover: Handover? = nil
    public var values: [String: String] = [:]
    public var errors: [String: String] = [:]
    /// Who may invite partners, for a reader who may not ("Maya Okafor").
    public var admins: String = ""
}

extension PartnershipViews {
    public static func list(_ m: PartnershipListModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Partnerships" }
            el("p") {
                if m.canImport {
                    link(SiteRoute.importUpload, "Import your CRM accounts", .cls("button"))
                    " "
                }
                link(SiteRoute.revenue(), "Partner revenue report")
            }
            if let h = m.handover {
                el("div", .cls("card"), Attr("role", "status")) {
                    el("p") {
                        "This server sends no mail: send \(h.email) this link yourself. It works for 14 days and is shown only now."
                    }
                    el(
                        "input", .type("text"), .id("partner-invitation-link"), .value(h.link), Attr("readonly", nil),
                        .aria("label", "The partnership invitation link"))
                }
            }
            if m.items.isEmpty && m.waiting.isEmpty {
                el("p", .cls("muted")) {
                    m.canInvite
                        ? "No partnerships yet: invite a partner company below."
                        : "No partnerships yet. Partner companies are invited by an admin (\(m.admins))."
                }
            }
            el("div", .cls("grid")) {
                for i in m.items {
                    el("article", .cls("card")) {
                        el("h2") { link(SiteRoute.partnership(i.id), i.name) }
                        el("p") {
                            "With \(i.partner) · "
                            Layout.badge(i.status, i.status == "active" ? "ok" : "warn")
                        }
                        if let w = i.waiting { el("p") { link(SiteRoute.partnership(i.id), w) } }
                        if let d = i.discovery { el("p", .cls("discovery-status")) { "Discovery call: \(d)" } }
                        el("p", .cls("muted")) { i.plan }
                    }
                }
            }
            if !m.waiting.isEmpty {
                el("section", .aria("labelledby", "waiting-h")) {
                    el("h2", .id("waiting-h")) { "Invited companies not on cosell yet" }
                    el("div", .cls("table-wrap")) {
                        el("table", .cls("stack")) {
                            el("thead") {
                                el("tr") {
                                    for h in ["Company domain", "Invited person", "Link works until"] {
                                        el("th", Attr("scope", "col")) { h }
                                    }
                                }
                            }
                            el("tbody") {
                                for w in m.waiting {
                                    el("tr") {
                                        el("td", Attr("data-label", "Company domain")) { w.domain }
                                        el("td", Attr("data-label", "Invited person")) { w.email }
                                        el("td", Attr("data-label", "Link works until")) { w.until }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if m.canInvite {
                el("section", .cls("card"), .aria("labelledby", "invite-partner-h")) {
                    el("h2", .id("invite-partner-h")) { "Invite a partner company" }
                    el("p", .cls("muted")) {
                        (m.mailConfigured
                            ? "cosell mails the person a link. "
                            : "This server sends no mail: after you invite, the page shows the link for you to send. ")
                            + "If their company is on this server, its admins accept or decline here; otherwise the link lets them set it up first. Nothing of either CRM is shared until each company chooses."
                    }
                    Layout.formError(m.errors.isEmpty ? nil : "Nobody was invited: see below.")
                    Layout.postForm(SiteRoute.partnerInvite, csrf: m.chrome.csrf) {
                        Layout.field(
                            "partner_domain", "Their company's web domain", value: m.values["partner_domain"],
                            required: true, hint: "Such as beacon.example.", error: m.errors["partner_domain"],
                            formID: "invite-partner")
                        Layout.field(
                            "email", "A person there who answers for their company", value: m.values["email"],
                            type: "email", required: true,
                            hint:
                                "Their e-mail at that domain; they become their company's first admin if it is new here.",
                            error: m.errors["email"], formID: "invite-partner")
                        Layout.field(
                            "name", "Name of the partnership (optional)", value: m.values["name"],
                            hint: "Left empty: “\(m.chrome.organizationName ?? "Your company") × their company”.",
                            error: m.errors["name"], formID: "invite-partner")
                        el("button", .type("submit")) { "Invite" }
                    }
                }
            }
        }
    }
}
