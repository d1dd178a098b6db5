import Vapor
import Fluent
import CoSellDomain
import CoSellPersistence
public enum WebPlaceholder {}
