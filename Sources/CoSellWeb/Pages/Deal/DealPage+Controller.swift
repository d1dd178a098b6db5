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
        return Pages.html(
            DealPageView.render(
                try await model(data, deal: deal, playbook: playbook, form: nil, notice: Pages.notice(req))))
    }

    static func model(
        _ data: PageData, deal: Deal, playbook: Playbook, form: DealPageModel.FormState?, notice: String?
    ) async throws -> DealPageModel {
        let people = try await data.store.people(inOrganizations: [deal.hostOrganizationID, deal.partnerOrganizationID])
        let lessons = try await earlierLessons(data, deal: deal, playbook: playbook)
        return DealPageModel(
            chrome: data.session.chrome(deal.title, .deals, notice: notice), deal: deal, playbook: playbook,
            partnershipName: data.partnerships[deal.partnershipID]?.name ?? "",
            companies: SidePair(host: data.companyName(deal, .host), partner: data.companyName(deal, .partner)),
            viewerSide: deal.side(of: data.org) ?? .host,
            canWrite: data.me.role.canWrite, isAdmin: data.me.role == .admin,
            people: people.sorted { $0.name < $1.name },
            gates: playbook.stages.map { Gate.evaluate(deal, stage: $0, in: playbook) },
            diagnosis: DealDiagnostics.diagnose(deal, playbook: playbook, now: data.now),
            timeline: try await data.store.timeline(of: deal.id), lessons: lessons,
            form: form, localeIdentifier: data.format.locale.identifier, today: LocalDate(data.now))
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
            _ = try await req.workflows.deals.apply(to: deal.id, by: p) { current, playbook in
                try command(action, req: req, deal: current, playbook: playbook)
            }
            return Pages.seeOther(path, notice: notice(for: action))
        } catch let e as PageRedirect {
            throw e
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: req)
            if problem.status >= 500 || problem.status == 404 || problem.status == 403 { throw error }
            let formAction =
                action.hasPrefix("withdraw-brief") ? "withdraw-brief-" + (values["brief_id"]?.prefix(8) ?? "") : action
            var errors: [String: String] = [:]
            // A closed gate: the headline, then every missing part as a list.
            var message: String? = problem.unmet == nil ? problem.detail : problem.title + "."
            if let field = problem.field, let key = formField(field, action: action) {
                errors[key] = sentence(problem.detail)
                message = "Fix the marked field\(problem.unmet == nil ? "" : "s") below."
            }
            let state = DealPageModel.FormState(
                action: formAction, values: values, errors: errors, message: message,
                unmet: problem.unmet?.compactMap(\.missing) ?? [])
            let data = try await PageData.load(req, s)
            // Show the deal as it is now (someone else may have changed it), with the form as sent.
            let current = try await req.store.deal(deal.id) ?? deal
            let status = HTTPResponseStatus(statusCode: problem.status)
            return Pages.html(
                DealPageView.render(try await model(data, deal: current, playbook: playbook, form: state, notice: nil)),
                status: status)
        }
    }

    static func notice(for action: String) -> String {
        switch action {
        case "advance", "override": return "The deal advanced."
        case "move-done": return "Move marked done."
        case "commit": return "Your company is committed to the account."
        case "lost": return "The deal is logged as lost: hold its review and capture a lesson."
        default: return "Saved."
        }
    }

    static func sentence(_ s: String) -> String {
        guard let first = s.first else { return s }
        let t = first.uppercased() + s.dropFirst()
        return t.hasSuffix(".") ? t : t + "."
    }

    /// The form field an error of the engine or the API belongs to.
    static func formField(_ field: String, action: String) -> String? {
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
            "final_amount", "currency", "close_date", "loss_reason", "registration_id", "attribution", "sourced_by",
            "held_on", "reason", "override_reason", "description", "due_on", "title", "amount", "expected_close_date",
        ]
        let candidates = [
            stripped.replacingOccurrences(of: ".", with: "_"),
            String(stripped.split(separator: ".").first ?? ""),
        ]
        if candidates[1] == "lessons" { return "lesson_text_1" }
        return candidates.first { known.contains($0) }
    }

    // MARK: forms to commands

    static func required(_ req: Request, _ name: String, _ what: String) throws -> String {
        guard let v = req.formValue(name) else { throw Problem.invalid(name, "Enter \(what).") }
        return v
    }

    static func date(_ req: Request, _ name: String, required: Bool = true) throws -> LocalDate? {
        guard let raw = req.formValue(name) else {
            if required { throw Problem.invalid(name, "Enter a date.") }
            return nil
        }
        guard let d = LocalDate(raw) else { throw Problem.invalid(name, "Enter a date as YYYY-MM-DD.") }
        return d
    }

    static func uuid(_ req: Request, _ name: String, required: Bool = true) throws -> UUID? {
        guard let raw = req.formValue(name) else {
            if required { throw Problem.invalid(name, "Choose one.") }
            return nil
        }
        guard let id = UUID(uuidString: raw) else { throw Problem.invalid(name, "Choose one of the listed options.") }
        return id
    }

    static func choice<T: RawRepresentable>(_ req: Request, _ name: String, _ type: T.Type) throws -> T
    where T.RawValue == String {
        guard let raw = req.formValue(name), let v = T(rawValue: raw) else {
            throw Problem.invalid(name, "Choose one of the listed options.")
        }
        return v
    }

    static func money(_ req: Request, amount: String, currency: String, required: Bool) throws -> Money? {
        guard let text = req.formValue(amount) else {
            if required { throw Problem.invalid(amount, "Enter an amount.") }
            return nil
        }
        let code = (req.formValue(currency) ?? "").uppercased()
        guard let c = Currency(code: code) else {
            throw Problem.invalid(currency, "Enter an ISO 4217 currency code such as USD or EUR.")
        }
        do {
            return try Money(amount: text.replacingOccurrences(of: ",", with: ""), currency: c)
        } catch {
            throw Problem.invalid(amount, error.message)
        }
    }

    /// Non-empty lines of a text area, split on `|` into trimmed cells.
    static func rows(_ req: Request, _ name: String) -> [[String]] {
        (req.formValue(name) ?? "").split(whereSeparator: \.isNewline).map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    static func lines(_ req: Request, _ name: String) -> [String] {
        rows(req, name).map { $0.joined(separator: " | ") }
    }

    static func party(_ raw: String, field: String, line: Int) throws -> Party {
        guard let p = Party(rawValue: raw.lowercased()) else {
            throw Problem.invalid(field, "Line \(line): say host, partner or customer, not \"\(raw)\".")
        }
        return p
    }

    static func command(_ action: String, req: Request, deal: Deal, playbook: Playbook) throws -> DealCommand {
        switch action {
        case "icp-fit":
            return .recordIcpFit(fit: try choice(req, "fit", Fit.self), note: req.formValue("note"))
        case "commit":
            return .commit
        case "door-opener":
            return .nameDoorOpener(
                side: try choice(req, "side", Side.self), kind: try choice(req, "kind", DoorOpenerKind.self),
                ownerID: try uuid(req, "owner_id")!)
        case "first-meeting":
            let raw = try required(req, "scheduled_for", "the date and time")
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = raw.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"
            guard let at = f.date(from: raw) else {
                throw Problem.invalid("scheduled_for", "Enter a date and time such as 2026-12-01T15:00.")
            }
            var attendees: [Attendee] = []
            for (i, r) in rows(req, "attendees").enumerated() {
                guard r.count >= 2, !r[0].isEmpty else {
                    throw Problem.invalid("attendees", "Line \(i + 1): write name | host, partner or customer | title.")
                }
                attendees.append(
                    Attendee(
                        name: r[0], party: try party(r[1], field: "attendees", line: i + 1),
                        title: r.count > 2 && !r[2].isEmpty ? r[2] : nil))
            }
            return .bookFirstMeeting(scheduledFor: at, attendees: attendees)
        case "brief":
            var stakeholders: [Stakeholder] = []
            for (i, r) in rows(req, "stakeholders").enumerated() {
                guard !r[0].isEmpty else { throw Problem.invalid("stakeholders", "Line \(i + 1): start with a name.") }
                stakeholders.append(
                    Stakeholder(
                        name: r[0], title: r.count > 1 && !r[1].isEmpty ? r[1] : nil,
                        role: r.count > 2 && !r[2].isEmpty ? r[2] : nil))
            }
            return .writeBrief(
                briefID: try uuid(req, "brief_id", required: false),
                customerNeed: try required(req, "customer_need", "the customer's need"),
                buyingProcess: BuyingProcess(
                    steps: lines(req, "buying_process_steps"),
                    decisionMakers: lines(req, "buying_process_decision_makers"),
                    timeline: req.formValue("buying_process_timeline") ?? ""),
                stakeholders: stakeholders)
        case "approve-brief":
            return .approveBrief(briefID: try uuid(req, "brief_id")!)
        case _ where action.hasPrefix("withdraw-brief"):
            return .withdrawBrief(briefID: try uuid(req, "brief_id")!, reason: try required(req, "reason", "a reason"))
        case "proof":
            return .recordProof(kind: try choice(req, "kind", ProofKind.self), summary: req.formValue("summary") ?? "")
        case "close-plan":
            var milestones: [Milestone] = []
            for (i, r) in rows(req, "milestones").enumerated() {
                guard r.count == 4, let due = LocalDate(r[3]) else {
                    throw Problem.invalid(
                        "milestones",
                        "Line \(i + 1): write title | host, partner or customer | owner name | YYYY-MM-DD.")
                }
                milestones.append(
                    Milestone(
                        title: r[0], ownerParty: try party(r[1], field: "milestones", line: i + 1), ownerName: r[2],
                        dueOn: due))
            }
            return .writeClosePlan(
                planID: try uuid(req, "plan_id", required: false), milestones: milestones,
                decisionDate: try date(req, "decision_date")!)
        case "customer-confirmation":
            return .recordCustomerConfirmation(
                confirmedBy: try required(req, "confirmed_by", "who at the customer confirmed"),
                confirmedAt: try date(req, "confirmed_at")!.startOfDay,
                channel: try choice(req, "channel", ConfirmationChannel.self), note: req.formValue("note"))
        case "outcome", "lost":
            return .recordOutcome(
                result: try choice(req, "result", OutcomeResult.self),
                finalAmount: try money(req, amount: "final_amount", currency: "currency", required: true)!,
                closeDate: try date(req, "close_date")!, lossReason: req.formValue("loss_reason"))
        case "registration":
            return .register(
                registrationID: try required(req, "registration_id", "the registration id"),
                attribution: try choice(req, "attribution", Attribution.self),
                sourcedBy: try choice(req, "sourced_by", Side.self))
        case "review":
            var lessons: [LessonDraft] = []
            for n in 1...3 {
                guard let text = req.formValue("lesson_text_\(n)") else { continue }
                guard let stage = req.formValue("lesson_stage_\(n)") else {
                    throw Problem.invalid("lesson_stage_\(n)", "Choose the stage the lesson is about.")
                }
                lessons.append(LessonDraft(stageKey: stage, text: text))
            }
            if lessons.isEmpty {
                throw Problem.invalid("lesson_text_1", "Capture at least one lesson for the next deal.")
            }
            return .recordReview(
                heldOn: try date(req, "held_on")!, attendees: lines(req, "attendees"), lessons: lessons)
        case "add-move":
            return .addMove(
                stageKey: req.formValue("stage_key") ?? playbook.stages[deal.stageIndex].key,
                description: try required(req, "description", "what to do"),
                side: try choice(req, "side", MoveSide.self),
                ownerID: try uuid(req, "owner_id", required: false), dueOn: try date(req, "due_on", required: false))
        case "move-done":
            return .updateMove(moveID: try uuid(req, "move_id")!, ownerID: nil, dueOn: nil, done: true)
        case "advance":
            return .advance(overrideReason: nil)
        case "override":
            return .advance(overrideReason: try required(req, "override_reason", "why the gate may be skipped"))
        case "move-back":
            return .moveBack(reason: try required(req, "reason", "a reason"))
        case "abandon":
            return .abandon(reason: try required(req, "reason", "a reason"))
        case "details":
            return .updateDetails(
                title: try required(req, "title", "a title"),
                amount: try money(req, amount: "amount", currency: "currency", required: false),
                expectedCloseDate: try date(req, "expected_close_date", required: false))
        default:
            throw Problem.notFound("form")
        }
    }
}
