/// One way of surviving a failing dependency: retrying, breaking the circuit, bounding the time.
///
/// - Important: A strategy runs `operation` zero or more times, never concurrently with itself,
///   and passes cancellation through: a cancelled caller is never retried or delayed.
public protocol ResilienceStrategy: Sendable {
    func execute<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T
}
