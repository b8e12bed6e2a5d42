/// The service did not answer its health route with 2xx (`customerflow health`); printed as one
/// line, exit code 1.
struct HealthCheckFailed: Error, CustomStringConvertible {
    let description: String
}
