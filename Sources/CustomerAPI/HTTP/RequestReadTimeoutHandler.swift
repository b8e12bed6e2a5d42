import NIOCore
import NIOHTTPTypes

/// Cuts off clients that send a request too slowly (slowloris): whenever the server is waiting
/// for a client — for a request to begin, or for the rest of one — the whole request, head and
/// body, must arrive within ``timeout``; otherwise the connection is closed.
///
/// The timer runs while the connection is idle (no request received and unanswered) or while a
/// request is being read, and stops while the server is working on a request it has received
/// whole. It counts requests and responses rather than reacting to single events, so that an
/// early answer (a 401 or 413 sent before the body arrived) or pipelined requests leave it in the
/// right state.
///
/// An idle timeout alone does not do this: it restarts with every byte, so one byte every few
/// seconds holds a connection forever. The timer also closes keep-alive connections left unused
/// for that long.
public final class RequestReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    /// Requests whose end has arrived, and responses whose end has been written.
    private var received = 0
    private var answered = 0
    /// A request's head has arrived and its end has not.
    private var reading = false

    public init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Whether the server waits on the client now.
    private var waitingForClient: Bool { reading || answered >= received }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { update(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        update(context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: reading = true
        case .body: break
        case .end:
            // The request is in: the wait for it is over. If it was answered early, the wait for
            // the next one starts now.
            reading = false
            received += 1
            stop()
        }
        update(context)
        context.fireChannelRead(data)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            answered += 1
            update(context)
        }
        context.write(data, promise: promise)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    /// Runs the timer while the server waits on the client, from the moment it began waiting;
    /// stops it while the server works.
    private func update(_ context: ChannelHandlerContext) {
        guard waitingForClient else {
            stop()
            return
        }
        guard deadline == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }

    private func stop() {
        deadline?.cancel()
        deadline = nil
    }
}
