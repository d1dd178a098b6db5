import CoSellTestSupport
import Foundation
import Testing

@testable import CoSellMail

@Suite("MailMessage: rendering to RFC 5322")
struct MailMessageTests {
    let sender = try! MailAddress("deals@example.com", name: "CoSell")
    let ann = try! MailAddress("ann@example.com")
    let date = Date(timeIntervalSince1970: 1_733_268_907)  // Tue, 3 Dec 2024 23:35:07 UTC

    func message(
        subject: String = "Deal registered", text: String = "Hello", html: String? = nil, headers: [MailHeader] = []
    ) -> MailMessage {
        MailMessage(
            from: sender, to: [ann], subject: subject, textBody: text, htmlBody: html, headers: headers, date: date,
            messageID: "<fixed@example.com>")
    }

    func rendered(_ message: MailMessage) throws -> String {
        String(decoding: try message.render(), as: UTF8.self)
    }

    @Test("a plain-text message renders exactly, with CRLF line endings")
    func plainMessage() throws {
        let text = try rendered(message(text: "Hello Ann,\n\nYour deal is registered."))
        #expect(
            text == """
                Date: Tue, 3 Dec 2024 23:35:07 +0000\r
                From: CoSell <deals@example.com>\r
                To: ann@example.com\r
                Subject: Deal registered\r
                Message-ID: <fixed@example.com>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                Hello Ann,\r
                \r
                Your deal is registered.\r

                """)
    }

    @Test("the Message-ID is <uuid@domain-of-from>, new for each message")
    func messageID() throws {
        let first = MailMessage(from: sender, to: [ann], subject: "s", textBody: "b")
        let second = MailMessage(from: sender, to: [ann], subject: "s", textBody: "b")
        #expect(first.messageID != second.messageID)
        let pattern = #/<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@example\.com>/#
        #expect(first.messageID.wholeMatch(of: pattern) != nil)
        let headers = MIMEDecoding.split(try first.render()).headers
        #expect(headers.first { $0.name == "Message-ID" }?.value == first.messageID)
    }

    @Test("the Date header is RFC 5322, in UTC")
    func dateHeader() {
        #expect(MIMEEncoding.rfc5322Date(date) == "Tue, 3 Dec 2024 23:35:07 +0000")
        #expect(MIMEEncoding.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 1 Jan 1970 00:00:00 +0000")
    }

    @Test("a non-ASCII subject becomes UTF-8 Q encoded-words")
    func encodedSubject() throws {
        #expect(MIMEEncoding.unstructured("Café") == "=?UTF-8?Q?Caf=C3=A9?=")
        let subject = "Deal für Müller — 10 % off ✅"
        let headers = MIMEDecoding.split(try message(subject: subject).render()).headers
        let value = try #require(headers.first { $0.name == "Subject" }?.value)
        #expect(value.utf8.allSatisfy { $0 < 0x80 })
        #expect(MIMEDecoding.encodedWords(value) == subject)
    }

    @Test("a long non-ASCII subject is split into encoded-words of at most 75 characters, never inside a character")
    func longEncodedSubject() throws {
        let subject = String(repeating: "Grüße 👩‍💻 ", count: 20) + "done"
        let bytes = try message(subject: subject).render()
        let value = try #require(MIMEDecoding.split(bytes).headers.first { $0.name == "Subject" }?.value)
        let words = value.replacingOccurrences(of: "\r\n", with: "").split(separator: " ")
        #expect(words.count > 3)
        for word in words {
            #expect(word.count <= 75)
            #expect(MIMEDecoding.encodedWord(word) != nil, "each word decodes to UTF-8 on its own: \(word)")
        }
        #expect(MIMEDecoding.encodedWords(value) == MailAddress.trimmingWhitespace(subject))
        for line in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78)
        }
    }

    @Test("ASCII subjects stay readable; one that looks like an encoded-word, or has a huge word, is encoded")
    func asciiSubjects() {
        #expect(MIMEEncoding.unstructured("Deal #42: ACME (50% done)") == "Deal #42: ACME (50% done)")
        #expect(MIMEEncoding.unstructured("=?UTF-8?Q?x?=").hasPrefix("=?UTF-8?Q?=3D=3FUTF-8"))
        let huge = String(repeating: "x", count: 2000)
        let encoded = MIMEEncoding.unstructured(huge)
        #expect(MIMEDecoding.encodedWords(encoded) == huge)
    }

    @Test("display names: atoms as they are, specials quoted, non-ASCII encoded")
    func displayNames() throws {
        #expect(
            MIMEEncoding.mailbox(try MailAddress("ann@example.com", name: "Ann Lee")) == "Ann Lee <ann@example.com>")
        #expect(
            MIMEEncoding.mailbox(try MailAddress("jane@example.com", name: "Doe, Jane"))
                == "\"Doe, Jane\" <jane@example.com>")
        #expect(
            MIMEEncoding.mailbox(try MailAddress("jj@example.com", name: "Jane \"JJ\" D. \\o/"))
                == "\"Jane \\\"JJ\\\" D. \\\\o/\" <jj@example.com>")
        #expect(
            MIMEEncoding.mailbox(try MailAddress("zoe@example.com", name: "Zoë Müller"))
                == "=?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@example.com>")
    }

    @Test("MailAddress parses Name <addr>, quoted names and bare addresses")
    func parseAddresses() throws {
        #expect(
            try MailAddress(parsing: " CoSell <deals@example.com> ") == MailAddress("deals@example.com", name: "CoSell")
        )
        #expect(try MailAddress(parsing: "\"Doe, \\\"J\\\"\" <j@example.com>").name == "Doe, \"J\"")
        #expect(try MailAddress(parsing: "<j@example.com>") == MailAddress("j@example.com"))
        #expect(try MailAddress(parsing: "j@[192.0.2.1]").domain == "[192.0.2.1]")
        #expect(throws: MailAddressError.self) { try MailAddress(parsing: "a@b@c") }
        #expect(throws: MailAddressError.self) { try MailAddress(parsing: ".a@b") }
        #expect(throws: MailAddressError.self) { try MailAddress(parsing: "a@b..c") }
        #expect(throws: MailAddressError.self) { try MailAddress(parsing: "\"unclosed <a@b>") }
    }

    @Test("quoted-printable: =, trailing whitespace, non-ASCII, line breaks, 76-character lines")
    func quotedPrintable() {
        #expect(MIMEEncoding.quotedPrintable("a=b") == "a=3Db")
        #expect(MIMEEncoding.quotedPrintable("end \nnext\t") == "end=20\r\nnext=09")
        #expect(MIMEEncoding.quotedPrintable("Grüße") == "Gr=C3=BC=C3=9Fe")
        #expect(MIMEEncoding.quotedPrintable("1\r\n2\r3\n4") == "1\r\n2\r\n3\r\n4")
        let long = String(repeating: "abcdéfghij ", count: 30)
        let encoded = MIMEEncoding.quotedPrintable(long)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
        }
        #expect(MIMEDecoding.quotedPrintable(encoded) == long)
        // An escape is never split by a soft line break.
        let escapes = MIMEEncoding.quotedPrintable(String(repeating: "é", count: 40))
        #expect(MIMEDecoding.quotedPrintable(escapes) == String(repeating: "é", count: 40))
    }

    @Test("the whole message is 7-bit ASCII with CRLF only and lines of at most 998 (headers 78) octets")
    func lineDiscipline() throws {
        let text = "Zeile eins\nLigne très longue " + String(repeating: "é", count: 3000) + "\r\n.\r\n..two dots\rend"
        let message = MailMessage(
            from: try MailAddress("deals@example.com", name: "Ventes Équipe"),
            to: (1...30).map { try! MailAddress("person\($0)@example.com", name: "Person Nummer \($0) Müller") },
            subject: String(repeating: "Überprüfung ", count: 30), textBody: text, htmlBody: "<p>\(text)</p>",
            headers: [MailHeader("X-Long", String(repeating: "word ", count: 100))])
        let bytes = try message.render()
        #expect(bytes.allSatisfy { $0 < 0x80 })
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "a bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "a bare CR at \(index)") }
        }
        let rendered = String(decoding: bytes, as: UTF8.self)
        #expect(rendered.hasSuffix("\r\n"))
        let headerBlock = rendered.components(separatedBy: "\r\n\r\n")[0]
        for line in headerBlock.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "header line too long: \(line)")
            #expect(!line.trimmingCharacters(in: .whitespaces).isEmpty, "a folded header line is blank")
        }
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
        }
        let to = try #require(MIMEDecoding.split(bytes).headers.first { $0.name == "To" }?.value)
        #expect(to.contains("\r\n "))
    }

    @Test("with an HTML body the message is multipart/alternative: text, then HTML, both quoted-printable")
    func multipart() throws {
        let mail = message(text: "Plain café", html: "<p>HTML café</p>")
        let text = String(decoding: try mail.render(boundary: "=_b"), as: UTF8.self)
        #expect(
            text.hasSuffix(
                """
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="=_b"\r
                \r
                This is a multi-part message in MIME format.\r
                --=_b\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                Plain caf=C3=A9\r
                --=_b\r
                Content-Type: text/html; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                <p>HTML caf=C3=A9</p>\r
                --=_b--\r

                """))
        // The default boundary starts with "=_", which quoted-printable bodies can never contain.
        let random = String(decoding: try mail.render(), as: UTF8.self)
        let boundary = try #require(random.firstMatch(of: #/boundary="(=_cosell_[0-9a-f]{32})"/#)?.1)
        #expect(random.components(separatedBy: "--\(boundary)").count == 4)
    }

    @Test("extra headers go out as they are (List-Unsubscribe), long ones folded, non-ASCII ones encoded")
    func extraHeaders() throws {
        let headers = [
            MailHeader("List-Unsubscribe", "<https://cosell.example.com/unsubscribe/abc123>, <mailto:u@example.com>"),
            MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            MailHeader("X-Note", "Überblick"),
        ]
        let parsed = MIMEDecoding.split(try message(headers: headers).render()).headers
        #expect(
            parsed.first { $0.name == "List-Unsubscribe" }?.value
                == "<https://cosell.example.com/unsubscribe/abc123>,\r\n <mailto:u@example.com>")
        #expect(parsed.first { $0.name == "List-Unsubscribe-Post" }?.value == "List-Unsubscribe=One-Click")
        #expect(parsed.first { $0.name == "X-Note" }?.value == "=?UTF-8?Q?=C3=9Cberblick?=")
        let names = parsed.map(\.name)
        #expect(names.firstIndex(of: "List-Unsubscribe")! < names.firstIndex(of: "MIME-Version")!)
    }

    @Test(
        "header injection is refused, not stripped",
        arguments: [
            ("Hi\r\nBcc: victim@example.com", "Subject"),
            ("Hi\nX-Evil: 1", "Subject"),
            ("Hi\rX-Evil: 1", "Subject"),
            ("Hi\u{2028}there", "Subject"),
        ])
    func subjectInjection(subject: String, header: String) {
        #expect(throws: MailMessageError.lineBreakInHeader(header: header)) { try message(subject: subject).render() }
    }

    @Test("line breaks and control characters in extra headers and names are refused")
    func otherInjections() {
        #expect(throws: MailMessageError.lineBreakInHeader(header: "X-Campaign")) {
            try message(headers: [MailHeader("X-Campaign", "q4\r\nBcc: victim@example.com")]).render()
        }
        #expect(throws: MailMessageError.controlCharacterInHeader(header: "Subject")) {
            try message(subject: "bell\u{7}").render()
        }
        #expect(throws: MailMessageError.invalidHeaderName("X-Bad:Name")) {
            try message(headers: [MailHeader("X-Bad:Name", "v")]).render()
        }
        #expect(throws: MailMessageError.invalidHeaderName("X Bad")) {
            try message(headers: [MailHeader("X Bad", "v")]).render()
        }
        #expect(throws: MailMessageError.reservedHeader("bcc")) {
            try message(headers: [MailHeader("bcc", "victim@example.com")]).render()
        }
        #expect(throws: MailMessageError.headerLineTooLong(header: "X-Token")) {
            try message(headers: [MailHeader("X-Token", String(repeating: "t", count: 1000))]).render()
        }
        #expect(throws: MailAddressError.self) { try MailAddress("ann@example.com", name: "Ann\r\nBcc: x@y.z") }
        #expect(throws: MailAddressError.self) { try MailAddress(parsing: "ann@example.com\r\nBcc: x@y.z") }
    }

    @Test("Bcc recipients are in the envelope only; duplicates are dropped; no recipient is an error")
    func recipients() throws {
        let bob = try MailAddress("bob@example.com")
        let mail = MailMessage(
            from: sender, to: [ann], cc: [bob],
            bcc: [try MailAddress("ANN@example.com"), try MailAddress("carol@example.com")],
            subject: "s", textBody: "b")
        #expect(mail.recipients.map(\.address) == ["ann@example.com", "bob@example.com", "carol@example.com"])
        let rendered = String(decoding: try mail.render(), as: UTF8.self)
        #expect(rendered.contains("Cc: bob@example.com\r\n"))
        // (A Message-ID ends in "@example.com" too, so a one-letter name could match it by chance.)
        #expect(!rendered.contains("carol@example.com"))
        #expect(!rendered.lowercased().contains("bcc"))
        let blind = MailMessage(from: sender, to: [], bcc: [bob], subject: "s", textBody: "b")
        #expect(String(decoding: try blind.render(), as: UTF8.self).contains("To: undisclosed-recipients:;\r\n"))
        #expect(throws: MailMessageError.noRecipients) {
            try MailMessage(from: sender, to: [], subject: "s", textBody: "b").render()
        }
    }

    @Test("dot-stuffing doubles a leading dot on every line and adds the terminator")
    func dotStuffing() {
        let stuffed = SMTPClient.dotStuffed(Array(".hidden\r\nline\r\n..\r\n.\r\nend.\r\n".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..hidden\r\nline\r\n...\r\n..\r\nend.\r\n.\r\n")
        #expect(
            String(decoding: SMTPClient.dotStuffed(Array("no final break".utf8)), as: UTF8.self)
                == "no final break\r\n.\r\n")
        // A body line made of a single dot survives rendering and stuffing without ending the data early.
        let rendered = try! message(text: "before\n.\nafter").render()
        let lines = String(decoding: SMTPClient.dotStuffed(rendered), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.firstIndex(of: ".") == lines.count - 2)
        #expect(lines.contains(".."))
    }

    @Test("send refuses a message that cannot be rendered, permanently, before connecting")
    func sendInvalidMessage() async throws {
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:1", sender: "deals@example.com")
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(eventLoopGroup: smtpTestGroup).send(message(subject: "a\nb"), using: configuration)
        }
        #expect(error?.reason == .invalidMessage(.lineBreakInHeader(header: "Subject")))
        #expect(error?.disposition == .permanent)
    }
}
