/// Whether the trace the running task belongs to is recorded.
///
/// With the usual parent-based sampling, a span under an unrecorded (unsampled) parent is not
/// recorded either; creating it still costs ids, a sampling decision and a task-local context.
/// So the layers that start a trace (the HTTP middleware, the consumer) say here when it is not
/// recorded, and the layers under them (mediator, SQL) skip their spans altogether. The trace
/// context itself still flows: log lines and outbox rows carry it.
///
/// - Important: Under a sampler that is not parent-based (`traceidratio`), children of an
///   unsampled request are then never recorded on their own; they would be orphans in any case.
public enum TraceRecording {
    @TaskLocal public static var isOff = false
}
