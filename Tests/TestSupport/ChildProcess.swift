import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process.waitUntilExit` was seen to hang forever on Linux when many processes
/// come and go in one test run; this is the plain POSIX way, and `wait()` never blocks a thread of
/// the cooperative pool.
public final class ChildProcess: Sendable {
    public let pid: pid_t

    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments`; its output goes to /dev/null (or `output`).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, output: String = "/dev/null") throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        return ChildProcess(pid: pid)
    }

    /// Runs a command to its end and returns its exit status.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Int32 {
        switch try await spawn(executable, arguments, environment: environment).wait() {
        case .exited(let status): return status
        case .signalled(let signal): return 128 + signal
        }
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// The process's end, once it comes (polled, without blocking a thread).
    public func wait() async -> Termination {
        while true {
            if let termination = poll() { return termination }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The end of the process if it has ended; `nil` while it runs.
    public func poll() -> Termination? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return result < 0 ? .exited(-1) : nil }
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }
}
