import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Sends mail through an SMTP server, one connection per message, with SwiftNIO.
///
/// A delivery goes: connect (TLS first with `smtps://`), read the greeting, EHLO (HELO when EHLO is refused with
/// 5xx), STARTTLS when offered or required (then EHLO again), AUTH PLAIN (AUTH LOGIN when PLAIN is not offered or
/// is refused as unsupported) when the configuration has credentials, `MAIL FROM`, `RCPT TO` for each recipient,
/// `DATA` with the message dot-stuffed, and `QUIT`. Every reply is awaited at most
/// ``SMTPConfiguration/replyTimeout``; connecting at most ``SMTPConfiguration/connectTimeout``.
///
/// Credentials are never sent over an unencrypted connection unless the configuration allows it
/// (``SMTPConfiguration/allowsPlaintextAuthentication``).
///
/// ```swift
/// let client = SMTPClient(eventLoopGroup: app.eventLoopGroup)
/// guard let configuration = try SMTPConfiguration.fromEnvironment() else { return }  // mail not configured
/// let message = MailMessage(from: configuration.sender, to: [try MailAddress(parsing: "Ann <ann@example.com>")],
///                           subject: "Deal registered", textBody: "Hello Ann, ...")
/// do {
///     try await client.send(message, using: configuration)
/// } catch let error where error.isTransient {
///     // keep it in the outbox and retry later
/// } catch {
///     // give up on this message: error.reply?.code tells the server's reason (e.g. 550)
/// }
/// ```
public struct SMTPClient: Sendable {
    /// The event loops the connections run on.
    public let eventLoopGroup: any EventLoopGroup
    /// Where the client logs: each delivery at debug level, the SMTP conversation at trace level (credentials
    /// never logged).
    public var logger: Logger

    /// Makes a client.
    ///
    /// - Parameters:
    ///   - eventLoopGroup: the event loops to run on (in a Vapor app, `app.eventLoopGroup`); by default NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton`.
    ///   - logger: where to log.
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cosell.mail")
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Delivers `message` to all its recipients (To, Cc and Bcc) through the server of `configuration`.
    ///
    /// The envelope sender is `message.from`. When any recipient is refused, nothing is sent (no `DATA`) and the
    /// error names that recipient.
    ///
    /// - Returns: the server's reply accepting the message (often with a queue id, e.g. `250 2.0.0 Ok: queued as
    ///   4F1A2`).
    /// - Throws: ``SMTPError`` only; its ``SMTPError/disposition`` says whether to retry later.
    @discardableResult
    public func send(
        _ message: MailMessage, using configuration: SMTPConfiguration
    ) async throws(SMTPError) -> SMTPReply {
        let data: [UInt8]
        do {
            data = try message.render()
        } catch {
            throw SMTPError(.invalidMessage(error))
        }
        let envelope = Envelope(sender: message.from.address, recipients: message.recipients.map(\.address))
        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(configuration.host):\(configuration.port)"
        logger[metadataKey: "mail.message_id"] = "\(message.messageID)"
        do {
            try Task.checkCancellation()
            let reply = try await deliver(data, envelope: envelope, configuration: configuration, logger: logger)
            logger.debug("mail accepted", metadata: ["smtp.reply": "\(reply)"])
            return reply
        } catch let error as SMTPError {
            logger.debug("mail not sent", metadata: ["smtp.error": "\(error)"])
            throw error
        } catch {
            let mapped = SMTPSession.classify(error, stage: "connect")
            logger.debug("mail not sent", metadata: ["smtp.error": "\(mapped)"])
            throw mapped
        }
    }

    private func deliver(
        _ data: [UInt8], envelope: Envelope, configuration: SMTPConfiguration, logger: Logger
    ) async throws -> SMTPReply {
        let implicitTLS: NIOSSLContext? =
            configuration.security == .implicitTLS ? try TLSSetup.makeContext(configuration) : nil
        let serverHostname = TLSSetup.serverHostname(configuration.host)
        let connection: (channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, handshake: EventLoopFuture<Void>?)
        do {
            connection = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(configuration.connectTimeout.timeAmount)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        var handshake: EventLoopFuture<Void>?
                        if let implicitTLS {
                            handshake = try TLSSetup.addHandlers(
                                to: channel, context: implicitTLS, serverHostname: serverHostname)
                        }
                        let asyncChannel = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel)
                        return (asyncChannel, handshake)
                    }
                }
        } catch {
            throw Self.classifyConnectError(error, configuration: configuration)
        }
        logger.trace("connected")
        return try await connection.channel.executeThenClose { inbound, outbound in
            let session = SMTPSession(
                channel: connection.channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound,
                configuration: configuration, serverHostname: serverHostname, logger: logger)
            do {
                return try await session.converse(handshake: connection.handshake, data: data, envelope: envelope)
            } catch {
                let mapped = SMTPSession.classify(error, stage: session.stage)
                if mapped.leavesConnectionUsable { await session.quit() }
                throw mapped
            }
        }
    }

    private static func classifyConnectError(_ error: any Error, configuration: SMTPConfiguration) -> SMTPError {
        if let error = error as? SMTPError { return error }
        if case ChannelError.connectTimeout = error { return SMTPError(.timedOut(stage: "connect")) }
        if error is CancellationError || Task.isCancelled { return SMTPError(.cancelled) }
        if error is NIOSSLError || error is BoringSSLError { return SMTPError(.tlsFailed(details: "\(error)")) }
        var details = "\(error)"
        if let error = error as? NIOConnectionError {
            if !error.connectionErrors.isEmpty {
                details = error.connectionErrors.map { "\($0.target): \($0.error)" }.joined(separator: "; ")
            } else if let dnsError = error.dnsAError ?? error.dnsAAAAError {
                details = "could not resolve the host name (\(dnsError))"
            } else {
                details = "the host name resolved to no address"
            }
        }
        return SMTPError(.connectionFailed(host: configuration.host, port: configuration.port, details: details))
    }

    /// `message` made transparent for `DATA` (RFC 5321 4.5.2): a `.` doubled at the start of every line, a CRLF
    /// added if the message does not end with one, then the terminating `.` CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == 0x0A
        }
        if !output.isEmpty && !(output.count >= 2 && output[output.count - 2] == 0x0D && output.last == 0x0A) {
            output.append(contentsOf: [0x0D, 0x0A])
        }
        output.append(contentsOf: [UInt8(ascii: "."), 0x0D, 0x0A])
        return output
    }
}

/// The SMTP envelope: who sends, who receives.
struct Envelope: Sendable {
    var sender: String
    var recipients: [String]
}

extension SMTPError {
    /// Whether the failure happened at a command boundary with the connection still up, so a polite QUIT can follow.
    var leavesConnectionUsable: Bool {
        switch reason {
        case .rejected, .recipientRejected, .authenticationFailed, .authenticationUnavailable,
            .plaintextAuthenticationRefused, .startTLSUnavailable:
            return true
        default:
            return false
        }
    }
}

/// One SMTP conversation over a connected channel. Not thread-safe: used by one task, inside `executeThenClose`.
final class SMTPSession {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let configuration: SMTPConfiguration
    private let serverHostname: String?
    private let logger: Logger
    private var parser = SMTPReplyParser()
    private var capabilities = SMTPCapabilities.none
    private var isEncrypted = false
    /// What the conversation is doing, for errors: `greeting`, `EHLO`, `RCPT TO`, ...
    private(set) var stage = "greeting"

    init(
        channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, configuration: SMTPConfiguration,
        serverHostname: String?, logger: Logger
    ) {
        self.channel = channel
        self.inbound = inbound
        self.outbound = outbound
        self.configuration = configuration
        self.serverHostname = serverHostname
        self.logger = logger
    }

    /// The whole conversation, from the greeting to QUIT.
    func converse(handshake: EventLoopFuture<Void>?, data: [UInt8], envelope: Envelope) async throws -> SMTPReply {
        if let handshake {
            try await withTimeout("TLS handshake") { try await handshake.get() }
            isEncrypted = true
        }
        let greeting = try await withTimeout("greeting") { try await self.receiveReply() }
        guard greeting.code == 220 else { throw SMTPError(.rejected(command: "greeting", reply: greeting)) }
        try await hello()

        if !isEncrypted {
            switch configuration.security {
            case .startTLSRequired:
                guard capabilities.supportsStartTLS else { throw SMTPError(.startTLSUnavailable) }
                try await startTLS()
            case .startTLSIfOffered:
                if capabilities.supportsStartTLS { try await startTLS() }
            case .plaintext, .implicitTLS:
                break
            }
        }
        if let credentials = configuration.credentials {
            try await authenticate(credentials)
        }

        var mailFrom = "MAIL FROM:<\(envelope.sender)>"
        if capabilities.supportsSize { mailFrom += " SIZE=\(data.count)" }
        let mailReply = try await command(mailFrom, stage: "MAIL FROM")
        guard mailReply.isSuccess else { throw SMTPError(.rejected(command: "MAIL FROM", reply: mailReply)) }
        for recipient in envelope.recipients {
            let reply = try await command("RCPT TO:<\(recipient)>", stage: "RCPT TO")
            guard reply.isSuccess else { throw SMTPError(.recipientRejected(recipient: recipient, reply: reply)) }
        }
        let dataReply = try await command("DATA", stage: "DATA")
        guard dataReply.code == 354 else { throw SMTPError(.rejected(command: "DATA", reply: dataReply)) }
        let stuffed = SMTPClient.dotStuffed(data)
        let accepted = try await withTimeout("end of data") {
            self.logger.trace("C: <message, \(stuffed.count) bytes>")
            try await self.outbound.write(ByteBuffer(bytes: stuffed))
            return try await self.receiveReply()
        }
        guard accepted.isSuccess else { throw SMTPError(.rejected(command: "end of data", reply: accepted)) }
        await quit()
        return accepted
    }

    /// EHLO, or HELO when the server refuses EHLO with 5xx; records the capabilities.
    private func hello() async throws {
        let ehlo = try await command("EHLO \(configuration.clientName)", stage: "EHLO")
        if ehlo.isSuccess {
            capabilities = SMTPCapabilities(ehloReply: ehlo)
            return
        }
        guard ehlo.isPermanentFailure else { throw SMTPError(.rejected(command: "EHLO", reply: ehlo)) }
        let helo = try await command("HELO \(configuration.clientName)", stage: "HELO")
        guard helo.isSuccess else { throw SMTPError(.rejected(command: "HELO", reply: helo)) }
        capabilities = .none
    }

    /// STARTTLS (RFC 3207): the TLS handler goes first in the pipeline, then EHLO again.
    private func startTLS() async throws {
        let reply = try await command("STARTTLS", stage: "STARTTLS")
        guard reply.code == 220 else { throw SMTPError(.rejected(command: "STARTTLS", reply: reply)) }
        // Anything already received after the 220 came in plain text, so an attacker may have put it there.
        guard !parser.hasBufferedBytes else {
            throw SMTPError(
                .protocolViolation("the server sent more data in plain text right after its STARTTLS reply"))
        }
        let context = try TLSSetup.makeContext(configuration)
        let serverHostname = self.serverHostname
        let channel = self.channel
        let handshake = try await channel.eventLoop.submit {
            try TLSSetup.addHandlers(to: channel, context: context, serverHostname: serverHostname)
        }.get()
        try await withTimeout("TLS handshake") { try await handshake.get() }
        isEncrypted = true
        capabilities = .none
        try await hello()
    }

    /// AUTH PLAIN, or AUTH LOGIN when PLAIN is not offered (or refused with 504, unsupported mechanism).
    private func authenticate(_ credentials: SMTPConfiguration.Credentials) async throws {
        guard isEncrypted || configuration.allowsPlaintextAuthentication else {
            throw SMTPError(.plaintextAuthenticationRefused)
        }
        let mechanisms = capabilities.authMechanisms
        if mechanisms.contains("PLAIN") {
            let token = Self.base64(Array("\0\(credentials.username)\0\(credentials.password)".utf8))
            var reply = try await command("AUTH PLAIN \(token)", stage: "AUTH", logAs: "AUTH PLAIN <credentials>")
            if reply.code == 334 {
                reply = try await command(token, stage: "AUTH", logAs: "<credentials>")
            }
            if reply.isSuccess { return }
            guard reply.code == 504, mechanisms.contains("LOGIN") else {
                throw SMTPError(.authenticationFailed(reply))
            }
        } else if !mechanisms.contains("LOGIN") {
            throw SMTPError(.authenticationUnavailable(offered: mechanisms))
        }
        var reply = try await command("AUTH LOGIN", stage: "AUTH")
        guard reply.code == 334 else { throw SMTPError(.authenticationFailed(reply)) }
        reply = try await command(
            Self.base64(Array(credentials.username.utf8)), stage: "AUTH", logAs: "<user name>")
        guard reply.code == 334 else { throw SMTPError(.authenticationFailed(reply)) }
        reply = try await command(Self.base64(Array(credentials.password.utf8)), stage: "AUTH", logAs: "<password>")
        guard reply.isSuccess else { throw SMTPError(.authenticationFailed(reply)) }
    }

    /// QUIT, ignoring any failure (the message is delivered or already failed), waiting at most 5 seconds.
    func quit() async {
        do {
            let timeout = min(configuration.replyTimeout, .seconds(5))
            _ = try await withTimeout("QUIT", timeout: timeout) {
                try await self.send("QUIT")
                return try await self.receiveReply()
            }
        } catch {
            logger.trace("QUIT failed: \(error)")
        }
    }

    // MARK: - Commands and replies

    private func command(_ line: String, stage: String, logAs: String? = nil) async throws -> SMTPReply {
        try await withTimeout(stage) {
            try await self.send(line, logAs: logAs)
            return try await self.receiveReply()
        }
    }

    private func send(_ line: String, logAs: String? = nil) async throws {
        logger.trace("C: \(logAs ?? line)")
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
    }

    private func receiveReply() async throws -> SMTPReply {
        while true {
            if let reply = try parser.nextReply() {
                logger.trace("S: \(reply)")
                return reply
            }
            guard let bytes = try await inbound.next() else {
                throw SMTPError(.connectionClosed(stage: stage, details: "the server closed the connection"))
            }
            parser.feed(bytes)
        }
    }

    /// Runs `body` as `stage`; when it takes longer than `timeout` (the reply timeout by default) the channel is
    /// closed, which ends `body`, and the error becomes ``SMTPError/Reason/timedOut(stage:)``.
    private func withTimeout<T>(
        _ stage: String, timeout: Duration? = nil, _ body: () async throws -> T
    ) async throws -> T {
        self.stage = stage
        let fired = NIOLockedValueBox(false)
        let channel = self.channel
        let scheduled = channel.eventLoop.scheduleTask(in: (timeout ?? configuration.replyTimeout).timeAmount) {
            fired.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { scheduled.cancel() }
        let result: T
        do {
            result = try await body()
        } catch {
            if fired.withLockedValue({ $0 }) { throw SMTPError(.timedOut(stage: stage)) }
            throw error
        }
        // The timer may fire just as the body finishes: the channel is then closed, so the stage
        // counts as timed out rather than failing the next one with a closed channel.
        if fired.withLockedValue({ $0 }) { throw SMTPError(.timedOut(stage: stage)) }
        return result
    }

    /// Any error of a conversation as an ``SMTPError``.
    static func classify(_ error: any Error, stage: String) -> SMTPError {
        // A cancelled task's conversation ends with its stream finishing: report the cause, not the symptom.
        if error is CancellationError || Task.isCancelled { return SMTPError(.cancelled) }
        if let error = error as? SMTPError { return error }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return SMTPError(.tlsFailed(details: "\(error)"))
        }
        return SMTPError(.connectionClosed(stage: stage, details: "\(error)"))
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}

/// Setting up TLS on a channel: implicitly on connect, or after STARTTLS.
enum TLSSetup {
    /// A client TLS context after the configuration: verification, extra trusted certificates.
    static func makeContext(_ configuration: SMTPConfiguration) throws(SMTPError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.certificateVerification == .insecureNone {
            tls.certificateVerification = .none
        }
        if let file = configuration.trustedCertificatesFile {
            tls.additionalTrustRoots = [.file(file)]
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(.tlsFailed(details: "could not set up TLS: \(error)"))
        }
    }

    /// The name to send in SNI and check the certificate against: the host, unless it is an IP address (then the
    /// certificate is checked against the address).
    static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    /// Puts a TLS client handler first in the pipeline, followed by a handler that reports the handshake's end.
    /// Call on the channel's event loop.
    ///
    /// - Returns: a future that succeeds when the handshake completes and fails with its error otherwise.
    static func addHandlers(
        to channel: any Channel, context: NIOSSLContext, serverHostname: String?
    ) throws -> EventLoopFuture<Void> {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        do {
            let tlsHandler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
            try channel.pipeline.syncOperations.addHandler(
                TLSHandshakeWaiter(promise: promise), position: .after(tlsHandler))
        } catch {
            promise.fail(error)
            throw error
        }
        return promise.futureResult
    }
}

/// Completes a promise when the TLS handshake before it in the pipeline completes or fails.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var promise: EventLoopPromise<Void>?

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise?.succeed()
            promise = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise?.fail(error)
        promise = nil
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(ChannelError.eof)
        promise = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise?.fail(ChannelError.ioOnClosedChannel)
        promise = nil
    }
}

extension Duration {
    /// The duration as NIO's `TimeAmount` (nanoseconds, saturating).
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .nanoseconds(seconds < 0 ? .min : .max) }
        return .nanoseconds(nanos + attoseconds / 1_000_000_000)
    }
}
