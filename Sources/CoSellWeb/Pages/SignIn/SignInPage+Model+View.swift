public struct SignInModel: Sendable, Equatable {
    public var email: String
    public var next: String
    public var error: String?
    public var csrf: String

    public init(email: String, next: String, error: String?, csrf: String) {
        self.email = email
        self.next = next
        self.error = error
        self.csrf = csrf
    }
}

public enum SignInView {
    public static func render(_ m: SignInModel) -> Node {
        Layout.page(PageChrome(title: "Sign in", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "Sign in to cosell" }
                Layout.formError(m.error)
                el("form", Attr("method", "post"), Attr("action", SiteRoute.signIn())) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(m.csrf))
                    el("input", .type("hidden"), .name("next"), .value(m.next))
                    Layout.field(
                        "email", "E-mail", value: m.email, type: "email", required: true, formID: "sign-in",
                        extra: [Attr("autocomplete", "username")])
                    Layout.field(
                        "password", "Password", type: "password", required: true, formID: "sign-in",
                        extra: [Attr("autocomplete", "current-password")])
                    el("button", .type("submit")) { "Sign in" }
                }
                el("p") { el("a", .href(SiteRoute.passwordResetRequest)) { "Forgot your password?" } }
            }
        }
    }
}
