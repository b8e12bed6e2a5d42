import CustomerDomain
import Foundation
import Mediator

/// The right of access (LGPD art. 18, GDPR art. 15): every datum held about one customer, in
/// one answer. Erased customers can be exported too: the export then shows what remains.
public struct ExportCustomerDataQuery: Query {
    public typealias Response = CustomerDataExport

    public var id: CustomerID

    public init(id: CustomerID) {
        self.id = id
    }
}

/// The profile with its addresses, the full history and the messages naming the customer.
public struct CustomerDataExport: Hashable, Sendable {
    public let customer: CustomerDetails
    public let history: [CustomerHistoryItem]
    public let records: HeldRecords
    public let exportedAt: Date

    public init(customer: CustomerDetails, history: [CustomerHistoryItem], records: HeldRecords, exportedAt: Date) {
        self.customer = customer
        self.history = history
        self.records = records
        self.exportedAt = exportedAt
    }
}

public struct ExportCustomerDataHandler: RequestHandler {
    let queries: any CustomerQueries
    let records: any PersonalDataRecords
    let clock: any WallClock

    public init(queries: any CustomerQueries, records: any PersonalDataRecords, clock: any WallClock) {
        self.queries = queries
        self.records = records
        self.clock = clock
    }

    public func handle(_ query: ExportCustomerDataQuery, context: MediatorContext) async throws -> CustomerDataExport {
        guard let customer = try await queries.customer(query.id) else { throw ApplicationError.customerNotFound() }
        let history = try await queries.history(of: query.id) ?? []
        return CustomerDataExport(
            customer: customer, history: history, records: try await records.records(about: query.id), exportedAt: clock.now())
    }
}
