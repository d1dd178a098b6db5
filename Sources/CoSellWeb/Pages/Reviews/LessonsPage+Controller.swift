import CoSellDomain
import CoSellPersistence
import Vapor

enum LessonsController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let q = (try? req.query.get(String.self, at: "q")).map { String($0.prefix(200)) } ?? ""
        let stage = (try? req.query.get(String.self, at: "stage")).flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        let standard = try await req.store.playbook(Playbook.standardID)
        let stages = standard?.stages.map { (key: $0.key, name: $0.name) } ?? []
        let page = try await req.store.libraryLessons(
            LessonQuery(
                partnershipIDs: Array(data.partnerships.keys), text: q.isEmpty ? nil : q, stageKey: stage, limit: 100))
        let items = page.items.map { l in
            LessonsPageModel.Item(
                text: l.text, stage: stages.first { $0.key == l.stageKey }?.name ?? l.stageKey, play: l.play,
                dealID: l.dealID, appliedCount: l.appliedCount, captured: data.format.format(LocalDate(l.createdAt)))
        }
        return Pages.html(
            LessonsView.render(
                LessonsPageModel(
                    chrome: s.chrome("Lessons", .lessons), query: q, stage: stage, stages: stages, items: items,
                    total: page.total)))
    }
}
