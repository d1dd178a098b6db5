import NIOCore
import Testing

@testable import CoSellMail

@Suite("SMTP replies, capabilities and errors")
struct SMTPProtocolTests {
    func replies(_ chunks: [String]) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var result: [SMTPReply] = []
        for chunk in chunks {
            parser.feed(ByteBuffer(string: chunk))
            while let reply = try parser.nextReply() { result.append(reply) }
        }
        return result
    }

    @Test("single-line and multi-line replies")
    func multiLine() throws {
        let parsed = try replies([
            "220 mail.example.com ESMTP ready\r\n250-mail.example.com\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"
        ])
        #expect(
            parsed == [
                SMTPReply(code: 220, lines: ["mail.example.com ESMTP ready"]),
                SMTPReply(code: 250, lines: ["mail.example.com", "SIZE 35882577", "AUTH PLAIN LOGIN", "STARTTLS"]),
            ])
        #expect(parsed[1].text == "mail.example.com\nSIZE 35882577\nAUTH PLAIN LOGIN\nSTARTTLS")
        #expect(parsed[1].description == "250 mail.example.com / SIZE 35882577 / AUTH PLAIN LOGIN / STARTTLS")
    }

    @Test("a reply split across reads at every byte, bare LF, a code without text")
    func fragmented() throws {
        let text = "250-first\r\n250 second\r\n354\r\n221 bye\n"
        let parsed = try replies(text.map { String($0) })
        #expect(
            parsed == [
                SMTPReply(code: 250, lines: ["first", "second"]), SMTPReply(code: 354, lines: [""]),
                SMTPReply(code: 221, lines: ["bye"]),
            ])
        var parser = SMTPReplyParser()
        parser.feed(ByteBuffer(string: "250-partial\r\n"))
        #expect(try parser.nextReply() == nil)
        #expect(parser.hasBufferedBytes)
    }

    @Test(
        "malformed replies are protocol violations",
        arguments: [
            "hello\r\n", "25\r\n", "650 nope\r\n", "250x text\r\n", "250-one\r\n251 two\r\n",
            String(repeating: "2", count: 9000),
        ])
    func malformed(input: String) {
        #expect {
            try replies([input])
        } throws: { error in
            guard case .protocolViolation = (error as? SMTPError)?.reason else { return false }
            return (error as? SMTPError)?.isTransient == true
        }
    }

    @Test("EHLO capabilities: STARTTLS, AUTH mechanisms (also the old AUTH= form), SIZE")
    func capabilities() {
        let capabilities = SMTPCapabilities(
            ehloReply: SMTPReply(
                code: 250,
                lines: ["mail.example.com greets you", "size 1000", "AUTH plain LOGIN", "AUTH=CRAM-MD5", "starttls"]))
        #expect(capabilities.isExtended)
        #expect(capabilities.supportsStartTLS)
        #expect(capabilities.supportsSize)
        #expect(capabilities.authMechanisms == ["PLAIN", "LOGIN", "CRAM-MD5"])
        #expect(!SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["only greeting"])).supportsStartTLS)
        #expect(SMTPCapabilities.none.authMechanisms.isEmpty)
    }

    @Test("dispositions: 4xx and network trouble are transient, 5xx permanent, AUTH failures transient")
    func dispositions() {
        let r451 = SMTPReply(code: 451, lines: ["4.3.0 later"])
        let r550 = SMTPReply(code: 550, lines: ["5.1.1 unknown"])
        let r535 = SMTPReply(code: 535, lines: ["5.7.8 bad credentials"])
        let cases: [(SMTPError.Reason, SMTPError.Disposition)] = [
            (.rejected(command: "end of data", reply: r451), .transient),
            (.rejected(command: "MAIL FROM", reply: r550), .permanent),
            (.recipientRejected(recipient: "x@example.com", reply: r550), .permanent),
            (.recipientRejected(recipient: "x@example.com", reply: r451), .transient),
            (.authenticationFailed(r535), .transient),
            (.connectionFailed(host: "h", port: 25, details: "refused"), .transient),
            (.timedOut(stage: "greeting"), .transient),
            (.connectionClosed(stage: "DATA", details: "reset"), .transient),
            (.tlsFailed(details: "untrusted"), .transient),
            (.startTLSUnavailable, .transient),
            (.plaintextAuthenticationRefused, .transient),
            (.authenticationUnavailable(offered: []), .transient),
            (.protocolViolation("x"), .transient),
            (.cancelled, .transient),
            (.invalidMessage(.noRecipients), .permanent),
        ]
        for (reason, disposition) in cases {
            #expect(SMTPError(reason).disposition == disposition, "\(reason)")
            #expect(SMTPError(reason).isTransient == (disposition == .transient))
        }
        #expect(SMTPError(.recipientRejected(recipient: "x@example.com", reply: r550)).reply?.code == 550)
        #expect(SMTPError(.timedOut(stage: "greeting")).reply == nil)
        #expect(
            "\(SMTPError(.recipientRejected(recipient: "x@example.com", reply: r550)))"
                == "permanent: the recipient x@example.com was refused: 550 5.1.1 unknown")
    }

    @Test("Duration converts to NIO's TimeAmount")
    func durations() {
        #expect(Duration.milliseconds(250).timeAmount == .milliseconds(250))
        #expect(Duration.seconds(30).timeAmount == .seconds(30))
    }
}
