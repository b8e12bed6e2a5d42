import Crypto
import Foundation

/// One step of the schema, applied once and recorded in the schema-history table with the
/// checksum of its SQL.
///
/// - Important: Migrations are additive and never edited after release: a released migration's
///   statements are what existing databases ran, and the runner refuses to go on when an applied
///   migration's checksum no longer matches. Change the schema with a new migration. A migration
///   that drops, renames or rewrites anything must say so (`destructive: true`), and then runs only
///   when the operator asks for it (`migrate --allow-destructive`).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// Whether the migration removes or rewrites something (drop, rename, type change).
    public let destructive: Bool
    let statements: @Sendable (SchemaDialect, SchemaNames) -> [String]

    init(version: Int, name: String, destructive: Bool = false, statements: @escaping @Sendable (SchemaDialect, SchemaNames) -> [String]) {
        self.version = version
        self.name = name
        self.destructive = destructive
        self.statements = statements
    }

    /// The SQL this migration runs on a database of `kind`.
    public func sql(for kind: DatabaseKind, names: SchemaNames) -> [String] {
        statements(SchemaDialect(kind: kind), names)
    }

    /// SHA-256 (hex) of the migration's SQL for `kind`, written without a table prefix, so that a
    /// database's recorded checksums do not depend on the prefix it uses.
    public func checksum(for kind: DatabaseKind) -> String {
        let text = sql(for: kind, names: .unprefixed).joined(separator: "\n;\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Statements that would remove or rewrite data or schema: refused in a migration not
    /// marked destructive.
    public func destructiveStatements(for kind: DatabaseKind) -> [String] {
        sql(for: kind, names: .unprefixed).filter(Self.isDestructive)
    }

    static func isDestructive(_ statement: String) -> Bool {
        // Words only, outside comments and string literals; digits belong to words (`x2drop`).
        let words = withoutCommentsAndLiterals(statement).uppercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init)
        let text = " " + words.joined(separator: " ") + " "
        let always = [" DROP ", " RENAME ", " TRUNCATE ", " DELETE FROM ", " MODIFY ", " CHANGE ", " ALTER COLUMN "]
        if always.contains(where: text.contains) { return true }
        // `ALTER TABLE t ALTER c TYPE …` (PostgreSQL allows leaving out COLUMN).
        if text.hasPrefix(" ALTER TABLE "), text.contains(" TYPE ") { return true }
        return false
    }

    /// `statement` with `--` and `/* */` comments and quoted literals blanked out.
    static func withoutCommentsAndLiterals(_ statement: String) -> String {
        var result = ""
        var characters = Array(statement)[...]
        while let character = characters.first {
            if character == "-", characters.dropFirst().first == "-" {
                characters = characters.drop { $0 != "\n" }
            } else if character == "/", characters.dropFirst().first == "*" {
                characters = characters.dropFirst(2)
                while !characters.isEmpty, !(characters.first == "*" && characters.dropFirst().first == "/") { characters = characters.dropFirst() }
                characters = characters.dropFirst(2)
            } else if character == "'" {
                characters = characters.dropFirst().drop { $0 != "'" }.dropFirst()
            } else {
                result.append(character)
                characters = characters.dropFirst()
                continue
            }
            // What was skipped still separates the words around it.
            result.append(" ")
        }
        return result
    }
}
