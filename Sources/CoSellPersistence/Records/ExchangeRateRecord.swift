import FluentKit
import Foundation

final class ExchangeRateRecord: Model, @unchecked Sendable {
    static let schema = "exchange_rates"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "reporting_currency") var reportingCurrency: String
    @Field(key: "date") var date: String
    @Field(key: "currency") var currency: String
    @Field(key: "rate") var rate: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}
