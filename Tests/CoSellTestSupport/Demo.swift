import Foundation

/// The demo workspace's API tokens.
public enum Token {
    public static let hostAdmin = "cosell_demo_host_admin"
    public static let hostSeller = "cosell_demo_host_seller"
    public static let hostViewer = "cosell_demo_host_viewer"
    public static let hostPartnerManager = "cosell_demo_host_partner_manager"
    public static let partnerAdmin = "cosell_demo_partner_admin"
    public static let partnerSeller = "cosell_demo_partner_seller"
}

/// The demo workspace's people, by the email they sign in with (password `cosell-demo-password`).
public enum People {
    public static let hostAdmin = "maya.okafor@quarrydata.example"
    public static let hostPM = "daniel.reyes@quarrydata.example"
    public static let hostSeller = "priya.natarajan@quarrydata.example"
    public static let hostViewer = "grace.kim@quarrydata.example"
    public static let partnerPM = "marcus.chen@halyardsecurity.example"
}

/// The demo workspace's fixed ids.
public enum DemoIDs {
    public static let host = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
}
