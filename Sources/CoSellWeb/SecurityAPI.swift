/// Sign-in, sessions, tokens, invitations, the audit log and the partnership lifecycle.
enum SecurityAPI {
    struct Done: Encodable { var done: Bool }

    static let person = Schema.ref("Person")

    static let components: [(String, Schema)] = [
        (
            "Session",
            .object(
                [("person", .ref("Person")), ("csrf_token", .string()), ("expires_at", .dateTime)],
                required: ["person", "csrf_token", "expires_at"])
        ),
        (
            "APIToken",
            .object(
                [
                    ("id", .uuid), ("name", .string()), ("scope", .enumeration(["read", "read_write"])),
                    ("created_at", .dateTime),
                    ("last_used_at", .dateTime), ("revoked_at", .dateTime),
                ], required: ["id", "name", "scope", "created_at"])
        ),
        (
            "AuditEvent",
            .object(
                [
                    ("id", .uuid), ("organization_id", .uuid), ("actor_id", .uuid), ("actor_name", .string()),
                    ("kind", .string()),
                    ("detail", .string()), ("address", .string()), ("at", .dateTime),
                ], required: ["id", "kind", "detail", "at"])
        ),
        (
            "Invitation",
            .object(
                [
                    (
                        "invitation",
                        .object(
                            [
                                ("id", .uuid), ("organization_id", .uuid), ("email", .string()), ("name", .string()),
                                ("role", APISchemas.role), ("invited_by", .uuid), ("created_at", .dateTime),
                                ("expires_at", .dateTime),
                                ("accepted_at", .dateTime),
                            ],
                            required: [
                                "id", "organization_id", "email", "name", "role", "invited_by", "created_at",
                                "expires_at",
                            ])
                    ),
                    ("accept_token", .string()), ("accept_path", .string()), ("mailed", .boolean),
                ], required: ["invitation", "accept_token", "accept_path", "mailed"])
        ),
        (
            "PartnerInvitation",
            .object(
                [
                    ("id", .uuid), ("partner_domain", .string()), ("email", .string()),
                    ("partnership_name", .string()), ("partnership_id", .uuid), ("expires_at", .dateTime),
                    ("accept_path", .string()), ("mailed", .boolean),
                ], required: ["id", "partner_domain", "email", "partnership_name", "expires_at", "mailed"])
        ),
    ]

    /// Every operation of sign-in, sessions, tokens, invitations, the audit log and the partnership lifecycle.
    static func operations() -> [APIOperation] {
        sessionOperations() + tokenOperations() + peopleOperations() + auditOperations()
            + partnershipLifecycleOperations()
    }
}
