import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

/// The organization's ideal customer profile: everyone reads it, admins change it through the same
/// verb as `PUT /api/v1/organizations/{id}/settings` (the population rules are kept as they are).
/// Industries are chosen from the values of the organization's imported accounts; countries are
/// typed by name or ISO code; the employee range is two whole numbers.
enum ProfilePageController {
    static func register(_ app: Application) {
        app.page(.GET, .profile, show)
        app.page(.POST, .profile, save)
    }

    /// The most industry values offered as choices (the verb keeps at most 100 industries).
    static let shownIndustries = 100

    static let savedNotice =
        "The ideal customer profile is saved. Fit is worked out from it each time target accounts are read, so every partnership's targets show it now: nothing needs importing or mapping again."
    static let clearedNotice =
        "The ideal customer profile is cleared: target accounts show your fit as unknown until you state one."

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let saved = try await req.store.settings(of: s.person.organizationID).idealCustomerProfile
        return try await render(req, s, notice: Pages.notice(req), form: ProfileForm(saved), errors: [:])
    }

    static func render(
        _ req: Request, _ s: PageSession, notice: String?, form: ProfileForm, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let org = s.person.organizationID
        let saved = try await req.store.settings(of: org).idealCustomerProfile
        let admins = try await req.store.people(inOrganizations: [org]).filter {
            $0.role == .admin && $0.deactivatedAt == nil
        }.map(\.name)
        let model = ProfileModel(
            chrome: s.chrome("Ideal customer profile", .none, notice: notice), organizationName: s.organization.name,
            canEdit: s.person.role == .admin, admins: admins, saved: saved,
            industries: ProfileModel.industryChoices(try await req.store.industryCounts(of: org)), form: form,
            errors: errors)
        return Pages.html(ProfileView.render(model), status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard s.person.role == .admin else {
            throw Problem.forbidden("Only admins change the ideal customer profile.")
        }
        let form = ProfileForm(req.formValues())
        let (profile, refused) = form.checked()
        var errors = refused
        if errors.isEmpty {
            let org = s.person.organizationID
            // The population rules stay as they are: this page changes the profile only.
            let rules = try await req.store.settings(of: org).populationRules
            do {
                try await req.workflows.imports.setSettings(of: org, by: s.principal) {
                    .init(idealCustomerProfile: profile, populationRules: rules)
                }
                return Pages.seeOther(SiteRoute.profile, notice: profile == nil ? clearedNotice : savedNotice)
            } catch WorkflowError.invalid(let field, let message) {
                errors[ProfileForm.pageField(field)] = message
            }
        }
        return try await render(req, s, notice: nil, form: form, errors: errors, status: .unprocessableEntity)
    }
}

/// The profile form as typed (or as saved, to start from).
struct ProfileForm: Sendable, Equatable {
    /// The industries ticked among the imported values.
    var chosen: [String] = []
    /// Other industries, one per line.
    var otherIndustries = ""
    /// Countries, one per line.
    var countries = ""
    var employeesMin = ""
    var employeesMax = ""

    init(
        chosen: [String] = [], otherIndustries: String = "", countries: String = "", min: String = "", max: String = ""
    ) {
        self.chosen = chosen
        self.otherIndustries = otherIndustries
        self.countries = countries
        employeesMin = min
        employeesMax = max
    }

    /// The saved profile, to edit: every industry is "chosen" (those not among the imported values
    /// go to the other-industries field when the page is drawn), countries by name.
    init(_ saved: IdealCustomerProfile?) {
        guard let saved else { return }
        chosen = saved.industries.sorted { $0.lowercased() < $1.lowercased() }
        countries = saved.countries.map { CountryNormalizer.knownName($0) ?? $0 }.sorted().joined(separator: "\n")
        if let r = saved.employeeRange {
            employeesMin = r.lowerBound == 0 ? "" : String(r.lowerBound)
            employeesMax = r.upperBound == Int(Int32.max) ? "" : String(r.upperBound)
        }
    }

    /// A posted form: `industry_N` boxes hold the imported values ticked.
    init(_ values: [String: String]) {
        chosen = values.filter { $0.key.hasPrefix("industry_") }.map(\.value).sorted()
        otherIndustries = values["industries"] ?? ""
        countries = values["countries"] ?? ""
        employeesMin = (values["employees_min"] ?? "").trimmingCharacters(in: .whitespaces)
        employeesMax = (values["employees_max"] ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The page's field for a field the verb refused (`ideal_customer_profile.countries[2]` → `countries`).
    static func pageField(_ field: String) -> String {
        for f in ["industries", "countries", "employees_min", "employees_max"] where field.contains(f) { return f }
        return "industries"
    }

    /// What the verb is given, or each mistake beside its field. Everything empty clears the profile
    /// (a profile with no criterion would call every account a strong fit).
    func checked() -> (AccountImportWorkflows.ProfileInput?, [String: String]) {
        var errors: [String: String] = [:]
        var industries: [String] = []
        var seen = Set<String>()
        for i in chosen.map({ $0.trimmingCharacters(in: .whitespaces) }) + Self.lines(otherIndustries)
        where !i.isEmpty && seen.insert(i.lowercased()).inserted {
            industries.append(i)
        }
        if industries.count > 100 {
            errors["industries"] = "Choose at most 100 industries (you have \(industries.count))."
        } else if let long = industries.first(where: { $0.count > 200 }) {
            errors["industries"] = "“\(long.prefix(40))…” is longer than 200 characters."
        }
        var countries: [String] = []
        var codes = Set<String>()
        for c in Self.lines(self.countries) {
            // A country cosell knows is kept as its ISO code; another value as typed.
            let code = CountryNormalizer.knownName(c) == nil ? nil : CountryNormalizer.normalize(c)
            if codes.insert(code ?? c.lowercased()).inserted { countries.append(code ?? c) }
        }
        if countries.count > 300 {
            errors["countries"] = "Type at most 300 countries (you have \(countries.count))."
        } else if let long = countries.first(where: { $0.count > 200 }) {
            errors["countries"] = "“\(long.prefix(40))…” is longer than 200 characters."
        }
        func whole(_ text: String, _ field: String) -> Int? {
            guard !text.isEmpty else { return nil }
            guard let n = Int(text.replacingOccurrences(of: ",", with: "")), n >= 0, n <= Int(Int32.max) - 1 else {
                errors[field] = "Type a whole number of employees, such as 200, or leave it empty for no bound."
                return nil
            }
            return n
        }
        let lo = whole(employeesMin, "employees_min")
        let hi = whole(employeesMax, "employees_max")
        if let lo, let hi, hi < lo {
            errors["employees_max"] = "The largest size must be at least the smallest (\(lo))."
        }
        guard errors.isEmpty else { return (nil, errors) }
        if industries.isEmpty && countries.isEmpty && lo == nil && hi == nil { return (nil, [:]) }
        return (.init(industries: industries, employeesMin: lo, employeesMax: hi, countries: countries), [:])
    }
}

struct ProfileModel: Sendable {
    /// One industry value of the imported accounts, with how many active accounts have it.
    struct IndustryChoice: Sendable, Equatable {
        var value: String
        var accounts: Int
    }

    var chrome: PageChrome
    var organizationName: String
    var canEdit: Bool
    /// The active admins' names, for those who cannot change the profile.
    var admins: [String]
    var saved: IdealCustomerProfile?
    /// The industry values of the imported accounts, most common first (at most `shownIndustries`).
    var industries: (shown: [IndustryChoice], distinct: Int)
    var form: ProfileForm
    var errors: [String: String]

    /// The imported values merged regardless of capitals and spaces at the ends (as fit compares
    /// them), each under its most common spelling; most accounts first, then by name.
    static func industryChoices(
        _ counts: [(industry: String, accounts: Int)]
    ) -> (
        shown: [IndustryChoice], distinct: Int
    ) {
        var merged: [String: (spellings: [String: Int], total: Int)] = [:]
        for (raw, n) in counts {
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { continue }
            let key = value.lowercased()
            merged[key, default: ([:], 0)].spellings[value, default: 0] += n
            merged[key, default: ([:], 0)].total += n
        }
        let all = merged.values.map { m in
            IndustryChoice(
                value: m.spellings.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key, accounts: m.total)
        }.sorted { ($1.accounts, $0.value.lowercased()) < ($0.accounts, $1.value.lowercased()) }
        return (Array(all.prefix(ProfilePageController.shownIndustries)), all.count)
    }
}

enum ProfileView {
    static let countryFormat =
        "One per line, by name or by ISO code. cosell knows \(CountryNormalizer.knownCountryCount) countries by their two-letter ISO 3166 code (DE), their English name (Germany) and common other names and codes (Deutschland, DEU); capitals, accents, dots and spaces do not matter. Any other value counts only for accounts whose country is written with the same letters."

    static func render(_ m: ProfileModel) -> Node {
        Layout.page(m.chrome) {
            el("h1") { "Ideal customer profile of \(m.organizationName)" }
            el("p") {
                "The accounts \(m.organizationName) sells to best. Each target account of a partnership is compared with it: a strong fit meets every part you state, a partial fit some of them. An account whose industry, size or country is unknown does not meet that part."
            }
            el("p", .cls("muted")) {
                "Fit is worked out each time target accounts are read, so a change shows in every partnership at once: nothing needs importing or mapping again."
            }
            el("section", .aria("labelledby", "saved-h")) {
                el("h2", .id("saved-h")) { "As saved" }
                summary(m.saved)
            }
            if m.canEdit {
                form(m)
            } else {
                el("p", .id("admins-only")) {
                    "Only admins of \(m.organizationName) change it"
                        + (m.admins.isEmpty ? "." : ": ask \(m.admins.prefix(3).joined(separator: " or ")).")
                }
            }
        }
    }

    static func summary(_ p: IdealCustomerProfile?) -> Node {
        guard let p else {
            return el("p", .cls("muted")) { "No profile yet: every target account's fit reads “unknown”." }
        }
        return el("dl", .id("saved-profile")) {
            el("dt") { "Industries" }
            el("dd") {
                p.industries.isEmpty
                    ? "Any" : p.industries.sorted { $0.lowercased() < $1.lowercased() }.joined(separator: ", ")
            }
            el("dt") { "Employees" }
            el("dd") { employees(p.employeeRange) }
            el("dt") { "Countries" }
            el("dd") {
                p.countries.isEmpty
                    ? "Any"
                    : p.countries.map { c in
                        CountryNormalizer.knownName(c).map { "\($0) (\(CountryNormalizer.normalize(c) ?? c))" }
                            ?? "\(c) (not a country cosell knows: compared as written)"
                    }.sorted().joined(separator: ", ")
            }
        }
    }

    static func employees(_ r: ClosedRange<Int>?) -> String {
        guard let r else { return "Any size" }
        let lo = r.lowerBound == 0 ? nil : r.lowerBound
        let hi = r.upperBound == Int(Int32.max) ? nil : r.upperBound
        switch (lo, hi) {
        case (let lo?, let hi?): return "\(lo) to \(hi)"
        case (let lo?, nil): return "\(lo) or more"
        case (nil, let hi?): return "At most \(hi)"
        case (nil, nil): return "Any size"
        }
    }

    static func form(_ m: ProfileModel) -> Node {
        let chosen = Set(m.form.chosen.map { $0.lowercased() })
        let offered = Set(m.industries.shown.map { $0.value.lowercased() })
        // Chosen industries that are not among the values offered go to the free-text field.
        let others =
            (m.form.chosen.filter { !offered.contains($0.lowercased()) } + ProfileForm.lines(m.form.otherIndustries))
        let industryError = m.errors["industries"]
        return el("section", .aria("labelledby", "edit-h")) {
            el("h2", .id("edit-h")) { "Change it" }
            Layout.formError(m.errors.isEmpty ? nil : "The profile was not saved: see below.")
            Layout.postForm(SiteRoute.profile, csrf: m.chrome.csrf) {
                el(
                    "fieldset",
                    attrs: industryError == nil ? [.id("industries")] : [.id("industries"), .cls("has-error")]
                ) {
                    el("legend") { "Industries" }
                    if m.industries.shown.isEmpty {
                        el("p", .cls("hint")) {
                            "No accounts of \(m.organizationName) are imported yet, so there are no values to choose from: type the industries as your CRM export writes them, one per line. "
                            link(SiteRoute.importUpload, "Import your accounts")
                            " to choose from their values instead."
                        }
                    } else {
                        el("p", .cls("hint")) {
                            m.industries.distinct > m.industries.shown.count
                                ? "The \(m.industries.shown.count) most common of the \(m.industries.distinct) industry values in your imported accounts, with how many accounts have each."
                                : "The industry values in your imported accounts, with how many accounts have each."
                            " An account fits when its industry is one of those you tick (capitals do not matter)."
                        }
                        for (i, c) in m.industries.shown.enumerated() {
                            el("div", .cls("check")) {
                                el(
                                    "input",
                                    attrs: [
                                        .type("checkbox"), .id("profile-industry_\(i)"), .name("industry_\(i)"),
                                        .value(c.value),
                                    ] + (chosen.contains(c.value.lowercased()) ? [.flag("checked")] : []))
                                " "
                                el("label", .for("profile-industry_\(i)")) { "\(c.value) (\(c.accounts))" }
                            }
                        }
                    }
                    Layout.textArea(
                        "industries",
                        m.industries.shown.isEmpty ? "Industries, one per line" : "Other industries, one per line",
                        value: others.joined(separator: "\n"), rows: 3, error: industryError, formID: "profile")
                }
                Layout.textArea(
                    "countries", "Countries", value: m.form.countries, rows: 4, hint: countryFormat,
                    error: m.errors["countries"], formID: "profile")
                el("fieldset") {
                    el("legend") { "Employees" }
                    el("p", .cls("hint")) {
                        "Two whole numbers: the smallest and the largest number of employees. Leave one empty for no bound."
                    }
                    Layout.field(
                        "employees_min", "At least", value: m.form.employeesMin,
                        error: m.errors["employees_min"], formID: "profile", extra: [Attr("inputmode", "numeric")])
                    Layout.field(
                        "employees_max", "At most", value: m.form.employeesMax,
                        error: m.errors["employees_max"], formID: "profile", extra: [Attr("inputmode", "numeric")])
                }
                el("p", .cls("hint")) { "Leave everything empty to clear the profile." }
                el("button", .type("submit")) { "Save the profile" }
            }
        }
    }
}
