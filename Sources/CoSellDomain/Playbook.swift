import Foundation

/// The five kinds of exit criterion the engine knows how to check, one per default stage.
public enum CriterionKind: String, Codable, Sendable, CaseIterable {
    case targetAccountSelection = "target_account_selection"
    case doorOpener = "door_opener"
    case jointDiscovery = "joint_discovery"
    case jointPursuit = "joint_pursuit"
    case closeRegisterReview = "close_register_review"
}

/// Which side owes a move.
public enum MoveSide: String, Codable, Sendable, CaseIterable {
    case host
    case partner
    /// Whichever side makes the introduction (named in stage two).
    case doorOpener = "door_opener"
    case both
}

/// A move a stage asks for: what to do, which side owns it, and which role usually does it.
public struct MoveTemplate: Codable, Sendable, Equatable {
    public var key: String
    public var description: String
    public var side: MoveSide
    public var defaultOwnerRole: Role
    /// Days after entering the stage that the move is due by default; with `dueAfterMove`, days after
    /// that move is done.
    public var dueAfterDays: Int
    /// The key of another move of the same stage from whose completion `dueAfterDays` counts, instead of
    /// from entering the stage: such a move has no due date until that move is done. Nil (and absent
    /// from playbooks stored before it existed): the due date counts from entering the stage; see
    /// `Stage.dueAnchor(of:)` for the standard stage 5 stored without it.
    public var dueAfterMove: String?

    public init(
        key: String, description: String, side: MoveSide, defaultOwnerRole: Role, dueAfterDays: Int,
        dueAfterMove: String? = nil
    ) {
        self.key = key
        self.description = description
        self.side = side
        self.defaultOwnerRole = defaultOwnerRole
        self.dueAfterDays = dueAfterDays
        self.dueAfterMove = dueAfterMove
    }
}

extension MoveTemplate {
    /// The gate parts each move of the standard playbook produces, by template key, in the playbook's
    /// order: once every part a move produces is met, recording the evidence completes the move. The one
    /// map of moves to gate parts: next actions read it backwards (`moveKeys(producing:)`). A playbook's
    /// own moves with these keys produce the same parts; other moves produce none.
    static let standardProducts: [(move: String, parts: [String])] = [
        ("pick_from_overlap", ["account_on_overlap"]),
        ("host_icp_fit", ["host_icp_fit"]),
        ("partner_icp_fit", ["partner_icp_fit"]),
        ("name_door_opener", ["door_opener_named"]),
        ("make_introduction", ["first_meeting_booked"]),
        ("book_first_meeting", ["first_meeting_booked", "meeting_attendees"]),
        ("joint_discovery_call", ["one_brief"]),
        ("write_brief", ["one_brief", "brief_complete"]),
        ("deliver_proof", ["proof_delivered"]),
        ("close_plan", ["one_close_plan", "milestone_owners", "customer_confirmation"]),
        ("log_outcome", ["outcome"]),
        ("register", ["registration"]),
        ("review", ["review_lesson"]),
    ]

    /// The gate parts a move made from the template with this key produces (`GatePart.key`), by key.
    public static let producedParts: [String: [String]] = Dictionary(
        uniqueKeysWithValues: standardProducts.map { ($0.move, $0.parts) })

    /// The gate parts this move produces: recording them completes it.
    public var produces: [String] { Self.producedParts[key] ?? [] }

    /// The template keys of the moves that produce `part`, the last of its stage first: the move that
    /// finishes it (booking the meeting before making the introduction, writing the brief before the call).
    public static func moveKeys(producing part: String) -> [String] {
        standardProducts.reversed().filter { $0.parts.contains(part) }.map(\.move)
    }
}

/// The one condition a deal must meet, with evidence, before it leaves a stage.
public struct ExitCriterion: Codable, Sendable, Equatable {
    public var kind: CriterionKind
    /// The criterion in the team's own words, shown on the playbook page.
    public var wording: String
    /// Target account selection only: true when both companies' fits must be strong (a partial fit
    /// does not pass); nil or false accepts a partial fit. Each playbook version says.
    public var requiresStrongFit: Bool?

    public init(kind: CriterionKind, wording: String, requiresStrongFit: Bool? = nil) {
        self.kind = kind
        self.wording = wording
        self.requiresStrongFit = requiresStrongFit
    }

    /// Whether a partial fit fails this criterion.
    public var needsStrongFit: Bool { kind == .targetAccountSelection && requiresStrongFit == true }
}

public struct Stage: Codable, Sendable, Equatable {
    /// Stable key, equal to the criterion kind's raw value in the default playbook.
    public var key: String
    public var name: String
    public var summary: String
    public var moves: [MoveTemplate]
    public var exitCriterion: ExitCriterion
    /// Days a deal may stay in this stage before it counts as stalled.
    public var stallLimitDays: Int

    public init(
        key: String, name: String, summary: String, moves: [MoveTemplate], exitCriterion: ExitCriterion,
        stallLimitDays: Int
    ) {
        self.key = key
        self.name = name
        self.summary = summary
        self.moves = moves
        self.exitCriterion = exitCriterion
        self.stallLimitDays = stallLimitDays
    }
}

/// A versioned playbook. Editing one makes a new version; a deal keeps the version it started on.
/// One version of one playbook: how deals name the playbook they run on, and the key of the lookup
/// tables that resolve it.
public struct PlaybookVersion: Hashable, Sendable {
    public var id: UUID
    public var version: Int

    public init(_ id: UUID, _ version: Int) {
        self.id = id
        self.version = version
    }
}

public struct Playbook: Codable, Sendable, Equatable {
    public var id: UUID
    public var version: Int
    public var name: String
    public var stages: [Stage]
    /// Days without any activity after which an open deal counts as stalled.
    public var inactivityLimitDays: Int
    public var createdAt: Date
    public var createdBy: UUID?
    /// The organization that owns the playbook; nil for the standard playbook every organization shares.
    public var organizationID: UUID?

    public init(
        id: UUID, version: Int, name: String, stages: [Stage], inactivityLimitDays: Int, createdAt: Date,
        createdBy: UUID?
    ) {
        self.id = id
        self.version = version
        self.name = name
        self.stages = stages
        self.inactivityLimitDays = inactivityLimitDays
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public func stageIndex(forKey key: String) -> Int? { stages.firstIndex { $0.key == key } }

    /// The stage with this key.
    public func stage(forKey key: String) -> Stage? { stages.first { $0.key == key } }

    /// Checks that an edited playbook is one the engine can run: the five criteria in order, one per
    /// stage, sane limits, and moves with keys unique within their stage.
    public func validate() throws(PlaybookError) {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedName.isEmpty { throw .invalid(field: "name", "must not be empty") }
        let kinds = stages.map(\.exitCriterion.kind)
        if kinds != CriterionKind.allCases {
            throw .invalid(
                field: "stages",
                "must be the five stages in order, one exit criterion each: "
                    + CriterionKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if !(1...365).contains(inactivityLimitDays) {
            throw .invalid(field: "inactivity_limit_days", "must be between 1 and 365")
        }
        var keys = Set<String>()
        for (i, stage) in stages.enumerated() {
            if stage.key.isEmpty || !keys.insert(stage.key).inserted {
                throw .invalid(field: "stages[\(i)].key", "must be non-empty and unique")
            }
            if stage.name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .invalid(field: "stages[\(i)].name", "must not be empty")
            }
            if stage.exitCriterion.wording.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .invalid(field: "stages[\(i)].exit_criterion.wording", "must not be empty")
            }
            if !(1...365).contains(stage.stallLimitDays) {
                throw .invalid(field: "stages[\(i)].stall_limit_days", "must be between 1 and 365")
            }
            var moveKeys = Set<String>()
            for (j, move) in stage.moves.enumerated() {
                if move.key.isEmpty || !moveKeys.insert(move.key).inserted {
                    throw .invalid(field: "stages[\(i)].moves[\(j)].key", "must be non-empty and unique in the stage")
                }
                if move.description.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw .invalid(field: "stages[\(i)].moves[\(j)].description", "must not be empty")
                }
                if !(0...365).contains(move.dueAfterDays) {
                    throw .invalid(field: "stages[\(i)].moves[\(j)].due_after_days", "must be between 0 and 365")
                }
            }
            for (j, move) in stage.moves.enumerated() {
                let field = "stages[\(i)].moves[\(j)].due_after_move"
                if let anchor = move.dueAfterMove,
                    anchor == move.key || !stage.moves.contains(where: { $0.key == anchor })
                {
                    throw .invalid(field: field, "must be the key of another move of the same stage")
                }
                // Following the anchors from this move must end at a move that counts from the stage's entry.
                var seen: Set<String> = [move.key]
                var next = stage.dueAnchor(of: move)
                while let key = next, let anchor = stage.moves.first(where: { $0.key == key }) {
                    if !seen.insert(key).inserted {
                        throw .invalid(
                            field: field, "must not lead back to this move: the due dates would wait on each other")
                    }
                    next = stage.dueAnchor(of: anchor)
                }
            }
        }
    }
}

public enum PlaybookError: Error, Equatable, Sendable {
    case invalid(field: String, String)
}

extension Playbook {
    /// Fixed id of the standard playbook, so every install names it the same way.
    public static let standardID = UUID(uuidString: "00000000-0000-4000-8000-00000000b00c")!

    /// The specification's playbook: five stages, one exit criterion each, on one page.
    public static func standard(id: UUID, createdAt: Date) -> Playbook {
        Playbook(
            id: id, version: 1, name: "Co-sell playbook",
            stages: [
                Stage(
                    key: CriterionKind.targetAccountSelection.rawValue, name: "Target account selection",
                    summary:
                        "Start from the joint account list, not a cold guess: pick a shared account where both companies have a credible reason to engage and that fits both ideal customer profiles.",
                    moves: [
                        MoveTemplate(
                            key: "pick_from_overlap", description: "Pick the account from the mapped overlap",
                            side: .both, defaultOwnerRole: .partnerManager, dueAfterDays: 3),
                        MoveTemplate(
                            key: "host_icp_fit", description: "Record the host's ideal-customer-profile fit",
                            side: .host, defaultOwnerRole: .seller, dueAfterDays: 5),
                        MoveTemplate(
                            key: "partner_icp_fit", description: "Record the partner's ideal-customer-profile fit",
                            side: .partner, defaultOwnerRole: .seller, dueAfterDays: 5),
                    ],
                    exitCriterion: ExitCriterion(
                        kind: .targetAccountSelection, wording: "A named account both sides commit to working."),
                    stallLimitDays: 14),
                Stage(
                    key: CriterionKind.doorOpener.rawValue, name: "The door-opener move",
                    summary:
                        "One company makes the introduction the other could not make alone: a warm intro to a buyer, a referral into an existing customer, or a co-branded outreach.",
                    moves: [
                        MoveTemplate(
                            key: "name_door_opener", description: "Name the door-opener side and the move",
                            side: .both, defaultOwnerRole: .partnerManager, dueAfterDays: 3),
                        MoveTemplate(
                            key: "make_introduction", description: "Make the introduction",
                            side: .doorOpener, defaultOwnerRole: .seller, dueAfterDays: 10),
                        MoveTemplate(
                            key: "book_first_meeting", description: "Book the first joint conversation",
                            side: .both, defaultOwnerRole: .seller, dueAfterDays: 14),
                    ],
                    exitCriterion: ExitCriterion(kind: .doorOpener, wording: "A first joint conversation booked."),
                    stallLimitDays: 21),
                Stage(
                    key: CriterionKind.jointDiscovery.rawValue, name: "Joint discovery",
                    summary:
                        "Both sellers run discovery together, so the combined solution is scoped against the customer's actual problem rather than two separate pitches.",
                    moves: [
                        MoveTemplate(
                            key: "joint_discovery_call", description: "Run one joint discovery call",
                            side: .both, defaultOwnerRole: .seller, dueAfterDays: 10),
                        MoveTemplate(
                            key: "write_brief", description: "Write the shared account brief",
                            side: .both, defaultOwnerRole: .seller, dueAfterDays: 14),
                    ],
                    exitCriterion: ExitCriterion(
                        kind: .jointDiscovery,
                        wording: "A shared, written understanding of the customer's need and buying process."),
                    stallLimitDays: 30),
                Stage(
                    key: CriterionKind.jointPursuit.rawValue, name: "Joint pursuit and proof",
                    summary:
                        "Build and deliver the combined proposal, proof of concept or pilot, with one shared close plan rather than two competing ones.",
                    moves: [
                        MoveTemplate(
                            key: "deliver_proof",
                            description: "Deliver the combined proposal, proof of concept or pilot",
                            side: .both, defaultOwnerRole: .seller, dueAfterDays: 30),
                        MoveTemplate(
                            key: "close_plan", description: "Agree one close plan with the customer",
                            side: .host, defaultOwnerRole: .seller, dueAfterDays: 30),
                    ],
                    exitCriterion: ExitCriterion(
                        kind: .jointPursuit, wording: "A customer-confirmed path to a decision."),
                    stallLimitDays: 45),
                Stage(
                    key: CriterionKind.closeRegisterReview.rawValue, name: "Close, register and review",
                    summary:
                        "The deal closes, the joint opportunity is registered and tagged sourced or influenced, and the two sides review what the playbook got right and wrong.",
                    moves: [
                        MoveTemplate(
                            key: "log_outcome", description: "Log the outcome", side: .host, defaultOwnerRole: .seller,
                            dueAfterDays: 30),
                        MoveTemplate(
                            key: "register", description: "Register the joint opportunity, sourced or influenced",
                            side: .host, defaultOwnerRole: .partnerManager, dueAfterDays: 7,
                            dueAfterMove: "log_outcome"),
                        MoveTemplate(
                            key: "review", description: "Hold the thirty-minute review and capture a lesson",
                            side: .both, defaultOwnerRole: .partnerManager, dueAfterDays: 14,
                            dueAfterMove: "log_outcome"),
                    ],
                    exitCriterion: ExitCriterion(
                        kind: .closeRegisterReview, wording: "A logged outcome and a captured lesson."),
                    stallLimitDays: 30),
            ],
            inactivityLimitDays: 14, createdAt: createdAt, createdBy: nil)
    }
}

extension Stage {
    /// The key of the move of this stage whose completion `template`'s due date counts from, or nil when
    /// it counts from entering the stage. That is the template's `dueAfterMove`; for a template without
    /// it (a playbook stored before the field existed), "log_outcome" when the template is the standard
    /// "register" or "review" move of a close-register-review stage that has a "log_outcome" move.
    /// An anchor that is not a move of this stage counts as none.
    public func dueAnchor(of template: MoveTemplate) -> String? {
        let anchor: String?
        if let explicit = template.dueAfterMove {
            anchor = explicit
        } else if exitCriterion.kind == .closeRegisterReview, ["register", "review"].contains(template.key) {
            anchor = "log_outcome"
        } else {
            anchor = nil
        }
        guard let anchor, anchor != template.key, moves.contains(where: { $0.key == anchor }) else { return nil }
        return anchor
    }
}

extension Playbook {
    /// This playbook with every move's `dueAfterMove` written out as the engine reads it
    /// (`Stage.dueAnchor(of:)`): for a playbook stored before the field existed, the standard stage 5's
    /// "register" and "review" count from "log_outcome". Equal to `self` when nothing is inferred.
    public func withMoveDependencies() -> Playbook {
        var p = self
        for i in p.stages.indices {
            let stage = p.stages[i]
            for j in stage.moves.indices where stage.moves[j].dueAfterMove == nil {
                p.stages[i].moves[j].dueAfterMove = stage.dueAnchor(of: stage.moves[j])
            }
        }
        return p
    }
}

extension Playbook {
    /// This playbook's id and version.
    public var versionKey: PlaybookVersion { PlaybookVersion(id, version) }
}

extension Deal {
    /// The playbook version the deal runs on.
    public var playbookVersionKey: PlaybookVersion { PlaybookVersion(playbookID, playbookVersion) }
}

extension DealFacts {
    /// The playbook version the deal runs on.
    public var playbookVersionKey: PlaybookVersion { PlaybookVersion(playbookID, playbookVersion) }
}
