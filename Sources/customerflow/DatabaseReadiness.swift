import CustomerAPI
import Persistence

/// Readiness from the database: it answers and every migration is applied.
struct DatabaseReadiness: ReadinessCheck {
    let health: DatabaseHealth

    func unreadyReason() async -> String? {
        switch await health.check() {
        case .ready: nil
        case .unreachable: "the database does not answer"
        case .replicaUnreachable: "the read replica does not answer"
        case .migrationsPending: "database migrations are pending"
        }
    }
}
