import Logging

/// A log handler for loggers made before logging is set up (the configuration file's provider is
/// created before the configuration says how to log): each record is handed, when written, to a
/// logger of the process's logging system as it is then, so it comes out as every other line.
struct DeferredLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    /// The real handler filters; this one lets everything through.
    var logLevel: Logger.Level = .trace

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var logger = Logger(label: label)
        for (key, value) in metadata { logger[metadataKey: key] = value }
        logger.log(level: event.level, event.message, metadata: event.metadata, source: event.source, file: event.file, function: event.function, line: event.line)
    }
}
