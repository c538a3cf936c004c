import MarelleApp

/// What the second-factor pages show (`login_code`, `second_factor_enrol`, `recovery_codes`,
/// `second_factor`): each uses the fields it needs.
struct SecondFactorPage {
    let layout: LayoutModel
    var error: String? = nil
    var notice: String? = nil
    /// The sign-in between password and code (login pages only).
    var challenge: String? = nil
    /// Where to go once signed in.
    var next: String = "/"
    /// The enrolment form's target.
    var action: String = ""
    /// The association requires the factor (the enrolment is not optional).
    var mandatory = false
    var secret: String = ""
    var qrSVG: String = ""
    var codes: [String] = []
    var available = false
    var enabled = false
    var required = false
    var recoveryCodesLeft = 0

    var associationName: String { layout.associationName }

    mutating func show(_ enrolment: SecondFactors.Enrolment) {
        secret = Self.grouped(enrolment.secret)
        qrSVG = enrolment.qrSVG
    }

    /// The secret in groups of four, easier to copy by hand (apps ignore the spaces).
    static func grouped(_ secret: String) -> String {
        var out = ""
        for (i, c) in secret.enumerated() {
            if i > 0, i % 4 == 0 { out.append(" ") }
            out.append(c)
        }
        return out
    }
}
