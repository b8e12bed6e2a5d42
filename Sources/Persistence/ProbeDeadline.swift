import Synchronization

/// Bounds how long a health probe waits, even for work that cannot be cancelled (a blocking
/// connect on a driver thread): past the deadline the probe answers, and the work finishes on its
/// own in the background.
public enum ProbeDeadline {
    public struct Exceeded: Error, CustomStringConvertible {
        public let timeout: Duration
        public var description: String { "no answer within \(timeout)" }
    }

    /// `body`'s result, or ``Exceeded`` once `timeout` has passed, whichever comes first.
    public static func run<T: Sendable>(within timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = Once()
        let work = Task { try await body() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if answer.claim() {
                        work.cancel()
                        continuation.resume(throwing: Exceeded(timeout: timeout))
                    }
                }
                Task {
                    let result = await work.result
                    timer.cancel()
                    if answer.claim() { continuation.resume(with: result) }
                }
            }
        } onCancel: {
            work.cancel()
        }
    }
}

/// The first caller of ``claim()`` gets `true`, every later one `false`.
private final class Once: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
