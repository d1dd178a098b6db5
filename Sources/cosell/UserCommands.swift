import ArgumentParser
import CoSellApp
import CoSellDomain
import CoSellWeb
import CoSellWorkflows
import Foundation

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage people.", subcommands: [Create.self, Invite.self, Password.self])

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invite a person to an organization; prints the secret accept token to hand over.")

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(name: .long, help: "The organization's id.")
        var organization: String

        @ArgumentParser.Option(name: .long, help: "E-mail address.")
        var email: String

        @ArgumentParser.Option(name: .long, help: "Full name.")
        var name: String

        @ArgumentParser.Option(name: .long, help: "admin, partner_manager, seller or viewer.")
        var role: String = "seller"

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be admin, partner_manager, seller or viewer.")
            }
            guard UUID(uuidString: organization) != nil else { throw ValidationError("--organization must be a UUID.") }
            try checkPerson(email: email, name: name, role: role)
        }

        func run() async throws {
            print(
                try await CoSellRunner.invite(
                    database.existing, organizationID: UUID(uuidString: organization)!, email: email, name: name,
                    role: Role(rawValue: role)!))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a person with a password (reads the password from standard input).")

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(name: .long, help: "The organization's id.")
        var organization: String?

        @ArgumentParser.Option(name: .customLong("new-organization"), help: "Create an organization with this name.")
        var newOrganization: String?

        @ArgumentParser.Option(name: .customLong("domain"), help: "The new organization's domain (e.g. example.com).")
        var domain: String?

        @ArgumentParser.Option(name: .long, help: "E-mail address (the sign-in name).")
        var email: String

        @ArgumentParser.Option(name: .long, help: "Full name.")
        var name: String

        @ArgumentParser.Option(name: .long, help: "admin, partner_manager, seller or viewer.")
        var role: String = "admin"

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be admin, partner_manager, seller or viewer.")
            }
            if let organization, UUID(uuidString: organization) == nil {
                throw ValidationError("--organization must be a UUID.")
            }
            guard (organization == nil) != (newOrganization == nil) else {
                throw ValidationError("Give either --organization ID or --new-organization NAME.")
            }
            try checkPerson(email: email, name: name, role: role)
        }

        func run() async throws {
            FileHandle.standardError.write(
                Data("Password (at least \(SecuritySettings.minimumPasswordLength) characters), then Enter:\n".utf8))
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("No password on standard input.")
            }
            print(
                try await CoSellRunner.createUser(
                    database.existing, organizationID: organization.flatMap(UUID.init(uuidString:)),
                    organizationName: newOrganization,
                    organizationDomain: domain, email: email, name: name, role: Role(rawValue: role)!,
                    password: password))
        }
    }
}

extension User {
    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a person's password (reads it from standard input); ends their sessions.")

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(name: .long, help: "The person's e-mail address.")
        var email: String

        func run() async throws {
            FileHandle.standardError.write(
                Data("New password (at least \(SecuritySettings.minimumPasswordLength) characters), then Enter:\n".utf8)
            )
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("No password on standard input.")
            }
            print(try await CoSellRunner.setPassword(database.existing, email: email, password: password))
        }
    }
}

/// The rules for a new person's e-mail and name, the same as the API's (`PeopleWorkflows.check`),
/// refused in the words of the command line.
func checkPerson(email: String, name: String, role: String) throws {
    do {
        _ = try PeopleWorkflows.check(.init(email: email, name: name, role: Role(rawValue: role) ?? .viewer))
    } catch {
        throw ValidationError(CoSellRunner.message(error))
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a personal API token; printed once.")

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(name: .long, help: "The person's e-mail.")
        var email: String

        @ArgumentParser.Option(name: .long, help: "A name to recognise the token by.")
        var name: String = "cli"

        @ArgumentParser.Option(name: .long, help: "read or read_write.")
        var scope: String = "read_write"

        func validate() throws {
            guard TokenScope(rawValue: scope) != nil else {
                throw ValidationError("--scope must be read or read_write.")
            }
            do { _ = try SecurityWorkflows.checkTokenName(name) } catch {
                throw ValidationError(CoSellRunner.message(error))
            }
        }

        func run() async throws {
            print(
                try await CoSellRunner.createToken(
                    database.existing, email: email, name: name, scope: TokenScope(rawValue: scope)!))
        }
    }
}
