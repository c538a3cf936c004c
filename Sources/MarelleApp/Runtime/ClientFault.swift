import MarelleCore
import MarelleDatabase

/// A database error that the request caused, not the server: a value out of a column's
/// range, a reference to a row that is gone, a duplicate, a check that refused. The use cases
/// check their input before SQL, so one of these means a rule was missed; the error policy
/// still answers it as the client's fault (4xx, nothing changed: the transaction rolled back)
/// and logs it as a warning so that the missing check gets written.
public enum ClientFault: Sendable, Equatable {
    /// Class 22 (data exception: out of range, invalid text, NUL) and 23514 (check).
    case invalid
    /// 23503: the row referred to is not there (or no longer).
    case missingReference
    /// 23505 and 23P01: the same thing exists already.
    case conflict

    public init?(_ error: any Error) {
        guard let error = error as? DatabaseError, let state = error.sqlState else { return nil }
        switch error.kind {
        case .server, .client:
            if state.hasPrefix("22") || state == "23514" || state == "23502" {
                self = .invalid
            } else if state == "23503" {
                self = .missingReference
            } else if state == "23505" || state == "23P01" {
                self = .conflict
            } else {
                return nil
            }
        case .connection, .poolTimeout, .poolClosed: return nil
        }
    }

    /// The HTTP status it answers with.
    public var status: Int {
        switch self {
        case .invalid: 422
        case .missingReference: 404
        case .conflict: 409
        }
    }

    /// What the person is told; it names no table or constraint.
    public var message: String {
        switch self {
        case .invalid:
            tr("ClientFault.une_valeur_envoyee_n_est")
        case .missingReference: tr("ClientFault.ce_que_la_demande_designe")
        case .conflict: tr("ClientFault.cet_element_existe_deja_rien")
        }
    }
}
