/// Who sent a request, as the access token says: its subject and the scopes it grants.
public struct Caller: Hashable, Sendable {
    /// The token's `sub`: recorded as the actor of every change the caller makes.
    public let subject: String
    public let scopes: Set<AccessScope>

    public init(subject: String, scopes: Set<AccessScope>) {
        self.subject = subject
        self.scopes = scopes
    }
}
