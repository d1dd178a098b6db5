import CoSellDomain

/// The components of the OpenAPI document: every request and response shape, by name.
enum APISchemas {
    static let side = Schema.enumeration(Side.allCases.map(\.rawValue))
    static let party = Schema.enumeration(Party.allCases.map(\.rawValue))
    static let role = Schema.enumeration(Role.allCases.map(\.rawValue))
    static let money = Schema.object(
        [("amount", .string(minLength: 1, maxLength: 24)), ("currency", .string(minLength: 3, maxLength: 3))],
        required: ["amount", "currency"])
    static let signoff = Schema.object(
        [("person_id", .uuid), ("person_name", .string()), ("at", .dateTime)],
        required: ["person_id", "person_name", "at"])
    static func pair(_ s: Schema) -> Schema { .object([("host", s), ("partner", s)], required: []) }
    static let attendee = Schema.object(
        [("name", .name), ("party", party), ("title", .string(maxLength: 200)), ("email", .string(maxLength: 200))],
        required: ["name", "party"])
    static let buyingProcess = Schema.object(
        [
            ("steps", .array(.name, maxItems: 100)), ("decision_makers", .array(.name, maxItems: 100)),
            ("timeline", .string(maxLength: 10_000)),
        ], required: ["steps", "decision_makers", "timeline"])
    static let stakeholder = Schema.object(
        [("name", .name), ("title", .string(maxLength: 200)), ("role", .string(maxLength: 200))], required: ["name"])
    static let milestone = Schema.object(
        [("title", .name), ("owner_party", party), ("owner_name", .name), ("due_on", .date)],
        required: ["title", "owner_party", "owner_name", "due_on"])
    static let lessonDraft = Schema.object([("stage_key", .name), ("text", .text)], required: ["stage_key", "text"])
    static let moveSide = Schema.enumeration(MoveSide.allCases.map(\.rawValue))

    static let components: [(String, Schema)] = [
        (
            "Problem",
            .object(
                [
                    ("type", .string()), ("title", .string()), ("status", .integer()), ("detail", .string()),
                    ("field", .string()), ("unmet", .array(.ref("GatePart"))),
                ], required: ["type", "title", "status", "detail"])
        ),
        (
            "Health",
            .object(
                [
                    ("status", .string()), ("database", .enumeration(["sqlite", "postgresql"])),
                    ("schema_version", .integer()),
                    ("expected_schema_version", .integer()), ("version", .string()),
                ], required: ["status", "database", "schema_version", "expected_schema_version", "version"])
        ),
        (
            "Organization",
            .object(
                [("id", .uuid), ("name", .string()), ("domain", .string()), ("created_at", .dateTime)],
                required: ["id", "name", "created_at"])
        ),
        (
            "Person",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("name", .string()), ("email", .string()),
                    ("role", role),
                    ("title", .string()),
                ], required: ["id", "organization_id", "name", "email", "role"])
        ),
        (
            "Me",
            .object(
                [("person", .ref("Person")), ("organization", .ref("Organization")), ("scope", .string())],
                required: ["person", "organization", "scope"])
        ),
        (
            "CoSellPlan",
            .object(
                [
                    ("segments", .array(.name, maxItems: 50)), ("named_account_ids", .array(.uuid, maxItems: 1000)),
                    (
                        "owners",
                        .array(
                            .object(
                                [("organization_id", .uuid), ("person_id", .uuid)],
                                required: ["organization_id", "person_id"]), maxItems: 2)
                    ),
                    ("review_weekday", .enumeration(CoSellPlan.Weekday.allCases.map(\.rawValue))),
                    (
                        "registration_validity_days",
                        .integer(
                            min: CoSellPlan.registrationValidityRange.lowerBound,
                            max: CoSellPlan.registrationValidityRange.upperBound)
                    ),
                    (
                        "named_accounts_per_seller",
                        .integer(
                            min: CoSellPlan.namedAccountsPerSellerRange.lowerBound,
                            max: CoSellPlan.namedAccountsPerSellerRange.upperBound)
                    ),
                ], required: ["segments", "named_account_ids", "owners", "review_weekday"])
        ),
        (
            "Partnership",
            .object(
                [
                    ("id", .uuid), ("name", .string()), ("organization_ids", .array(.uuid)),
                    ("status", .enumeration(["active", "ended"])), ("plan", .ref("CoSellPlan")),
                    ("created_at", .dateTime),
                ], required: ["id", "name", "organization_ids", "status", "created_at"])
        ),
        (
            "JointAccount",
            .object(
                [
                    ("id", .uuid), ("partnership_id", .uuid), ("name", .string()), ("domain", .string()),
                    ("country", .string()),
                    ("industry", .string()), ("employees", .integer()), ("origin", .enumeration(["overlap", "added"])),
                    ("reason", .string()),
                    (
                        "populations",
                        .array(
                            .object(
                                [("organization_id", .uuid), ("population", .string())],
                                required: ["organization_id", "population"]))
                    ),
                    ("created_at", .dateTime), ("address", address),
                ], required: ["id", "partnership_id", "name", "origin", "populations", "created_at"])
        ),
        (
            "CustomerContact",
            .object(
                [
                    ("id", .uuid), ("joint_account_id", .uuid), ("name", .string()), ("title", .string()),
                    ("email", .string()), ("created_at", .dateTime), ("updated_at", .dateTime),
                ], required: ["id", "joint_account_id", "name", "created_at", "updated_at"])
        ),
        (
            "Stage",
            .object(
                [
                    ("key", .name), ("name", .name), ("summary", .string(maxLength: 10_000)),
                    (
                        "moves",
                        .array(
                            .object(
                                [
                                    ("key", .name), ("description", .name), ("side", moveSide),
                                    ("default_owner_role", role),
                                    ("due_after_days", .integer(min: 0, max: 365)),
                                ], required: ["key", "description", "side", "default_owner_role", "due_after_days"]),
                            maxItems: 50)
                    ),
                    (
                        "exit_criterion",
                        .object(
                            [
                                ("kind", .enumeration(CriterionKind.allCases.map(\.rawValue))), ("wording", .text),
                                ("requires_strong_fit", .boolean),
                            ],
                            required: ["kind", "wording"])
                    ),
                    ("stall_limit_days", .integer(min: 1, max: 365)),
                ], required: ["key", "name", "summary", "moves", "exit_criterion", "stall_limit_days"])
        ),
        (
            "Playbook",
            .object(
                [
                    ("id", .uuid), ("version", .integer()), ("name", .string()), ("stages", .array(.ref("Stage"))),
                    ("inactivity_limit_days", .integer()), ("created_at", .dateTime), ("created_by", .uuid),
                    ("organization_id", .uuid),
                ], required: ["id", "version", "name", "stages", "inactivity_limit_days", "created_at"])
        ),
        (
            "GatePart",
            .object(
                [("key", .string()), ("description", .string()), ("met", .boolean), ("missing", .string())],
                required: ["key", "description", "met"])
        ),
        (
            "Gate",
            .object(
                [
                    ("stage_key", .string()), ("stage_name", .string()), ("criterion", .string()), ("open", .boolean),
                    ("met", .integer()), ("total", .integer()), ("parts", .array(.ref("GatePart"))),
                ], required: ["stage_key", "stage_name", "criterion", "open", "met", "total", "parts"])
        ),
        (
            "DealMove",
            .object(
                [
                    ("id", .uuid), ("stage_key", .string()), ("template_key", .string()), ("description", .string()),
                    ("side", moveSide), ("owner_id", .uuid), ("owner_name", .string()), ("due_on", .date),
                    ("done_at", .dateTime),
                ], required: ["id", "stage_key", "description", "side"])
        ),
        (
            "Evidence",
            .object(
                [
                    (
                        "target_selection",
                        .object(
                            [
                                (
                                    "icp_fit",
                                    pair(
                                        .object(
                                            [
                                                ("fit", .enumeration(Fit.allCases.map(\.rawValue))),
                                                ("note", .string()), ("recorded_by", .uuid), ("recorded_at", .dateTime),
                                            ], required: ["fit", "recorded_by", "recorded_at"]))
                                ),
                                ("commitments", pair(signoff)),
                            ], required: ["icp_fit", "commitments"])
                    ),
                    ("door_opener", .object([("door_opener", .any), ("first_meeting", .any)], required: [])),
                    ("joint_discovery", .object([("briefs", .array(.any))], required: ["briefs"])),
                    (
                        "joint_pursuit",
                        .object(
                            [("proof", .any), ("close_plans", .array(.any)), ("customer_confirmation", .any)],
                            required: ["close_plans"])
                    ),
                    (
                        "close",
                        .object(
                            [
                                ("outcome", .any), ("registration", .any), ("review", .any),
                                ("amendments", .array(.any)),
                            ], required: [])
                    ),
                ], required: ["target_selection", "door_opener", "joint_discovery", "joint_pursuit", "close"])
        ),
        (
            "Deal",
            .object(
                [
                    ("id", .uuid), ("partnership_id", .uuid), ("joint_account_id", .uuid), ("account_name", .string()),
                    ("account_on_overlap", .boolean), ("account_reason", .string()), ("title", .string()),
                    ("host_organization_id", .uuid), ("partner_organization_id", .uuid), ("playbook_id", .uuid),
                    ("playbook_version", .integer()), ("stage_index", .integer(min: 0)),
                    ("stage_entered_at", .dateTime),
                    ("last_activity_at", .dateTime), ("status", .enumeration(DealStatus.allCases.map(\.rawValue))),
                    ("status_reason", .string()), ("amount", money), ("expected_close_date", .date),
                    ("moves", .array(.ref("DealMove"))), ("evidence", .ref("Evidence")),
                    (
                        "passages",
                        .array(
                            .object(
                                [
                                    ("stage_key", .string()), ("entered_at", .dateTime), ("exited_at", .dateTime),
                                    ("exit", .enumeration(["passed", "skipped", "moved_back"])), ("by", .uuid),
                                    ("reason", .string()),
                                    ("unmet_at_exit", .array(.string())), ("confirmed_by", .uuid),
                                ], required: ["stage_key", "entered_at", "exited_at", "exit", "by", "unmet_at_exit"]))
                    ),
                    (
                        "pending_override",
                        .object(
                            [
                                ("stage_key", .string()), ("reason", .string()), ("requested_by", .uuid),
                                ("requested_by_name", .string()), ("side", side), ("requested_at", .dateTime),
                                ("expires_at", .dateTime), ("parts", .array(.string())),
                            ],
                            required: [
                                "stage_key", "reason", "requested_by", "requested_by_name", "side", "requested_at",
                                "expires_at", "parts",
                            ])
                    ),
                    ("completed_at", .dateTime), ("created_at", .dateTime), ("created_by", .uuid),
                    ("version", .integer(min: 1)),
                ],
                required: [
                    "id", "partnership_id", "joint_account_id", "account_name", "account_on_overlap", "title",
                    "host_organization_id", "partner_organization_id", "playbook_id", "playbook_version", "stage_index",
                    "stage_entered_at", "last_activity_at", "status", "moves", "evidence", "passages", "created_at",
                    "created_by", "version",
                ])
        ),
        (
            "DealView",
            .object(
                [
                    ("deal", .ref("Deal")), ("stage_key", .string()), ("stage_name", .string()), ("gate", .ref("Gate")),
                    ("stalled", .boolean), ("registration", .ref("Registration")),
                ], required: ["deal", "stage_key", "stage_name", "gate", "stalled"])
        ),
        (
            "Registration",
            .object(
                [
                    ("registration_id", .string()), ("state", .enumeration(RegistrationState.allCases.map(\.rawValue))),
                    ("attribution", .enumeration(Attribution.allCases.map(\.rawValue))), ("sourced_by", side),
                    ("submitted_by", side), ("deciding_side", side), ("crm_opportunity_id", .string()),
                    ("submitted_at", .dateTime), ("decided_at", .dateTime), ("decided_by_name", .string()),
                    ("rejection_reason", .string()), ("expires_on", .date), ("sourced_claim_warning", .string()),
                    (
                        "pending_amendment",
                        .object(
                            [
                                ("attribution", .enumeration(Attribution.allCases.map(\.rawValue))),
                                ("sourced_by", .enumeration(["host", "partner"])), ("reason", .string()),
                                ("proposed_by", .enumeration(["host", "partner"])), ("proposed_by_name", .string()),
                                ("proposed_at", .dateTime),
                            ], required: ["attribution", "sourced_by", "reason", "proposed_by", "proposed_at"])
                    ),
                ], required: ["registration_id", "state", "attribution", "sourced_by", "submitted_at"])
        ),
        (
            "DealEvent",
            .object(
                [
                    ("id", .uuid), ("deal_id", .uuid), ("sequence", .integer(min: 1)), ("at", .dateTime),
                    ("actor_id", .uuid),
                    ("actor_name", .string()), ("kind", .string()), ("summary", .string()), ("before", .string()),
                    ("after", .string()),
                ], required: ["id", "deal_id", "sequence", "at", "actor_id", "actor_name", "kind", "summary"])
        ),
        (
            "Diagnosis",
            .object(
                [
                    (
                        "stall",
                        .object(
                            [
                                ("stalled", .boolean), ("days_in_stage", .integer()),
                                ("days_since_activity", .integer()),
                                (
                                    "signals",
                                    .array(
                                        .object(
                                            [
                                                (
                                                    "kind",
                                                    .enumeration(["over_stage_limit", "inactive", "overdue_moves"])
                                                ),
                                                ("value", .integer()), ("limit", .integer()),
                                                ("move_ids", .array(.uuid)),
                                                ("explanation", .string()),
                                            ], required: ["kind", "value", "limit", "move_ids", "explanation"]))
                                ),
                            ], required: ["stalled", "days_in_stage", "days_since_activity", "signals"])
                    ),
                    ("needs_diagnosis", .boolean), ("likely_cause", .ref("PitfallFinding")),
                    ("findings", .array(.ref("PitfallFinding"))), ("explanation", .string()),
                ], required: ["stall", "needs_diagnosis", "findings", "explanation"])
        ),
        (
            "PitfallFinding",
            .object(
                [
                    ("pitfall", .enumeration(Pitfall.allCases.map(\.rawValue))), ("stage_key", .string()),
                    ("evidence", .array(.string())),
                ], required: ["pitfall", "stage_key", "evidence"])
        ),
    ]

    static func list(_ item: String) -> Schema {
        .object(
            [
                ("items", .array(.ref(item))), ("total", .integer(min: 0)), ("limit", .integer()),
                ("offset", .integer()),
            ],
            required: ["items", "total", "limit", "offset"])
    }

    // Request bodies.
    static let createDeal = Schema.object(
        [
            ("partnership_id", .uuid), ("joint_account_id", .uuid), ("title", .name), ("host_organization_id", .uuid),
            ("reason", .string(maxLength: 10_000)), ("amount", money), ("expected_close_date", .date),
            ("playbook_id", .uuid), ("parallel_reason", .string(maxLength: 10_000)),
        ], required: ["partnership_id", "joint_account_id", "title"])
    static let updateDeal = Schema.object(
        [("title", .name), ("amount", money), ("expected_close_date", .date)], required: [])
    static let icpFit = Schema.object(
        [("fit", .enumeration(Fit.allCases.map(\.rawValue))), ("note", .string(maxLength: 10_000))], required: ["fit"])
    static let empty = Schema.object([], required: [])
    static let doorOpener = Schema.object(
        [("side", side), ("kind", .enumeration(DoorOpenerKind.allCases.map(\.rawValue))), ("owner_id", .uuid)],
        required: ["side", "kind", "owner_id"])
    static let firstMeeting = Schema.object(
        [
            ("scheduled_for", .dateTime), ("attendees", .array(attendee, maxItems: 100)),
            ("time_zone", .string(minLength: 1, maxLength: 64)),
        ],
        required: ["scheduled_for", "attendees"])
    static let brief = Schema.object(
        [
            ("customer_need", .string(maxLength: 10_000)), ("buying_process", buyingProcess),
            ("stakeholders", .array(stakeholder, maxItems: 100)),
        ],
        required: ["customer_need", "buying_process", "stakeholders"])
    static let reason = Schema.object([("reason", .string(minLength: 3, maxLength: 10_000))], required: ["reason"])
    static let abandonment = Schema.object(
        [("reason", .string(minLength: 3, maxLength: 10_000)), ("lesson", lessonDraft)], required: ["reason", "lesson"])
    static let proof = Schema.object(
        [("kind", .enumeration(ProofKind.allCases.map(\.rawValue))), ("summary", .text)], required: ["kind", "summary"])
    static let closePlan = Schema.object(
        [("milestones", .array(milestone, maxItems: 200)), ("decision_date", .date)],
        required: ["milestones", "decision_date"])
    static let confirmation = Schema.object(
        [
            ("confirmed_by", .name), ("confirmed_at", .dateTime),
            ("channel", .enumeration(ConfirmationChannel.allCases.map(\.rawValue))),
            ("note", .string(maxLength: 10_000)),
        ], required: ["confirmed_by", "confirmed_at", "channel"])
    static let outcome = Schema.object(
        [
            ("result", .enumeration(["won", "lost"])), ("final_amount", money), ("close_date", .date),
            ("loss_reason", .string(maxLength: 10_000)),
            ("loss_category", .enumeration(LossCategory.allCases.map(\.rawValue))),
        ], required: ["result", "final_amount", "close_date"])
    static let amendment = Schema.object(
        [("final_amount", money), ("close_date", .date), ("reason", .string(minLength: 3, maxLength: 10_000))],
        required: ["reason"])
    static let registration = Schema.object(
        [
            ("registration_id", .string(minLength: 1, maxLength: 100)),
            ("attribution", .enumeration(Attribution.allCases.map(\.rawValue))), ("sourced_by", side),
            ("crm_opportunity_id", .string(maxLength: 100)),
        ], required: ["registration_id", "attribution", "sourced_by"])
    static let review = Schema.object(
        [
            ("held_on", .date), ("attendees", .array(.name, maxItems: 100)),
            ("lessons", .array(lessonDraft, maxItems: 50)),
        ],
        required: ["held_on", "attendees", "lessons"])
    static let advance = Schema.object([("override_reason", .string(minLength: 3, maxLength: 10_000))], required: [])
    static let addMove = Schema.object(
        [("stage_key", .name), ("description", .name), ("side", moveSide), ("owner_id", .uuid), ("due_on", .date)],
        required: ["stage_key", "description", "side"])
    static let updateMove = Schema.object([("owner_id", .uuid), ("due_on", .date), ("done", .boolean)], required: [])
    static let addAccount = Schema.object(
        [
            ("name", .name), ("domain", .string(maxLength: 253)), ("country", .string(maxLength: 100)),
            ("industry", .string(maxLength: 200)), ("employees", .integer(min: 0, max: 10_000_000)),
            ("reason", .string(minLength: 3, maxLength: 10_000)), ("address", address),
        ], required: ["name", "reason"])
    /// A customer's postal address; the country is the account's `country`.
    static let address = Schema.object(
        [
            ("line1", .string(maxLength: 300)), ("city", .string(maxLength: 200)), ("state", .string(maxLength: 200)),
            ("postal_code", .string(maxLength: 20)),
        ], required: [])
    static let playbookVersion = Schema.object(
        [
            ("name", .name), ("stages", .array(.ref("Stage"), maxItems: 5)),
            ("inactivity_limit_days", .integer(min: 1, max: 365)),
        ],
        required: ["name", "stages", "inactivity_limit_days"])
}
