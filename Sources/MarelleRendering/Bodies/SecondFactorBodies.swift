import MarelleApp

/// `GET /api/v1/me/second-factor`.
public struct SecondFactorStatusBody: Encodable {
    public let enabled: Bool
    /// The association requires a second factor of its staff.
    public let required: Bool
    public let recoveryCodesLeft: Int
    /// The server has a `secondFactorKey`: enrolment is possible.
    public let available: Bool

    public init(_ s: SecondFactors.Status) {
        (enabled, required, recoveryCodesLeft, available) = (s.enabled, s.required, s.recoveryCodesLeft, s.available)
    }
}

/// What an authenticator app needs, from `POST /api/v1/me/second-factor` or `/auth/enrolment`.
public struct SecondFactorEnrolmentBody: Encodable {
    /// The secret in base32, to type by hand.
    public let secret: String
    /// The `otpauth://totp/...` URI the QR code carries.
    public let uri: String

    public init(_ e: SecondFactors.Enrolment) {
        (secret, uri) = (e.secret, e.uri)
    }
}

/// Recovery codes, shown once.
public struct RecoveryCodesBody: Encodable {
    public let recoveryCodes: [String]

    public init(_ codes: [String]) { recoveryCodes = codes }
}

/// `PUT /api/v1/association/second-factor`.
public struct SecondFactorRuleBody: Encodable {
    public let required: Bool

    public init(required: Bool) { self.required = required }
}
