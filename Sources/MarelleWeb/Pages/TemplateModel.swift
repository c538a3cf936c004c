import Mustache

/// A typed page model that Mustache reads through a table of key paths. Without it, every
/// `{{name}}` reflects the whole struct with `Mirror` (boxing each stored property), which was
/// a tenth of the server's CPU on Mon calendrier; a dictionary lookup and one key path cost
/// next to nothing. `fields` names what the template may read, nothing else.
protocol TemplateModel: MustacheParent {
    static var fields: [String: any PartialKeyPath<Self> & Sendable] { get }
}

extension TemplateModel {
    func child(named name: String) -> Any? {
        guard let path = Self.fields[name] else { return nil }
        return self[keyPath: path]
    }
}
