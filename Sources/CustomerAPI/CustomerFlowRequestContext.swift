import Hummingbird

/// The per-request context of CustomerFlow's router.
///
/// A struct of its own, rather than `BasicRequestContext`, so that later concerns (the
/// authenticated caller, feature flag evaluation) have a home without changing every handler.
public struct CustomerFlowRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Request bodies larger than this are refused with 413 before they are parsed.
    public static let maxBodySize = 64 * 1024

    public var maxUploadSize: Int { Self.maxBodySize }
}
