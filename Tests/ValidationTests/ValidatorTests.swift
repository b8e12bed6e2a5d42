import Testing
import Validation

struct Person {
    var name: String?
    var age: Int?
    var email: String?
    var kind: String?
    var nickname: String?
    var pets: [Pet]?
    var address: Address?
}

struct Pet {
    var name: String?
    var species: String?
}

struct Address {
    var city: String?
    var zip: String?
}

@Suite("Validator")
struct ValidatorTests {
    static let petValidator = Validator<Pet> { rules in
        rules.field("name", \.name).required().length(1...20)
        rules.field("species", \.species).required().oneOf(["cat", "dog"])
    }

    static let addressValidator = Validator<Address> { rules in
        rules.field("city", \.city).required()
        rules.field("zip", \.zip).pattern("[0-9]{5}(-[0-9]{3})?", message: "must look like 01310-100.")
    }

    static let validator = Validator<Person> { rules in
        rules.field("name", \.name).required().notBlank().length(2...10)
        rules.field("age", \.age).range(0...150)
        rules.field("email", \.email).email()
        rules.field("nickname", \.nickname).required().when { $0.kind == "friend" }
        rules.field("pets", \.pets).count(0...2).each(using: petValidator)
        rules.nested("address", \.address, using: addressValidator)
        rules.rule(field: "age", code: "too_young_for_pets", message: "children have no pets here.") {
            ($0.age ?? 100) >= 12 || ($0.pets ?? []).isEmpty
        }
    }

    @Test("a valid subject has no failures")
    func validSubject() async {
        let person = Person(name: "Ana", age: 30, email: "ana@example.com", pets: [Pet(name: "Rex", species: "dog")], address: Address(city: "SP", zip: "01310-100"))
        #expect(await Self.validator.validate(person).isEmpty)
    }

    @Test("every failure is returned, with field paths into nested objects and collections")
    func reportsEveryFailure() async {
        let person = Person(
            name: nil, age: 200, email: "nope", kind: "friend",
            pets: [Pet(name: "Rex", species: "dog"), Pet(name: "", species: "fish")],
            address: Address(city: nil, zip: "123")
        )
        let failures = await Self.validator.validate(person)
        #expect(failures.map(\.field) == [
            "name", "age", "email", "nickname", "pets[1].name", "pets[1].species", "address.city", "address.zip",
        ])
        #expect(failures.first { $0.field == "age" }?.code == "out_of_range")
        #expect(failures.first { $0.field == "pets[1].species" }?.code == "not_allowed")
        #expect(failures.first { $0.field == "address.zip" }?.message == "must look like 01310-100.")
    }

    @Test("conditional rules apply only when their condition holds")
    func conditionalRules() async {
        let stranger = Person(name: "Ana", kind: "stranger")
        #expect(await Self.validator.validate(stranger).isEmpty)
        let friend = Person(name: "Ana", kind: "friend")
        #expect(await Self.validator.validate(friend).map(\.field) == ["nickname"])
    }

    @Test("a rule over several fields reports on the named field")
    func crossFieldRule() async {
        let child = Person(name: "Bia", age: 8, pets: [Pet(name: "Rex", species: "dog")])
        let failures = await Self.validator.validate(child)
        #expect(failures.map(\.code) == ["too_young_for_pets"])
    }

    @Test("stopOnFirstFailure reports only the first failing check of a rule")
    func stopOnFirstFailure() async {
        let strict = Validator<Person> { rules in
            rules.field("name", \.name).stopOnFirstFailure().length(5...10).pattern("[a-z]+")
        }
        let lenient = Validator<Person> { rules in
            rules.field("name", \.name).length(5...10).pattern("[a-z]+")
        }
        let person = Person(name: "AB")
        #expect(await strict.validate(person).map(\.code) == ["too_short"])
        #expect(await lenient.validate(person).map(\.code) == ["too_short", "invalid_format"])
    }

    @Test("async rules are awaited")
    func asyncRule() async {
        let taken: Set<String> = ["ana@example.com"]
        let validator = Validator<Person> { rules in
            rules.field("email", \.email).mustAsync(code: "taken", message: "is taken.") { email in
                await Task.yield()
                return !taken.contains(email)
            }
        }
        #expect(await validator.validate(Person(email: "ana@example.com")).map(\.code) == ["taken"])
        #expect(await validator.validate(Person(email: "bia@example.com")).isEmpty)
    }

    @Test("satisfies keeps the code and message of errors that describe themselves")
    func satisfiesUsesErrorCode() async {
        struct TooShort: ValidationFailureDescribing {
            var validationCode: String { "name_too_short" }
            var validationMessage: String { "Name is too short." }
        }
        struct Opaque: Error {}
        let validator = Validator<Person> { rules in
            rules.field("name", \.name).satisfies { if $0.count < 3 { throw TooShort() } }
            rules.field("email", \.email).satisfies(code: "bad_email") { _ in throw Opaque() }
        }
        let failures = await validator.validate(Person(name: "Al", email: "x"))
        #expect(failures.map(\.code) == ["name_too_short", "bad_email"])
        #expect(failures.first?.message == "Name is too short.")
    }

    @Test("check throws a ValidationError with every failure")
    func checkThrows() async {
        await #expect(throws: ValidationError.self) { try await Self.validator.check(Person()) }
    }
}
