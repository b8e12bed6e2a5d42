/// A misuse of the mediator: something was sent or built that the registrations do not cover.
///
/// These are programming errors surfaced as errors rather than crashes, so that a wrong wiring
/// answers 500 instead of taking the process down.
public struct MediatorError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        fileprivate enum Base: Hashable, Sendable {
            case noHandler, duplicateHandler
        }
        fileprivate let base: Base
        public static let noHandler = Code(base: .noHandler)
        public static let duplicateHandler = Code(base: .duplicateHandler)
    }

    public let code: Code
    public let requestType: String

    public var description: String {
        switch code.base {
        case .noHandler: "No handler is registered for \(requestType)."
        case .duplicateHandler: "More than one handler is registered for \(requestType)."
        }
    }
}
