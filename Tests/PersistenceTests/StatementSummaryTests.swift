import Testing

@testable import Persistence

/// Span names of SQL statements: operation and main table, from the first words only.
@Suite("Statement summaries")
struct StatementSummaryTests {
    @Test("names the operation and the table of each statement form, quotes stripped, keywords in any case")
    func namesOperationAndTable() {
        #expect(StatementSummary(#"SELECT id, name FROM "t1_customers" WHERE id = $1"#).name == "SELECT t1_customers")
        #expect(StatementSummary("select c.id\nfrom `customers` c join addresses a on a.customer_id = c.id").name == "SELECT customers")
        #expect(StatementSummary(#"INSERT INTO "outbox" (id, subject) VALUES (?1, ?2)"#).name == "INSERT outbox")
        #expect(StatementSummary("UPDATE inbox SET status = 'processed'").name == "UPDATE inbox")
        #expect(StatementSummary("DELETE FROM outbox WHERE seq IN (1, 2)").name == "DELETE outbox")
        #expect(StatementSummary("  \n\tselect(1)").name == "SELECT")
    }

    @Test("statements it does not read are named by their first word, or SQL when empty")
    func otherStatements() {
        let create = StatementSummary("CREATE INDEX customers_email ON customers (email)")
        #expect(create.operation == "CREATE" && create.table == nil)
        #expect(StatementSummary("WITH recent AS (SELECT 1) SELECT * FROM recent").name == "WITH")
        #expect(StatementSummary("").name == "SQL")
        #expect(StatementSummary("SELECT 1").table == nil)
    }
}
