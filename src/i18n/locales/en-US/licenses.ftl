## Manage licenses
licenses-selected = Selected users ({ $count })
licenses-location-label = Usage location for selected users who have none
licenses-location-hint = { $count ->
    [one] 1 selected user has no usage location. Licenses need one; it is set only for users who gain a license.
   *[other] { $count } selected users have no usage location. Licenses need one; it is set only for users who gain a license.
}
available-licenses = Available licenses
licenses-holders = { $holders } of { $selected } selected users have it
licenses-show-holders = Show who has it
choice-assign = Assign to all
choice-remove = Remove from all
choice-leave = Leave as is
view-service-plans = View service plans
licenses-buy-label = Seats to add
licenses-bought-kept = Your selection and choices are kept.
licenses-nothing-changed = Nothing was changed:
licenses-updated = Licenses updated
licenses-updated-summary = { $users ->
    [one] 1 user
   *[other] { $users } users
} changed: { $assigned ->
    [one] 1 license
   *[other] { $assigned } licenses
} assigned, { $removed } removed.
licenses-no-change = No user's licenses changed.
col-gained = Licenses gained
col-lost = Licenses removed
back-to-users = Back to users
err-usage-location-missing = { $count ->
    [one] 1 user has no usage location: { $users }. Choose a usage location above.
   *[other] { $count } users have no usage location: { $users }. Choose a usage location above.
}
err-conflicting-plans = Conflicting service plans for { $count ->
    [one] 1 user
   *[other] { $count } users
}: { $users }. Turn off one of the conflicting plans (for example SharePoint) or remove the other product.
activity-licenses_changed = Changed licenses of { $count ->
    [one] 1 user
   *[other] { $count } users
}: { $changes }
action-licenses_changed = Licenses changed
# The activity log's words for one product's change, and between two of them.
activity-change-assign = assigned { $product }
activity-change-remove = removed { $product }
list-separator = ;{" "}
