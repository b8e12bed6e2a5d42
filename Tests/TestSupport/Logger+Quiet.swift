import Logging

extension Logger {
    /// A logger for tests: only errors reach the output, so failures stand out.
    public static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }
}
