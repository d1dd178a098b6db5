import CoSellTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A tiny scripted SMTP server on 127.0.0.1 for cases the sink cannot play: silence, odd greetings, replies that
/// break the protocol. `respond` gets each line the client sends (without CRLF) and returns the raw bytes to send
/// back (CRLFs included), nil to stay silent, or ``close`` to close the connection.
final class ScriptedSMTPServer: Sendable {
    /// The answer that closes the connection.
    static let close = "<close>"

    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(
        greeting: String?, respond: @escaping @Sendable (String) -> String? = { _ in nil },
        onConnect: @escaping @Sendable () -> Void = {}
    ) async throws -> ScriptedSMTPServer {
        let channel = try await ServerBootstrap(group: smtpTestGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHandler(greeting: greeting, onConnect: onConnect, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedSMTPServer(channel: channel)
    }

    func stop() async throws {
        try await channel.close()
    }

    /// A loopback port where nothing listens, reserved for the test process (`RefusingPort`).
    static func closedPort() async throws -> Int { RefusingPort.make() }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let greeting: String?
    let onConnect: @Sendable () -> Void
    let respond: @Sendable (String) -> String?
    var pending: [UInt8] = []

    init(greeting: String?, onConnect: @escaping @Sendable () -> Void, respond: @escaping @Sendable (String) -> String?)
    {
        self.greeting = greeting
        self.onConnect = onConnect
        self.respond = respond
    }

    func channelActive(context: ChannelHandlerContext) {
        onConnect()
        if let greeting { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: greeting)), promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == 0x0D { line.removeLast() }
            let answer = respond(String(decoding: line, as: UTF8.self))
            if answer == ScriptedSMTPServer.close {
                context.close(promise: nil)
                return
            }
            if let answer {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
            }
        }
    }
}

/// The event loops of the SMTP tests: their own, so that a test application blocking the shared
/// loops (SQLite, hashing) cannot stall a conversation past its reply timeout.
let smtpTestGroup = MultiThreadedEventLoopGroup(numberOfThreads: 2)
