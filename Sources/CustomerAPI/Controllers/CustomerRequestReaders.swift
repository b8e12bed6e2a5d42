import CustomerApplication
import CustomerDomain
import Foundation
import Hummingbird

/// Reads request bodies and path parameters into the application's commands.
enum CustomerRequestReaders {
    static func customerID(_ context: some RequestContext) throws -> CustomerID {
        guard let text = context.parameters.get("id"), let id = CustomerID(text) else {
            throw HTTPProblem(.malformedRequest, "The customer id in the path is not a UUID.")
        }
        return id
    }

    static func addressID(_ context: some RequestContext) throws -> AddressID {
        guard let text = context.parameters.get("addressId"), let id = AddressID(text) else {
            throw HTTPProblem(.malformedRequest, "The address id in the path is not a UUID.")
        }
        return id
    }

    static func registration(_ reader: inout JSONFieldReader) -> RegisterCustomerCommand {
        RegisterCustomerCommand(
            name: reader.string("name"),
            email: reader.string("email"),
            phone: reader.string("phone"),
            document: reader.object("document") { DocumentInput(type: $0.string("type"), number: $0.string("number")) },
            birthDate: reader.string("birthDate"),
            addresses: reader.objects("addresses", address)
        )
    }

    static func address(_ reader: inout JSONFieldReader) -> AddressInput {
        AddressInput(
            label: reader.string("label"),
            street: reader.string("street"),
            number: reader.string("number"),
            complement: reader.string("complement"),
            district: reader.string("district"),
            city: reader.string("city"),
            state: reader.string("state"),
            postalCode: reader.string("postalCode"),
            country: reader.string("country"),
            primary: reader.bool("primary")
        )
    }
}
