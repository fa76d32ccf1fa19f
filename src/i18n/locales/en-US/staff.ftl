nav-staff = Staff
staff-created = { $email } can now sign in with this temporary password, and must choose their own at first sign-in. It is shown only now.
staff-created-hint = Give it to them in person or by phone, not by email.
staff-state = State
staff-locked = Locked after failed sign-ins
staff-temporary = Has not signed in yet
staff-active = Active
staff-role-of = Role of { $email }
staff-change-role = Change
staff-email-hint = An email belongs to one staff account in the whole PartnerDesk installation, not only in this partner: an address that another partner's staff member already has cannot be added here.
staff-add = Add staff member
err-staff-email-taken = A staff member with the email { $value } already exists, in this partner or another: an email is unique across the whole PartnerDesk installation, not only within a partner. Use another address.
err-last-global-admin = A partner needs at least one Global admin; make someone else Global admin first.
activity-staff_role_changed = Changed the role of { $email } to { $role }
action-staff_role_changed = Staff role changed
staff-unlock = Unlock
staff-unlock-of = Unlock { $email }
activity-staff_unlocked = Unlocked the sign-in of { $email } ({ $refused ->
    [one] 1 attempt
   *[other] { $refused } attempts
} refused while locked)
action-staff_unlocked = Staff unlocked
staff-remove = Remove
staff-remove-of = Remove { $email }
staff-remove-explained = They are signed out everywhere at once and can no longer sign in. Their entries in the activity log stay, and their email can be given to a new staff member.
err-staff-remove-self = You cannot remove yourself; another Global admin can.
activity-staff_removed = Removed staff member { $email }
action-staff_removed = Staff member removed
staff-reset-factors = Reset two-step verification
staff-reset-factors-of = Reset the two-step verification of { $email }
staff-reset-factors-explained = Their authenticator apps and recovery codes are removed and they are signed out everywhere. At their next sign-in they add an authenticator app again (where your partner requires one).
staff-require-second-factor = Every staff member signs in with a second factor
staff-require-second-factor-hint = On: a member without an authenticator app or passkey must add one before anything else. Off: each member chooses. Partner Center requires it for every partner account.
activity-second_factor_requirement_changed = { $required ->
    [true] Required two-step verification for every staff member
   *[other] Made two-step verification optional
}
action-second_factor_requirement_changed = Two-step verification requirement
