import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum DealPageController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let (deal, playbook) = try await req.workflows.deals.visible(try req.id("deal_id", "deal"), by: s.principal)
        // After a form: the message shows in the section that changed (`at`), not at the top.
        let at = (try? req.query.get(String.self, at: "at")).flatMap { a in
            a.count < 80 && a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? a : nil
        }
        let printView = (try? req.query.get(String.self, at: "view")) == "print"
        var m = try await model(
            data, deal: deal, playbook: playbook, form: nil, notice: at == nil ? Pages.notice(req) : nil)
        m.sectionNotice = at.flatMap { a in Pages.notice(req).map { (a, $0) } }
        m.printView = printView
        return Pages.html(DealPageView.render(m))
    }

    static func model(
        _ data: PageData, deal: Deal, playbook: Playbook, form: DealPageModel.FormState?, notice: String?
    ) async throws -> DealPageModel {
        let people = try await data.store.people(inOrganizations: [deal.hostOrganizationID, deal.partnerOrganizationID])
        let lessons = try await earlierLessons(data, deal: deal, playbook: playbook)
        var m = DealPageModel(
            chrome: data.session.chrome(deal.title, .deals, notice: notice), deal: deal, playbook: playbook,
            partnershipName: data.partnerships[deal.partnershipID]?.name ?? "",
            companies: SidePair(host: data.companyName(deal, .host), partner: data.companyName(deal, .partner)),
            viewerSide: deal.side(of: data.org) ?? .host,
            canWrite: data.me.role.canWrite, isAdmin: data.me.role == .admin,
            people: people.sorted { $0.name < $1.name },
            gates: playbook.stages.map {
                Gate.evaluate(
                    deal, stage: $0, in: playbook,
                    names: SidePair(host: data.companyName(deal, .host), partner: data.companyName(deal, .partner)))
            },
            diagnosis: DealDiagnostics.diagnose(deal, playbook: playbook, now: data.now).naming(
                SidePair(host: data.companyName(deal, .host), partner: data.companyName(deal, .partner))),
            timeline: try await data.store.timeline(of: deal.id), lessons: lessons,
            form: form, localeIdentifier: data.format.locale.identifier, today: LocalDate(data.now))
        m.canAmend = data.me.role == .admin || data.me.role == .partnerManager
        m.viewerRole = data.me.role
        m.contacts = try await data.store.customerContacts(of: deal.jointAccountID)
        m.valueProposition = .make(deal.partnershipID, try await data.store.valueProposition(of: deal.partnershipID))
        return m
    }

    /// Lessons from the library for the deal's current stage: this partnership's, and those of the
    /// same play in the organization's other partnerships, ranked by the core (most applied, newest).
    static func earlierLessons(
        _ data: PageData, deal: Deal, playbook: Playbook
    ) async throws
        -> [DealPageModel.LessonItem]
    {
        let stage = playbook.stages[deal.stageIndex].key
        let play = try await data.store.lessonPlay(of: deal)
        let candidates = try await data.store.lessonCandidates(
            stageKey: stage, partnershipID: deal.partnershipID, play: play,
            partnershipIDs: Array(data.partnerships.keys), limit: 60)
        let applied = try await data.store.appliedLessonIDs(dealID: deal.id)
        let ranked = LessonRanking.suggestions(
            dealID: deal.id, partnershipID: deal.partnershipID, play: play, stageKey: stage, library: candidates,
            applied: applied
        ).prefix(10)
        var out: [DealPageModel.LessonItem] = []
        for s in ranked {
            let from = try await data.store.deal(s.lesson.dealID)?.title ?? "an earlier deal"
            out.append(
                .init(
                    id: s.lesson.id, text: s.lesson.text,
                    fromDeal: from + (s.match == .play ? " (same play, another partnership)" : ""),
                    capturedOn: data.format.format(LocalDate(s.lesson.createdAt)), appliedCount: s.lesson.appliedCount,
                    appliedHere: s.appliedOnThisDeal))
        }
        return out
    }

    /// One form of the deal page: the same command, checks and save as the API; on an error the
    /// page comes back with what was typed and the message beside the field.
    static func action(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let p = s.principal
        let (deal, playbook) = try await req.workflows.deals.visible(try req.id("deal_id", "deal"), by: p)
        let action = req.parameters.get("action") ?? ""
        let path = SiteRoute.deal(deal.id)
        let values = req.formValues().filter { $0.key != PageSession.csrfField }
        do {
            try p.requireWrite()
            if action == "apply-lesson" {
                // The same verb as the API's POST /deals/{id}/lessons/{lesson_id}/applied.
                let lessonID = req.formValue("lesson_id").flatMap(UUID.init(uuidString:)) ?? UUID()
                _ = try await req.workflows.lessons.apply(lessonID, to: deal.id, by: p)
                return Pages.seeOther(path, notice: "Lesson marked applied on this deal.")
            }
            // "… and advance": the form met the gate's last part, and its sender passes the gate too.
            let thenAdvance = req.formValue("then") == "advance" && DealPageView.gateParts(of: action) != nil
            let result = try await req.workflows.deals.apply(to: deal.id, by: p, thenAdvance: thenAdvance) {
                current, playbook in
                try command(action, req: req, deal: current, playbook: playbook)
            }
            // This form moved the deal on (not: the deal was completed before).
            let advanced =
                result.deal.stageIndex > deal.stageIndex || (result.deal.completedAt != nil && deal.completedAt == nil)
            // Back to the part of the page that changed, with its message there.
            let section = section(for: action, deal: result.deal, playbook: result.playbook)
            return Pages.seeOther(
                checkedPath: path.href + "?notice="
                    + queryValue(
                        result.deal.completedAt != nil && deal.completedAt == nil
                            && (action == "advance" || action == "override" || advanced)
                            ? "The playbook is complete: the deal is closed, registered where it was won, and reviewed."
                            : advanced && action != "advance" && action != "override"
                                ? notice(for: action) + " The deal advanced to "
                                    + result.playbook.stages[result.deal.stageIndex].name + "."
                                : action == "override" && result.deal.pendingOverride != nil
                                    && result.deal.stageIndex == deal.stageIndex
                                    ? "The override waits for an admin of the other company: it skips a part of theirs, so it takes their confirmation within 48 hours."
                                    : notice(for: action)) + "&at=" + section + "#"
                    + section)
        } catch let e as PageRedirect {
            throw e
        } catch {
            let formAction =
                action.hasPrefix("withdraw-brief") ? "withdraw-brief-" + (values["brief_id"]?.prefix(8) ?? "") : action
            let state: DealPageModel.FormState
            let status: HTTPResponseStatus
            if let invalid = error as? FormInvalid {
                let n = invalid.errors.count
                state = DealPageModel.FormState(
                    action: formAction, values: values, errors: invalid.byField,
                    message: n == 1 ? "Fix the marked field below." : "Fix the \(n) marked fields below.")
                status = .unprocessableEntity
            } else {
                let problem = ProblemMiddleware.problem(for: error, request: req)
                if problem.status >= 500 || problem.status == 404 || problem.status == 403 { throw error }
                var errors: [String: String] = [:]
                // A closed gate: the headline, then every missing part as a list.
                var message: String? = problem.unmet == nil ? problem.detail : problem.title + "."
                if let field = problem.field, let key = formField(field, action: action, values: values) {
                    errors[key] = sentence(problem.detail)
                    message = "Fix the marked field\(problem.unmet == nil ? "" : "s") below."
                }
                state = DealPageModel.FormState(
                    action: formAction, values: values, errors: errors, message: message,
                    unmet: problem.unmet?.compactMap(\.missing) ?? [])
                status = HTTPResponseStatus(statusCode: problem.status)
            }
            let data = try await PageData.load(req, s)
            // Show the deal as it is now (someone else may have changed it), with the form as sent.
            let current = try await req.store.deal(deal.id) ?? deal
            return Pages.html(
                DealPageView.render(try await model(data, deal: current, playbook: playbook, form: state, notice: nil)),
                status: status)
        }
    }

    /// The id of the page section an action changes: its stage, or the deal's summary.
    static func section(for action: String, deal: Deal, playbook: Playbook) -> String {
        switch action {
        case "details", "abandon", "move-back", "lost", "amend", "reopen": return "summary"
        case "registration", "registration-acceptance", "registration-rejection", "registration-renewal",
            "registration-amendment", "registration-amendment-acceptance", "registration-amendment-rejection":
            return "registration"
        default:
            return playbook.stages.indices.contains(deal.stageIndex)
                ? "stage-" + playbook.stages[deal.stageIndex].key : "summary"
        }
    }

    static func notice(for action: String) -> String {
        switch action {
        case "advance", "override": return "The deal advanced."
        case "move-done": return "Move marked done."
        case "move-owner": return "The move has its owner."
        case "amend": return "The outcome is amended; the timeline and the audit log keep the reason."
        case "commit": return "Your company is committed to the account."
        case "lost": return "The deal is logged as lost: hold its review and capture a lesson."
        case "reopen": return "The deal is open again at its stage."
        case "registration": return "The registration is submitted: it waits for the other company's acceptance."
        case "registration-acceptance": return "The registration is accepted."
        case "registration-rejection": return "The registration is rejected; the other company reads your reason."
        case "registration-renewal": return "The registration is renewed."
        case "registration-amendment": return "The change is proposed: the other company accepts or rejects it."
        case "registration-amendment-acceptance": return "The change is accepted: the registration's tag is amended."
        case "registration-amendment-rejection": return "The change is rejected; the other company reads your reason."
        default: return "Saved."
        }
    }

    static func sentence(_ s: String) -> String {
        guard let first = s.first else { return s }
        let t = first.uppercased() + s.dropFirst()
        return t.hasSuffix(".") ? t : t + "."
    }

    /// The form field an error of the engine or the API belongs to.
    static func formField(_ field: String, action: String, values: [String: String] = [:]) -> String? {
        if action == "abandon", field.hasPrefix("lesson") {
            return field == "lesson.stage_key" ? "lesson_stage_1" : "lesson_text_1"
        }
        if let row = rowField(field, values: values) { return row }
        let stripped = field.replacingOccurrences(of: #"\[\d+\]"#, with: "", options: .regularExpression)
        if action == "review",
            let m = field.range(of: #"^lessons\[(\d+)\]\.(stage|text)$"#, options: .regularExpression)
        {
            let parts = field[m].split(separator: "[")[1].split(separator: "]")
            if let i = Int(parts[0]) { return "lesson_\(field.hasSuffix("stage") ? "stage" : "text")_\(i + 1)" }
        }
        let known: Set<String> = [
            "fit", "note", "side", "kind", "owner_id", "scheduled_for", "attendees", "customer_need",
            "buying_process_steps", "buying_process_decision_makers", "buying_process_timeline", "stakeholders",
            "summary", "milestones", "decision_date", "confirmed_by", "confirmed_at", "channel", "result",
            "final_amount", "currency", "close_date", "loss_reason", "loss_category", "registration_id", "attribution",
            "sourced_by",
            "crm_opportunity_id",
            "held_on", "reason", "override_reason", "description", "due_on", "title", "amount", "expected_close_date",
        ]
        let candidates = [
            stripped.replacingOccurrences(of: ".", with: "_"),
            String(stripped.split(separator: ".").first ?? ""),
        ]
        if candidates[1] == "lessons" { return "lesson_text_1" }
        return candidates.first { known.contains($0) }
    }

    /// An error on the n-th item of a list (`attendees[1].name`), as the field of the row it was
    /// typed in (`attendee_name_3` when the second filled row is the third).
    static func rowField(_ field: String, values: [String: String]) -> String? {
        let groups: [String: (prefix: String, fields: [String: String])] = [
            "attendees": ("attendee", ["name": "name", "party": "party", "title": "title", "": "name"]),
            "stakeholders": ("stakeholder", ["name": "name", "title": "title", "role": "role", "": "name"]),
            "milestones": (
                "milestone",
                ["title": "title", "owner_party": "party", "owner_name": "owner", "due_on": "due", "": "title"]
            ),
        ]
        guard let m = field.range(of: #"^([a-z]+)(\[(\d+)\])?(\.([a-z_]+))?$"#, options: .regularExpression),
            m.lowerBound == field.startIndex
        else { return nil }
        let list = String(field.prefix { $0 != "[" && $0 != "." })
        guard let g = groups[list] else { return nil }
        let index = field.firstIndex(of: "[").flatMap { open in
            Int(field[field.index(after: open)...].prefix { $0 != "]" })
        }
        let member = field.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let filled = (1...maxRows).filter { n in
            g.fields.values.contains {
                !(values["\(g.prefix)_\($0)_\(n)"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }
        }
        let row = index.flatMap { filled.indices.contains($0) ? filled[$0] : nil } ?? filled.first ?? 1
        return "\(g.prefix)_\(g.fields[member] ?? g.fields[""]!)_\(row)"
    }

    // MARK: forms to commands

    /// The most rows a repeated group of fields (attendees, stakeholders, milestones) offers.
    static let maxRows = 8

    static func command(_ action: String, req: Request, deal: Deal, playbook: Playbook) throws -> DealCommand {
        var r = FormReader(req)
        let command = build(action, &r, deal: deal, playbook: playbook)
        try r.finish()
        guard let command else { throw Problem.notFound("form") }
        return command
    }

    /// The command of one form, or nil with every mistake recorded in `r`.
    static func build(_ action: String, _ r: inout FormReader, deal: Deal, playbook: Playbook) -> DealCommand? {
        switch action {
        case "icp-fit":
            let fit = r.choice("fit", Fit.self)
            return fit.map { .recordIcpFit(fit: $0, note: r.value("note")) }
        case "commit":
            return .commit
        case "door-opener":
            let side = r.choice("side", Side.self)
            let kind = r.choice("kind", DoorOpenerKind.self)
            let owner = r.uuid("owner_id")
            guard let side, let kind, let owner else { return nil }
            return .nameDoorOpener(side: side, kind: kind, ownerID: owner)
        case "first-meeting":
            let at = dateTime(&r, "scheduled_for", zone: "time_zone")
            var attendees: [Attendee] = []
            for (n, row) in r.rows(["attendee_name", "attendee_party", "attendee_title"], max: maxRows) {
                guard let name = row["attendee_name"] else {
                    r.fail("attendee_name_\(n)", "Enter the attendee's name, or clear the row.")
                    continue
                }
                guard let party = row["attendee_party"].flatMap(Party.init(rawValue:)) else {
                    r.fail("attendee_party_\(n)", "Choose the company \(name) comes from, or the customer.")
                    continue
                }
                attendees.append(Attendee(name: name, party: party, title: row["attendee_title"]))
            }
            if attendees.isEmpty && r.value("attendee_name_1") == nil {
                r.fail("attendee_name_1", "Add the people who will attend: the customer and both companies.")
            }
            guard let at, r.isValid else { return nil }
            return .bookFirstMeeting(scheduledFor: at, attendees: attendees, timeZone: r.value("time_zone") ?? "UTC")
        case "brief":
            let need = r.required("customer_need", "the customer's need")
            var stakeholders: [Stakeholder] = []
            for (n, row) in r.rows(["stakeholder_name", "stakeholder_title", "stakeholder_role"], max: maxRows) {
                guard let name = row["stakeholder_name"] else {
                    r.fail("stakeholder_name_\(n)", "Enter the stakeholder's name, or clear the row.")
                    continue
                }
                stakeholders.append(
                    Stakeholder(name: name, title: row["stakeholder_title"], role: row["stakeholder_role"]))
            }
            let briefID = r.uuid("brief_id", required: false)
            guard let need, r.isValid else { return nil }
            return .writeBrief(
                briefID: briefID, customerNeed: need,
                buyingProcess: BuyingProcess(
                    steps: lines(r, "buying_process_steps"),
                    decisionMakers: lines(r, "buying_process_decision_makers"),
                    timeline: r.value("buying_process_timeline") ?? ""),
                stakeholders: stakeholders)
        case "approve-brief":
            return r.uuid("brief_id").map { .approveBrief(briefID: $0) }
        case _ where action.hasPrefix("withdraw-brief"):
            let id = r.uuid("brief_id")
            let reason = r.required("reason", "a reason")
            guard let id, let reason else { return nil }
            return .withdrawBrief(briefID: id, reason: reason)
        case "proof":
            let kind = r.choice("kind", ProofKind.self)
            return kind.map { .recordProof(kind: $0, summary: r.value("summary") ?? "") }
        case "close-plan":
            var milestones: [Milestone] = []
            for (n, row) in r.rows(
                ["milestone_title", "milestone_party", "milestone_owner", "milestone_due"], max: maxRows)
            {
                let title = row["milestone_title"]
                if title == nil { r.fail("milestone_title_\(n)", "Say what the milestone is, or clear the row.") }
                let party = row["milestone_party"].flatMap(Party.init(rawValue:))
                if party == nil { r.fail("milestone_party_\(n)", "Choose the company that owns it, or the customer.") }
                let owner = row["milestone_owner"]
                if owner == nil { r.fail("milestone_owner_\(n)", "Name the person who owns it.") }
                var due: LocalDate?
                if let raw = row["milestone_due"] {
                    due = FormReader.date(raw, field: "milestone_due_\(n)", into: &r)
                } else {
                    r.fail("milestone_due_\(n)", "Enter the day it is due.")
                }
                if let title, let party, let owner, let due {
                    milestones.append(Milestone(title: title, ownerParty: party, ownerName: owner, dueOn: due))
                }
            }
            if milestones.isEmpty && r.value("milestone_title_1") == nil {
                r.fail("milestone_title_1", "Add the milestones to the decision, each with its owner and day.")
            }
            let planID = r.uuid("plan_id", required: false)
            let decision = r.date("decision_date")
            guard let decision, r.isValid else { return nil }
            return .writeClosePlan(planID: planID, milestones: milestones, decisionDate: decision)
        case "customer-confirmation":
            let by = r.required("confirmed_by", "who at the customer confirmed")
            let at = r.date("confirmed_at")
            let channel = r.choice("channel", ConfirmationChannel.self)
            guard let by, let at, let channel else { return nil }
            return .recordCustomerConfirmation(
                confirmedBy: by, confirmedAt: at.startOfDay, channel: channel, note: r.value("note"))
        case "outcome", "lost":
            let result = r.choice("result", OutcomeResult.self)
            let amount = r.money(amount: "final_amount", currency: "currency", required: true)
            let close = r.date("close_date")
            var category: LossCategory? = nil
            if result == .lost {
                if r.value("loss_category") == nil {
                    r.fail("loss_category", "Choose why the deal was lost.")
                } else {
                    category = r.choice("loss_category", LossCategory.self)
                }
            }
            guard let result, let amount, let close, r.isValid else { return nil }
            return .recordOutcome(
                result: result, finalAmount: amount, closeDate: close, lossReason: r.value("loss_reason"),
                lossCategory: category)
        case "amend":
            let amount = r.money(amount: "final_amount", currency: "currency", required: false)
            let close = r.date("close_date", required: false)
            let reason = r.required("reason", "why the outcome is corrected")
            guard let reason, r.isValid else { return nil }
            return .amendOutcome(finalAmount: amount, closeDate: close, reason: reason)
        case "registration":
            let id = r.required("registration_id", "the registration id")
            let attribution = r.choice("attribution", Attribution.self)
            let sourcedBy = r.choice("sourced_by", Side.self)
            guard let id, let attribution, let sourcedBy else { return nil }
            return .register(
                registrationID: id, attribution: attribution, sourcedBy: sourcedBy,
                opportunityID: r.value("crm_opportunity_id"))
        case "registration-acceptance":
            return .acceptRegistration
        case "registration-rejection":
            return r.required("reason", "why the registration is rejected").map { .rejectRegistration(reason: $0) }
        case "registration-renewal":
            return .renewRegistration
        case "registration-amendment":
            let attribution = r.choice("attribution", Attribution.self)
            let sourcedBy = r.choice("sourced_by", Side.self)
            let reason = r.required("reason", "why the tag should change")
            guard let attribution, let sourcedBy, let reason else { return nil }
            return .proposeRegistrationAmendment(attribution: attribution, sourcedBy: sourcedBy, reason: reason)
        case "registration-amendment-acceptance":
            return .decideRegistrationAmendment(accept: true, reason: nil)
        case "registration-amendment-rejection":
            return r.required("reason", "why the change is rejected").map {
                .decideRegistrationAmendment(accept: false, reason: $0)
            }
        case "review":
            var lessons: [LessonDraft] = []
            for n in 1...3 {
                guard let text = r.value("lesson_text_\(n)") else { continue }
                guard let stage = r.value("lesson_stage_\(n)") else {
                    r.fail("lesson_stage_\(n)", "Choose the stage the lesson is about.")
                    continue
                }
                lessons.append(LessonDraft(stageKey: stage, text: text))
            }
            if lessons.isEmpty && !r.errors.contains(where: { $0.field.hasPrefix("lesson_") }) {
                r.fail("lesson_text_1", "Capture at least one lesson for the next deal.")
            }
            let held = r.date("held_on")
            let attendees = lines(r, "attendees")
            if attendees.isEmpty { r.fail("attendees", "Name who attended the review.") }
            guard let held, r.isValid else { return nil }
            return .recordReview(heldOn: held, attendees: attendees, lessons: lessons)
        case "add-move":
            let description = r.required("description", "what to do")
            let side = r.choice("side", MoveSide.self)
            let owner = r.uuid("owner_id", required: false)
            let due = r.date("due_on", required: false)
            guard let description, let side, r.isValid else { return nil }
            return .addMove(
                stageKey: r.value("stage_key") ?? playbook.stages[deal.stageIndex].key, description: description,
                side: side, ownerID: owner, dueOn: due)
        case "move-done":
            return r.uuid("move_id").map { .updateMove(moveID: $0, ownerID: nil, dueOn: nil, done: true) }
        case "move-owner":
            let move = r.uuid("move_id")
            let owner = r.uuid("owner_id")
            guard let move, let owner else { return nil }
            return .updateMove(moveID: move, ownerID: owner, dueOn: nil, done: nil)
        case "advance":
            return .advance(overrideReason: nil)
        case "override":
            return r.required("override_reason", "why the gate may be skipped").map { .advance(overrideReason: $0) }
        case "move-back":
            return r.required("reason", "a reason").map { .moveBack(reason: $0) }
        case "abandon":
            let reason = r.required("reason", "a reason")
            let text = r.required("lesson_text_1", "the lesson for the next deal")
            let stage = r.required("lesson_stage_1", "the stage the lesson is about")
            guard let reason, let text, let stage, r.isValid else { return nil }
            return .abandon(reason: reason, lesson: LessonDraft(stageKey: stage, text: text))
        case "reopen":
            return r.required("reason", "why the deal is taken up again").map { .reopen(reason: $0) }
        case "details":
            let title = r.required("title", "a title")
            let amount = r.money(amount: "amount", currency: "currency", required: false)
            let close = r.date("expected_close_date", required: false)
            guard let title, r.isValid else { return nil }
            return .updateDetails(title: title, amount: amount, expectedCloseDate: close)
        default:
            return nil
        }
    }

    /// A date and time typed in a `datetime-local` field, in the time zone chosen beside it.
    static func dateTime(_ r: inout FormReader, _ name: String, zone: String) -> Date? {
        let zoneID = r.value(zone) ?? "UTC"
        guard let tz = TimeZone(identifier: zoneID) else {
            r.fail(zone, "Choose a time zone from the list.")
            return nil
        }
        guard let raw = r.value(name) else {
            r.fail(name, "Enter the date and time.")
            return nil
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = tz
        f.dateFormat = raw.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"
        guard let at = f.date(from: raw) else {
            r.fail(name, "Enter a date and time such as 2026-12-01T15:00.")
            return nil
        }
        return at
    }

    /// Non-empty lines of a text area, trimmed.
    static func lines(_ r: FormReader, _ name: String) -> [String] {
        (r.value(name) ?? "").split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }
}
