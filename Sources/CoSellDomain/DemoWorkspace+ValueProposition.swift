import Foundation

extension DemoWorkspace {
    /// The partnership's one-page joint value proposition, version 2, written by Daniel Reyes after
    /// Marcus Chen's comments on the first draft and approved by both partner managers three weeks
    /// ago: what the account executives of both companies read before a joint deal.
    func demoValueProposition(today: Date) -> ValueProposition {
        func named(_ name: String) -> Person { people.first { $0.name == name }! }
        func day(_ d: Int, _ hour: Int) -> Date { today.addingTimeInterval(Double(d) * 86_400 + Double(hour) * 3_600) }
        let daniel = named("Daniel Reyes")
        let marcus = named("Marcus Chen")
        let quarry = daniel.organizationID
        let halyard = marcus.organizationID
        let content = ValueProposition.Content(
            segment:
                "Regulated banks, insurers and health systems of 1,000 to 25,000 employees moving analytics to AWS or Azure",
            roles: ["Chief Data Officer", "CISO", "VP Data Platforms"],
            problem:
                "Analytics projects stall for months at the security review: nobody can show where the sensitive data sits or who reads it once it is in the cloud.",
            jointSolution:
                "Quarry Data gives the customer one governed catalog of its data, with lineage from source to dashboard; Halyard Security classifies the sensitive data in that catalog and monitors every read of it in the customer's own cloud tenant. The security team approves the platform once, against evidence it can audit, and the data team ships analytics without a review per project.",
            proofPoints: [
                .init(
                    customer: "Meridian Health Partners",
                    outcome: "Readmission-risk model live across 30 hospitals, with patient data protected to HIPAA",
                    figure: "Security sign-off in 3 weeks, not 5 months"),
                .init(
                    customer: "Ironbridge Manufacturing",
                    outcome: "Defect prediction on plant data, with the OT-to-cloud gateway monitored",
                    figure: "18% fewer quality escapes in two plants"),
                .init(
                    customer: "Alder & Finch Insurance",
                    outcome: "Pricing mart in the customer's Azure tenant, meeting the PRA's resilience rules",
                    figure: "Pricing models refreshed daily, not monthly"),
            ],
            whyTogether:
                "Quarry alone leaves the CISO with an unanswered question; Halyard alone secures data nobody is using yet. Together the buyer gets a platform the security team has already approved, and one joint team from discovery to go-live.",
            contacts: [
                .init(organizationID: quarry, personID: daniel.id),
                .init(organizationID: halyard, personID: marcus.id),
            ],
            doorOpeners: [
                .init(
                    kind: .warmIntroduction, organizationID: halyard,
                    text:
                        "Halyard's account team introduces Quarry to the CISO it already protects; ask Marcus for the intro by name."
                ),
                .init(
                    kind: .customerReferral, organizationID: quarry,
                    text:
                        "Quarry's data team customers refer Halyard to their security team when the cloud review starts."
                ),
            ],
            doNotSay: [
                "Do not call it a bundle: each company prices and contracts on its own.",
                "Do not promise the security review will be skipped; it is shorter because the evidence is ready.",
                "Do not name the customers above outside a call without their reference approval.",
            ])
        let version = ValueProposition.Version(
            number: 2, content: content, writtenBy: daniel.id, writtenByName: daniel.name,
            writtenByOrganizationID: quarry, writtenAt: day(-22, 14),
            approvals: [
                .init(organizationID: halyard, personID: marcus.id, personName: marcus.name, at: day(-21, 16)),
                .init(organizationID: quarry, personID: daniel.id, personName: daniel.name, at: day(-21, 17)),
            ], publishedAt: day(-21, 17))
        return ValueProposition(partnershipID: partnership.id, published: version, draft: nil, revision: 4)
    }
}
