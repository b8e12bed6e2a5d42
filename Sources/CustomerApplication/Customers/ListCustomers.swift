import CustomerDomain
import Foundation
import Mediator
import Validation

/// Lists customers newest first, one keyset page at a time. Parameters arrive as the client
/// typed them; the validator checks them and the handler normalizes them like stored values.
public struct ListCustomersQuery: Query {
    public typealias Response = CustomerPage

    public var status: String?
    public var q: String?
    public var email: String?
    public var document: String?
    public var limit: String?
    public var cursor: String?

    public init(
        status: String? = nil, q: String? = nil, email: String? = nil, document: String? = nil, limit: String? = nil,
        cursor: String? = nil
    ) {
        self.status = status
        self.q = q
        self.email = email
        self.document = document
        self.limit = limit
        self.cursor = cursor
    }

    public static let defaultLimit = 50
    public static let maxLimit = 200
}

/// One page of customers and the cursor of the next, `nil` on the last page.
public struct CustomerPage: Hashable, Sendable {
    public let items: [CustomerSummary]
    public let nextCursor: String?

    public init(items: [CustomerSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

public enum ListCustomersValidator {
    public static let validator = Validator<ListCustomersQuery> { rules in
        rules.field("status", \.status).oneOf(Set(CustomerStatus.allCases.map(\.rawValue)))
        rules.field("limit", \.limit)
            .must(code: "out_of_range", message: "limit must be a whole number from 1 to \(ListCustomersQuery.maxLimit).") {
                guard let value = Int($0) else { return false }
                return (1...ListCustomersQuery.maxLimit).contains(value)
            }
        rules.field("q", \.q).must(code: "too_long", message: "q must be at most \(PersonName.maxLength) characters long.") {
            $0.unicodeScalars.count <= PersonName.maxLength
        }
        rules.field("email", \.email).must(code: "too_long", message: "email must be at most \(EmailAddress.maxLength) characters long.") {
            $0.unicodeScalars.count <= EmailAddress.maxLength
        }
        rules.field("document", \.document).must(code: "too_long", message: "document must be at most \(TaxDocument.maxOtherLength) characters long.") {
            $0.unicodeScalars.count <= TaxDocument.maxOtherLength
        }
    }
}

public struct ListCustomersHandler: RequestHandler {
    let queries: any CustomerQueries
    let cursors: CustomerListCursorCodec

    public init(queries: any CustomerQueries, cursors: CustomerListCursorCodec) {
        self.queries = queries
        self.cursors = cursors
    }

    public func handle(_ query: ListCustomersQuery, context: MediatorContext) async throws -> CustomerPage {
        let filter = Self.filter(of: query)
        let limit = query.limit.flatMap(Int.init) ?? ListCustomersQuery.defaultLimit
        let position = try query.cursor.map { try cursors.decode($0, filter: filter) }
        var items = try await queries.customers(matching: filter, after: position, limit: limit + 1)
        var next: String?
        if items.count > limit {
            items.removeLast(items.count - limit)
            if let last = items.last {
                next = cursors.encode(
                    CustomerListPosition(createdAtMicroseconds: Timestamp.microseconds(last.createdAt), id: last.id),
                    filter: filter
                )
            }
        }
        return CustomerPage(items: items, nextCursor: next)
    }

    static func filter(of query: ListCustomersQuery) -> CustomerFilter {
        func clean(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        return CustomerFilter(
            status: query.status.flatMap(CustomerStatus.init(rawValue:)),
            prefix: clean(query.q).map { $0.precomposedStringWithCanonicalMapping.lowercased() },
            email: clean(query.email)?.lowercased(),
            document: clean(query.document).map(TaxDocument.normalizedForSearch)
        )
    }
}
