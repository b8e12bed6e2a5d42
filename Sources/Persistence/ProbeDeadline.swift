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
        return try await withCheckedThrowingContinuation { continuation in
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                if answer.claim() { continuation.resume(with: result) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if answer.claim() {
                    work.cancel()
                    continuation.resume(throwing: Exceeded(timeout: timeout))
                }
            }
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
