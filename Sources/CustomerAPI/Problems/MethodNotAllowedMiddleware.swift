import HTTPTypes
import Hummingbird

/// Answers a request for a path the router serves, with a method it does not serve there, with a
/// 405 problem listing the served methods in `Allow` (RFC 9110 §15.5.6), instead of the router's 404.
///
/// - Important: Add it to the router after every route: a middleware added last wraps only the
///   router's not-found responder, so it sees exactly the requests no route took. `routes` is the
///   router's own list (`router.routes`) at that moment.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One route path as segment patterns, with the methods served there.
    struct Route: Sendable {
        var segments: [String]
        var methods: Set<HTTPRequest.Method>
    }

    let routes: [Route]

    public init(routes: [(path: RouterPath, method: HTTPRequest.Method)]) {
        var byPath: [String: Route] = [:]
        for route in routes {
            let segments = route.path.map(\.description)
            byPath[segments.joined(separator: "/"), default: Route(segments: segments, methods: [])].methods.insert(route.method)
        }
        // The router answers HEAD wherever it answers GET (`autoGenerateHeadEndpoints`).
        self.routes = byPath.values.map { route in
            var route = route
            if route.methods.contains(.get) { route.methods.insert(.head) }
            return route
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let allowed = allowedMethods(path: request.uri.path), !allowed.contains(request.method) else {
            return try await next(request, context)
        }
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        throw HTTPProblem(.methodNotAllowed, "\(request.method.rawValue) is not served here; this path serves \(list).", headers: ["Allow": list])
    }

    /// The methods of the route the router would pick for `path`, or nil when no route matches.
    /// Like the router's trie, a literal segment wins over a pattern, segment by segment.
    func allowedMethods(path: String) -> Set<HTTPRequest.Method>? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (rank: [Int], methods: Set<HTTPRequest.Method>)?
        for route in routes {
            guard let rank = Self.rank(route.segments, matching: segments) else { continue }
            if let current = best, !rank.lexicographicallyPrecedes(current.rank, by: >) {
                if rank == current.rank { best?.methods.formUnion(route.methods) }
                continue
            }
            best = (rank, route.methods)
        }
        return best?.methods
    }

    /// How specifically each segment pattern matches (3 literal, 2 partial pattern, 1 any segment,
    /// 0 the rest of the path), or nil when the path does not match.
    static func rank(_ patterns: [String], matching segments: [Substring]) -> [Int]? {
        var rank: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            if pattern == "**" {
                rank.append(0)
                return rank
            }
            guard index < segments.count else { return nil }
            let segment = segments[index]
            if pattern == "*" || (pattern.hasPrefix("{") && pattern.hasSuffix("}") && pattern.firstIndex(of: "}") == pattern.index(before: pattern.endIndex)) {
                guard !segment.isEmpty else { return nil }
                rank.append(1)
            } else if let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}"), open < close {
                let prefix = pattern[..<open]
                let suffix = pattern[pattern.index(after: close)...]
                guard segment.hasPrefix(prefix), segment.hasSuffix(suffix) else { return nil }
                rank.append(2)
            } else if pattern.hasPrefix("*") {
                guard segment.hasSuffix(pattern.dropFirst()) else { return nil }
                rank.append(2)
            } else if pattern.hasSuffix("*") {
                guard segment.hasPrefix(pattern.dropLast()) else { return nil }
                rank.append(2)
            } else {
                guard segment == pattern else { return nil }
                rank.append(3)
            }
        }
        return segments.count == patterns.count ? rank : nil
    }
}
