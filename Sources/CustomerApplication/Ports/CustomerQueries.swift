import CustomerDomain
import Foundation

/// Port: the read side. Plain SQL straight into response DTOs; no aggregate is loaded.
///
/// - Important: Every query is backed by an index and runs a fixed number of statements,
///   whatever the size of the result (no N+1).
public protocol CustomerQueries: Sendable {
    /// The customer with its addresses, erased ones included (their personal data is gone).
    func customer(_ id: CustomerID) async throws -> CustomerDetails?

    /// One page, newest first (`createdAt`, then `id`, descending), starting after `position`,
    /// at most `limit` items.
    func customers(matching filter: CustomerFilter, after position: CustomerListPosition?, limit: Int) async throws -> [CustomerSummary]

    /// The history in version order, or `nil` when the customer does not exist.
    func history(of id: CustomerID) async throws -> [CustomerHistoryItem]?
}

/// The filters of a customer listing, already normalized the way stored values are.
public struct CustomerFilter: Hashable, Sendable {
    /// `nil` lists active and inactive customers; erased ones appear only when asked for.
    public var status: CustomerStatus?
    /// A case-insensitive prefix of the name or of the e-mail, lower-cased.
    public var prefix: String?
    public var email: String?
    public var document: String?

    public init(status: CustomerStatus? = nil, prefix: String? = nil, email: String? = nil, document: String? = nil) {
        self.status = status
        self.prefix = prefix
        self.email = email
        self.document = document
    }
}

/// Where a page ended: the sort key of its last item.
public struct CustomerListPosition: Hashable, Sendable {
    public let createdAtMicroseconds: Int64
    public let id: CustomerID

    public init(createdAtMicroseconds: Int64, id: CustomerID) {
        self.createdAtMicroseconds = createdAtMicroseconds
        self.id = id
    }
}
