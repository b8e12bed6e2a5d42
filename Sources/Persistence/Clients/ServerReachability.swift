import NIOCore
import NIOPosix
import Synchronization

/// Whether a database server accepts TCP connections: the question a caller waiting for a pooled
/// connection asks to tell "every connection is busy" (keep waiting) from "the server is down"
/// (answer 503 now). One probe at a time, its answer shared by every caller that asks within
/// `interval`, so that a thousand waiting requests cost one connection attempt.
///
/// - Important: only a refused or timed-out TCP connection counts as unreachable. A server that
///   accepts connections but fails them later (too many clients, shutting down) is left to the
///   pool and to the lease deadline.
final class ServerReachability: Sendable {
    private struct State {
        var checkedAt: ContinuousClock.Instant?
        var reachable = true
        /// Callers waiting for the probe in flight; nil when none is.
        var waiters: [UInt64: CheckedContinuation<Bool, Never>]?
        var nextID: UInt64 = 0
    }

    private let host: String
    private let port: Int
    private let group: any EventLoopGroup
    private let interval: Duration
    private let connectTimeout: TimeAmount
    private let state = Mutex(State())

    init(host: String, port: Int, group: any EventLoopGroup, interval: Duration = .milliseconds(500), connectTimeout: TimeAmount = .seconds(1)) {
        self.host = host
        self.port = port
        self.group = group
        self.interval = interval
        self.connectTimeout = connectTimeout
    }

    /// - Important: a caller cancelled while it waits is answered "reachable" at once (it no
    ///   longer needs the answer, and must not be held by a connection attempt).
    func isReachable() async -> Bool {
        enum Step { case answer(Bool), wait, probe }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let step: Step = state.withLock { state in
                    if Task.isCancelled { return .answer(true) }
                    if let checkedAt = state.checkedAt, ContinuousClock.now - checkedAt < interval { return .answer(state.reachable) }
                    if state.waiters != nil {
                        state.waiters?[id] = continuation
                        return .wait
                    }
                    state.waiters = [id: continuation]
                    return .probe
                }
                switch step {
                case .answer(let reachable): continuation.resume(returning: reachable)
                case .wait: break
                case .probe: probe()
                }
            }
        } onCancel: {
            state.withLock { $0.waiters?.removeValue(forKey: id) }?.resume(returning: true)
        }
    }

    private func probe() {
        ClientBootstrap(group: group).connectTimeout(connectTimeout).connect(host: host, port: port).whenComplete { result in
            let reachable: Bool
            switch result {
            case .success(let channel):
                channel.close(promise: nil)
                reachable = true
            case .failure:
                reachable = false
            }
            let waiters = self.state.withLock { state -> [CheckedContinuation<Bool, Never>] in
                state.checkedAt = .now
                state.reachable = reachable
                defer { state.waiters = nil }
                return Array((state.waiters ?? [:]).values)
            }
            for waiter in waiters { waiter.resume(returning: reachable) }
        }
    }
}
