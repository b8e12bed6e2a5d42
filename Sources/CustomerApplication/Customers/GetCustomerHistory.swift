import CustomerDomain
import Mediator

/// Reads a customer's history in version order. Erased customers keep a history without
/// personal data.
public struct GetCustomerHistoryQuery: Query {
    public typealias Response = [CustomerHistoryItem]

    public var id: CustomerID

    public init(id: CustomerID) {
        self.id = id
    }
}

public struct GetCustomerHistoryHandler: RequestHandler {
    let queries: any CustomerQueries

    public init(queries: any CustomerQueries) {
        self.queries = queries
    }

    public func handle(_ query: GetCustomerHistoryQuery, context: MediatorContext) async throws -> [CustomerHistoryItem] {
        guard let items = try await queries.history(of: query.id) else { throw ApplicationError.customerNotFound() }
        return items
    }
}
