import CustomerApplication
import Logging
import Mediator
import Persistence

/// The application's real mediator over a real database, as `buildApplication` wires it.
public func makeTestMediator(
    client: any DatabaseClient,
    names: SchemaNames,
    clock: any WallClock = FixedClock(step: 0.001),
    transactions: SQLTransactionRunner? = nil,
    customize: (inout MediatorBuilder) -> Void = { _ in }
) throws -> Mediator {
    try CustomerUseCases.mediator(
        .init(
            transactions: transactions ?? SQLTransactionRunner(client: client, names: names),
            queries: SQLCustomerQueries(client: client, names: names),
            clock: clock,
            cursors: CustomerListCursorCodec(secret: "test"),
            logger: Logger.quiet
        ),
        customize: customize
    )
}
