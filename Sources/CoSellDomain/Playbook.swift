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
    /// Days after entering the stage that the move is due by default.
    public var dueAfterDays: Int

    public init(key: String, description: String, side: MoveSide, defaultOwnerRole: Role, dueAfterDays: Int) {
        self.key = key
        self.description = description
        self.side = side
        self.defaultOwnerRole = defaultOwnerRole
        self.dueAfterDays = dueAfterDays
    }
}

/// The one condition a deal must meet, with evidence, before it leaves a stage.
public struct ExitCriterion: Codable, Sendable, Equatable {
    public var kind: CriterionKind
    /// The criterion in the team's own words, shown on the playbook page.
    public var wording: String

    public init(kind: CriterionKind, wording: String) {
        self.kind = kind
        self.wording = wording
    }
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
                            side: .host, defaultOwnerRole: .partnerManager, dueAfterDays: 7),
                        MoveTemplate(
                            key: "review", description: "Hold the thirty-minute review and capture a lesson",
                            side: .both, defaultOwnerRole: .partnerManager, dueAfterDays: 14),
                    ],
                    exitCriterion: ExitCriterion(
                        kind: .closeRegisterReview, wording: "A logged outcome and a captured lesson."),
                    stallLimitDays: 30),
            ],
            inactivityLimitDays: 14, createdAt: createdAt, createdBy: nil)
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
