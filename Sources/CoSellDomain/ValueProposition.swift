import Foundation

/// The one-page joint value proposition of a partnership: what an account executive of either
/// company reads in two minutes before a joint deal. For whom, the problem, the joint solution,
/// three proof points, why together, how to engage and what not to say.
///
/// Either company writes a draft; each change of content is a new version. A partner manager (or
/// admin) of each company approves a version; the version both approved is published. A later
/// draft leaves the published version in place until both companies approve the draft in turn.
public struct ValueProposition: Codable, Sendable, Equatable {
    /// A customer result the two companies can name: who, what changed, the figure.
    public struct ProofPoint: Codable, Sendable, Equatable {
        public var customer: String
        public var outcome: String
        /// The number that proves it, e.g. "41% fewer access tickets".
        public var figure: String

        public init(customer: String, outcome: String, figure: String) {
            self.customer = customer
            self.outcome = outcome
            self.figure = figure
        }
    }

    /// Who an account executive calls at one company.
    public struct Contact: Codable, Sendable, Equatable {
        public var organizationID: UUID
        public var personID: UUID

        public init(organizationID: UUID, personID: UUID) {
            self.organizationID = organizationID
            self.personID = personID
        }
    }

    /// A door-opener play that works for this partnership: which kind, which company opens the
    /// door, and how, in a sentence.
    public struct DoorOpenerPlay: Codable, Sendable, Equatable {
        public var kind: DoorOpenerKind
        public var organizationID: UUID
        public var text: String

        public init(kind: DoorOpenerKind, organizationID: UUID, text: String) {
            self.kind = kind
            self.organizationID = organizationID
            self.text = text
        }
    }

    /// What the page says. A change of it is a new version, which both companies approve again.
    public struct Content: Codable, Sendable, Equatable {
        /// For whom: the segment ("Mid-market insurers in the US and Canada")…
        public var segment: String
        /// …and the buyer roles ("CISO", "Head of data platform").
        public var roles: [String]
        public var problem: String
        /// One paragraph.
        public var jointSolution: String
        /// Exactly three.
        public var proofPoints: [ProofPoint]
        public var whyTogether: String
        /// One per company of the partnership: who to call there.
        public var contacts: [Contact]
        /// The door-opener plays that work, one to three.
        public var doorOpeners: [DoorOpenerPlay]
        /// What not to say: short lines, one to five.
        public var doNotSay: [String]

        public init(
            segment: String, roles: [String], problem: String, jointSolution: String, proofPoints: [ProofPoint],
            whyTogether: String, contacts: [Contact], doorOpeners: [DoorOpenerPlay], doNotSay: [String]
        ) {
            self.segment = segment
            self.roles = roles
            self.problem = problem
            self.jointSolution = jointSolution
            self.proofPoints = proofPoints
            self.whyTogether = whyTogether
            self.contacts = contacts
            self.doorOpeners = doorOpeners
            self.doNotSay = doNotSay
        }

        public func contact(of organizationID: UUID) -> UUID? {
            contacts.first { $0.organizationID == organizationID }?.personID
        }

        /// Every text of the page, in reading order.
        public var texts: [String] {
            [segment] + roles + [problem, jointSolution] + proofPoints.flatMap { [$0.customer, $0.outcome, $0.figure] }
                + [whyTogether] + doorOpeners.map(\.text) + doNotSay
        }

        /// The words an account executive reads (the people's names and headings aside).
        public var wordCount: Int { texts.reduce(0) { $0 + ValuePropositions.words(in: $1) } }
    }

    /// A partner manager (or admin) approved a version for their company.
    public struct Approval: Codable, Sendable, Equatable {
        public var organizationID: UUID
        public var personID: UUID
        public var personName: String
        public var at: Date

        public init(organizationID: UUID, personID: UUID, personName: String, at: Date) {
            self.organizationID = organizationID
            self.personID = personID
            self.personName = personName
            self.at = at
        }
    }

    /// One version of the page: its content, who wrote it, who approved it.
    public struct Version: Codable, Sendable, Equatable {
        /// 1, 2, 3, … per partnership; a new content is the next number.
        public var number: Int
        public var content: Content
        public var writtenBy: UUID
        public var writtenByName: String
        public var writtenByOrganizationID: UUID
        public var writtenAt: Date
        public var approvals: [Approval]
        /// When the second company approved it.
        public var publishedAt: Date?

        public init(
            number: Int, content: Content, writtenBy: UUID, writtenByName: String, writtenByOrganizationID: UUID,
            writtenAt: Date, approvals: [Approval] = [], publishedAt: Date? = nil
        ) {
            self.number = number
            self.content = content
            self.writtenBy = writtenBy
            self.writtenByName = writtenByName
            self.writtenByOrganizationID = writtenByOrganizationID
            self.writtenAt = writtenAt
            self.approvals = approvals
            self.publishedAt = publishedAt
        }

        public func approval(of organizationID: UUID) -> Approval? {
            approvals.first { $0.organizationID == organizationID }
        }

        public func isApproved(in partnership: Partnership) -> Bool {
            partnership.organizationIDs.allSatisfy { approval(of: $0) != nil }
        }
    }

    public var partnershipID: UUID
    /// The version both companies approved last: what account executives read.
    public var published: Version?
    /// A newer version waiting for approval, if any.
    public var draft: Version?
    /// Counts every saved change (a new version, an approval): the store writes only over the
    /// revision it read, so two writers cannot both win.
    public var revision: Int

    public init(partnershipID: UUID, published: Version? = nil, draft: Version? = nil, revision: Int = 0) {
        self.partnershipID = partnershipID
        self.published = published
        self.draft = draft
        self.revision = revision
    }

    /// The newest version's number (the draft's, else the published one's), 0 before the first.
    /// A writer names it to change the page.
    public var latestVersion: Int { draft?.number ?? published?.number ?? 0 }

    /// The newest content: the draft's, else the published one's.
    public var latestContent: Content? { draft?.content ?? published?.content }

    /// The companies of the partnership that have not approved the draft yet.
    public func waitingOn(in partnership: Partnership) -> [UUID] {
        guard let draft else { return [] }
        return partnership.organizationIDs.filter { draft.approval(of: $0) == nil }
    }
}

/// The rules of the joint value proposition, as pure functions.
public enum ValuePropositions {
    /// Two minutes of reading at about 230 words a minute: the page's budget, which also keeps it
    /// on one printed page.
    public static let maxWords = 450
    public static let maxSegment = 120
    public static let maxRoles = 4
    public static let maxRole = 60
    public static let maxProblem = 400
    public static let maxJointSolution = 700
    public static let proofPointCount = 3
    public static let maxProofCustomer = 80
    public static let maxProofOutcome = 160
    public static let maxProofFigure = 60
    public static let maxWhyTogether = 400
    public static let maxDoorOpeners = 3
    public static let maxDoorOpenerText = 200
    public static let maxDoNotSay = 5
    public static let maxDoNotSayLine = 140

    /// The people a content is checked against: those of the partnership's two companies.
    public struct Context: Sendable {
        public var partnership: Partnership
        public var people: [UUID: Person]

        public init(partnership: Partnership, people: [Person]) {
            self.partnership = partnership
            self.people = Dictionary(
                people.filter { partnership.includes($0.organizationID) }.map { ($0.id, $0) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    public static func words(in text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace }).count
    }

    /// Checks and tidies a content; each refusal names the field as the API spells it. Texts are
    /// trimmed and their runs of spaces and line breaks become one space.
    public static func validated(
        _ c: ValueProposition.Content, in ctx: Context
    ) throws(DealError) -> ValueProposition.Content {
        var out = c
        out.segment = try text(c.segment, "segment", max: maxSegment)
        out.roles = try lines(c.roles, "roles", min: 1, max: maxRoles, each: maxRole, what: "buyer role")
        out.problem = try text(c.problem, "problem", max: maxProblem)
        if c.jointSolution.contains(#/\n[ \t\r]*\n/#) {
            throw .invalid(
                field: "joint_solution", "The joint solution is one paragraph: join the paragraphs or cut one.")
        }
        out.jointSolution = try text(c.jointSolution, "joint_solution", max: maxJointSolution)
        guard c.proofPoints.count == proofPointCount else {
            throw .invalid(
                field: "proof_points",
                "Give exactly three proof points (customer, outcome, figure); there are \(c.proofPoints.count).")
        }
        for (i, p) in c.proofPoints.enumerated() {
            out.proofPoints[i] = .init(
                customer: try text(p.customer, "proof_points[\(i)].customer", max: maxProofCustomer),
                outcome: try text(p.outcome, "proof_points[\(i)].outcome", max: maxProofOutcome),
                figure: try text(p.figure, "proof_points[\(i)].figure", max: maxProofFigure))
        }
        out.whyTogether = try text(c.whyTogether, "why_together", max: maxWhyTogether)
        let orgs = ctx.partnership.organizationIDs
        guard c.contacts.count == orgs.count, Set(c.contacts.map(\.organizationID)) == Set(orgs) else {
            throw .invalid(field: "contacts", "Name who to call at each of the two companies: one person each.")
        }
        // In the partnership's order, so the page and its versions compare alike.
        out.contacts = orgs.compactMap { org in c.contacts.first { $0.organizationID == org } }
        for (i, contact) in c.contacts.enumerated() {
            guard let person = ctx.people[contact.personID], person.organizationID == contact.organizationID,
                person.deactivatedAt == nil
            else {
                throw .invalid(
                    field: "contacts[\(i)].person_id", "The contact must be an active person of that company.")
            }
        }
        if c.doorOpeners.isEmpty || c.doorOpeners.count > maxDoorOpeners {
            throw .invalid(
                field: "door_openers",
                "Name one to \(maxDoorOpeners) door-opener plays that work for the two companies.")
        }
        for (i, play) in c.doorOpeners.enumerated() {
            guard ctx.partnership.includes(play.organizationID) else {
                throw .invalid(
                    field: "door_openers[\(i)].organization_id",
                    "The company opening the door must be one of the partnership's two companies.")
            }
            out.doorOpeners[i].text = try text(play.text, "door_openers[\(i)].text", max: maxDoorOpenerText)
        }
        out.doNotSay = try lines(
            c.doNotSay, "do_not_say", min: 1, max: maxDoNotSay, each: maxDoNotSayLine, what: "line of what not to say")
        let count = out.wordCount
        if count > maxWords {
            throw .invalid(
                field: longestField(out),
                "The page runs to \(count) words; two minutes of reading is at most \(maxWords). Shorten it, starting here (the longest part)."
            )
        }
        return out
    }

    /// The field holding the most words, to point a writer at what to shorten.
    static func longestField(_ c: ValueProposition.Content) -> String {
        var parts: [(String, String)] = [
            ("segment", c.segment), ("problem", c.problem), ("joint_solution", c.jointSolution),
            ("why_together", c.whyTogether),
        ]
        parts += c.proofPoints.enumerated().map { ("proof_points[\($0.offset)].outcome", $0.element.outcome) }
        parts += c.doorOpeners.enumerated().map { ("door_openers[\($0.offset)].text", $0.element.text) }
        parts.append(("do_not_say", c.doNotSay.joined(separator: " ")))
        parts.append(("roles", c.roles.joined(separator: " ")))
        return parts.max { words(in: $0.1) < words(in: $1.1) }?.0 ?? "joint_solution"
    }

    /// A field in the words a writer reads beside it: "Proof point 2's figure" for
    /// `proof_points[1].figure`.
    public static func label(_ field: String) -> String {
        if let m = field.wholeMatch(of: #/([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?/#), let i = Int(m.output.2) {
            let n = i + 1
            switch (String(m.output.1), m.output.3.map(String.init)) {
            case ("proof_points", let part?): return "Proof point \(n)'s \(part)"
            case ("door_openers", _): return "Door-opener play \(n)"
            case ("roles", _): return "Buyer role \(n)"
            case ("do_not_say", _): return "Line \(n) of what not to say"
            default: break
            }
        }
        switch field {
        case "segment": return "The segment"
        case "problem": return "The problem"
        case "joint_solution": return "The joint solution"
        case "why_together": return "Why together"
        default: return field
        }
    }

    static func tidy(_ raw: String) -> String {
        raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func text(_ raw: String, _ field: String, max: Int) throws(DealError) -> String {
        let t = tidy(raw)
        guard !t.isEmpty else { throw .invalid(field: field, "\(label(field)) is empty: write it.") }
        guard t.count <= max else {
            throw .invalid(field: field, "\(label(field)) must be at most \(max) characters; it has \(t.count).")
        }
        return t
    }

    static func lines(
        _ raw: [String], _ field: String, min: Int, max: Int, each: Int, what: String
    ) throws(DealError) -> [String] {
        guard raw.count >= min, raw.count <= max else {
            throw .invalid(field: field, "Give \(min) to \(max) of them (one \(what) each).")
        }
        var out: [String] = []
        var seen: Set<String> = []
        for (i, line) in raw.enumerated() {
            let t = try text(line, "\(field)[\(i)]", max: each)
            guard seen.insert(t.lowercased()).inserted else {
                throw .invalid(field: "\(field)[\(i)]", "That \(what) is there twice.")
            }
            out.append(t)
        }
        return out
    }

    /// The page with `content` written by `person`: the same content as the newest version changes
    /// nothing; another one is the next version, a draft with no approvals. The published version
    /// stays as it is.
    public static func written(
        _ vp: ValueProposition, _ content: ValueProposition.Content, by person: Person, at: Date
    ) -> ValueProposition {
        guard content != vp.latestContent else { return vp }
        var out = vp
        out.draft = .init(
            number: vp.latestVersion + 1, content: content, writtenBy: person.id, writtenByName: person.name,
            writtenByOrganizationID: person.organizationID, writtenAt: at)
        out.revision += 1
        return out
    }

    /// `person` approves the draft numbered `version` for their company: a partner manager or admin
    /// of one of the two companies, once per company and version. When both companies have
    /// approved it, the draft is the published version.
    public static func approved(
        _ vp: ValueProposition, version: Int, by person: Person, in partnership: Partnership, at: Date
    ) throws(DealError) -> ValueProposition {
        guard partnership.includes(person.organizationID) else {
            throw .forbidden("Only the partnership's two companies approve its value proposition.")
        }
        guard person.role == .partnerManager || person.role == .admin else {
            throw .forbidden("Only partner managers and admins approve the value proposition.")
        }
        guard var draft = vp.draft else {
            if let p = vp.published, p.number == version {
                throw .conflict("Version \(version) is published already: both companies approved it.")
            }
            throw .conflict("There is no draft to approve: write the value proposition first.")
        }
        guard draft.number == version else {
            throw .conflict(
                "Version \(version) is not the current draft: the draft is version \(draft.number). Read it, then approve it."
            )
        }
        if let done = draft.approval(of: person.organizationID) {
            throw .conflict("\(done.personName) approved version \(version) for your company already.")
        }
        draft.approvals.append(
            .init(organizationID: person.organizationID, personID: person.id, personName: person.name, at: at))
        var out = vp
        if draft.isApproved(in: partnership) {
            draft.publishedAt = at
            out.published = draft
            out.draft = nil
        } else {
            out.draft = draft
        }
        out.revision += 1
        return out
    }
}
