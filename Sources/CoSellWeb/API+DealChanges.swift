import CoSellDomain
import CoSellWorkflows
import Vapor

extension API {
    /// The changes to a deal, stage by stage: each one call of `mutation`.
    static func dealChangeOperations() -> [APIOperation] {
        [
            mutation(
                .POST, "/moves", id: "addMove", summary: "Add a move with an owner and a due date",
                body: APISchemas.addMove
            ) { req, _ in
                let b = try APIJSON.decode(AddMoveRequest.self, from: req)
                return .addMove(
                    stageKey: b.stageKey, description: b.description, side: b.side, ownerID: b.ownerID, dueOn: b.dueOn)
            },
            mutation(
                .PATCH, "/moves/{move_id}", id: "updateMove",
                summary: "Assign a move's owner, due date, or mark it done", body: APISchemas.updateMove
            ) { req, _ in
                let moveID = try req.id("move_id", "move")
                let b = try APIJSON.decode(UpdateMoveRequest.self, from: req)
                return .updateMove(moveID: moveID, ownerID: b.ownerID, dueOn: b.dueOn, done: b.done)
            },
            mutation(
                .PUT, "/icp-fit", id: "putIcpFit", summary: "Stage 1: record your side's ideal-customer-profile fit",
                body: APISchemas.icpFit
            ) { req, _ in
                let b = try APIJSON.decode(IcpFitRequest.self, from: req)
                return .recordIcpFit(fit: b.fit, note: b.note)
            },
            mutation(
                .POST, "/commitment", id: "commit", summary: "Stage 1: commit your side to working the account",
                body: nil
            ) { _, _ in
                .commit
            },
            mutation(
                .PUT, "/door-opener", id: "putDoorOpener",
                summary: "Stage 2: name the door-opener side, its move and owner", body: APISchemas.doorOpener
            ) { req, _ in
                let b = try APIJSON.decode(DoorOpenerRequest.self, from: req)
                return .nameDoorOpener(side: b.side, kind: b.kind, ownerID: b.ownerID)
            },
            mutation(
                .PUT, "/first-meeting", id: "putFirstMeeting", summary: "Stage 2: book the first joint conversation",
                body: APISchemas.firstMeeting
            ) { req, _ in
                let b = try APIJSON.decode(FirstMeetingRequest.self, from: req)
                return .bookFirstMeeting(scheduledFor: b.scheduledFor, attendees: b.attendees, timeZone: b.timeZone)
            },
            mutation(
                .POST, "/briefs", id: "writeBrief", summary: "Stage 3: write the shared account brief",
                body: APISchemas.brief
            ) { req, _ in
                let b = try APIJSON.decode(BriefRequest.self, from: req)
                return .writeBrief(
                    briefID: nil, customerNeed: b.customerNeed, buyingProcess: b.buyingProcess,
                    stakeholders: b.stakeholders)
            },
            mutation(
                .PUT, "/briefs/{brief_id}", id: "updateBrief",
                summary: "Stage 3: edit the brief (resets its approvals when the content changes)",
                body: APISchemas.brief
            ) { req, _ in
                let id = try req.id("brief_id", "brief")
                let b = try APIJSON.decode(BriefRequest.self, from: req)
                return .writeBrief(
                    briefID: id, customerNeed: b.customerNeed, buyingProcess: b.buyingProcess,
                    stakeholders: b.stakeholders)
            },
            mutation(
                .POST, "/briefs/{brief_id}/approval", id: "approveBrief",
                summary: "Stage 3: approve the brief for your side", body: nil
            ) { req, _ in
                .approveBrief(briefID: try req.id("brief_id", "brief"))
            },
            mutation(
                .POST, "/briefs/{brief_id}/withdrawal", id: "withdrawBrief",
                summary: "Stage 3: withdraw a brief that was merged into the shared one", body: APISchemas.reason
            ) { req, _ in
                let id = try req.id("brief_id", "brief")
                return .withdrawBrief(briefID: id, reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .PUT, "/proof", id: "putProof", summary: "Stage 4: record the proposal, proof of concept or pilot",
                body: APISchemas.proof
            ) { req, _ in
                let b = try APIJSON.decode(ProofRequest.self, from: req)
                return .recordProof(kind: b.kind, summary: b.summary)
            },
            mutation(
                .POST, "/close-plans", id: "writeClosePlan", summary: "Stage 4: write the shared close plan",
                body: APISchemas.closePlan
            ) { req, _ in
                let b = try APIJSON.decode(ClosePlanRequest.self, from: req)
                return .writeClosePlan(planID: nil, milestones: b.milestones, decisionDate: b.decisionDate)
            },
            mutation(
                .PUT, "/close-plans/{plan_id}", id: "updateClosePlan", summary: "Stage 4: edit the close plan",
                body: APISchemas.closePlan
            ) { req, _ in
                let id = try req.id("plan_id", "close plan")
                let b = try APIJSON.decode(ClosePlanRequest.self, from: req)
                return .writeClosePlan(planID: id, milestones: b.milestones, decisionDate: b.decisionDate)
            },
            mutation(
                .POST, "/close-plans/{plan_id}/withdrawal", id: "withdrawClosePlan",
                summary: "Stage 4: withdraw a competing close plan", body: APISchemas.reason
            ) { req, _ in
                let id = try req.id("plan_id", "close plan")
                return .withdrawClosePlan(planID: id, reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .PUT, "/customer-confirmation", id: "putCustomerConfirmation",
                summary: "Stage 4: record the customer's confirmation of the path to a decision",
                body: APISchemas.confirmation
            ) { req, _ in
                let b = try APIJSON.decode(ConfirmationRequest.self, from: req)
                return .recordCustomerConfirmation(
                    confirmedBy: b.confirmedBy, confirmedAt: b.confirmedAt, channel: b.channel, note: b.note)
            },
            mutation(
                .PUT, "/outcome", id: "putOutcome",
                summary: "Stage 5: log the outcome (a loss may be logged at any stage)", body: APISchemas.outcome
            ) { req, _ in
                let b = try APIJSON.decode(OutcomeRequest.self, from: req)
                return .recordOutcome(
                    result: b.result, finalAmount: b.finalAmount, closeDate: b.closeDate, lossReason: b.lossReason,
                    lossCategory: b.lossCategory)
            },
            mutation(
                .POST, "/amendments", id: "amendOutcome",
                summary:
                    "After completion: correct the final amount or the close date, with a reason (admins and partner managers; kept on the timeline and in the audit log)",
                body: APISchemas.amendment
            ) { req, _ in
                let b = try APIJSON.decode(AmendmentRequest.self, from: req)
                return .amendOutcome(finalAmount: b.finalAmount, closeDate: b.closeDate, reason: b.reason)
            },
            mutation(
                .POST, "/registration", id: "register",
                summary:
                    "Submit the deal's registration, sourced or influenced (or amend and resubmit your company's pending or rejected one); it waits for the other company's acceptance",
                body: APISchemas.registration
            ) { req, _ in
                let b = try APIJSON.decode(RegistrationRequest.self, from: req)
                return .register(
                    registrationID: b.registrationID, attribution: b.attribution, sourcedBy: b.sourcedBy,
                    opportunityID: b.crmOpportunityID)
            },
            mutation(
                .POST, "/registration/acceptance", id: "acceptRegistration",
                summary:
                    "Accept the other company's pending registration (its partner managers and admins); it holds for the partnership's period",
                body: nil
            ) { _, _ in
                .acceptRegistration
            },
            mutation(
                .POST, "/registration/rejection", id: "rejectRegistration",
                summary:
                    "Reject the other company's pending registration, with a reason (its partner managers and admins)",
                body: APISchemas.reason
            ) { req, _ in
                .rejectRegistration(reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .POST, "/registration/amendment", id: "proposeRegistrationAmendment",
                summary:
                    "Propose to change the accepted registration's tag (partner managers and admins of either company), with a reason; the other company decides",
                body: .object(
                    [
                        ("attribution", .enumeration(Attribution.allCases.map(\.rawValue))),
                        ("sourced_by", .enumeration(["host", "partner"])),
                        ("reason", .string(minLength: 1, maxLength: 2_000)),
                    ], required: ["attribution", "sourced_by", "reason"])
            ) { req, _ in
                let b = try APIJSON.decode(AmendmentProposal.self, from: req)
                return .proposeRegistrationAmendment(
                    attribution: b.attribution, sourcedBy: b.sourcedBy, reason: b.reason)
            },
            mutation(
                .POST, "/registration/amendment/acceptance", id: "acceptRegistrationAmendment",
                summary:
                    "Accept the other company's proposed change of the registration's tag (its partner managers and admins)",
                body: nil
            ) { _, _ in
                .decideRegistrationAmendment(accept: true, reason: nil)
            },
            mutation(
                .POST, "/registration/amendment/rejection", id: "rejectRegistrationAmendment",
                summary: "Reject the other company's proposed change of the registration's tag, with a reason",
                body: APISchemas.reason
            ) { req, _ in
                .decideRegistrationAmendment(
                    accept: false, reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .POST, "/registration/renewal", id: "renewRegistration",
                summary:
                    "Renew an accepted registration for another period from today (the accepting company's partner managers and admins)",
                body: nil
            ) { _, _ in
                .renewRegistration
            },
            mutation(
                .PUT, "/review", id: "putReview",
                summary: "Stage 5: record the review and its lessons (lessons add up)", body: APISchemas.review
            ) { req, _ in
                let b = try APIJSON.decode(ReviewRequest.self, from: req)
                return .recordReview(heldOn: b.heldOn, attendees: b.attendees, lessons: b.lessons)
            },
            mutation(
                .POST, "/advance", id: "advance",
                summary: "Advance one stage when the exit criterion is met; an admin may override with a reason",
                body: APISchemas.advance, bodyOptional: true
            ) { req, _ in
                let reason: String? =
                    (req.body.data?.readableBytes ?? 0) > 0
                    ? try APIJSON.decode(AdvanceRequest.self, from: req).overrideReason : nil
                return .advance(overrideReason: reason)
            },
            mutation(
                .POST, "/move-back", id: "moveBack", summary: "Move the deal back one stage, with a reason",
                body: APISchemas.reason
            ) { req, _ in
                .moveBack(reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
            mutation(
                .POST, "/abandon", id: "abandon",
                summary:
                    "Abandon the deal, with a reason and the lesson it leaves for the next deal (admins and partner managers of either company)",
                body: APISchemas.abandonment
            ) { req, _ in
                let b = try APIJSON.decode(AbandonRequest.self, from: req)
                return .abandon(reason: b.reason, lesson: b.lesson)
            },
            mutation(
                .POST, "/reopening", id: "reopen",
                summary:
                    "Reopen a lost or abandoned deal at its stage, with a reason (admins and partner managers of the host company)",
                body: APISchemas.reason
            ) { req, _ in
                .reopen(reason: try APIJSON.decode(ReasonRequest.self, from: req).reason)
            },
        ]
    }

    /// An operation that changes a deal: one call of `DealWorkflows.apply`, which checks visibility,
    /// write access and `If-Match`, builds the command from the body, applies it and saves it.
    static func mutation(
        _ method: HTTPMethod, _ suffix: String, id: String, summary: String, body: Schema?, bodyOptional: Bool = false,
        command: @escaping @Sendable (Request, Principal) async throws -> DealCommand
    ) -> APIOperation {
        APIOperation(
            method, "/api/v1/deals/{deal_id}" + suffix, id: id, summary: summary, tag: "deals",
            body: bodyOptional ? nil : body,
            response: .ref("DealView")
        ) { req in
            let p = try await req.principal()
            let dealID = try req.id("deal_id", "deal")
            let ifMatch = req.headers.first(name: .ifMatch).map(IfMatch.init(header:))
            let r = try await req.workflows.deals.apply(to: dealID, by: p, ifMatch: ifMatch) { _, _ in
                try await command(req, p)
            }
            return try APIJSON.response(DealView(r.deal, playbook: r.playbook, now: r.at), etag: r.deal.version)
        }
    }
}

/// A proposed change of the registration's tag.
struct AmendmentProposal: Decodable {
    var attribution: Attribution
    var sourcedBy: Side
    var reason: String
}
