import ArgumentParser
import CoSellApp
@main struct Main { static func main() {} }
