/// One row read from a legacy source: its columns, in the source's order, as text (`nil` for
/// SQL NULL). Column names are the aliases of the import query.
public struct ImportRow: Hashable, Sendable {
    public let number: Int
    public let columns: [(name: String, value: String?)]

    public init(number: Int, columns: [(name: String, value: String?)]) {
        self.number = number
        self.columns = columns
    }

    /// The value of the column named `name`; `nil` when the column is absent or NULL.
    public subscript(name: String) -> String? {
        columns.first { $0.name == name }?.value ?? nil
    }

    public static func == (lhs: ImportRow, rhs: ImportRow) -> Bool {
        lhs.number == rhs.number && lhs.columns.map(\.name) == rhs.columns.map(\.name) && lhs.columns.map(\.value) == rhs.columns.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        for column in columns {
            hasher.combine(column.name)
            hasher.combine(column.value)
        }
    }
}
