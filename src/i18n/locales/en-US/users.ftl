## Users and licenses screen
users-tab-users = Users
users-tab-deleted = Deleted users ({ $count })
deleted-users = Deleted users
add-user = Add user
add-another-user = Add another user
import-users = Import users
save = Save
users-filter = Filter users by...
users-search = Search users
page-size = Users per page
filter-all = All users
filter-licensed = Licensed users
filter-unlicensed = Unlicensed users
filter-has = Has { $product }
filter-lacks = Does not have { $product }
filter-admins = Users with admin roles
filter-blocked = Sign-in blocked
users-none-match = No user matches this filter.
select = Select
select-page = Select all users on this page
select-user = Select { $name }
select-all-matching = Select all { $count ->
    [one] 1 user
   *[other] { $count } users
} that match
manage-licenses = Manage licenses
reset-password = Reset password
delete-user-account = Delete user account
col-display-name = Display name
col-first-name = First name
col-last-name = Last name
col-user-name = User name
col-licenses = Licenses
col-usage-location = Usage location
col-temporary-password = Temporary password
col-status-update = Status update
col-deleted-on = Deleted on
col-deleted-by = Deleted by
col-days-left = Days left to restore
badge-blocked = sign-in blocked
badge-admin = admin
unlicensed = No licenses
changed = Changed
notice-deleted = { $count ->
    [one] 1 user deleted. You can restore it from Deleted users within 30 days.
   *[other] { $count } users deleted. You can restore them from Deleted users within 30 days.
}
notice-none-selected = Select at least one user first.
notice-updated = Changes saved.

## Add and edit
field-org-role = Role
field-sign-in-blocked = Block sign-in
user-name-hint = Letters, digits and ' . - _ ! # ^ ~; no period at the start, before the @, or twice in a row.
assign-licenses = Assign licenses
available-licenses-count = ({ $count } available)
no-subscriptions-to-assign = This customer has no subscriptions yet.
add-another-status = { $count ->
    [one] 1 user added in this run. Their temporary password is shown when you finish.
   *[other] { $count } users added in this run. Their temporary passwords are shown when you finish.
}
finish-run = Finish and show the passwords
edit-user = Edit user
user-is-deleted = This user is deleted.
org-role-user = Can use licenses and services
org-role-global_admin = Global admin
org-role-user_admin = User admin
org-role-helpdesk_admin = Helpdesk admin
org-role-billing_admin = Billing admin

## Confirmations
confirm-delete = { $count ->
    [one] Delete this user? Its licenses are released at once and come back if you restore it within 30 days.
   *[other] Delete these { $count } users? Their licenses are released at once and come back if you restore them within 30 days.
}
confirm-reset = { $count ->
    [one] Give this user a new temporary password? The old one stops working at once.
   *[other] Give these { $count } users new temporary passwords? The old ones stop working at once.
}
and-more = and { $count } more

## Deleted users
deleted-hint = Deleted users can be restored for 30 days, then they are removed for good.
deleted-none = No deleted users to restore.
restore = Restore
delete-permanently = Delete permanently
delete-permanently-hint = This cannot be undone. Type the user name to confirm.
purge-type-name = Type { $user } to delete it permanently
restore-as-title = Restore under a new user name
restore-as-text = An active user now has the user name { $user }. Choose another user name to restore this user.
restore-as-new-name = New user name

## Credentials page
temporary-passwords = Temporary passwords
credentials-title-add = New users and their temporary passwords
credentials-title-reset = New temporary passwords
credentials-title-restore = Restored users and their temporary passwords
credentials-title-import = Imported users and their temporary passwords
credentials-count = { $count ->
    [one] 1 user
   *[other] { $count } users
}
credentials-expire = These passwords are shown only to you, until { $time } (expires in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}). Print, download or email them now.
credentials-all-in-download = The download holds every user.
credentials-dismiss = Done: forget these passwords
credentials-gone-title = The passwords are no longer available
credentials-gone-text = Temporary passwords are kept for one hour, only for the staff member who made them, and until they are dismissed. Reset the password again if someone still needs one.
print = Print
print-hint = To print, use your browser's Print command (Ctrl+P). Only the list is printed.
download-csv = Download .csv
email = Email
email-recipients = Email addresses
email-recipients-hint = Separate several addresses with commas. The list is sent as plain text.
mail-sent = { $count ->
    [one] The list was sent to 1 address.
   *[other] The list was sent to { $count } addresses.
}
mail-failed = The email could not be sent. Nothing was lost: the passwords are still here. Try again, or print or download them.
mail-credentials-subject = Temporary passwords for { $customer }
mail-credentials-intro = Here are the user names and temporary passwords for { $customer }. Each user must choose a new password at first sign-in.
mail-credentials-outro = Sent by PartnerDesk.
note-license-not-restored = { $product } not restored for { $user }: no available licenses.
note-name-clash = { $user } was not restored: an active user now has this user name.

## Errors
err-user-name-no-at = User name "{ $value }" needs an @ and a domain.
err-user-name-bad-char = User name "{ $value }": "{ $char }" is not allowed. Use letters, digits and ' . - _ ! # ^ ~.
err-user-name-leading-period = User name "{ $value }" may not start with a period.
err-user-name-double-period = User name "{ $value }": two periods in a row.
err-user-name-period-before-at = User name "{ $value }": no period right before the @.
err-user-name-alias-long = User name "{ $value }": at most { $max ->
    [one] 1 character
   *[other] { $max } characters
} before the @.
err-user-name-domain-long = User name "{ $value }": at most { $max ->
    [one] 1 character
   *[other] { $max } characters
} after the @.
err-user-name-long = User name "{ $value }" is longer than { $max ->
    [one] 1 character
   *[other] { $max } characters
}.
err-user-name-unknown-domain = User name "{ $value }": { $domain } is not one of this customer's domains.
err-user-name-taken = User name "{ $value }" is already used by another user of this customer.
err-org-role-unknown = "{ $value }" is not a role.
err-not-enough-licenses = Not enough licenses for { $product }: { $needed } needed, { $available } available.
err-usage-location-needed = Choose a usage location: licenses cannot be assigned to a user with no usage location.
err-usage-location-licensed = This user has licenses, so a usage location is required.
err-confirm-user-name = Type the user name exactly ({ $value }) to delete it permanently.
err-email-invalid = "{ $value }" is not an email address.
err-email-too-many = At most { $max ->
    [one] 1 address
   *[other] { $max } addresses
} at once.
confirm-all-matching = You chose all { $count ->
    [one] 1 user
   *[other] { $count } users
} that match the filter and search, not only the rows on the page.
all-matching-selected = All { $count ->
    [one] 1 user
   *[other] { $count } users
} that match are selected
clear-selection = Clear selection
# The way back to the list as it was: "Back to users (陳 · Licensed users · page 2)".
back-to-users-at = Back to users ({ $place })
back-to-deleted = Back to deleted users
back-to-deleted-at = Back to deleted users ({ $place })
back-page = page { $page }
user-saved = Saved changes to { $name }.
notice-forgotten = Done. The temporary passwords are no longer shown anywhere.
# The "Status update" column of the credentials .csv.
credential-status-created = Created
credential-status-password-reset = Password reset
credential-status-restored = Restored
# A label and its value on one line, as in the credentials mail ("User name: anna@contoso.com").
label-value = { $label }: { $value }
# The colon after a label, before a value that has its own markup.
label-colon = :{" "}
# Credentials hand-off: printing every user, as a list or as slips, and copying a password.
print-slips = Print slips
print-as-list = Print as a list
print-view-hint = Every user of this sheet, ready for paper. Use your browser's Print command (Ctrl+P) if the print dialog did not open.
credentials-back-to-sheet = Back to the temporary passwords
slip-change-at-first-sign-in = Sign in with this temporary password; you will choose your own at once.
copy = Copy
copied = Copied
copy-password-of = Copy the password of { $user }
skip-to-users = Skip to the list of users
