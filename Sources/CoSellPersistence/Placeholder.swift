import FluentKit
import FluentSQLiteDriver
import FluentPostgresDriver
import CoSellDomain
public enum PersistencePlaceholder {}
