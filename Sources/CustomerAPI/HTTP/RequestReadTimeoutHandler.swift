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
    /// Requests whose end has arrived, and responses whose end has been sent (written to the
    /// socket, not merely queued: a slow reader of a large answer is not a slow sender).
    private var received = 0
    private var answered = 0

    public init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Whether the server waits on the client now: every request received has been answered
    /// (an early answer included). While one is being handled, a pipelined request behind it is
    /// not timed: the server reads it only as fast as it handles requests.
    private var waitingForClient: Bool { answered >= received }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { update(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        update(context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            // The request is in: the wait for it is over. If it was answered early, the wait for
            // the next one starts now.
            received += 1
            stop()
        }
        update(context)
        context.fireChannelRead(data)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let sent = promise ?? context.eventLoop.makePromise(of: Void.self)
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        sent.futureResult.whenComplete { _ in
            bound.value.handler.answered += 1
            bound.value.handler.update(bound.value.context)
        }
        context.write(data, promise: sent)
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
