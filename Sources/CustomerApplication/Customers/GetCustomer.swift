import CustomerDomain
import Mediator

/// Reads one customer. Erased customers answer ``ApplicationError/Code/gone``.
public struct GetCustomerQuery: Query {
    public typealias Response = CustomerDetails

    public var id: CustomerID

    public init(id: CustomerID) {
        self.id = id
    }
}

public struct GetCustomerHandler: RequestHandler {
    let queries: any CustomerQueries

    public init(queries: any CustomerQueries) {
        self.queries = queries
    }

    public func handle(_ query: GetCustomerQuery, context: MediatorContext) async throws -> CustomerDetails {
        guard let customer = try await queries.customer(query.id) else { throw ApplicationError.customerNotFound() }
        guard customer.status != .erased else { throw ApplicationError.customerGone() }
        return customer
    }
}
