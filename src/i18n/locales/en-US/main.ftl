## Layout
skip-to-content = Skip to content
nav-label = Main
nav-dashboard = Dashboard
nav-customers = Customers
nav-activity = Activity log
sign-in = Sign in
sign-out = Sign out
search = Search
cancel = Cancel
choose = Choose…
all = All
created = Created
apply-filter = Apply filter
form-has-errors = Some fields need attention; see the messages next to them.

## Paging
paging-label = Pages
paging-first = First
paging-previous = Previous
paging-next = Next
paging-last = Last
paging-range = { $first }–{ $last } of { $total }
paging-page = Page { $page } of { $pages }

## Roles
role-global_admin = Global admin
role-admin_agent = Admin agent
role-sales_agent = Sales agent
role-helpdesk_agent = Helpdesk agent

## Sign-in and account
sign-in-title = Sign in to PartnerDesk
sign-in-refused = Wrong email or password.
sign-in-demo-note = Demo: the staff of the demo partner Northwind IT Services sign in with their password alone. A partner made with create-staff requires two-step verification (an authenticator app or a passkey).
field-email = Email
field-password = Password
change-password = Change password
change-password-forced = You signed in with a temporary password. Choose your own password to continue.
field-current-password = Current password
field-new-password = New password
field-confirm-password = Confirm new password
password-hint = At least 12 characters. A phrase of several words is easy to remember and hard to guess.

## Dashboard
dashboard-customers = customers
dashboard-active-users = active users
dashboard-licenses = licenses assigned
dashboard-licenses-of = { $assigned } of { $total }
dashboard-deleted = users deleted in the last 30 days
dashboard-recent = Recent activity
dashboard-all-activity = See the whole activity log

## Customers
customer-add = Add customer
customer-search = Search customers
customer-none = No customers yet. Add your first customer to get started.
customer-none-match = No customer matches this search.
customer-initial-domain = Domain
customer-users = Users
customer-tabs = Customer pages
field-company-name = Company name
field-domains = Domains
field-domains-hint = One per line. The first is the initial domain, e.g. contoso.onmicrosoft.com.
field-default-usage-location = Default usage location
field-domain = Domain
domain-add = Add domain
domain-initial = initial domain
tab-users-and-licenses = Users and licenses
tab-subscriptions = Subscriptions
tab-domains = Domains
users-none = This customer has no users yet.

## Subscriptions
subscriptions-none = This customer has no subscriptions yet.
subscription-add = Add subscription
field-product = Product
field-quantity = Quantity
assigned = Assigned
available = Available
buy-more = Buy more

## Field errors
err-required = This field is required.
err-control-chars = "{ $value }" contains control characters; remove them.
err-invisible-char = "{ $value }" contains the invisible character { $char }, which can make a name read backwards or pass for another; remove it (retype the name if you cannot see where it is).
err-too-long = Too long: { $count ->
    [one] 1 character
   *[other] { $count } characters
}, at most { $max } allowed.
err-domain-not-ascii = Domain "{ $value }": use the ASCII (xn--) form of international domain names.
err-domain-too-long = Domain "{ $value }" is longer than { $max ->
    [one] 1 character
   *[other] { $max } characters
}.
err-domain-one-label = Domain "{ $value }" needs at least two parts, like contoso.com.
err-domain-empty-label = Domain "{ $value }" has an empty part (two periods in a row, or a leading period).
err-domain-bad-label = Domain "{ $value }": each part may hold only letters, digits and inner hyphens, and the last part may not be a number.
err-domain-repeated = Domain "{ $value }" is listed twice.
err-domain-taken = Domain "{ $value }" already belongs to a customer. A domain can belong to one customer only.
err-country-unknown = "{ $value }" is not a country we know. Choose one from the list.
err-quantity-not-number = Quantity "{ $value }" is not a whole number.
err-quantity-range = Quantity { $value } is out of range: choose 1 to { $max }.
err-quantity-below-assigned = { $assigned ->
    [one] 1 license is assigned, so
   *[other] { $assigned } licenses are assigned, so
} the quantity cannot go below { $assigned } (you asked for { $value }). Remove licenses from users first.
err-product-choose = Choose a product.
err-product-already = This customer already has { $product }. Change that subscription's quantity instead.
err-password-short = The new password needs at least { $min ->
    [one] 1 character
   *[other] { $min } characters
}.
err-password-is-email = The new password may not be your email address.
err-password-unchanged = The new password must differ from the current one.
err-password-mismatch = The two new passwords differ; type the same password twice.
err-password-current-wrong = The current password is wrong.

## Activity log
activity-empty = No activity yet.
activity-own-only = You see your own actions. Global admins and Admin agents see everyone's.
activity-when = When
activity-who = Staff member
activity-customer = Customer
activity-action = Action
activity-what = Details
activity-outcome = Outcome
activity-filter-customer = Customer
activity-filter-staff = Staff member
activity-filter-action = Action
activity-filter-from = From
activity-filter-until = Until
outcome-success = Done
outcome-refused = Refused
activity-sign_in = Signed in
activity-sign_in_failed = Sign-in refused
activity-sign_out = Signed out
activity-password_changed = Changed their password
activity-customer_created = Added customer { $company } ({ $domains })
activity-domain_added = Added domain { $domain }
activity-subscription_added = Bought { $quantity } × { $product }
activity-subscription_quantity_changed = Changed the quantity of { $product } from { $from } to { $to }
activity-staff_created = Created staff member { $email }
action-sign_in = Sign-in
action-sign_in_failed = Failed sign-in
action-sign_out = Sign-out
action-password_changed = Password change
action-customer_created = Customer added
action-domain_added = Domain added
action-subscription_added = Subscription bought
action-subscription_quantity_changed = Quantity changed
action-staff_created = Staff member created

## Error pages
error-404-title = Page not found
error-404-text = There is nothing here, or it is not yours to see. Check the address or go back to your customers.
error-403-title = Not allowed
error-403-text = Your role does not allow this.
error-403-roles = It needs one of these roles:
error-csrf-title = This form has expired
error-csrf-text = The form was too old or came from somewhere else, so nothing was changed. Go back, reload the page and try again.
error-400-title = Something in the request was wrong
error-400-text = The page could not read what was sent. Nothing was changed; go back and try again.
error-413-title = Too large
error-413-text = What you sent is larger than PartnerDesk accepts. Nothing was changed.
error-422-title = Please check your input
error-422-text = Some values could not be accepted. Go back and correct them.
error-429-title = Too many sign-in attempts
error-429-text = There were too many attempts from here or for this account. Wait { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}, then try again.
error-503-busy-title = Busy right now
error-503-busy-text = PartnerDesk is checking many sign-ins at the moment. Nothing was changed; try again in a few seconds.
error-500-title = Something went wrong on our side
error-500-text = Nothing was half-saved. Please try again in a moment; if it keeps happening, tell your administrator.
error-503-db-title = The database is unavailable
error-503-db-text = PartnerDesk cannot reach its database at the moment, so this page could not be shown or saved. Please wait a few seconds and try again; if it keeps happening, tell your administrator.
error-back-dashboard = Back to the Dashboard
error-back-sign-in = Go to sign-in
activity-user_created = Added user { $user }
activity-user_updated = Edited user { $user }
activity-users_deleted = { $count ->
    [one] Deleted 1 user
   *[other] Deleted { $count } users
}
activity-users_restored = Restored { $count ->
    [one] 1 user
   *[other] { $count } users
}
activity-user_purged = Deleted { $user } permanently
activity-users_purged = Removed { $count ->
    [one] 1 user
   *[other] { $count } users
} deleted more than 30 days ago
activity-passwords_reset = Reset the password of { $count ->
    [one] 1 user
   *[other] { $count } users
}
activity-credentials_emailed = Emailed the temporary passwords of { $users ->
    [one] 1 user
   *[other] { $users } users
} to { $recipients }
action-user_created = User added
action-user_updated = User edited
action-users_deleted = Users deleted
action-users_restored = Users restored
action-user_purged = User deleted permanently
action-users_purged = Users purged
action-passwords_reset = Passwords reset
action-credentials_emailed = Credentials emailed

## Account page and its sessions
account-title = Account
account-partner = Partner
account-sessions = Where you are signed in
account-sessions-hint = A session ends 8 hours after signing in, or after 30 minutes without use. Signing out, changing your password or a change of your role ends it at once.
col-browser = Browser
col-signed-in = Signed in
col-last-seen = Last active
account-this-browser = This browser
account-unknown-browser = Unknown browser
account-sign-out-everywhere = Sign out everywhere
account-sign-out-everywhere-hint = Ends every session listed here, this one too: anyone using a copy of your session is signed out.
activity-signed_out_everywhere = { $sessions ->
    [one] Signed out everywhere (1 session)
   *[other] Signed out everywhere ({ $sessions } sessions)
}
action-signed_out_everywhere = Sign-out everywhere

# Two-step verification
security-title = Two-step verification
security-required = Your partner requires a second step at every sign-in: a code from an authenticator app, or one of your recovery codes.
security-optional = Add a second step to your sign-ins: a code from an authenticator app, or one of your recovery codes.
security-required-now = Your partner requires two-step verification. Add an authenticator app to continue.
security-no-apps = No authenticator app yet.
security-col-added = Added
security-col-last-used = Last used
security-remove = Remove
security-add-app = Add an authenticator app
security-scan = Scan this QR code with an authenticator app (Microsoft Authenticator, Google Authenticator, 1Password…), or type the secret key into it. Then type the 6-digit code the app shows.
security-qr-label = QR code for the authenticator app
security-secret-key = Secret key
security-code-hint = 6 digits; a new code every 30 seconds.
security-add = Add
security-recovery-codes = Recovery codes
security-codes-left = { $count ->
    [one] 1 unused recovery code left.
   *[other] { $count } unused recovery codes left.
}
security-new-codes = Make new codes
security-new-codes-hint = Makes ten new codes; the old ones stop working.
security-codes-once = Write these codes down or print them, and keep them somewhere safe: each signs you in once when your authenticator app is not at hand. They are shown only now.
security-codes-done = I have kept them
security-notice-added = The authenticator app was added. Your other sessions were signed out.
security-notice-removed = The authenticator app was removed. Your other sessions were signed out.
field-code = Code
verify-title = Two-step verification
verify-hint = The 6-digit code from your authenticator app, or one of your recovery codes.
verify-button = Verify
err-code-wrong = This code is not right, or it was used already. Type the code your app shows now.
err-last-second-factor = Your partner requires two-step verification: add another authenticator app before removing this one.
err-no-second-factor = Add an authenticator app first.
err-reset-own-factors = You cannot reset your own two-step verification; another Global admin can.
activity-second_factor_added = { $kind ->
    [passkey] Added a passkey or security key
   *[other] Added an authenticator app
}
action-second_factor_added = Second factor added
activity-second_factor_removed = { $kind ->
    [passkey] Removed a passkey or security key
   *[other] Removed an authenticator app
}
action-second_factor_removed = Second factor removed
activity-second_factor_failed = Wrong two-step verification code
action-second_factor_failed = Failed second step
activity-recovery_codes_made = Made new recovery codes
action-recovery_codes_made = Recovery codes made
activity-recovery_code_used = Signed in with a recovery code ({ $left } left)
action-recovery_code_used = Recovery code used
activity-second_factors_reset = Reset the two-step verification of { $email }
action-second_factors_reset = Two-step verification reset
security-factors = Your second factors
security-col-kind = Kind
security-kind-totp = Authenticator app
security-kind-passkey = Passkey or security key
security-add-passkey = Add a passkey or security key
security-passkey-explained = A passkey (on this phone or computer) or a security key (such as a YubiKey) signs you in with a touch or your fingerprint instead of a code.
security-passkey-needs-js = Passkeys need JavaScript in the browser: this is the one part of signing in that does. Authenticator apps and recovery codes work without it.
security-passkey-problem = The browser did not make or use a passkey (cancelled, timed out, or not supported). Try again, or use an authenticator app.
verify-passkey-hint = Or use your passkey or security key (needs JavaScript).
verify-use-passkey = Use a passkey
err-passkey-failed = The passkey was not accepted. Try again, or use a code.
err-passkeys-unavailable = Passkeys cannot be used at this address: they need a name such as localhost or partnerdesk.example, not an IP address (PARTNERDESK_PUBLIC_URL).
# Subscriptions: "Add seats" adds to the total, "Change quantity" sets it; both are confirmed.
change-seats = Change seats
seats-to-add = Seats to add
add-seats = Add seats
new-total = New total
change-quantity = Change quantity
seats-now = Seats now
seats-confirm-add-title = Add seats to { $product }
seats-confirm-add = { $added ->
    [one] Add 1 seat to { $product }?
   *[other] Add { $added } seats to { $product }?
} The customer will then pay for { $total } instead of { $current }.
seats-confirm-add-button = { $added ->
    [one] Add 1 seat
   *[other] Add { $added } seats
}
seats-confirm-change-title = Change the quantity of { $product }
seats-confirm-change = Change the quantity of { $product } from { $current } to { $total }? The customer will then pay for { $total }.
seats-confirm-change-button = Change to { $total }
err-quantity-unchanged = The quantity is already { $value }. Type a different total.
# Status banners after a change (announced by screen readers).
flash-seats-added = Seats added: { $added } × { $product } (now { $total }).
flash-quantity-changed = Quantity changed: { $product } now { $total } (was { $from }).
flash-subscription-added = Subscription added: { $count } × { $product }.
flash-customer-added = Added customer { $name }.
flash-domain-added = Added domain { $domain }.
flash-role-changed = { $email } is now { $role }.
flash-staff-unlocked = { $email } can sign in again.
flash-staff-removed = Removed { $email } from your staff.
flash-factors-reset = The second factors of { $email } were reset.
# Time zones: the partner's, and a staff member's own.
time-zone = Time zone
time-zone-partners = Your partner's time zone ({ $zone })
time-zone-hint = Every date and time is shown in this zone, with its offset from UTC.
time-zone-of-partner = Your partner's time zone
time-zone-of-partner-hint = Dates and times are shown in this zone to every staff member who has not chosen their own on their Account page.
err-time-zone-unknown = "{ $value }" is not a time zone in the list. Choose one, such as Asia/Taipei.
flash-time-zone = Dates and times are now shown in { $zone } ({ $offset }).
activity-partner_time_zone_changed = Set the partner's time zone to { $time_zone }
action-partner_time_zone_changed = Partner time zone changed
activity-time_zone_changed = { $time_zone ->
    [partner] Chose to see times in the partner's time zone
   *[other] Chose to see times in { $time_zone }
}
action-time_zone_changed = Own time zone changed
# The header's menu on a phone.
menu = Menu
