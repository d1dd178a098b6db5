import CoSellPersistence
import CoSellWorkflows
import Foundation

public struct ImportUploadModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var error: String?
    /// The latest import, when it can be restored, with what restoring it would do.
    public var restorable: ImportRestoration? = nil
    /// When that import was made, in the reader's format.
    public var restorableWhen: String = ""
    /// Why the restore was not done (no confirmation, or refused).
    public var restoreError: String? = nil
}

public struct ImportPreviewModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var uploadID: UUID
    public var fileName: String
    public var format: String
    public var header: [String]
    /// Field -> chosen header (nil: not imported).
    public var mapping: [(field: String, header: String?)]
    public var rows: Int?
    public var skipped: Int?
    public var error: String?
    /// What importing the file as a full export would do (nil when the file cannot be read).
    public var impact: AccountImportWorkflows.Impact? = nil
    /// The mode chosen, and whether the confirmation was ticked (kept when the page comes back).
    public var mode: AccountImportWorkflows.Mode = .full
    public var confirmed: Bool = false

    public static func == (a: ImportPreviewModel, b: ImportPreviewModel) -> Bool {
        a.chrome == b.chrome && a.uploadID == b.uploadID && a.format == b.format && a.header == b.header
            && a.mapping.map { "\($0.field)=\($0.header ?? "")" } == b.mapping.map { "\($0.field)=\($0.header ?? "")" }
            && a.rows == b.rows && a.error == b.error && a.impact == b.impact && a.mode == b.mode
    }
}

public struct ImportResultModel: Sendable, Equatable {
    public var chrome: PageChrome
    public var job: AccountImport
    public var percent: Int
    /// When it was restored, in the reader's format (nil: not restored).
    public var restoredWhen: String? = nil
}
