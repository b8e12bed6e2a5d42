import HTTPTypes
import Hummingbird

/// Answers a request for a path the router serves, with a method it does not serve there, with a
/// 405 problem listing the served methods in `Allow` (RFC 9110 §15.5.6), instead of the router's 404.
///
/// - Important: Add it to the router after every route: a middleware added last wraps only the
///   router's not-found responder, so it sees exactly the requests no route took. `routes` is the
///   router's own list (`router.routes`) at that moment.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One path segment pattern of the routes, with what lies below it: Hummingbird's trie, rebuilt
    /// from the route list (its own is not public).
    struct Node: Sendable {
        var pattern: String
        var children: [Node] = []
        /// The methods served when the path ends here; nil when no route ends here.
        var methods: Set<HTTPRequest.Method>?

        /// The trie's order among siblings: literal, `{x}` with a prefix or suffix, `*` with one,
        /// `{x}`, `*`, `**`.
        var priority: Int {
            if pattern == "**" { return -5 }
            if pattern == "*" { return -4 }
            if let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}"), open < close {
                return pattern.first == "{" && pattern.last == "}" ? -3 : -1
            }
            if pattern.hasPrefix("*") || pattern.hasSuffix("*") { return -2 }
            return 0
        }

        func matches(_ segment: Substring) -> Bool {
            switch priority {
            case -5, -4, -3: return !segment.isEmpty
            case -1:
                guard let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}") else { return false }
                return segment.hasPrefix(pattern[..<open]) && segment.hasSuffix(pattern[pattern.index(after: close)...])
            case -2:
                return pattern.hasPrefix("*") ? segment.hasSuffix(pattern.dropFirst()) : segment.hasPrefix(pattern.dropLast())
            default:
                return segment == pattern
            }
        }

        mutating func insert(_ segments: ArraySlice<String>, method: HTTPRequest.Method) {
            guard let first = segments.first else {
                methods = (methods ?? []).union([method])
                return
            }
            if let index = children.firstIndex(where: { $0.pattern == first }) {
                children[index].insert(segments.dropFirst(), method: method)
            } else {
                var child = Node(pattern: first)
                child.insert(segments.dropFirst(), method: method)
                children.append(child)
            }
        }

        /// Siblings by priority, ties in the order routes were added, all the way down.
        mutating func order() {
            children = children.enumerated().sorted { ($0.element.priority, -$0.offset) > ($1.element.priority, -$1.offset) }.map(\.element)
            for index in children.indices { children[index].order() }
        }
    }

    let root: Node

    public init(routes: [(path: RouterPath, method: HTTPRequest.Method)]) {
        var root = Node(pattern: "")
        for route in routes {
            root.insert(ArraySlice(route.path.map(\.description)), method: route.method)
            // The router answers HEAD wherever it answers GET (`autoGenerateHeadEndpoints`).
            if route.method == .get { root.insert(ArraySlice(route.path.map(\.description)), method: .head) }
        }
        root.order()
        self.root = root
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let allowed = allowedMethods(path: request.uri.path), !allowed.contains(request.method) else {
            return try await next(request, context)
        }
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        throw HTTPProblem(.methodNotAllowed, "\(request.method.rawValue) is not served here; this path serves \(list).", headers: ["Allow": list])
    }

    /// The methods the router serves at `path`, or nil when it serves none there. Resolved as the
    /// trie resolves: the first sibling that matches a segment, trying the next one only when
    /// nothing below it matches the rest of the path; at the last segment the first match is the
    /// answer, whether or not a route ends there.
    func allowedMethods(path: String) -> Set<HTTPRequest.Method>? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.isEmpty else { return root.methods }
        return Self.descend(root.children, segments[...])?.methods
    }

    static func descend(_ nodes: [Node], _ segments: ArraySlice<Substring>) -> Node? {
        guard let segment = segments.first else { return nil }
        for node in nodes where node.matches(segment) {
            // `**` takes the rest of the path (no route here continues after one).
            if segments.count == 1 || node.pattern == "**" { return node }
            if let found = descend(node.children, segments.dropFirst()) { return found }
        }
        return nil
    }
}
