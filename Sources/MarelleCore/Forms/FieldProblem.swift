/// One thing wrong with one field of a submitted form or JSON body: the field's name as the
/// client sent it, and a French sentence for the person who typed it.
public struct FieldProblem: Sendable, Hashable, Encodable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
