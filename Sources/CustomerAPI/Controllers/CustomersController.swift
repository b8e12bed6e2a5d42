import CustomerApplication
import CustomerDomain
import Crypto
import EventBus
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Mediator
import Validation

/// The `/v1/customers` resource: thin handlers that turn HTTP into commands and queries, send
/// them through the mediator, and turn the answers into the contract's responses.
public struct CustomersController<Context: AuthRequestContext<Caller>>: Sendable {
    let mediator: Mediator
    let idempotency: any IdempotencyStore
    let clock: any WallClock

    public init(mediator: Mediator, idempotency: any IdempotencyStore, clock: any WallClock) {
        self.mediator = mediator
        self.idempotency = idempotency
        self.clock = clock
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post(use: register)
        routes.get(use: list)
        routes.get(":id", use: get)
        routes.patch(":id", use: updateProfile)
        routes.delete(":id", use: erase)
        routes.put(":id/email", use: changeEmail)
        routes.post(":id/addresses", use: addAddress)
        routes.put(":id/addresses/:addressId", use: updateAddress)
        routes.delete(":id/addresses/:addressId", use: removeAddress)
        routes.post(":id/deactivate", use: deactivate)
        routes.post(":id/reactivate", use: reactivate)
        routes.get(":id/history", use: history)
        routes.get(":id/export", use: export)
        return routes
    }

    // MARK: - Routes

    @Sendable func register(_ request: Request, context: Context) async throws -> Response {
        let body = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(body.value)
        let command = CustomerRequestReaders.registration(&reader)
        return try await idempotent(request, context: context, scope: "POST /v1/customers", body: body.value, failures: reader.failures) { mediatorContext in
            let customer = try await mediator.send(command, context: mediatorContext)
            return try Self.customerResponse(customer, status: .created, location: "/v1/customers/\(customer.id)")
        }
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        func parameter(_ name: String) -> String? { parameters.get(name) }
        let page = try await mediator.send(
            ListCustomersQuery(
                status: parameter("status"), q: parameter("q"), email: parameter("email"),
                document: parameter("document"), limit: parameter("limit"), cursor: parameter("cursor")
            )
        )
        return JSONResponses.make(.ok, body: CustomerJSONWriter.encode(page))
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let customer = try await mediator.send(GetCustomerQuery(id: id))
        if EntityTags.noneMatchHits(request.headers, version: customer.version) {
            return Response(status: .notModified, headers: [.eTag: EntityTags.make(version: customer.version)])
        }
        return try Self.customerResponse(customer, status: .ok)
    }

    @Sendable func updateProfile(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let body = try await RequestBodies.json(request, context: context, accepting: RequestBodies.mergePatch)
        var reader = JSONFieldReader.body(body.value)
        let command = UpdateCustomerProfileCommand(
            id: id, name: reader.update("name"), phone: reader.update("phone"), birthDate: reader.update("birthDate"),
            expectedVersion: expected
        )
        reader.rejectMembers(otherThan: ["name", "phone", "birthDate"])
        let customer = try await mediator.send(command, context: Self.context(failures: reader.failures, caller: context))
        return try Self.customerResponse(customer, status: .ok)
    }

    @Sendable func changeEmail(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let body = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(body.value)
        let command = ChangeCustomerEmailCommand(id: id, email: reader.string("email"), expectedVersion: expected)
        let customer = try await mediator.send(command, context: Self.context(failures: reader.failures, caller: context))
        return try Self.customerResponse(customer, status: .ok)
    }

    @Sendable func addAddress(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let body = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(body.value)
        let command = AddCustomerAddressCommand(id: id, address: CustomerRequestReaders.address(&reader), expectedVersion: expected)
        let scope = "POST /v1/customers/\(id)/addresses"
        return try await idempotent(request, context: context, scope: scope, body: body.value, failures: reader.failures) { mediatorContext in
            let changed = try await mediator.send(command, context: mediatorContext)
            return try Self.addressResponse(changed, status: .created, location: "/v1/customers/\(id)/addresses/\(changed.address.id)")
        }
    }

    @Sendable func updateAddress(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let addressID = try CustomerRequestReaders.addressID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let body = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(body.value)
        let command = UpdateCustomerAddressCommand(
            id: id, addressID: addressID, address: CustomerRequestReaders.address(&reader), expectedVersion: expected)
        let changed = try await mediator.send(command, context: Self.context(failures: reader.failures, caller: context))
        return try Self.addressResponse(changed, status: .ok)
    }

    @Sendable func removeAddress(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let addressID = try CustomerRequestReaders.addressID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let customer = try await mediator.send(RemoveCustomerAddressCommand(id: id, addressID: addressID, expectedVersion: expected), context: Self.context(caller: context))
        return Response(status: .noContent, headers: [.eTag: EntityTags.make(version: customer.version)])
    }

    @Sendable func deactivate(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let body = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(body.value)
        let command = DeactivateCustomerCommand(id: id, reason: reader.string("reason"), expectedVersion: expected)
        let customer = try await mediator.send(command, context: Self.context(failures: reader.failures, caller: context))
        return try Self.customerResponse(customer, status: .ok)
    }

    @Sendable func reactivate(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let customer = try await mediator.send(ReactivateCustomerCommand(id: id, expectedVersion: expected), context: Self.context(caller: context))
        return try Self.customerResponse(customer, status: .ok)
    }

    @Sendable func erase(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let expected = try EntityTags.expectedVersion(request.headers)
        let customer = try await mediator.send(EraseCustomerCommand(id: id, expectedVersion: expected), context: Self.context(caller: context))
        return Response(status: .noContent, headers: [.eTag: EntityTags.make(version: customer.version)])
    }

    @Sendable func history(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let items = try await mediator.send(GetCustomerHistoryQuery(id: id), context: Self.context(caller: context))
        return JSONResponses.make(.ok, body: HistoryBody.encode(items))
    }

    /// The right of access: everything held about the customer, as one JSON document.
    @Sendable func export(_ request: Request, context: Context) async throws -> Response {
        let id = try CustomerRequestReaders.customerID(context)
        let export = try await mediator.send(ExportCustomerDataQuery(id: id), context: Self.context(caller: context))
        var response = try JSONResponses.make(.ok, CustomerExportBody(export))
        response.headers[.contentDisposition] = "attachment; filename=\"customer-\(id).json\""
        return response
    }

    // MARK: - Responses

    static func customerResponse(_ customer: CustomerDetails, status: HTTPResponse.Status, location: String? = nil) throws -> Response {
        var headers: HTTPFields = [.eTag: EntityTags.make(version: customer.version)]
        if let location { headers[.location] = location }
        return try JSONResponses.make(status, customer, headers: headers)
    }

    static func addressResponse(_ changed: AddressChanged, status: HTTPResponse.Status, location: String? = nil) throws -> Response {
        var headers: HTTPFields = [.eTag: EntityTags.make(version: changed.customer.version)]
        if let location { headers[.location] = location }
        return try JSONResponses.make(status, changed.address, headers: headers)
    }

    /// The mediator context of a request: decoding failures found before validation, and the
    /// caller (the actor of a change, the user feature flags are evaluated for).
    static func context(failures: [ValidationFailure] = [], caller: Context) -> MediatorContext {
        var mediatorContext = MediatorContext()
        if !failures.isEmpty { mediatorContext[DecodingFailuresContextKey.self] = failures }
        mediatorContext.actor = caller.identity?.subject
        return mediatorContext
    }

    // MARK: - Idempotency

    /// Runs a create with `Idempotency-Key` semantics: the same key with the same body replays the
    /// first response; with another body it is refused; a new key stores the response in the
    /// command's own transaction. Without the header the create simply runs.
    func idempotent(
        _ request: Request,
        context: Context,
        scope: String,
        body: JSONValue,
        failures: [ValidationFailure],
        run: @Sendable (MediatorContext) async throws -> Response
    ) async throws -> Response {
        var mediatorContext = Self.context(failures: failures, caller: context)
        guard let key = request.headers[.idempotencyKey] else {
            return try await run(mediatorContext)
        }
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E }) else {
            throw HTTPProblem(.malformedRequest, "Idempotency-Key must be 1 to 255 visible ASCII characters.")
        }
        let fingerprint = SHA256.hash(data: Data(body.canonical.utf8)).map { String(format: "%02x", $0) }.joined()
        if let stored = try await idempotency.find(scope: scope, key: key, now: clock.now()) {
            return try Self.replay(stored, fingerprint: fingerprint)
        }
        let lifetime = Duration.seconds(24 * 3600)
        mediatorContext[IdempotencyClaimContextKey.self] = IdempotencyClaim(
            scope: scope, key: key, fingerprint: fingerprint, lifetime: lifetime
        ) { response, now in
            let (status, headers, bodyData) = try Self.storedResponse(for: response, scope: scope)
            return IdempotencyRecord(
                scope: scope, key: key, fingerprint: fingerprint, status: status, headers: headers, body: bodyData,
                createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
            )
        }
        do {
            return try await run(mediatorContext)
        } catch is IdempotencyKeyInUse {
            // A concurrent request with the same key committed first: answer as it did.
            guard let stored = try await idempotency.find(scope: scope, key: key, now: clock.now()) else {
                throw ApplicationError(.concurrentModification, "A request with this Idempotency-Key is in progress; try again.")
            }
            return try Self.replay(stored, fingerprint: fingerprint)
        }
    }

    /// The exact response a create answers, for storage under its idempotency key.
    static func storedResponse(for response: any Sendable, scope: String) throws -> (Int, [IdempotencyRecord.Header], Data) {
        if let customer = response as? CustomerDetails {
            return (
                201,
                [
                    .init(name: "Location", value: "/v1/customers/\(customer.id)"),
                    .init(name: "ETag", value: EntityTags.make(version: customer.version)),
                ],
                try JSONResponses.encode(customer)
            )
        }
        if let changed = response as? AddressChanged {
            return (
                201,
                [
                    .init(name: "Location", value: "/v1/customers/\(changed.customer.id)/addresses/\(changed.address.id)"),
                    .init(name: "ETag", value: EntityTags.make(version: changed.customer.version)),
                ],
                try JSONResponses.encode(changed.address)
            )
        }
        throw HTTPProblem(.internal, "No stored form for a response to \(scope).")
    }

    static func replay(_ stored: IdempotencyRecord, fingerprint: String) throws -> Response {
        guard stored.fingerprint == fingerprint || stored.fingerprint == IdempotencyRecord.erasedFingerprint else {
            throw ApplicationError(.idempotencyKeyReused, "This Idempotency-Key was used with a different request body.")
        }
        var headers: HTTPFields = [.idempotentReplayed: "true"]
        for header in stored.headers {
            if let name = HTTPField.Name(header.name) { headers[name] = header.value }
        }
        return JSONResponses.make(HTTPResponse.Status(code: stored.status), body: stored.body, headers: headers)
    }
}

/// `{"items": [{"type", "version", "occurredAt", "actor"?, "data"}]}`, with each `data` embedded verbatim.
enum HistoryBody {
    static func encode(_ items: [CustomerHistoryItem]) -> Data {
        var out = Data("{\"items\":[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let actor = item.actor.map { ",\"actor\":" + CloudEvent.quoted($0) } ?? ""
            let head = "{\"type\":\"\(item.type)\",\"version\":\(item.version),\"occurredAt\":\"\(Timestamp.rfc3339(item.occurredAt))\"\(actor),\"data\":"
            out.append(contentsOf: Array(head.utf8))
            out.append(item.data)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: Array("]}".utf8))
        return out
    }
}
