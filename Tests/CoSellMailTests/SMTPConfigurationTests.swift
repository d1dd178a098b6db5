import CoSellTestSupport
import Foundation
import Testing

@testable import CoSellMail

@Suite("SMTPConfiguration: COSELL_SMTP_URL and COSELL_MAIL_FROM")
struct SMTPConfigurationTests {
    let from = "CoSell <deals@example.com>"

    @Test("smtp://host:port: opportunistic STARTTLS, verification on, no credentials, default timeouts")
    func plainURL() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com:2525", sender: from)
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 2525)
        #expect(configuration.security == .startTLSIfOffered)
        #expect(configuration.certificateVerification == .full)
        #expect(configuration.credentials == nil)
        #expect(configuration.allowsPlaintextAuthentication == false)
        #expect(configuration.trustedCertificatesFile == nil)
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.replyTimeout == .seconds(30))
        #expect(configuration.sender == (try MailAddress("deals@example.com", name: "CoSell")))
    }

    @Test("default ports: 587 for smtp://, 465 for smtps://; a trailing slash is fine")
    func defaultPorts() throws {
        #expect(try SMTPConfiguration(url: "smtp://mail.example.com", sender: from).port == 587)
        let tls = try SMTPConfiguration(url: "SMTPS://mail.example.com/", sender: from)
        #expect(tls.port == 465)
        #expect(tls.security == .implicitTLS)
    }

    @Test("user:password@ is percent-decoded; the description hides the password")
    func credentials() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://ann%40example.com:p%40ss%3Aw%25rd%20x@mail.example.com:587", sender: from)
        #expect(configuration.credentials?.username == "ann@example.com")
        #expect(configuration.credentials?.password == "p@ss:w%rd x")
        #expect(!configuration.description.contains("p@ss"))
        #expect(!"\(configuration.credentials!)".contains("p@ss"))
        #expect(
            configuration.description
                == "smtp://ann%40example.com:***@mail.example.com:587 from CoSell <deals@example.com>")
    }

    @Test("an IPv6 host in brackets")
    func ipv6() throws {
        let configuration = try SMTPConfiguration(url: "smtp://[::1]:25", sender: from)
        #expect(configuration.host == "::1")
        #expect(configuration.port == 25)
    }

    @Test("every option")
    func options() throws {
        let directory = try SMTPSink.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("ca.pem")
        _ = FileManager.default.createFile(atPath: certificate.path, contents: Data())
        let configuration = try SMTPConfiguration(
            url: "smtp://u:p@127.0.0.1:25?starttls=required&tls=insecure&ca=\(certificate.path)"
                + "&plaintext_auth=allow&helo=client.example.com&connect_timeout=2.5&reply_timeout=0.25",
            sender: from)
        #expect(configuration.security == .startTLSRequired)
        #expect(configuration.certificateVerification == .insecureNone)
        #expect(configuration.trustedCertificatesFile == certificate.path)
        #expect(configuration.allowsPlaintextAuthentication)
        #expect(configuration.clientName == "client.example.com")
        #expect(configuration.connectTimeout == .milliseconds(2500))
        #expect(configuration.replyTimeout == .milliseconds(250))
        #expect(try SMTPConfiguration(url: "smtp://h?starttls=never", sender: from).security == .plaintext)
        #expect(
            try SMTPConfiguration(url: "smtp://h?starttls=opportunistic", sender: from).security == .startTLSIfOffered)
    }

    @Test(
        "malformed URLs are refused with a message naming the problem",
        arguments: [
            ("", "COSELL_SMTP_URL: expected smtp://[user:password@]host[:port][?options] or smtps://..., got ''"),
            (
                "user:secret@mail.example.com:25",
                "COSELL_SMTP_URL: expected smtp://[user:password@]host[:port][?options] or smtps://..., "
                    + "got 'user:***@mail.example.com:25'"
            ),
            (
                "http://mail.example.com",
                "COSELL_SMTP_URL: the scheme 'http' is not supported (use smtp:// or smtps://)"
            ),
            ("smtp://mail.example.com:99999", "COSELL_SMTP_URL: the port 99999 is out of range (1-65535)"),
            ("smtp://mail.example.com:0", "COSELL_SMTP_URL: the port 0 is out of range (1-65535)"),
            ("smtp://mail.example.com:smtp", "COSELL_SMTP_URL: the port 'smtp' is not a number"),
            ("smtp://mail.example.com:", "COSELL_SMTP_URL: the port is empty after ':'"),
            ("smtp://:25", "COSELL_SMTP_URL: the host is missing"),
            ("smtp://", "COSELL_SMTP_URL: the host is missing"),
            (
                "smtp://mail example.com",
                "COSELL_SMTP_URL: the host 'mail example.com' has characters not allowed in a host name"
            ),
            ("smtp://[::1:25", "COSELL_SMTP_URL: the IPv6 address '[::1:25' lacks its closing ']'"),
            ("smtp://[mail]:25", "COSELL_SMTP_URL: 'mail' is not an IPv6 address"),
            (
                "smtp://ann@mail.example.com",
                "COSELL_SMTP_URL: the user name is given without a password (write user:password@host)"
            ),
            ("smtp://:secret@mail.example.com", "COSELL_SMTP_URL: the user name is empty"),
            ("smtp://ann:@mail.example.com", "COSELL_SMTP_URL: the password is empty"),
            (
                "smtp://ann:50%@mail.example.com",
                "COSELL_SMTP_URL: the password has an invalid percent-escape (write % as %25)"
            ),
            (
                "smtp://mail.example.com/inbox",
                "COSELL_SMTP_URL: unexpected path '/inbox' (only ?options may follow host:port)"
            ),
            ("smtp://mail.example.com#x", "COSELL_SMTP_URL: unexpected fragment '#x'"),
            (
                "smtp://mail.example.com?tls=off",
                "COSELL_SMTP_URL: the option tls must be verify or insecure, got 'off'"
            ),
            (
                "smtp://mail.example.com?verify=no",
                "COSELL_SMTP_URL: unknown option 'verify' (known: starttls, tls, ca, plaintext_auth, helo, "
                    + "connect_timeout, reply_timeout)"
            ),
            (
                "smtp://mail.example.com?starttls=maybe",
                "COSELL_SMTP_URL: the option starttls must be opportunistic, required or never, got 'maybe'"
            ),
            (
                "smtps://mail.example.com?starttls=required",
                "COSELL_SMTP_URL: the option starttls does not apply to smtps:// (TLS from the first byte)"
            ),
            ("smtp://mail.example.com?tls=verify&tls=insecure", "COSELL_SMTP_URL: the option tls is given twice"),
            ("smtp://mail.example.com?tls", "COSELL_SMTP_URL: the option tls has no value (write tls=...)"),
            (
                "smtp://mail.example.com?reply_timeout=0",
                "COSELL_SMTP_URL: the option reply_timeout must be a number of seconds above 0, got '0'"
            ),
            (
                "smtp://mail.example.com?connect_timeout=soon",
                "COSELL_SMTP_URL: the option connect_timeout must be a number of seconds above 0, got 'soon'"
            ),
            (
                "smtp://mail.example.com?ca=/nonexistent/ca.pem",
                "COSELL_SMTP_URL: the option ca names '/nonexistent/ca.pem', which is not a file"
            ),
            (
                "smtp://mail.example.com?plaintext_auth=yes",
                "COSELL_SMTP_URL: the option plaintext_auth must be allow or refuse, got 'yes'"
            ),
            (
                "smtp://mail.example.com?helo=bad%20name",
                "COSELL_SMTP_URL: the option helo must be a host name or an address literal, got 'bad name'"
            ),
            (
                "smtp://ann:secret@mail.example.com?starttls=never",
                "COSELL_SMTP_URL: starttls=never with a user and password would send them in plain text; "
                    + "add plaintext_auth=allow to permit that"
            ),
        ])
    func malformedURL(url: String, message: String) {
        #expect {
            try SMTPConfiguration(url: url, sender: "deals@example.com")
        } throws: { error in
            let error = error as? SMTPConfigurationError
            #expect(error?.description == message)
            #expect(error?.variable == "COSELL_SMTP_URL")
            #expect(error?.description.contains("secret") == false)
            return error != nil
        }
    }

    @Test(
        "malformed senders are refused with a message naming the problem",
        arguments: [
            ("deals", "COSELL_MAIL_FROM: 'deals' is not a usable email address: it has no '@'"),
            (
                "CoSell <deals@>",
                "COSELL_MAIL_FROM: 'CoSell <deals@>' is not a usable email address: the domain after '@' is empty"
            ),
            (
                "CoSell deals@example.com>",
                "COSELL_MAIL_FROM: 'CoSell deals@example.com>' is not a usable email address: it has a '>' without a matching '<'"
            ),
            (
                "dé@example.com",
                "COSELL_MAIL_FROM: 'dé@example.com' is not a usable email address: internationalized (non-ASCII) addresses are not supported"
            ),
            (
                "a b@example.com",
                "COSELL_MAIL_FROM: 'a b@example.com' is not a usable email address: the part before '@' contains a space, which is not allowed"
            ),
        ])
    func malformedSender(sender: String, message: String) {
        #expect {
            try SMTPConfiguration(url: "smtp://mail.example.com", sender: sender)
        } throws: { error in
            (error as? SMTPConfigurationError)?.description == message
        }
    }

    @Test("fromEnvironment: nil when COSELL_SMTP_URL is unset or blank, an error when COSELL_MAIL_FROM is missing")
    func environment() throws {
        #expect(try SMTPConfiguration.fromEnvironment([:]) == nil)
        #expect(try SMTPConfiguration.fromEnvironment(["COSELL_SMTP_URL": "  ", "COSELL_MAIL_FROM": from]) == nil)
        let configuration = try SMTPConfiguration.fromEnvironment([
            "COSELL_SMTP_URL": "smtps://ann:secret@mail.example.com", "COSELL_MAIL_FROM": from,
        ])
        #expect(configuration?.security == .implicitTLS)
        #expect(configuration?.sender.address == "deals@example.com")
        #expect {
            try SMTPConfiguration.fromEnvironment(["COSELL_SMTP_URL": "smtp://mail.example.com"])
        } throws: { error in
            (error as? SMTPConfigurationError)?.description
                == "COSELL_MAIL_FROM is not set (the sender address, e.g. CoSell <deals@example.com>)"
        }
    }
}
