import Hummingbird
import HummingbirdAuth
import NIOCore

/// The per-request context of CustomerFlow's router: the authenticated caller, the client's
/// address (the rate limit's key without a token) and the request body limit.
public struct CustomerFlowRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller an access token proved; `nil` for anonymous requests.
    public var identity: Caller?
    public let remoteAddress: SocketAddress?
    /// Request bodies larger than this are refused with 413 before they are parsed; the
    /// ``RequestLimitsMiddleware`` sets the configured value.
    public var maxBodySize: Int = Self.defaultMaxBodySize

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// `limits.maxBodyBytes` by default: 64 KiB.
    public static let defaultMaxBodySize = 64 * 1024

    public var maxUploadSize: Int { maxBodySize }
}
