/// What the sign-in and password pages show (`login`, `forgot`, `choose_password`,
/// `change_password`): each uses the fields it needs, the others stay nil.
struct AccountPage {
    let layout: LayoutModel
    var email: String? = nil
    /// Where to go after signing in (`?suite=`).
    var next: String? = nil
    var error: String? = nil
    var notice: String? = nil
    /// The link's token, carried by the form that chooses a password.
    var token: String? = nil
    var action: String? = nil
    var minimum: Int? = nil
    /// The link is used or out of date.
    var expired = false
}
