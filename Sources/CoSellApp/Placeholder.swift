import Vapor
import Fluent
import CoSellWeb
public enum AppPlaceholder {}
